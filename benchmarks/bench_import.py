"""Benchmark: import the full CORDIS Horizon Europe data into the embedded store.

Each stage runs in its own subprocess so that its peak memory (``ru_maxrss``) is its own:

- ``generate``       read the CSVs and write N-Triples to a file (no store);
- ``oxigraph``       read the CSVs and bulk-load the triples into Oxigraph (the import);
- ``oxigraph-load``  the same with Oxigraph's transactional ``load`` instead of ``bulk_load``;
- ``rdflib-memory``  parse the same N-Triples file into rdflib's default in-memory Graph.

Usage::

    .venv/bin/python benchmarks/bench_import.py --data ../shared/data/cordis_horizon_europe

The full data set is read where it lies; nothing is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("generate", "oxigraph", "oxigraph-load", "rdflib-memory")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_stage(stage: str, data: Path, nt_file: Path) -> dict[str, object]:
    from rdflib import Graph

    from stigraph.importers.common import ImportStats, RejectLog, known_countries
    from stigraph.importers.cordis import cordis_triples
    from stigraph.importers.matching import SeedMatcher, load_seed_actors
    from stigraph.store import new_graph

    def lines() -> tuple[ImportStats, object]:
        log, stats = RejectLog(), ImportStats()
        gen = cordis_triples(data, log=log, stats=stats,
                             matcher=SeedMatcher(load_seed_actors()),
                             countries=known_countries())
        return stats, gen

    started = time.perf_counter()
    triples = 0
    if stage == "generate":
        _stats, gen = lines()
        with nt_file.open("w", encoding="utf-8") as handle:
            for line in gen:  # type: ignore[attr-defined]
                handle.write(line)
                triples += 1
    elif stage in ("oxigraph", "oxigraph-load"):
        _stats, gen = lines()
        graph = new_graph("oxigraph")
        data_bytes = "".join(gen).encode("utf-8")  # type: ignore[call-overload]
        graph.parse(data=data_bytes, format="ox-nt", transactional=stage == "oxigraph-load")
        del data_bytes
        triples = len(graph)
    elif stage == "rdflib-memory":
        graph = Graph()
        graph.parse(nt_file, format="nt")
        triples = len(graph)
    else:
        raise SystemExit(f"unknown stage {stage}")
    return {"stage": stage, "seconds": round(time.perf_counter() - started, 2),
            "peak_mb": round(_peak_mb(), 1), "triples": triples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="folder with the CORDIS CSVs, e.g. "
                        "../shared/data/cordis_horizon_europe")
    parser.add_argument("--stage", choices=STAGES, help="run one stage (used internally)")
    parser.add_argument("--nt", type=Path, help="N-Triples file shared by the stages")
    parser.add_argument("--skip-rdflib", action="store_true",
                        help="leave out the slow rdflib memory-store stage")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.data, args.nt)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        nt_file = Path(tmp) / "cordis.nt"
        for stage in STAGES:
            if stage == "rdflib-memory" and args.skip_rdflib:
                continue
            out = subprocess.run([sys.executable, __file__, "--data", str(args.data),
                                  "--stage", stage, "--nt", str(nt_file)],
                                 check=True, capture_output=True, text=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(row)
            print(f"{row['stage']:<15} {row['seconds']:>8.2f} s  {row['peak_mb']:>8.1f} MB peak  "
                  f"{row['triples']:>10,} triples", flush=True)
    by_stage = {r["stage"]: r for r in results}
    if "rdflib-memory" in by_stage:
        ratio = float(by_stage["rdflib-memory"]["seconds"]) / float(
            by_stage["oxigraph"]["seconds"])
        print(f"rdflib memory-store parse / Oxigraph import (CSV -> store): {ratio:.1f}x")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
