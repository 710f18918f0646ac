"""Benchmark: the centrality suite and communities on the Horizon Europe organisation network.

Builds the organisation co-participation network straight from CORDIS ``he_organization.csv``
(streamed with the csv module; one clique per project, edge weight = number of shared projects),
then times stigraph's functions against plain NetworkX calls in the same run and measures the
sampling error of sampled betweenness/closeness against exact values on a subsample.

    .venv/bin/python benchmarks/bench_analytics.py --data ../shared/data/cordis_horizon_europe

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

from stigraph.analytics.centrality import betweenness, closeness, eigenvector, pagerank, strength
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
    return result, round(time.perf_counter() - t, 2)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="cordis_horizon_europe folder")
    parser.add_argument("--max-project", type=int, default=100,
                        help="skip projects with more participants (pair explosion)")
    parser.add_argument("--k", type=int, default=100, help="sampled sources")
    parser.add_argument("--subsample", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out: dict[str, Any] = {}
    (G, info), out["load_s"] = timed(lambda: load(args.data, args.max_project))
    out.update(info, nodes=G.number_of_nodes(), edges=G.number_of_edges())
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
