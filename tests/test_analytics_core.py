"""Analytics: hand-computed answers on small graphs and cross-checks with independent code."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from rdflib import Graph

from stigraph.analytics import api
from stigraph.analytics.centrality import betweenness, centrality, closeness, eigenvector, rank
from stigraph.analytics.communities import communities
from stigraph.analytics.evaluate import average_precision, holdout_graph, precision_at_k
from stigraph.analytics.links import pair_scores, percentile_ranks
from stigraph.analytics.predicted_rdf import predicted_links_rdf
from stigraph.build.builder import GraphSource, open_graph
from stigraph.cli import main
from stigraph.errors import ParameterError, UnknownCountryError
from stigraph.projection.groups import countries, members_of
from stigraph.projection.inputs import AnalysisInputs
from stigraph.projection.networks import cooperation_graph, edge_rows, project
from stigraph.vocab.namespaces import STIG

MINI = Path(__file__).parent / "data" / "analytics-mini.ttl"
C = "https://w3id.org/stigraph/id/country/"
A = "https://w3id.org/stigraph/id/actor/"
I = "https://w3id.org/stigraph/id/initiative/"  # noqa: E741


@pytest.fixture(scope="module")
def mini() -> Graph:
    # opened as every command opens a graph file: the build's date bounds are derived
    return open_graph(GraphSource(graph_file=MINI, store="memory")).graph


# -- indices: hand-computed -------------------------------------------------------------------

def test_indices_by_hand() -> None:
    # u=a, v=e; Γ(a)={b,c,d}, Γ(e)={c,d}; k_c=3 (a,e,f), k_d=2 (a,e)
    G = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("e", "c"), ("e", "d"), ("c", "f")])
    s = pair_scores(G, [("a", "e")], communities={"a": 0, "e": 0, "c": 0, "d": 1, "b": 1,
                                                  "f": 1})[0]
    assert s["common"] == 2
    assert s["adamic_adar"] == pytest.approx(1 / math.log(3) + 1 / math.log(2))
    assert s["resource_allocation"] == pytest.approx(1 / 3 + 1 / 2)
    assert s["jaccard"] == pytest.approx(2 / 3)  # {c,d} / {b,c,d}
    assert s["preferential_attachment"] == 6.0
    assert s["community"] == 3.0  # 2 shared + c in the same community as a and e
    # independent: networkx's own implementations
    assert s["adamic_adar"] == pytest.approx(next(nx.adamic_adar_index(G, [("a", "e")]))[2])
    assert s["resource_allocation"] == pytest.approx(
        next(nx.resource_allocation_index(G, [("a", "e")]))[2])
    assert s["jaccard"] == pytest.approx(next(nx.jaccard_coefficient(G, [("a", "e")]))[2])


def test_weighted_indices_of_an_adjacent_pair_by_hand() -> None:
    # u=a, v=e, adjacent (w 5, left out of Jaccard); shared c (a–c 2, e–c 4), d (a–d 1, e–d 3);
    # a also has b (w 6), e has g (w 1); k_c=3 (a, e, f), k_d=2
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "e", 5.0), ("a", "b", 6.0), ("a", "c", 2.0), ("a", "d", 1.0),
                               ("e", "c", 4.0), ("e", "d", 3.0), ("e", "g", 1.0),
                               ("c", "f", 1.0)], weight="affinity")
    s = pair_scores(G, [("a", "e")], weight="affinity")[0]
    assert s["shared"] == ["c", "d"] and s["contribution"] == [3.0, 2.0]
    assert s["adamic_adar"] == pytest.approx(3 / math.log(3) + 2 / math.log(2))
    assert s["resource_allocation"] == pytest.approx(3 / 3 + 2 / 2)
    # Ruzicka: (min 2,4 + min 1,3) / (max 2,4 + max 1,3 + b 6 + g 1)
    assert s["jaccard"] == pytest.approx((2 + 1) / (4 + 3 + 6 + 1))
    assert s["preferential_attachment"] == (5 + 6 + 2 + 1) * (5 + 4 + 3 + 1)
    assert s["community"] == 5.0  # no communities given: the weighted common-neighbour sum


def test_country_time_split_by_hand() -> None:
    from stigraph.analytics.evaluate import evaluate_country_time_split

    # before: the path a-b-c-d; after: a-c is new, and e (unknown before) joins
    before = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    after = nx.Graph([*before.edges, ("a", "c"), ("e", "a")])
    table = {r.method: r for r in evaluate_country_time_split(before, after, cutoff="2010")}
    aa = table["adamic_adar"]
    # candidates (a,c), (a,d), (b,d): a-c and b-d share one neighbour of degree 2 (a tie),
    # a-d none; the one positive is in the top tie of two: AP = 1/2
    assert (aa.candidates, aa.positives) == (3, 1)
    assert aa.auc_pr == 0.5 and aa.precision_at[10] == pytest.approx(1 / 3)
    # popularity: k_a·k_c = 2, k_a·k_d = 1, k_b·k_d = 2: the same tie
    assert table["popularity (preferential_attachment)"].auc_pr == 0.5
    assert not aa.beats_popularity
    assert aa.as_row()["precision_at_10"] == aa.precision_at[10]


def test_percentile_ranks_ties() -> None:
    assert percentile_ranks([1.0, 1.0, 1.0]) == [0.5, 0.5, 0.5]
    assert percentile_ranks([3.0, 1.0, 2.0]) == [1.0, 0.0, 0.5]


# -- centrality -------------------------------------------------------------------------------

def test_distance_is_inverse_weight() -> None:
    # a-b-c with strong edges (w=4: distance 0.25 each) versus a direct weak edge a-c (w=1)
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 4.0), ("b", "c", 4.0), ("a", "c", 1.0)])
    assert betweenness(G, engine="networkx")["b"] == 1.0  # a-c goes through b (0.5 < 1)
    assert closeness(G, engine="networkx")["a"] == pytest.approx(2 / (0.25 + 0.5))


def test_engines_agree() -> None:
    pytest.importorskip("igraph")
    G = nx.les_miserables_graph()
    for fn in (betweenness, closeness):
        a, b = fn(G, engine="networkx"), fn(G, engine="igraph")
        assert max(abs(a[v] - b[v]) for v in G) < 1e-9


def test_eigenvector_disconnected_is_perron_vector() -> None:
    # a triangle with a tail (larger eigenvalue) and a separate edge: numpy on the whole matrix
    G = nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4), (5, 6)])
    G.add_node(7)
    ours = eigenvector(G)
    nodes = list(G)
    _values, vectors = np.linalg.eigh(nx.to_numpy_array(G, nodelist=nodes))
    vec = np.abs(vectors[:, -1])
    for v, x in zip(nodes, vec, strict=True):
        assert ours[v] == pytest.approx(float(x), abs=1e-9)
    assert ours[5] == ours[6] == ours[7] == 0.0
    assert all(type(x) is float for x in ours.values())


def test_ranking_within_group() -> None:
    rows = [{"node": "a", "pagerank": 0.5}, {"node": "b", "pagerank": 0.3},
            {"node": "c", "pagerank": 0.3}, {"node": "d", "pagerank": 0.1}]
    ranked = rank(rows, by="pagerank", within=["c", "d"])
    assert [(r["node"], r["rank"], r["group_rank"]) for r in ranked] == [("c", 2, 1), ("d", 4, 2)]


# -- projections on the hand-made RDF graph ---------------------------------------------------

def test_projection_as_of_and_area(mini: Graph) -> None:
    rows = {(u, v): w for u, v, w in edge_rows(mini, "country-organisation", as_of="2020-06-01")}
    assert rows[(C + "KE", A + "gcf")] == 2.0  # two GCF projects by then
    assert (C + "TZ", A + "cgiar") in rows  # from 2020-01 (certain by 2020-01-31) to 2021
    assert (C + "KE", I + "horizon-europe") not in rows  # starts 2022
    later = {(u, v) for u, v, _ in edge_rows(mini, "country-organisation", as_of="2023-01-01")}
    assert (C + "TZ", A + "cgiar") not in later  # ended in 2021
    area = {(u, v) for u, v, _ in edge_rows(mini, "country-organisation", as_of="2018-01-01",
                                            area="research-funding")}
    assert area == {(C + "KE", A + "gcf"), (C + "UG", A + "gcf"), (C + "FR", I + "oitb")}


def test_as_of_before_any_membership(mini: Graph) -> None:
    G = project(mini, "country-country", as_of="1990-01-01")
    # only undated facts remain: RW's undated CGIAR link shares nothing; FR–DE partnerOf
    assert sorted(G.edges()) == [(C + "DE", C + "FR")]
    assert G.number_of_nodes() == 7  # every country is still a node
    rows = centrality(G)
    tv = next(r for r in rows if r["code"] == "TV")
    assert tv["degree"] == 0 and tv["strength"] == 0.0 and tv["eigenvector"] == 0.0


def test_country_country_is_shared_organisations(mini: Graph) -> None:
    G = project(mini, "country-country", as_of="2020-06-01")
    b = project(mini, "country-organisation", as_of="2020-06-01")
    cs = [n for n in b if n.startswith(C)]
    for i, u in enumerate(sorted(cs)):  # independent: count shared neighbours directly
        for v in sorted(cs)[i + 1:]:
            shared = len(set(b[u]) & set(b[v]))
            direct = 1 if {u, v} == {C + "FR", C + "DE"} else 0
            expected = shared + direct
            assert (G[u][v]["weight"] if G.has_edge(u, v) else 0) == expected
    assert G[C + "TZ"][C + "UG"]["weight"] == 2.0  # GCF and CGIAR


def test_groups_as_of_year(mini: Graph) -> None:
    assert [c.iso2 for c in members_of(mini, "L", year=2020)] == ["RW", "TZ", "UG"]
    assert [c.iso2 for c in members_of(mini, "income:L", year=2021)] == ["RW", "UG"]
    assert [c.iso2 for c in members_of(mini, "ldc")] == ["RW", "TV", "TZ", "UG"]
    assert [c.iso2 for c in members_of(mini, "Africa")] == ["KE", "RW", "TZ", "UG"]
    assert countries(mini, year=2021)[C + "TZ"].income == "LM"
    with pytest.raises(ParameterError):
        members_of(mini, "atlantis")


def test_centrality_cross_check_on_projection(mini: Graph) -> None:
    G = project(mini, "country-country", as_of="2020-06-01")
    rows = {r["node"]: r for r in centrality(G)}
    inv = G.copy()
    for _u, _v, d in inv.edges(data=True):
        d["dist"] = 1.0 / d["weight"]
    bet = nx.betweenness_centrality(inv, weight="dist")
    clo = nx.closeness_centrality(inv, distance="dist")
    pr = nx.pagerank(G, weight="weight")
    for v in G:
        assert rows[v]["betweenness"] == pytest.approx(bet[v])
        assert rows[v]["closeness"] == pytest.approx(clo[v])
        assert rows[v]["pagerank"] == pytest.approx(pr[v], abs=1e-6)
        assert rows[v]["strength"] == pytest.approx(sum(d["weight"] for d in G[v].values()))


# -- recommendations, gaps, evaluation --------------------------------------------------------

def test_recommend_explains(mini: Graph) -> None:
    # KE alone: its peers are lower-middle income (FY2020) or African; CGIAR's members in mid-2020
    # (UG, TZ, RW) are all low income, so CGIAR is not open to a country like KE
    inputs = AnalysisInputs(mini, as_of="2020-06-01")
    alone = api.recommend_report(inputs, country="KE", top=20, kinds=("actor", "initiative"))
    assert all(r.target != A + "cgiar" for r in alone)
    # within the group Africa, CGIAR has African members: open
    everyone = api.recommend_report(inputs, group="Africa", top=20,
                                    kinds=("actor", "initiative"))
    recs = [r for r in everyone if r.country == "KE"]
    rows = [r.as_row() for r in recs]
    cgiar = next(r for r in rows if r["target"] == A + "cgiar")
    # Γ(KE) = {GCF, ILRI (HQ in KE), UG, TZ (co-members of GCF)};
    # Γ(CGIAR) = {UG, TZ, RW, ILRI (memberOf), GCF (partnerOf)}
    assert set(cgiar["shared"]) == {"Uganda", "United Republic of Tanzania", "Green Climate Fund",
                                    "International Livestock Research Institute"}
    assert cgiar["shared"][:2] == ["United Republic of Tanzania", "Uganda"] or \
        cgiar["shared"][:2] == ["Uganda", "United Republic of Tanzania"]  # peers first
    assert "peers in the same group (Africa), are members of CGIAR" in cgiar["explanation"]
    assert cgiar["target_group"] == "organisation"
    assert all(r["target"] != A + "gcf" for r in rows)  # already linked
    g = predicted_links_rdf(recs, as_of="2020-06-01")
    assert len(set(g.subjects(None, STIG.PredictedLink))) == len(rows)
    assert (None, STIG.recommendedLink, None) in g


def test_unknown_country_is_a_clear_error(mini: Graph) -> None:
    with pytest.raises(UnknownCountryError):
        api.recommend_report(AnalysisInputs(mini), country="XX")


def test_gaps_none_and_weak(mini: Graph) -> None:
    rows = api.gaps_report(AnalysisInputs(mini, as_of="2020-06-01"), country="RW", by="income")
    # RW (income L in FY2020): peers UG, TZ both have 1 research-funding link (GCF); RW has none
    funding = next(r for r in rows if getattr(r, "area", None) == "research-funding")
    assert (funding.links, funding.peer_median, funding.status) == (0, 1.0, "none")


def test_metrics_by_hand() -> None:
    assert average_precision([3, 2, 1], [0, 1, 1]) == pytest.approx(0.5 * 0.5 + 0.5 * 2 / 3)
    assert precision_at_k([1, 1, 1, 1], [1, 0, 0, 0], 2) == 0.25


def test_holdout_leaves_no_trace(mini: Graph) -> None:
    G = cooperation_graph(mini, as_of="2020-06-01")
    H, removed = holdout_graph(G, fraction=0.3, seed=1)
    for c, o in removed:
        assert not H.has_edge(c, o)
    b = nx.Graph((u, v) for u, v, r in H.edges(data="relation") if r == "membership")
    for u, v, d in H.edges(data=True):
        if d["relation"] == "country" and {u, v} != {C + "FR", C + "DE"}:
            assert d["weight"] == len(set(b[u]) & set(b[v]))


def test_communities_seeded_and_disconnected() -> None:
    G = nx.Graph([("a", "b"), ("c", "d")])
    G.add_node("e")
    r1, r2 = communities(G, seed=3), communities(G, seed=3)
    assert r1.nodes == r2.nodes and r1.sizes == [2, 2, 1]
    assert r1.modularity == pytest.approx(0.5)  # 2 * (1/2 - (2/4)^2)


def test_cli_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (["centrality", "--as-of", "2020"], ["communities", "--summary"],
                 ["gaps", "--kind", "matrix", "--format", "csv"],
                 ["recommend", "--country", "KE", "--top", "3"],
                 ["evaluate", "--split", "holdout", "--fraction", "0.3"]):
        result = runner.invoke(main, [*args, "--graph", str(MINI)])
        assert result.exit_code == 0, (args, result.output)
    bad = runner.invoke(main, ["recommend", "--country", "XX", "--graph", str(MINI)])
    assert bad.exit_code != 0 and "unknown country code" in bad.output
