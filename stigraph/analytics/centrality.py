"""Centrality of nodes in a weighted cooperation graph.

Edge ``weight`` is a strength (more shared memberships = closer). Path-based measures
(betweenness, closeness) use the distance ``1 / weight``; degree counts neighbours and
strength sums weights; eigenvector centrality and PageRank use the weights as they are.

Eigenvector centrality on a disconnected graph: NetworkX's numpy variant raises
``AmbiguousSolution`` there. We return the Perron vector of the whole adjacency matrix: the
leading eigenvector of the component with the largest leading eigenvalue (when two components
tie, the larger one, then the one whose smallest node id sorts first), and 0 on every other
component and on isolated nodes. On a connected graph this is NetworkX's
``eigenvector_centrality_numpy`` (unit Euclidean norm).

Large graphs: ``k=`` samples ``k`` source nodes (pivots) for betweenness (Brandes & Pich 2007)
and closeness (Eppstein & Wang 2004); components no larger than ``k`` stay exact. With the
optional ``igraph`` package installed (``pip install 'stigraph[fast]'``) the shortest-path work
runs in C; without it, in NetworkX.

>>> G = nx.Graph()
>>> G.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 2.0), ("c", "d", 1.0), ("x", "y", 1.0)])
>>> rows = {r["node"]: r for r in centrality(G)}
>>> rows["b"]["degree"], rows["b"]["strength"], rows["x"]["eigenvector"]
(2, 3.0, 0.0)
>>> rows["b"]["betweenness"]  # b is on the a-c and a-d paths: 2 of the 10 pairs of other nodes
0.2
"""

from __future__ import annotations

import math
import random
import warnings
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import networkx as nx

from stigraph.errors import ParameterError

__all__ = ["MEASURES", "betweenness", "centrality", "closeness", "eigenvector", "measure_rows",
           "pagerank", "rank", "strength"]

MEASURES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank")


def _igraph_module() -> Any:
    """The optional ``igraph`` package, imported on first use (it pulls in matplotlib and
    costs about a second at start-up), or ``None`` without the ``fast`` extra."""
    try:
        import igraph  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - exercised when the extra is absent
        return None
    return igraph


def _distance(weight: str) -> Callable[[Any, Any, dict[str, Any]], float]:
    def dist(u: Any, v: Any, data: dict[str, Any]) -> float:
        return 1.0 / float(data.get(weight, 1.0))
    return dist


def strength(G: nx.Graph, *, weight: str = "weight") -> dict[Any, float]:
    """Sum of edge weights at each node.

    >>> strength(nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 0.5})]))
    {'a': 2.0, 'b': 2.5, 'c': 0.5}
    """
    return {n: float(s) for n, s in G.degree(weight=weight)}


def _pivots(nodes: Sequence[Any], k: int, seed: int) -> list[Any]:
    ordered = sorted(nodes, key=str)
    return random.Random(seed).sample(ordered, min(k, len(ordered)))


#: With ``engine="auto"``, igraph only when nodes × edges reach this: below it NetworkX answers
#: in a fraction of a second, and importing igraph (which imports matplotlib) costs ~0.5 s.
IGRAPH_MIN_WORK = 200_000
#: PageRank by dense power iteration (numpy) below this many nodes, NetworkX's scipy variant
#: above (importing scipy costs ~0.5 s).
DENSE_MAX_NODES = 2000


def _use_igraph(engine: str, G: nx.Graph) -> bool:
    if engine == "igraph":
        if _igraph_module() is None:
            raise ParameterError("engine 'igraph' needs the optional 'fast' extra: "
                                 "pip install 'stigraph[fast]'")
        return True
    if engine not in ("auto", "networkx"):
        raise ParameterError(f"unknown engine {engine!r}; use auto, networkx or igraph")
    work = G.number_of_nodes() * G.number_of_edges()
    return engine == "auto" and work >= IGRAPH_MIN_WORK and _igraph_module() is not None


