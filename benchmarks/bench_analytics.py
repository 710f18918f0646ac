"""Benchmark: the centrality suite and communities on the Horizon Europe organisation network,
and on the country network from every evidence layer, against igraph on the same graphs.

Builds the organisation co-participation network straight from CORDIS ``he_organization.csv``
(streamed with the csv module; one clique per project, edge weight = number of shared projects),
then times stigraph's functions against plain NetworkX calls in the same run and measures the
sampling error of sampled betweenness/closeness against exact values on a subsample.

    .venv/bin/python benchmarks/bench_analytics.py --data ../shared/data/cordis_horizon_europe \
        --include he.nt --include openalex.nt --include gcf.nt

Each of stigraph's PageRank, eigenvector, sampled betweenness, Louvain and Leiden is timed
next to the igraph (leidenalg) call it stands for on the same graph, already converted (the
one conversion stigraph makes per graph is reported on its own, ``igraph_conversion_s``);
``ratio_*`` = stigraph / igraph. The NetworkX fallbacks are timed too. With ``--include``
(importer output), the country network of stigraph.projection.evidence (all layers combined)
is measured the same way.

Not a test: timings depend on the machine. Source: CORDIS, European Commission (CC BY 4.0).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import time
from collections import defaultdict
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
    strength,
)
from stigraph.analytics.communities import communities


def load(folder: Path, max_project: int) -> tuple[nx.Graph, dict[str, Any]]:
    members: dict[str, set[str]] = defaultdict(set)
    with (folder / "he_organization.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            members[row["projectID"]].add(row["organisationID"])
    weights: dict[tuple[str, str], int] = defaultdict(int)
    skipped = 0
    for orgs in members.values():
        if len(orgs) > max_project:  # a few huge consortia would add cliques of 10^5 pairs each
            skipped += 1
            continue
        for u, v in itertools.combinations(sorted(orgs), 2):
            weights[(u, v)] += 1
    G = nx.Graph()
    G.add_nodes_from(sorted({o for orgs in members.values() for o in orgs}))
    G.add_weighted_edges_from((u, v, float(w)) for (u, v), w in weights.items())
    return G, {"projects": len(members), "projects_skipped_over_max": skipped}


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


def country_network(includes: list[Path]) -> tuple[nx.Graph, dict[str, Any]]:
    from stigraph.build.builder import build_graph
    from stigraph.projection.evidence import evidence_layers, evidence_network
    from stigraph.vocab.namespaces import RDF, STIG

    t = time.perf_counter()
    graph = build_graph(store="oxigraph", include=includes).graph
    info: dict[str, Any] = {"country_graph_build_s": round(time.perf_counter() - t, 2)}
    (layers, info["country_layers_s"]) = timed(lambda: evidence_layers(graph))
    countries = sorted(str(c) for c in graph.subjects(RDF.type, STIG.Country))
    G = evidence_network(layers, nodes=countries)
    for name, layer in layers.items():
        info[f"country_layer_{name}_pairs"] = len(layer.pairs)
    info["country_nodes"], info["country_edges"] = G.number_of_nodes(), G.number_of_edges()
    return G, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="cordis_horizon_europe folder")
    parser.add_argument("--max-project", type=int, default=100,
                        help="skip projects with more participants (pair explosion)")
    parser.add_argument("--k", type=int, default=100, help="sampled sources")
    parser.add_argument("--subsample", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--include", type=Path, action="append", default=[],
                        help="importer output (N-Triples) for the country network; repeatable")
    parser.add_argument("--only-countries", action="store_true",
                        help="measure the country network only (needs --include)")
    parser.add_argument("--skip-sampling-error", action="store_true",
                        help="leave out the sampling-error study on a subsample")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    if args.only_countries:
        C, cinfo = country_network(args.include)
        out.update(cinfo)
        out.update(versus_igraph(C, None, args.seed, "country_", repeats=5))
        print(json.dumps(out, indent=2))
        return
    (G, info), out["load_s"] = timed(lambda: load(args.data, args.max_project))
    out.update(info, nodes=G.number_of_nodes(), edges=G.number_of_edges())
    out.update(versus_igraph(G, args.k, args.seed, ""))
    # the pure NetworkX fallbacks on the same graph
    _, out["networkx_pagerank_s"] = timed(lambda: pagerank(G, engine="networkx"))
    _, out["networkx_eigenvector_s"] = timed(lambda: eigenvector(G, engine="networkx"))
    _, out["networkx_louvain_s"] = timed(lambda: communities(G, seed=args.seed,
                                                             engine="networkx"))
    if args.include:
        C, cinfo = country_network(args.include)
        out.update(cinfo)
        out.update(versus_igraph(C, None, args.seed, "country_", repeats=5))
    if args.skip_sampling_error:
        print(json.dumps(out, indent=2))
        return
    t_all = time.perf_counter()
    _, out["strength_s"] = timed(lambda: strength(G))
    _, out["pagerank_s"] = timed(lambda: pagerank(G))
    _, out["nx_pagerank_s"] = timed(lambda: nx.pagerank(G, weight="weight"))
    _, out["eigenvector_s"] = timed(lambda: eigenvector(G))
    _, out["betweenness_k_s"] = timed(lambda: betweenness(G, k=args.k, seed=args.seed))
    _, out["closeness_k_s"] = timed(lambda: closeness(G, k=args.k, seed=args.seed))
    comm, out["louvain_s"] = timed(lambda: communities(G, seed=args.seed))
    out["suite_and_communities_s"] = round(time.perf_counter() - t_all, 2)
    out["modularity"] = comm.modularity
    out["communities"] = len(comm.sizes)
    # plain NetworkX on the same graph, sampled with few sources so it finishes
    k_nx = 10
    _, out[f"nx_betweenness_k{k_nx}_s"] = timed(lambda: nx.betweenness_centrality(
        G, k=k_nx, seed=args.seed, weight=lambda u, v, d: 1.0 / d["weight"]))
    _, out[f"stigraph_betweenness_k{k_nx}_s"] = timed(lambda: betweenness(G, k=k_nx,
                                                                         seed=args.seed))
    # sampling error on a subsample (a connected induced subgraph around a random node)
    rng = random.Random(args.seed)
    giant = max(nx.connected_components(G), key=len)
    start = rng.choice(sorted(giant))
    nodes = list(itertools.islice(nx.bfs_tree(G, start), args.subsample))
    S = G.subgraph(nodes).copy()
    exact_b, out["sub_exact_betweenness_s"] = timed(lambda: betweenness(S))
    nx_b, out["sub_nx_exact_betweenness_s"] = timed(lambda: nx.betweenness_centrality(
        S, weight=lambda u, v, d: 1.0 / d["weight"]))
    exact_c = closeness(S)
    for k in (50, 100, 200):
        sb = betweenness(S, k=k, seed=args.seed)
        sc = closeness(S, k=k, seed=args.seed)
        out[f"sub_k{k}_betweenness_spearman"] = round(spearman(exact_b, sb), 4)
        out[f"sub_k{k}_betweenness_top50_overlap"] = top_overlap(exact_b, sb)
        out[f"sub_k{k}_closeness_spearman"] = round(spearman(exact_c, sc), 4)
        out[f"sub_k{k}_closeness_top50_overlap"] = top_overlap(exact_c, sc)
    out["sub_nodes"], out["sub_edges"] = S.number_of_nodes(), S.number_of_edges()
    out["sub_max_abs_diff_vs_nx_exact"] = max(abs(exact_b[v] - nx_b[v]) for v in S)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
