"""Top partners and centrality ranks of some countries with and without CORDIS/OpenAlex.

Builds the graph with the importers' output, reads the evidence layers once, and for each
country prints its five strongest partners (combined weight, full counting) and its PageRank,
eigenvector and betweenness rank among all countries on two country networks: memberships +
GCF only, and every layer. The README's "Who cooperates with whom" figures come from here.

    .venv/bin/python benchmarks/evidence_ranks.py --include he.nt --include openalex.nt \\
        --include gcf.nt --markdown KE GH ET

``--markdown`` prints the README's two tables (with and without; each layer alone) instead of
the JSON.

Not a test. Sources: CORDIS (European Commission, CC BY 4.0), OpenAlex (CC0, via bavla/OpenAlex),
Green Climate Fund open data.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from stigraph.analytics.centrality import betweenness, eigenvector, pagerank
from stigraph.analytics.communities import communities, community_map
from stigraph.build.builder import build_graph
from stigraph.projection.evidence import evidence_layers, evidence_network
from stigraph.projection.partners import partner_rows
from stigraph.vocab.namespaces import RDF, STIG, country_iri


def ranks(values: dict[Any, float]) -> dict[Any, int]:
    order = sorted(values, key=lambda v: (-values[v], str(v)))
    return {v: i + 1 for i, v in enumerate(order)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--include", type=Path, action="append", default=[])
    parser.add_argument("--markdown", action="store_true", help="print the README tables")
    parser.add_argument("countries", nargs="+")
    args = parser.parse_args()
    t = time.perf_counter()
    graph = build_graph(store="oxigraph", include=args.include).graph
    nodes = sorted(str(c) for c in graph.subjects(RDF.type, STIG.Country))
    layers = evidence_layers(graph)
    out: dict[str, Any] = {"countries": len(nodes), "read_s": round(time.perf_counter() - t, 1)}
    networks = {"memberships+gcf": {k: layers[k] for k in ("memberships", "gcf")},
                "all layers": layers}
    measured: dict[str, dict[str, dict[Any, int]]] = {}
    groups: dict[str, dict[Any, int]] = {}
    for name, chosen in networks.items():
        G = evidence_network(chosen, nodes=nodes)
        measured[name] = {"pagerank": ranks(pagerank(G)), "eigenvector": ranks(eigenvector(G)),
                          "betweenness": ranks(betweenness(G))}
        groups[name] = community_map(communities(G, method="leiden", seed=0))
        out[f"{name} edges"] = G.number_of_edges()
    for code in args.countries:
        iri = str(country_iri(code))
        row: dict[str, Any] = {}
        for name in networks:
            sources = "memberships,gcf" if name == "memberships+gcf" else "all"
            top = partner_rows(graph, iri, layers=sources.split(","), top=5)
            row[name] = {
                "top partners": [f"{r['code']} ({r['weight']:.2f})" for r in top],
                **{m: f"{measured[name][m][iri]}/{len(nodes)}" for m in measured[name]},
                "community size": sum(1 for c in groups[name].values()
                                      if c == groups[name][iri]),
            }
        cordis = partner_rows(graph, iri, layers="cordis", top=5)
        row["cordis top 5 (projects)"] = [f"{r['code']} {r['projects']}" for r in cordis]
        works = partner_rows(graph, iri, layers="openalex", since=2019, top=5)
        row["openalex top 5 (works 2019-2023)"] = [f"{r['code']} {r['works']}" for r in works]
        out[code] = row
    if args.markdown:
        print(markdown(out, args.countries, graph))
    else:
        print(json.dumps(out, indent=2, ensure_ascii=False))


def markdown(out: dict[str, Any], codes: list[str], graph: Any) -> str:
    """The README tables from :func:`main`'s figures."""
    from stigraph.vocab.labels import label_of

    names = {"memberships+gcf": "memberships + GCF", "all layers": "+ CORDIS + OpenAlex"}
    lines = [f"Country network of {out['countries']} countries: "
             f"{out['memberships+gcf edges']:,} linked pairs from memberships and GCF alone, "
             f"{out['all layers edges']:,} with every layer (combined weight, full counting; "
             f"ranks among all {out['countries']} countries, 1 = most central; betweenness "
             "exact on distances 1/weight).", "",
             "| country | network | top 5 partners (combined weight) | PageRank | eigenvector "
             "| betweenness |", "| --- | --- | --- | --- | --- | --- |"]
    labels = {code: label_of(graph, country_iri(code)) for code in codes}
    for code in codes:
        for name, shown in names.items():
            row = out[code][name]
            lines.append(f"| {labels[code]} | {shown} | {', '.join(row['top partners'])} | "
                         f"{row['pagerank']} | {row['eigenvector']} | {row['betweenness']} |")
    lines += ["", "Each layer on its own (`--source cordis`, `--source openalex --since 2019`):",
              "", "| country | CORDIS shared projects (Horizon Europe) | OpenAlex co-authored "
              "works 2019–2023 |", "| --- | --- | --- |"]
    for code in codes:
        row = out[code]
        lines.append(f"| {labels[code]} | {', '.join(row['cordis top 5 (projects)'])} | "
                     f"{', '.join(row['openalex top 5 (works 2019-2023)'])} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
