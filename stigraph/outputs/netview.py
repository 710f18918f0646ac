"""What a network page draws: the backbone, the top N, isolates apart, a community layout.

A network of a few hundred nodes and thousands of links drawn as it is is a hairball. Before
a graph becomes a page, :func:`prepare` decides what to draw and says what it left out:

- **Isolates** (nodes without a link) are not drawn; the page lists them beside the graph.
- **Top N**: above ``max_nodes`` linked nodes, only the ``max_nodes`` largest by the size
  measure (a centrality; else the degree) are drawn, the centre of an ego graph (and the
  nodes of the graph's ``always`` attribute) always; nodes
  left without a link by that cut are left out too, and the page gives both counts.
- **Backbone**: every link gets a rank, the lower of its ranks among the links of its two ends
  (1 = the most significant link of one of its ends). At level *k* the page draws the links of
  rank ≤ *k*: the top *k* links of every node, so no node loses all its links. Links of one
  node are ordered by their disparity-filter p-value (Serrano, Boguñá & Vespignani 2009, PNAS
  106(16):6483–6488: ``p = (1 − w/s)^(k−1)`` for a link of weight *w* at a node of strength
  *s* and degree *k*; smaller is more significant), then by weight, then by the size of the
  node at the other end, then by its id, so the order is total and repeatable. The page opens
  at the largest *k* whose links fit ``link_budget`` and has a slider for *k*.
- **Layout**: Louvain communities (seeded; igraph's Louvain on large graphs where igraph is
  installed) are laid out each on its own (spring layout inside a disc whose area grows with
  its size; above :data:`SPRING_UP_TO` nodes the grid variant, where only near nodes repel),
  nodes are pushed apart until their discs no longer overlap (pairs found on a neighbour grid),
  and the discs are packed without overlap around the spring layout of the graph of
  communities, so communities stay apart on the page.
- **Label order**: nodes ranked by size, so the page can label the ones that matter first.

Everything here is plain NetworkX and returns plain data; :mod:`stigraph.outputs.network`
turns it into the page.

>>> g = nx.Graph()
>>> g.add_weighted_edges_from([("a", "b", 5.0), ("a", "c", 1.0), ("a", "d", 1.0), ("b", "c", 1.0)])
>>> g.add_node("z")
>>> view = prepare(g, link_budget=3)
>>> sorted(view.graph), view.isolates
(['a', 'b', 'c', 'd'], ['z'])
>>> sorted((u, v, r) for (u, v), r in view.edge_rank.items())
[('a', 'b', 1), ('a', 'c', 1), ('a', 'd', 1), ('b', 'c', 2)]
>>> view.default_k, view.max_k
(1, 2)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from stigraph.analytics.communities import partition

__all__ = [
    "LINK_BUDGET",
    "MAX_LINKS",
    "MAX_NODES",
    "NetworkView",
    "communities",
    "community_layout",
    "disparity_pvalues",
    "edge_ranks",
    "overlapping_pairs",
    "prepare",
]

#: Most linked nodes a page draws (above it: the top N by size).
MAX_NODES = 1000
#: Most links a page opens with (the backbone level is chosen to fit); 0: 2.5 per drawn node,
#: at least 150 and at most 3,000.
LINK_BUDGET = 0
#: Most links a page carries at all (the slider's top level is cut to fit).
MAX_LINKS = 20000

Edge = tuple[Hashable, Hashable]


@dataclass
class NetworkView:
    """What to draw of a graph, and what was left out."""

    graph: nx.Graph
    isolates: list[Hashable]
    total_nodes: int
    total_edges: int
    cut_nodes: int = 0
    cut_edges: int = 0
    edge_rank: dict[Edge, int] = field(default_factory=dict)
    default_k: int = 1
    max_k: int = 1
    community: dict[Hashable, int] = field(default_factory=dict)
    positions: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    label_rank: dict[Hashable, int] = field(default_factory=dict)

    def drawn_edges(self, k: int | None = None) -> int:
        """How many links the page draws at backbone level ``k`` (default: where it opens)."""
        level = self.default_k if k is None else k
        return sum(1 for r in self.edge_rank.values() if r <= level)


def _key(u: Hashable, v: Hashable) -> Edge:
    return (u, v) if str(u) <= str(v) else (v, u)


def _weight(data: Mapping[str, object]) -> float:
    value = data.get("weight", 1.0)
    try:
        return float(value) if value is not None else 1.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0


def disparity_pvalues(graph: nx.Graph) -> dict[Edge, dict[Hashable, float]]:
    """Per link and per end, the disparity-filter p-value ``(1 − w/s)^(k−1)``.

    At an end of degree 1 the link is that node's only one; its p-value there is 0 (always
    significant), so a backbone never cuts a leaf off.

    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([("a", "b", 3.0), ("a", "c", 1.0)])
    >>> p = disparity_pvalues(g)
    >>> p[("a", "b")]["a"], p[("a", "c")]["a"], p[("a", "b")]["b"]
    (0.25, 0.75, 0.0)
    """
    strength = {n: sum(_weight(d) for _, _, d in graph.edges(n, data=True)) for n in graph}
    result: dict[Edge, dict[Hashable, float]] = {}
    for u, v, data in graph.edges(data=True):
        w = _weight(data)
        ends: dict[Hashable, float] = {}
        for node in (u, v):
            k = graph.degree(node)
            s = strength[node]
            ends[node] = 0.0 if k <= 1 or s <= 0 else max(0.0, 1.0 - w / s) ** (k - 1)
        result[_key(u, v)] = ends
    return result


def edge_ranks(graph: nx.Graph, size: Mapping[Hashable, float] | None = None) -> dict[Edge, int]:
    """Each link's backbone rank: the lower of its ranks among its two ends' links."""
    pvalues = disparity_pvalues(graph)
    size = size or {}
    best: dict[Edge, int] = {}
    for node in graph:
        links = []
        for _, other, data in graph.edges(node, data=True):
            key = _key(node, other)
            links.append((pvalues[key][node], -_weight(data), -float(size.get(other, 0.0)),
                          str(other), key))
        links.sort()
        for rank, link in enumerate(links, start=1):
            key = link[-1]
            best[key] = min(best.get(key, rank), rank)
    return best


def _sizes(graph: nx.Graph, size: Mapping[Hashable, float] | None) -> dict[Hashable, float]:
    if size:
        return {n: float(size.get(n, 0.0)) for n in graph}
    return {n: float(graph.degree(n)) for n in graph}


def _top_nodes(graph: nx.Graph, sizes: Mapping[Hashable, float], max_nodes: int,
               ego: Hashable | None) -> tuple[list[Hashable], int]:
    """The linked nodes to draw (the ``max_nodes`` largest, the ego always, none left without
    a link) and how many linked nodes that leaves out."""
    linked = [n for n in graph if graph.degree(n) > 0]
    if len(linked) <= max_nodes:
        return linked, 0
    always = set(graph.graph.get("always", ()))  # e.g. the other groups on a group's page
    order = sorted(linked, key=lambda n: (n != ego and n not in always, -sizes[n],
                                          -graph.degree(n), str(n)))
    keep = set(order[:max_nodes])
    sub = graph.subgraph(keep)
    keep = {n for n in keep if sub.degree(n) > 0}
    return [n for n in linked if n in keep], len(linked) - len(keep)


def _level_fitting(ranks: Mapping[Edge, int], top: int, budget: int) -> int:
    """The largest backbone level up to ``top`` whose links fit ``budget`` (at least 1)."""
    counts = Counter(ranks.values())
    level, total = 1, 0
    for k in range(1, top + 1):
        total += counts.get(k, 0)
        if total <= budget:
            level = k
        else:
            break
    return level


def prepare(
    graph: nx.Graph,
    size: Mapping[Hashable, float] | None = None,
    *,
    max_nodes: int = MAX_NODES,
    link_budget: int = LINK_BUDGET,
    max_links: int = MAX_LINKS,
    radius: Mapping[Hashable, float] | None = None,
    seed: int = 42,
) -> NetworkView:
    """Decide what a page draws of ``graph`` (see the module docstring)."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    isolates = sorted((n for n in undirected if undirected.degree(n) == 0), key=str)
    sizes = _sizes(undirected, size)
    linked, cut_nodes = _top_nodes(undirected, sizes, max_nodes, graph.graph.get("ego"))
    drawn = nx.Graph(undirected.subgraph(linked))
    drawn.graph.update(graph.graph)
    ranks = edge_ranks(drawn, sizes)
    max_k = _level_fitting(ranks, max(ranks.values(), default=1), max_links)
    carried = {e: r for e, r in ranks.items() if r <= max_k}
    cut_edges = undirected.number_of_edges() - len(carried)
    drawn.remove_edges_from([e for e in ranks if e not in carried])
    budget = link_budget if link_budget > 0 else min(max(150, int(2.5 * len(drawn))), 3000)
    default_k = _level_fitting(carried, max_k, budget)
    community = communities(drawn, seed)
    positions = community_layout(drawn, community, radius=radius, seed=seed)
    order = sorted(drawn, key=lambda n: (-sizes[n], -drawn.degree(n), str(n)))
    return NetworkView(
        graph=drawn, isolates=isolates, total_nodes=undirected.number_of_nodes(),
        total_edges=undirected.number_of_edges(), cut_nodes=cut_nodes, cut_edges=cut_edges,
        edge_rank=carried, default_k=default_k, max_k=max_k, community=community,
        positions=positions, label_rank={n: i for i, n in enumerate(order, start=1)},
    )