class _IgraphView:
    """``G`` as an igraph graph with its node order, weights and distances (1 / weight)."""

    def __init__(self, G: nx.Graph, weight: str) -> None:
        # nodes and edges in a canonical order, so that the same graph built in another order
        # (rdflib's and Oxigraph's stores return rows differently) gives bit-identical results
        self.nodes = sorted(G, key=str)
        index = {n: i for i, n in enumerate(self.nodes)}
        rows = sorted((min(index[u], index[v]), max(index[u], index[v]),
                       float(d.get(weight, 1.0))) for u, v, d in G.edges(data=True))
        edges = [(u, v) for u, v, _w in rows]
        self.weights = [w for _u, _v, w in rows]
        self.dist = [1.0 / w for w in self.weights]
        self.graph = _igraph_module().Graph(n=len(self.nodes), edges=edges)
        self.key = (G.number_of_nodes(), G.number_of_edges(), weight)


# One conversion per graph and weight, reused by every measure and the communities: on the
# Horizon Europe organisation network converting takes longer than PageRank itself. A graph
# changed since (other node or edge count) is converted again.
_IGRAPH_VIEWS: weakref.WeakKeyDictionary[nx.Graph, _IgraphView] = weakref.WeakKeyDictionary()


def igraph_view(G: nx.Graph, weight: str = "weight") -> _IgraphView:
    """The igraph form of ``G`` (cached per graph; needs the ``analytics`` extra)."""
    view = _IGRAPH_VIEWS.get(G)
    if view is None or view.key != (G.number_of_nodes(), G.number_of_edges(), weight):
        view = _IGRAPH_VIEWS[G] = _IgraphView(G, weight)
    return view


def _to_igraph(G: nx.Graph, weight: str) -> tuple[Any, list[Any], list[float]]:
    view = igraph_view(G, weight)
    return view.graph, view.nodes, view.dist


