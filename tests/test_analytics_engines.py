"""The igraph/leidenalg paths and the pure NetworkX fallback give the same answers on small
graphs (hand-checkable ones and Zachary's karate club)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from stigraph.analytics.centrality import betweenness, eigenvector, pagerank
from stigraph.analytics.communities import communities, community_map

pytest.importorskip("igraph")


def _karate() -> nx.Graph:
    G = nx.karate_club_graph()  # weighted: number of shared activities
    G.add_edge("x", "y", weight=2.0)  # a second component
    G.add_node("lonely")
    return G


@pytest.mark.parametrize("measure", [pagerank, eigenvector])
def test_spectral_measures_agree(measure: object) -> None:
    G = _karate()
    a = measure(G, engine="networkx")  # type: ignore[operator]
    b = measure(G, engine="igraph")  # type: ignore[operator]
    assert a.keys() == b.keys()
    assert all(abs(a[v] - b[v]) < 1e-8 for v in a)
    assert a["lonely"] == pytest.approx(b["lonely"])


def test_eigenvector_leading_component_not_the_largest() -> None:
    # a 6-node path (largest eigenvalue 2·cos(π/7) ≈ 1.80) and a triangle of weight 2
    # (eigenvalue 4): the triangle holds the vector, although the path is larger; two equal
    # triangles tie, and the first in order (by size, then label) wins on both paths
    G = nx.path_graph(["p1", "p2", "p3", "p4", "p5", "p6"])
    G.add_weighted_edges_from([("t1", "t2", 2.0), ("t2", "t3", 2.0), ("t1", "t3", 2.0)])
    got = eigenvector(G, engine="igraph")
    assert got["t1"] == pytest.approx(3 ** -0.5) and got["p3"] == 0.0
    assert got == pytest.approx(eigenvector(G, engine="networkx"), abs=1e-8)
    tie = nx.disjoint_union(nx.cycle_graph(4), nx.cycle_graph(4))
    a, b = eigenvector(tie, engine="igraph"), eigenvector(tie, engine="networkx")
    assert a == pytest.approx(b, abs=1e-8)
    assert a[0] == pytest.approx(0.5) and a[4] == 0.0


def test_eigenvector_on_a_path_by_hand() -> None:
    G = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
    got = eigenvector(G, engine="igraph")
    assert got["b"] == pytest.approx(2 ** -0.5) and got["a"] == pytest.approx(0.5)
    assert got["x"] == 0.0


@pytest.mark.parametrize("k", [None, 10])
def test_betweenness_agrees(k: int | None) -> None:
    # random weights: with the integer ones, equal-length paths (1/2 + 1/2 = 1/1) make the
    # count depend on floating-point rounding, which differs between the two libraries
    rng = random.Random(0)
    G = _karate()
    for _u, _v, d in G.edges(data=True):
        d["weight"] = rng.uniform(1.0, 5.0)
    a = betweenness(G, k=k, engine="networkx")
    b = betweenness(G, k=k, engine="igraph")
    assert all(abs(a[v] - b[v]) < 1e-9 for v in a)


def _two_triangles() -> nx.Graph:
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
    G.add_edge("c", "x")
    return G


@pytest.mark.parametrize(("method", "engine"), [("louvain", "networkx"),
                                                 ("louvain", "igraph"),
                                                 ("leiden", "igraph")])
def test_communities_by_hand(method: str, engine: str) -> None:
    if method == "leiden":
        pytest.importorskip("leidenalg")
    result = communities(_two_triangles(), method=method, engine=engine, seed=1)
    assert result.method == method
    groups = community_map(result)
    assert groups["a"] == groups["b"] == groups["c"] != groups["x"] == groups["y"] == groups["z"]
    assert result.modularity == pytest.approx(2 * (3 / 7 - (7 / 14) ** 2))


def test_karate_modularity_close_on_every_path() -> None:
    pytest.importorskip("leidenalg")
    G = nx.karate_club_graph()
    values = {(m, e): communities(G, method=m, engine=e, seed=0)
              for m, e in (("louvain", "networkx"), ("louvain", "igraph"),
                           ("leiden", "igraph"))}
    for result in values.values():  # the best known weighted modularity is ~0.4449
        assert 0.40 < result.modularity <= 0.4450
        # the modularity reported is the partition's, recomputed by NetworkX
        parts = [[r["node"] for r in result.nodes if r["community"] == c]
                 for c in range(len(result.sizes))]
        assert result.modularity == pytest.approx(nx.community.modularity(G, parts))
    assert values[("leiden", "igraph")].modularity >= values[("louvain", "igraph")].modularity


def test_unknown_method() -> None:
    with pytest.raises(Exception, match="unknown community method"):
        communities(_two_triangles(), method="walktrap")