def communities(graph: nx.Graph, seed: int) -> dict[Hashable, int]:
    """Louvain communities (seeded), numbered from 0, largest first.

    Through :func:`stigraph.analytics.communities.partition`: NetworkX's Louvain on small
    graphs, igraph's (``community_multilevel``) on large ones where igraph is installed.
    """
    if graph.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(graph, key=str))}
    parts, _modularity = partition(graph, weight="weight", seed=seed)
    return {node: number for number, part in enumerate(parts) for node in part}


#: Gap (screen units) the overlap removal leaves between two nodes' discs.
GAP = 4.0


def overlapping_pairs(points: np.ndarray, radii: np.ndarray,
                      gap: float = GAP) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(i, j)`` (each pair once) of discs closer than ``r_i + r_j + gap``,
    centre to centre; coincident points included.

    A neighbour grid: with square cells as wide as the largest such distance, ``2 max(r) +
    gap``, two discs that are too close lie in one cell or in two adjacent ones, so only
    those pairs are measured, not all ``n²``.

    >>> pts = np.array([[0.0, 0.0], [10.0, 0.0], [100.0, 0.0]])
    >>> i, j = overlapping_pairs(pts, np.array([5.0, 5.0, 5.0]))
    >>> sorted(tuple(sorted(p)) for p in zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    n = len(points)
    empty = np.zeros(0, dtype=np.intp)
    if n < 2:
        return empty, empty
    width = 2.0 * float(radii.max()) + gap
    if width <= 0:
        return empty, empty
    cell = np.floor((points - points.min(axis=0)) / width).astype(np.int64)
    rows = int(cell[:, 1].max()) + 3  # a key per cell, with room for the row above and below
    key = (cell[:, 0] + 1) * rows + cell[:, 1] + 1
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    firsts, seconds = [], []
    # the cell itself (later points only) and four of its eight neighbours: each pair once
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
        target = ordered + dx * rows + dy
        low = np.searchsorted(ordered, target, side="left")
        high = np.searchsorted(ordered, target, side="right")
        if dx == 0 and dy == 0:
            low = np.arange(1, n + 1)
        count = np.maximum(high - low, 0)
        total = int(count.sum())
        if total == 0:
            continue
        at = np.repeat(np.arange(n), count)
        offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        firsts.append(order[at])
        seconds.append(order[low[at] + offset])
    if not firsts:
        return empty, empty
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    delta = points[first] - points[second]
    keep = np.hypot(delta[:, 0], delta[:, 1]) < radii[first] + radii[second] + gap
    return first[keep], second[keep]


def _separate(points: np.ndarray, radii: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Push apart discs that overlap: a few rounds of pairwise half-deficit moves.

    Each round, every pair of discs closer than ``r_i + r_j + GAP`` moves apart along the line
    between their centres, each end by a quarter of the shortfall; the moves of a round are
    summed and applied together, and the rounds stop when no pair overlaps (or after
    ``rounds``). The pairs come from :func:`overlapping_pairs`, so a round costs what the close
    pairs cost, not all ``n²`` pairs; the moves are those of the all-pairs version.
    """
    n = len(points)
    if n < 2:
        return points
    pts = points.astype(float, copy=True)
    for _ in range(rounds):
        first, second = overlapping_pairs(pts, radii)
        if first.size == 0:
            break
        delta = pts[first] - pts[second]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        short = radii[first] + radii[second] + GAP - dist
        step = delta / np.maximum(dist, 1e-6)[:, None] * (short / 4.0)[:, None]
        pts += _sum_at(first, step, n) - _sum_at(second, step, n)
    return pts


#: Communities up to this many nodes are laid out by NetworkX's spring layout (all pairs of
#: nodes repel); larger ones by :func:`grid_spring_layout` (only near pairs repel).
SPRING_UP_TO = 100


def grid_spring_layout(n: int, edges: np.ndarray, *, seed: int,
                       iterations: int = 50) -> np.ndarray:
    """Fruchterman–Reingold positions of ``n`` nodes in the unit square, repulsion only within
    ``2k`` (the "grid variant" of Fruchterman & Reingold 1991, Software: Practice and
    Experience 21(11):1129–1164, section 4.2).

    ``edges`` is an ``(m, 2)`` array of node indices. As in NetworkX's ``spring_layout``: ``k
    = √(1/n)``, nodes at distance ``d`` repel by ``k²/d`` and linked nodes attract by
    ``d²/k``, each step is at most the temperature, which starts at a tenth of the square and
    falls linearly to zero. Far pairs (``d ≥ 2k``) do not repel, so a step costs the near pairs
    (found by :func:`overlapping_pairs`), not all ``n²``: the layout of a 2,500-node community
    takes a second, not a minute.

    >>> pos = grid_spring_layout(3, np.array([[0, 1], [1, 2]]), seed=1)
    >>> pos.shape, bool(np.isfinite(pos).all())
    ((3, 2), True)
    """
    rng = np.random.RandomState(seed)
    pos = rng.rand(n, 2)
    if n < 2:
        return pos
    k = math.sqrt(1.0 / n)
    reach = np.full(n, k)
    u, v = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    t = 0.1
    cool = t / (iterations + 1)
    for _ in range(iterations):
        first, second = overlapping_pairs(pos, reach, gap=0.0)
        delta = pos[first] - pos[second]
        push = delta * (k * k / np.maximum((delta ** 2).sum(axis=1), 1e-4))[:, None]
        delta = pos[u] - pos[v]
        pull = delta * (np.sqrt((delta ** 2).sum(axis=1)) / k)[:, None]
        move = (_sum_at(first, push, n) - _sum_at(second, push, n)
                - _sum_at(u, pull, n) + _sum_at(v, pull, n))
        length = np.maximum(np.sqrt((move ** 2).sum(axis=1)), 0.01)
        pos += move * (t / length)[:, None]
        t -= cool
    return pos


def _sum_at(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Row ``i`` of the result: the sum of the rows of ``values`` whose ``index`` is ``i``."""
    return np.stack([np.bincount(index, weights=values[:, 0], minlength=n),
                     np.bincount(index, weights=values[:, 1], minlength=n)], axis=1)


def _spring(graph: nx.Graph, nodes: list[Hashable], seed: int) -> np.ndarray:
    """Positions of ``nodes`` (a community of ``graph``) in their order, spring-laid out."""
    if len(nodes) <= SPRING_UP_TO:
        inner = nx.spring_layout(graph.subgraph(nodes), seed=seed, weight=None, iterations=50)
        return np.array([inner[n] for n in nodes], dtype=float)
    index = {n: i for i, n in enumerate(nodes)}
    edges = np.array([(index[a], index[b]) for a, b in graph.subgraph(nodes).edges()
                      if a != b], dtype=np.intp).reshape(-1, 2)
    return grid_spring_layout(len(nodes), edges, seed=seed)


def _local_layout(graph: nx.Graph, nodes: list[Hashable], radius: Mapping[Hashable, float],
                  seed: int) -> tuple[dict[Hashable, tuple[float, float]], float]:
    """One community laid out around (0, 0) without overlapping nodes; and its radius."""
    r = np.array([float(radius.get(n, 10.0)) for n in nodes])
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}, float(r[0])
    disc = math.sqrt(float(((r + 8.0) ** 2).sum())) * 1.3
    pts = _spring(graph, nodes, seed)
    pts -= pts.mean(axis=0)
    span = max(float(np.sqrt((pts ** 2).sum(axis=1)).max()), 1e-9)
    pts = pts / span * disc
    pts = _separate(pts, r)
    extent = float((np.sqrt((pts ** 2).sum(axis=1)) + r).max())
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, pts, strict=True)}, extent