def betweenness(G: nx.Graph, *, weight: str = "weight", k: int | None = None, seed: int = 0,
                engine: str = "auto") -> dict[Any, float]:
    """Normalised shortest-path betweenness on distances ``1 / weight`` (Brandes 2001).

    With ``k`` the sum runs over ``k`` sampled sources and is scaled by ``n / k`` (Brandes &
    Pich 2007), exactly as ``networkx.betweenness_centrality(k=…)`` does.

    >>> G = nx.path_graph(["a", "b", "c"])
    >>> betweenness(G, engine="networkx")
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    n = G.number_of_nodes()
    if k is not None and k >= n:
        k = None
    if not _use_igraph(engine, G):
        sources = None if k is None else _pivots(list(G), k, seed)
        if sources is None:
            raw = nx.betweenness_centrality(G, normalized=True, weight=_distance(weight))
        else:
            raw = nx.betweenness_centrality_subset(G, sources, list(G), normalized=False,
                                                   weight=_distance(weight))
            scale = 2.0 * n / len(sources) / ((n - 1) * (n - 2)) if n > 2 else 0.0
            raw = {v: b * scale for v, b in raw.items()}
        return {v: float(b) for v, b in raw.items()}
    ig, nodes, dist = _to_igraph(G, weight)
    if k is None:
        values = ig.betweenness(directed=False, weights=dist)
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    else:
        index = {v: i for i, v in enumerate(nodes)}
        sources = [index[v] for v in _pivots(nodes, k, seed)]
        values = ig.betweenness(directed=False, weights=dist, sources=sources)
        scale = 2.0 * n / len(sources) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {v: float(b) * scale for v, b in zip(nodes, values, strict=True)}


def closeness(G: nx.Graph, *, weight: str = "weight", k: int | None = None, seed: int = 0,
              engine: str = "auto") -> dict[Any, float]:
    """Closeness on distances ``1 / weight``, scaled for disconnected graphs (Wasserman–Faust).

    ``C(v) = (r - 1) / (n - 1) * (r - 1) / sum of distances from v`` where ``r`` is the size of
    v's component, as ``networkx.closeness_centrality(wf_improved=True)``. With ``k``, the sum of
    distances of a node in a component larger than ``k`` is estimated from ``k`` sampled pivots of
    that component (Eppstein & Wang 2004); smaller components stay exact.

    >>> closeness(nx.path_graph(["a", "b", "c"]), engine="networkx")
    {'a': 0.6666666666666666, 'b': 1.0, 'c': 0.6666666666666666}
    """
    n = G.number_of_nodes()
    result = dict.fromkeys(G, 0.0)
    if n <= 1:
        return result
    distances = _distance_sums(G, weight, engine)
    for comp in sorted((sorted(c, key=str) for c in nx.connected_components(G)),
                       key=lambda c: str(c[0])):
        r = len(comp)
        if r == 1:
            continue
        sampled = k is not None and r > k
        sources = _pivots(comp, k, seed) if (sampled and k is not None) else comp
        totals, counts = distances(sources, comp)
        for v in comp:
            own = 1 if v in sources else 0  # a pivot's distance to itself is a 0 in the sum
            m = counts[v] - own
            if m <= 0 or totals[v] <= 0:
                continue
            total = totals[v] * (r - 1) / m if sampled else totals[v]
            result[v] = float((r - 1) / total * (r - 1) / (n - 1))
    return result


DistanceSums = Callable[[list[Any], list[Any]],
                        tuple[dict[Any, float], dict[Any, int]]]


def _distance_sums(G: nx.Graph, weight: str, engine: str) -> DistanceSums:
    """A function (sources, component) -> (sum of distances from the sources to each node of
    the component, how many sources reached it), in igraph or in NetworkX."""
    if _use_igraph(engine, G):
        ig, nodes, dist = _to_igraph(G, weight)
        index = {v: i for i, v in enumerate(nodes)}

        def igraph_sums(sources: list[Any], comp: list[Any]
                        ) -> tuple[dict[Any, float], dict[Any, int]]:
            totals, counts = dict.fromkeys(comp, 0.0), dict.fromkeys(comp, 0)
            rows = ig.distances(source=[index[s] for s in sources],
                                target=[index[v] for v in comp], weights=dist)
            for row in rows:
                for v, d in zip(comp, row, strict=True):
                    totals[v] += d
                    counts[v] += 1
            return totals, counts
        return igraph_sums

    def networkx_sums(sources: list[Any], comp: list[Any]
                      ) -> tuple[dict[Any, float], dict[Any, int]]:
        totals, counts = dict.fromkeys(comp, 0.0), dict.fromkeys(comp, 0)
        for s in sources:
            for v, d in nx.single_source_dijkstra_path_length(G, s,
                                                              weight=_distance(weight)).items():
                totals[v] += d
                counts[v] += 1
        return totals, counts
    return networkx_sums


def _leading_eigen(H: nx.Graph, nodes: list[Any], weight: str) -> tuple[float, list[float]]:
    """Leading eigenvalue and unit eigenvector (non-negative) of a connected graph."""
    vec: list[float]
    try:
        import numpy as np
        if len(nodes) <= 400:
            values, vectors = np.linalg.eigh(nx.to_numpy_array(H, nodelist=nodes, weight=weight))
            lam, vec = float(values[-1]), [float(x) for x in vectors[:, -1]]
        else:
            import scipy.sparse.linalg as sla  # type: ignore[import-untyped]
            a_sparse = nx.to_scipy_sparse_array(H, nodelist=nodes, weight=weight, dtype=float)
            values, vectors = sla.eigsh(a_sparse, k=1, which="LA", tol=1e-10)
            lam, vec = float(values[0]), [float(x) for x in vectors[:, 0]]
    except ImportError:  # pragma: no cover - pure Python power iteration
        cent = nx.eigenvector_centrality(H, max_iter=10000, tol=1e-10, weight=weight)
        vec = [float(cent[v]) for v in nodes]
        lam = sum(2 * float(d.get(weight, 1.0)) * cent[u] * cent[v]
                  for u, v, d in H.edges(data=True))
    values_list = vec
    if sum(values_list) < 0:
        values_list = [-x for x in values_list]
    norm = math.sqrt(sum(x * x for x in values_list)) or 1.0
    return lam, [max(x, 0.0) / norm for x in values_list]


def eigenvector(G: nx.Graph, *, weight: str = "weight", engine: str = "auto"
                ) -> dict[Any, float]:
    """Eigenvector centrality that copes with disconnected graphs (see the module notes).

    With igraph (``engine`` auto on large graphs, or ``igraph``) the components and the
    leading eigenvector (ARPACK) are computed in C; the result is the same vector.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> {v: round(c, 4) for v, c in eigenvector(G).items()}
    {'a': 0.5, 'b': 0.7071, 'c': 0.5, 'x': 0.0, 'y': 0.0}
    """
    if _use_igraph(engine, G) and G.number_of_edges():
        return _eigenvector_igraph(G, weight)
    result = dict.fromkeys(G, 0.0)
    strengths = strength(G, weight=weight)
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G) if len(c) > 1),
                   key=lambda c: (-len(c), str(c[0])))
    best: tuple[float, list[Any], list[float]] | None = None
    for comp in comps:
        # the leading eigenvalue of a non-negative matrix is at most its largest row sum
        if best is not None and max(strengths[v] for v in comp) <= best[0] * (1 + 1e-9):
            continue
        lam, vec = _leading_eigen(G.subgraph(comp), comp, weight)
        if best is None or lam > best[0] * (1 + 1e-9):
            best = (lam, comp, vec)
    if best is not None:
        for v, x in zip(best[1], best[2], strict=True):
            result[v] = float(x)
    return result


def _arpack_leading(sub: Any) -> tuple[list[float], float]:
    """Leading eigenvector and eigenvalue by igraph (ARPACK). ARPACK starts from a random
    vector drawn from igraph's generator (Python's random by default): a fixed one makes the
    result the same on every run and store."""
    igraph = _igraph_module()
    igraph.set_random_number_generator(random.Random(0))
    try:
        vec, lam = sub.eigenvector_centrality(scale=False, weights="weight",
                                              return_eigenvalue=True)
    finally:
        igraph.set_random_number_generator(random)
    return list(vec), float(lam)


Leading = tuple[float, list[int], list[float]]


def _eigenvector_igraph(G: nx.Graph, weight: str) -> dict[Any, float]:
    view = igraph_view(G, weight)
    ig = view.graph
    ig.es["weight"] = view.weights
    strengths = ig.strength(weights="weight")
    clusters = ig.connected_components()
    comps = sorted((c for c in clusters if len(c) > 1),
                   key=lambda c: (-len(c), str(min((view.nodes[i] for i in c), key=str))))
    best = _whole_graph_leading(ig, comps, clusters.membership, strengths)
    if best is None and comps:
        best = _per_component_leading(ig, comps, strengths)
    result = dict.fromkeys(G, 0.0)
    if best is not None:
        result.update(_unit_vector(view.nodes, best[1], best[2]))
    return result


def _whole_graph_leading(ig: Any, comps: list[list[int]], membership: list[int],
                         strengths: list[float]) -> Leading | None:
    """The leading eigenvector from one ARPACK run on the whole graph, when it lies on one
    component (no copy of the giant component needed); None when it does not (two components
    with the same leading eigenvalue, or an earlier one that might tie): then per component.
    """
    if not comps:
        return None
    with warnings.catch_warnings():
        # igraph warns that a disconnected graph has near-zero values: the point here
        warnings.filterwarnings("ignore", message="Some eigenvector centralities are nearly zero",
                                category=RuntimeWarning)
        vec, lam = _arpack_leading(ig)
    top = max(range(len(vec)), key=lambda i: abs(vec[i]))
    support = membership[top]
    total = sum(x * x for x in vec)
    outside = sum(x * x for i, x in enumerate(vec) if membership[i] != support)
    if total <= 0 or outside > 1e-12 * total:
        return None
    for comp in comps:
        if membership[comp[0]] == support:
            return float(lam), comp, [vec[i] for i in comp]
        if max(strengths[i] for i in comp) >= lam * (1 - 1e-9):
            return None  # an earlier component might have the same eigenvalue
    return None


def _per_component_leading(ig: Any, comps: list[list[int]], strengths: list[float]
                           ) -> Leading | None:
    best: Leading | None = None
    for comp in comps:
        if best is not None and max(strengths[i] for i in comp) <= best[0] * (1 + 1e-9):
            continue
        sub = ig if len(comp) == ig.vcount() else ig.induced_subgraph(
            comp, implementation="create_from_scratch")
        vec, lam = _arpack_leading(sub)
        if best is None or lam > best[0] * (1 + 1e-9):
            best = (float(lam), comp, vec)
    return best


def _unit_vector(nodes: list[Any], comp: list[int], vec: list[float]) -> dict[Any, float]:
    values = [abs(float(x)) for x in vec]
    norm = math.sqrt(sum(x * x for x in values)) or 1.0
    return {nodes[i]: x / norm for i, x in zip(comp, values, strict=True)}


def pagerank(G: nx.Graph, *, weight: str = "weight", alpha: float = 0.85,
             engine: str = "auto") -> dict[Any, float]:
    """Weighted PageRank (Brin & Page 1998), damping ``alpha``; sums to 1.

    With igraph (``engine`` auto on large graphs, or ``igraph``): PRPACK, an exact solver,
    with the same uniform jump from dangling nodes as NetworkX.

    >>> {v: round(p, 4) for v, p in pagerank(nx.star_graph(2)).items()}
    {0: 0.4865, 1: 0.2568, 2: 0.2568}
    """
    if G.number_of_nodes() == 0:
        return {}
    if _use_igraph(engine, G):
        view = igraph_view(G, weight)
        ranks = view.graph.pagerank(directed=False, damping=alpha, weights=view.weights,
                                    implementation="prpack")
        return {v: float(p) for v, p in zip(view.nodes, ranks, strict=True)}
    if G.number_of_nodes() < DENSE_MAX_NODES:
        values = _pagerank_dense(G, alpha=alpha, weight=weight)
    else:
        try:
            values = nx.pagerank(G, alpha=alpha, weight=weight, tol=1e-10, max_iter=1000)
        except (ImportError, ModuleNotFoundError):  # pragma: no cover - no scipy
            values = _pagerank_python(G, alpha=alpha, weight=weight)
    return {v: float(p) for v, p in values.items()}


def _pagerank_dense(G: nx.Graph, *, alpha: float, weight: str) -> dict[Any, float]:
    """Power iteration on the dense transition matrix, as ``networkx.pagerank`` (dangling
    nodes jump uniformly); falls back to pure Python without numpy."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with the analytics extra
        return _pagerank_python(G, alpha=alpha, weight=weight)
    nodes = list(G)
    n = len(nodes)
    a = nx.to_numpy_array(G, nodelist=nodes, weight=weight, dtype=float)
    out = a.sum(axis=1)
    dangling = out == 0
    p = np.divide(a, out[:, None], out=np.zeros_like(a), where=~dangling[:, None])
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        new = alpha * (x @ p) + (alpha * x[dangling].sum() + 1.0 - alpha) / n
        if np.abs(new - x).sum() < n * 1e-12:
            x = new
            break
        x = new
    return {v: float(val) for v, val in zip(nodes, x, strict=True)}


