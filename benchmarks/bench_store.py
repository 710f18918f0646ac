"""Benchmark the embedded stores: rdflib's memory store (the baseline) against Oxigraph.

Three measurements, each store in a fresh subprocess so peak memory (ru_maxrss) is its own:

1. build: ontology + seeds -> graph (``stigraph build``'s work).
2. load: parse a large N-Triples file (``--nt``, e.g. ``stigraph import cordis`` output on the
   full Horizon Europe data; by default the seed graph replicated ``--copies`` times under
   renamed IRIs) into the store.
3. aggregate: instances per class and triples per predicate (``GROUP BY`` SPARQL queries)
   over the loaded graph.

Reports time, throughput (triples/s), peak memory and the Oxigraph/rdflib speed ratio.

    python benchmarks/bench_store.py [--nt FILE] [--copies 20] [--repeat 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STORES = ("memory", "oxigraph")

# Aggregates an analyst runs first on a new graph: instances per class, triples per predicate.
AGGREGATES = (
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
)


def _child(task: str, store: str, nt_file: str) -> dict[str, float]:
    """Runs inside the subprocess: one task on one store, returning its measurements."""
    from stigraph.build.builder import build_graph
    from stigraph.store import new_graph
    from stigraph.store.files import parse_rdf_file

    started = time.perf_counter()
    if task == "build":
        graph = build_graph(store=store).graph
        seconds = time.perf_counter() - started
    else:
        graph = new_graph(store)
        parse_rdf_file(graph, Path(nt_file))
        seconds = time.perf_counter() - started
        if task == "aggregate":
            started = time.perf_counter()
            for query in AGGREGATES:
                list(graph.query(query))
            seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "triples": float(len(graph)), "peak_mb": peak_mb}


def _measure(task: str, store: str, nt_file: str) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (f"import json, sys; sys.path.insert(0, {here!r}); from bench_store import _child; "
            f"print(json.dumps(_child({task!r}, {store!r}, {nt_file!r})))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def replicated_seed_graph(copies: int, path: Path) -> int:
    """Write the seed graph ``copies`` times, instance IRIs renamed per copy; return triples."""
    from stigraph.build.builder import build_graph
    from stigraph.vocab.namespaces import ID_BASE

    text = build_graph().graph.serialize(format="nt")
    lines = [line for line in text.splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            renamed = ID_BASE + f"copy{copy}/"
            for line in lines:
                handle.write(line.replace(ID_BASE, renamed) + "\n")
    return len(lines) * copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nt", type=Path,
                        help="N-Triples file to load (default: the seed graph replicated)")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        nt_file = args.nt or Path(tmp) / "replicated.nt"
        if args.nt is None:
            triples = replicated_seed_graph(args.copies, nt_file)
            print(f"load input: seed graph x{args.copies} = {triples:,} triples")
        else:
            print(f"load input: {nt_file}")
        results: dict[str, dict[str, dict[str, float]]] = {}
        for task in ("build", "load", "aggregate"):
            results[task] = {}
            for store in STORES:
                runs = [_measure(task, store, str(nt_file)) for _ in range(args.repeat)]
                results[task][store] = {
                    "seconds": statistics.median(r["seconds"] for r in runs),
                    "triples": runs[0]["triples"],
                    "peak_mb": max(r["peak_mb"] for r in runs),
                }

    print(f"\n{'task':<10} {'store':<9} {'median s':>9} {'triples/s':>12} {'peak MB':>8}"
          f" {'speed-up vs memory':>19}")
    for task, by_store in results.items():
        base = by_store["memory"]["seconds"]
        for store, r in by_store.items():
            rate = r["triples"] / r["seconds"] if r["seconds"] else float("inf")
            print(f"{task:<10} {store:<9} {r['seconds']:>9.3f} {rate:>12,.0f} {r['peak_mb']:>8.0f}"
                  f" {base / r['seconds']:>18.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