def community_layout(graph: nx.Graph, community: Mapping[Hashable, int], *,
                     radius: Mapping[Hashable, float] | None = None,
                     seed: int = 42) -> dict[Hashable, tuple[float, float]]:
    """Positions (screen units): each community in its own disc, discs and nodes apart.

    ``radius`` is each node's drawn radius (default 10): nodes inside a community are pushed
    apart until their discs no longer overlap, and the communities' discs are packed without
    overlap near where the spring layout of the graph of communities puts them.
    """
    radius = radius or {}
    members: dict[int, list[Hashable]] = defaultdict(list)
    for node in sorted(graph, key=str):
        members[community[node]].append(node)
    if not members:
        return {}
    local: dict[int, dict[Hashable, tuple[float, float]]] = {}
    radii: dict[int, float] = {}
    for c, nodes in members.items():
        local[c], radii[c] = _local_layout(graph, nodes, radius, seed)
    # where communities would like to be: the spring layout of the graph of communities
    between = nx.Graph()
    between.add_nodes_from(members)
    for u, v, data in graph.edges(data=True):
        cu, cv = community[u], community[v]
        if cu != cv:
            w = between.get_edge_data(cu, cv, {"weight": 0.0})["weight"] + _weight(data)
            between.add_edge(cu, cv, weight=w)
    spread = math.sqrt(sum(r * r for r in radii.values())) * 1.2
    wanted = (nx.spring_layout(between, seed=seed, weight="weight") if len(members) > 1
              else {next(iter(members)): (0.0, 0.0)})
    placed: list[tuple[float, float, float]] = []
    positions: dict[Hashable, tuple[float, float]] = {}
    for c in sorted(members, key=lambda c: (-len(members[c]), c)):
        x0, y0 = float(wanted[c][0]) * spread, float(wanted[c][1]) * spread
        r = radii[c]
        step = 0
        x, y = x0, y0
        while any(math.hypot(x - px, y - py) < r + pr + 30.0 for px, py, pr in placed):
            step += 1
            x = x0 + 8.0 * step * math.cos(step * 0.4)
            y = y0 + 8.0 * step * math.sin(step * 0.4)
        placed.append((x, y, r))
        for node, (px, py) in local[c].items():
            positions[node] = (x + px, y + py)
    return positions
