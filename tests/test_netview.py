"""What a network page draws: backbone ranks, isolates, the top-N cut, a separating layout.

Answers are worked by hand on small graphs (the arithmetic is in the comments).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from stigraph.outputs import netview
from stigraph.outputs import network as viz


def weighted() -> nx.Graph:
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 5.0), ("a", "c", 1.0), ("a", "d", 1.0),
                               ("b", "c", 1.0)])
    return g


def test_disparity_pvalues_by_hand() -> None:
    p = netview.disparity_pvalues(weighted())
    # a: strength 7, degree 3 -> (1 - w/7)^2
    assert p[("a", "b")]["a"] == pytest.approx((2 / 7) ** 2)
    assert p[("a", "c")]["a"] == pytest.approx((6 / 7) ** 2)
    # b: strength 6, degree 2 -> (1 - w/6)^1
    assert p[("a", "b")]["b"] == pytest.approx(1 / 6)
    assert p[("b", "c")]["b"] == pytest.approx(5 / 6)
    # d has one link: always significant there
    assert p[("a", "d")]["d"] == 0.0


def test_edge_ranks_keep_every_node_linked_at_level_one() -> None:
    g = weighted()
    ranks = netview.edge_ranks(g)
    # at a: ab (p .08), then ac and ad tie on p and weight; c has the larger degree -> ac 2,
    # ad 3; at c: ac and bc tie, a has the larger degree -> ac 1; at d: ad 1; at b: ab 1, bc 2
    assert ranks == {("a", "b"): 1, ("a", "c"): 1, ("a", "d"): 1, ("b", "c"): 2}
    level_one = {e for e, r in ranks.items() if r <= 1}
    assert {n for e in level_one for n in e} == set(g)


def test_isolates_apart_and_top_n_cut_counted() -> None:
    g = nx.star_graph(5)  # 0 linked to 1..5
    g.add_edge(6, 7)
    g.add_node(8)
    size = {0: 10.0, 1: 5.0, 2: 4.0, 3: 3.0, 4: 2.0, 5: 1.0, 6: 0.5, 7: 0.4, 8: 9.0}
    view = netview.prepare(g, size, max_nodes=4)
    assert view.isolates == [8]
    # the 4 largest linked nodes are 0, 1, 2, 3: all linked among themselves through 0
    assert set(view.graph) == {0, 1, 2, 3}
    assert view.cut_nodes == 4  # 4, 5, 6, 7
    assert view.cut_edges == 6 - 3
    assert view.total_nodes == 9 and view.total_edges == 6


def test_top_n_cut_drops_nodes_left_without_a_link() -> None:
    g = nx.Graph([("a", "b"), ("c", "d")])
    view = netview.prepare(g, {"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0}, max_nodes=3)
    assert set(view.graph) == {"a", "b"}  # c kept by size but its only link went with d
    assert view.cut_nodes == 2


def test_default_level_fits_the_budget_and_max_links_caps_the_page() -> None:
    g = nx.complete_graph(12)  # every node has 11 links, all of weight 1
    view = netview.prepare(g, link_budget=30)
    assert view.drawn_edges() <= 30 < view.drawn_edges(view.default_k + 1)
    capped = netview.prepare(g, max_links=40)
    assert len(capped.edge_rank) <= 40 and capped.graph.number_of_edges() == len(capped.edge_rank)
    assert capped.cut_edges == 66 - len(capped.edge_rank)


def test_community_layout_separates_communities_and_nodes() -> None:
    # two cliques of 8 joined by one link: Louvain finds the two; their discs must not overlap
    g = nx.disjoint_union(nx.complete_graph(8), nx.complete_graph(8))
    g.add_edge(0, 8)
    radius = dict.fromkeys(g, 12.0)
    view = netview.prepare(g, radius=radius)
    groups: dict[int, list[int]] = {}
    for node, c in view.community.items():
        groups.setdefault(c, []).append(node)
    assert sorted(sorted(m) for m in groups.values()) == [list(range(8)), list(range(8, 16))]
    pos = view.positions
    for u in g:
        for v in g:
            if u < v:
                assert math.dist(pos[u], pos[v]) >= 24.0 - 1e-6  # no two nodes overlap
    centres = {c: (sum(pos[n][0] for n in m) / len(m), sum(pos[n][1] for n in m) / len(m))
               for c, m in groups.items()}
    reach = {c: max(math.dist(centres[c], pos[n]) + 12.0 for n in m) for c, m in groups.items()}
    (c1, p1), (c2, p2) = centres.items()
    assert math.dist(p1, p2) > reach[c1] + reach[c2]


def test_page_states_what_it_draws(tmp_path) -> None:  # type: ignore[no-untyped-def]
    g = nx.complete_graph(30)
    g = nx.relabel_nodes(g, {i: f"n{i}" for i in g})
    g.add_node("lonely", label="Lonely Island")
    page = viz.write_network_html(viz.to_network(g), tmp_path / "p.html")
    html = page.path.read_text(encoding="utf-8")
    assert page.nodes == 30 and page.edges == 435 and page.isolates == 1
    assert page.shown_edges < page.edges
    assert f'data-nodes="30" data-edges="{page.shown_edges}"' in html
    assert "<li>Lonely Island</li>" in html and "of 31 nodes and 435 links" in html


def test_top_n_cut_keeps_the_ego() -> None:
    g = nx.star_graph(["hub", *[f"n{i:02d}" for i in range(10)]])
    g.add_edge("n05", "n06")
    g.graph["ego"] = "n05"
    view = netview.prepare(g, {"hub": 9.0, "n05": 0.0}, max_nodes=2)
    assert set(view.graph) == {"hub", "n05"}


def _separate_all_pairs(points: np.ndarray, radii: np.ndarray, rounds: int = 60) -> np.ndarray:
    """The overlap removal as it was, over all n² pairs each round: the reference."""
    pts = points.copy()
    need = radii[:, None] + radii[None, :] + 4.0
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = pts[:, None, :] - pts[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        short = np.clip(need - dist, 0.0, None)
        if not short.any():
            break
        direction = delta / np.where(dist == np.inf, 1.0, np.maximum(dist, 1e-6))[:, :, None]
        pts += (direction * (short / 2.0)[:, :, None]).sum(axis=1) * 0.5
    return pts


def test_overlapping_pairs_by_hand() -> None:
    # radii 5, 5, 20, 5 (need: the two radii + 4): a-b 10 apart (need 14), b-c 28 (need 29),
    # c-d 30 (need 29: apart), a-c √(10² + 28²) = 29.7 (need 29: apart); b, c, d share an x
    pts = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 28.0], [10.0, 58.0]])
    radii = np.array([5.0, 5.0, 20.0, 5.0])
    first, second = netview.overlapping_pairs(pts, radii)
    assert sorted(tuple(sorted(p)) for p in zip(first.tolist(), second.tolist(), strict=False)) == [
        (0, 1), (1, 2)]
    assert netview.overlapping_pairs(pts[:1], radii[:1])[0].size == 0


def test_separate_two_discs_by_hand() -> None:
    # radii 10, 10, 10 apart: the shortfall is 24 - 10 = 14; each disc moves 14/4 = 3.5 a round
    # (17 apart), then 7/4 (20.5), ... the shortfall halves each round
    pts = np.array([[0.0, 0.0], [10.0, 0.0]])
    one = netview._separate(pts, np.array([10.0, 10.0]), rounds=1)
    assert one.tolist() == [[-3.5, 0.0], [13.5, 0.0]]
    done = netview._separate(pts, np.array([10.0, 10.0]))
    assert 24.0 - 1e-9 <= math.dist(*done) <= 24.0
    assert pts.tolist() == [[0.0, 0.0], [10.0, 0.0]]  # the input is left as it was


@pytest.mark.parametrize("n", [2, 30, 300])
def test_separate_matches_all_pairs_and_leaves_no_overlap(n: int) -> None:
    # spread over a disc as _local_layout does: every node ends where all pairs put it; with
    # room enough (up to 30 nodes here) no two discs overlap after the rounds (the 4-unit gap
    # may be left partly unfilled); a crowded disc may keep a slight overlap after 60
    # rounds, the same one in both versions
    rng = np.random.default_rng(n)
    radii = 8.0 + 32.0 * np.sqrt(rng.random(n))
    disc = math.sqrt(float(((radii + 8.0) ** 2).sum())) * 1.3
    pts = rng.uniform(-0.7, 0.7, size=(n, 2)) * disc
    new = netview._separate(pts, radii)
    np.testing.assert_allclose(new, _separate_all_pairs(pts, radii), atol=1e-8)
    gaps = [math.dist(new[i], new[j]) - radii[i] - radii[j]
            for i in range(n) for j in range(i + 1, n)]
    if n <= 30:
        assert min(gaps) >= -1e-9
    else:
        assert min(gaps) > -1.0


def test_separate_coincident_nodes_as_all_pairs() -> None:
    # two nodes on one spot cannot be pushed apart (no direction); both versions leave them
    pts = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 0.0]])
    radii = np.array([10.0, 10.0, 10.0])
    new = netview._separate(pts, radii)
    np.testing.assert_allclose(new, _separate_all_pairs(pts, radii), atol=1e-9)
    assert new[0].tolist() == new[1].tolist()


def test_separate_on_a_page_sized_community() -> None:
    # 1,200 nodes in a disc as _local_layout makes it: the same positions as all pairs
    rng = np.random.default_rng(7)
    radii = 8.0 + 32.0 * np.sqrt(rng.random(1200))
    disc = math.sqrt(float(((radii + 8.0) ** 2).sum())) * 1.3
    pts = rng.uniform(-1.0, 1.0, size=(1200, 2)) * disc
    new = netview._separate(pts, radii, rounds=5)
    np.testing.assert_allclose(new, _separate_all_pairs(pts, radii, rounds=5), atol=1e-8)


def test_grid_spring_layout_keeps_linked_groups_together_and_apart() -> None:
    # two cliques of 150 (above SPRING_UP_TO: the grid variant) joined by one link: each
    # clique ends tighter than the distance between the two, the same for the same seed
    n = 150
    assert 2 * n > netview.SPRING_UP_TO
    g = nx.disjoint_union(nx.complete_graph(n), nx.complete_graph(n))
    g.add_edge(0, n)
    edges = np.array(list(g.edges()))
    pos = netview.grid_spring_layout(2 * n, edges, seed=3)
    assert np.isfinite(pos).all()
    a, b = pos[:n], pos[n:]
    spread = max(np.linalg.norm(a - a.mean(axis=0), axis=1).max(),
                 np.linalg.norm(b - b.mean(axis=0), axis=1).max())
    assert np.linalg.norm(a.mean(axis=0) - b.mean(axis=0)) > spread
    np.testing.assert_array_equal(pos, netview.grid_spring_layout(2 * n, edges, seed=3))
    # the page's layout of the same graph: two communities, no two nodes' discs overlapping
    view = netview.prepare(g, radius=dict.fromkeys(g, 10.0))
    assert len(set(view.community.values())) == 2
    xy = np.array([view.positions[v] for v in sorted(g)])
    first, _second = netview.overlapping_pairs(xy, np.full(len(xy), 10.0), gap=0.0)
    assert first.size == 0