def _pagerank_python(G: nx.Graph, *, alpha: float, weight: str) -> dict[Any, float]:
    n = G.number_of_nodes()
    s = strength(G, weight=weight)
    x = dict.fromkeys(G, 1.0 / n)
    for _ in range(1000):
        dangling = alpha * sum(x[v] for v in G if s[v] == 0) / n
        new = dict.fromkeys(G, (1.0 - alpha) / n + dangling)
        for u in G:
            if s[u] == 0:
                continue
            for v, d in G[u].items():
                new[v] += alpha * x[u] * float(d.get(weight, 1.0)) / s[u]
        if sum(abs(new[v] - x[v]) for v in G) < n * 1e-12:
            return new
        x = new
    return x


def centrality(G: nx.Graph, *, measures: Iterable[str] = MEASURES, weight: str = "weight",
               k: int | None = None, seed: int = 0, engine: str = "auto") -> list[dict[str, Any]]:
    """All centrality measures of every node as records, sorted by PageRank then node id.

    Each record: ``node`` plus the node attributes ``label``, ``kind``, ``code`` (when present)
    and one float per measure (``degree`` is an int, the number of neighbours).
    """
    wanted = list(measures)
    unknown = sorted(set(wanted) - set(MEASURES))
    if unknown:
        raise ParameterError(f"unknown measure {', '.join(unknown)}; use {', '.join(MEASURES)}")
    values: dict[str, dict[Any, Any]] = {}
    for m in wanted:
        if m == "degree":
            values[m] = dict(G.degree())
        elif m == "strength":
            values[m] = strength(G, weight=weight)
        elif m == "betweenness":
            values[m] = betweenness(G, weight=weight, k=k, seed=seed, engine=engine)
        elif m == "closeness":
            values[m] = closeness(G, weight=weight, k=k, seed=seed, engine=engine)
        elif m == "eigenvector":
            values[m] = eigenvector(G, weight=weight, engine=engine)
        else:
            values[m] = pagerank(G, weight=weight, engine=engine)
    rows = measure_rows(G, wanted, lambda m, v: values[m][v])
    key = wanted[-1] if "pagerank" not in wanted else "pagerank"
    return rank(rows, by=key)


