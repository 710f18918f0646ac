"""Benchmark: the centrality suite and communities on the Horizon Europe organisation network
and on the country network from every evidence layer, against igraph on the same graphs, in one
run.

Both networks are the ones the commands analyse: the graph is built from the seeds and the
importers' output (``--include``), and :class:`stigraph.projection.inputs.AnalysisInputs` gives
the organisation network (``actor_actor``: organisations linked by the CORDIS projects they
share, fractional counting by default, plus the curated relations) and the country network
(``country_country``: every evidence layer, each divided by its strongest pair, summed).

    .venv/bin/stigraph import cordis ../shared/data/cordis_horizon_europe --out he.nt
    .venv/bin/stigraph import openalex data/openalex_country_coauthorship --out openalex.nt
    .venv/bin/stigraph import gcf data/gcf --out gcf.nt
    .venv/bin/python benchmarks/bench_analytics.py --include he.nt --include openalex.nt \
        --include gcf.nt

Each of stigraph's PageRank, eigenvector, sampled betweenness, Louvain and Leiden is timed
next to the igraph (leidenalg) call it stands for on the same graph, already converted (the
one conversion stigraph makes per graph is reported on its own, ``igraph_conversion_s``);
``ratio_*`` = stigraph / igraph. ``--networkx`` also times the pure NetworkX fallbacks,
``--sampling-error`` measures sampled betweenness/closeness against exact values on a
subsample.

Not a test: timings depend on the machine. Sources: CORDIS (European Commission, CC BY 4.0),
OpenAlex (CC0), Green Climate Fund open data.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from pathlib import Path
from typing import Any

import networkx as nx

from stigraph.analytics.centrality import (
    _pivots,
    betweenness,
    closeness,
    eigenvector,
    igraph_view,
    pagerank,
)
from stigraph.analytics.communities import communities


def networks(includes: list[Path], counting: str | None
             ) -> tuple[nx.Graph, nx.Graph, dict[str, Any]]:
    """The organisation and country networks of the graph built with ``includes``, as the
    commands read them (:class:`~stigraph.projection.inputs.AnalysisInputs`)."""
    from stigraph.build.builder import build_graph
    from stigraph.projection.inputs import AnalysisInputs

    info: dict[str, Any] = {}
    (graph, info["graph_build_s"]) = timed(
        lambda: build_graph(store="oxigraph", include=includes).graph)
    info["triples"] = len(graph)
    inputs = AnalysisInputs(graph, counting=counting)
    (orgs, info["organisation_network_s"]) = timed(lambda: inputs.actor_actor)
    (countries, info["country_network_s"]) = timed(lambda: inputs.country_country)
    info["organisation_nodes"] = orgs.number_of_nodes()
    info["organisation_edges"] = orgs.number_of_edges()
    info["organisation_counting"] = orgs.graph.get("counting")
    info["organisation_evidence"] = orgs.graph.get("evidence")
    info.update({k: v for k, v in orgs.graph.items() if k.startswith("consortia_")})
    info["country_nodes"] = countries.number_of_nodes()
    info["country_edges"] = countries.number_of_edges()
    info["country_evidence"] = countries.graph.get("evidence")
    layers = inputs.evidence_layers or {}
    for name, layer in layers.items():
        info[f"country_layer_{name}_pairs"] = len(layer.pairs)
    info["networks_peak_mib"] = peak_mib()
    return orgs, countries, info


def timed(fn: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - t, 4)


def spearman(a: dict[Any, float], b: dict[Any, float]) -> float:
    nodes = sorted(a)
    def ranks(d: dict[Any, float]) -> dict[Any, float]:
        order = sorted(nodes, key=lambda v: d[v])
        r: dict[Any, float] = {}
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and d[order[j + 1]] == d[order[i]]:
                j += 1
            for m in range(i, j + 1):
                r[order[m]] = (i + j) / 2
            i = j + 1
        return r
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra.values()) / len(nodes), sum(rb.values()) / len(nodes)
    cov = sum((ra[v] - ma) * (rb[v] - mb) for v in nodes)
    va = sum((ra[v] - ma) ** 2 for v in nodes) ** 0.5
    vb = sum((rb[v] - mb) ** 2 for v in nodes) ** 0.5
    return float(cov / (va * vb)) if va and vb else 0.0


def top_overlap(a: dict[Any, float], b: dict[Any, float], k: int = 50) -> float:
    ta = set(sorted(a, key=lambda v: (-a[v], str(v)))[:k])
    tb = set(sorted(b, key=lambda v: (-b[v], str(v)))[:k])
    return len(ta & tb) / k


#: Leiden passes, as stigraph.analytics.communities runs them.
LEIDEN_ITERATIONS = 2


def peak_mib() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def best_of(fn: Any, repeats: int) -> tuple[Any, float]:
    """The result and the shortest of ``repeats`` timings (small graphs: a first call's
    warm-up would dominate)."""
    best = None
    for _ in range(repeats):
        result, took = timed(fn)
        best = took if best is None else min(best, took)
    return result, float(best or 0.0)


def versus_igraph(G: nx.Graph, k: int | None, seed: int, prefix: str,
                  repeats: int = 1) -> dict[str, Any]:
    """stigraph's measures and the igraph calls they stand for, on the same graph (the best
    of ``repeats`` runs of each)."""
    import igraph
    import leidenalg

    out: dict[str, Any] = {}
    view, out[f"{prefix}igraph_conversion_s"] = timed(lambda: igraph_view(G))
    ig, w, dist = view.graph, view.weights, view.dist
    index = {v: i for i, v in enumerate(view.nodes)}
    sources = None if k is None else [index[v] for v in _pivots(view.nodes, k, seed)]
    out[f"{prefix}betweenness_sources"] = len(sources) if sources else "all (exact)"

    def ig_louvain() -> float:
        igraph.set_random_number_generator(random.Random(seed))
        part = ig.community_multilevel(weights=w)
        return float(ig.modularity(part.membership, weights=w))

    def ig_leiden() -> float:
        part = leidenalg.find_partition(ig, leidenalg.RBConfigurationVertexPartition,
                                        weights=w, seed=seed, n_iterations=LEIDEN_ITERATIONS)
        return float(ig.modularity(part.membership, weights=w))

    cases = [
        ("pagerank", lambda: pagerank(G), lambda: ig.pagerank(
            directed=False, weights=w, implementation="prpack")),
        ("eigenvector", lambda: eigenvector(G), lambda: ig.eigenvector_centrality(
            scale=False, weights=w)),
        ("betweenness", lambda: betweenness(G, k=k, seed=seed), lambda: ig.betweenness(
            directed=False, weights=dist, sources=sources)),
        ("louvain", lambda: communities(G, seed=seed), ig_louvain),
        ("leiden", lambda: communities(G, seed=seed, method="leiden"), ig_leiden),
    ]
    for name, ours, theirs in cases:
        mine, t_mine = best_of(ours, repeats)
        base, t_base = best_of(theirs, repeats)
        out[f"{prefix}{name}_s"] = t_mine
        out[f"{prefix}igraph_{name}_s"] = t_base
        out[f"{prefix}ratio_{name}"] = round(t_mine / t_base, 2) if t_base > 0 else None
        if name in ("louvain", "leiden"):
            out[f"{prefix}{name}_modularity"] = round(mine.modularity, 4)
            out[f"{prefix}{name}_communities"] = len(mine.sizes)
            out[f"{prefix}igraph_{name}_modularity"] = round(base, 4)
    out[f"{prefix}peak_mib"] = peak_mib()
    return out


def fallbacks(G: nx.Graph, seed: int) -> dict[str, Any]:
    """The pure NetworkX paths of stigraph's functions on the same graph."""
    out: dict[str, Any] = {}
    _, out["networkx_pagerank_s"] = timed(lambda: pagerank(G, engine="networkx"))
    _, out["networkx_eigenvector_s"] = timed(lambda: eigenvector(G, engine="networkx"))
    _, out["networkx_louvain_s"] = timed(lambda: communities(G, seed=seed, engine="networkx"))
    return out


def sampling_error(G: nx.Graph, subsample: int, seed: int) -> dict[str, Any]:
    """Sampled betweenness and closeness against exact values on a connected subsample."""
    out: dict[str, Any] = {}
    rng = random.Random(seed)
    giant = max(nx.connected_components(G), key=len)
    start = rng.choice(sorted(giant))
    nodes = list(itertools.islice(nx.bfs_tree(G, start), subsample))
    S = G.subgraph(nodes).copy()
    exact_b, out["sub_exact_betweenness_s"] = timed(lambda: betweenness(S))
    nx_b, out["sub_nx_exact_betweenness_s"] = timed(lambda: nx.betweenness_centrality(
        S, weight=lambda u, v, d: 1.0 / d["weight"]))
    exact_c = closeness(S)
    for k in (50, 100, 200):
        sb = betweenness(S, k=k, seed=seed)
        sc = closeness(S, k=k, seed=seed)
        out[f"sub_k{k}_betweenness_spearman"] = round(spearman(exact_b, sb), 4)
        out[f"sub_k{k}_betweenness_top50_overlap"] = top_overlap(exact_b, sb)
        out[f"sub_k{k}_closeness_spearman"] = round(spearman(exact_c, sc), 4)
        out[f"sub_k{k}_closeness_top50_overlap"] = top_overlap(exact_c, sc)
    out["sub_nodes"], out["sub_edges"] = S.number_of_nodes(), S.number_of_edges()
    out["sub_max_abs_diff_vs_nx_exact"] = max(abs(exact_b[v] - nx_b[v]) for v in S)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--include", type=Path, action="append", required=True,
                        help="importer output (N-Triples): CORDIS, OpenAlex, GCF; repeatable")
    parser.add_argument("--counting", choices=("full", "fractional", "association"),
                        help="counting of the networks (default: each network's own)")
    parser.add_argument("--k", type=int, default=100, help="sampled betweenness sources")
    parser.add_argument("--subsample", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--networkx", action="store_true",
                        help="also time the pure NetworkX fallbacks on the organisation network")
    parser.add_argument("--sampling-error", action="store_true",
                        help="also measure the sampling error on a subsample")
    args = parser.parse_args()
    orgs, countries, out = networks(args.include, args.counting)
    out.update(versus_igraph(orgs, args.k, args.seed, "organisation_"))
    out.update(versus_igraph(countries, None, args.seed, "country_", repeats=5))
    if args.networkx:
        out.update(fallbacks(orgs, args.seed))
    if args.sampling_error:
        out.update(sampling_error(orgs, args.subsample, args.seed))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