def measure_rows(G: nx.Graph, measures: Sequence[str],
                 value: Callable[[str, Any], float]) -> list[dict[str, Any]]:
    """One record per node: its code, label and kind where known, and ``value(measure, node)``
    of each measure (degree as a whole number), in the graph's node order."""
    rows = []
    for v, attrs in G.nodes(data=True):
        row: dict[str, Any] = {"node": v}
        for key in ("code", "label", "kind"):
            if key in attrs:
                row[key] = attrs[key]
        for m in measures:
            row[m] = round(value(m, v)) if m == "degree" else float(value(m, v))
        rows.append(row)
    return rows


def rank(rows: list[dict[str, Any]], *, by: str = "pagerank",
         within: Iterable[Any] | None = None) -> list[dict[str, Any]]:
    """Sort records by ``by`` (descending, ties by node id) and number them.

    Adds ``rank`` (1 = highest; ties share the smallest rank). With ``within`` (node ids, e.g. the
    LDCs) keeps only those records, adds ``group_rank`` and keeps the overall ``rank``.
    """
    if rows and by not in rows[0]:
        raise ParameterError(f"cannot rank by {by!r}; use one of the measures computed")
    ordered = sorted(rows, key=lambda r: (-float(r[by]), str(r["node"])))
    ranked = _number(ordered, by, "rank")
    if within is None:
        return ranked
    keep = set(within)
    return _number([r for r in ranked if r["node"] in keep], by, "group_rank")


def _number(rows: list[dict[str, Any]], by: str, column: str) -> list[dict[str, Any]]:
    out = []
    previous: float | None = None
    current = 0
    for i, row in enumerate(rows, start=1):
        value = float(row[by])
        if previous is None or value != previous:
            current, previous = i, value
        out.append({**row, column: current})
    return out
