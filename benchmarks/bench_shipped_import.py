"""Benchmark: import each shipped extract (data/) against its full source files, same run.

For each data set (``cordis``, ``openalex``, ``gcf``, ``cow-igo``) and each input (``shipped``:
the gzip extract in data/; ``source``: the public files in the shared data folder, the
baseline) two stages run, each in its own subprocess so that its peak memory (``ru_maxrss``)
is its own:

- ``nt``        read the CSVs and write N-Triples to a file (no store);
- ``oxigraph``  read the CSVs and bulk-load the triples into an Oxigraph store.

The ratio shipped / source shows what reading gzip and fewer columns costs or saves.

Usage::

    .venv/bin/python benchmarks/bench_shipped_import.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SETS = {
    "cordis": "cordis_horizon_europe",
    "openalex": "openalex_country_coauthorship",
    "gcf": "gcf",
    "cow-igo": "cow_igo",
}
STAGES = ("nt", "oxigraph")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _lines(name: str, folder: Path) -> Iterator[str]:
    from stigraph.importers.common import ImportStats, RejectLog, known_countries
    from stigraph.importers.matching import SeedMatcher, load_seed_actors

    log, stats, countries = RejectLog(), ImportStats(), known_countries()
    matcher = SeedMatcher(load_seed_actors())
    if name == "cordis":
        from stigraph.importers.cordis import cordis_triples
        return cordis_triples(folder, log=log, stats=stats, matcher=matcher,
                              countries=countries)
    if name == "openalex":
        from stigraph.importers.openalex import openalex_triples
        return openalex_triples(folder, log=log, stats=stats, countries=countries)
    if name == "gcf":
        from stigraph.importers.gcf import gcf_triples
        return gcf_triples(folder, log=log, stats=stats, matcher=matcher, countries=countries)
    from stigraph.importers.cow_igo import cow_igo_triples
    return cow_igo_triples(folder, log=log, stats=stats, matcher=matcher, countries=countries)


def run_stage(name: str, folder: Path, stage: str, nt_file: Path) -> dict[str, object]:
    from stigraph.importers.common import load_triples

    started = time.perf_counter()
    if stage == "nt":
        triples = 0
        with nt_file.open("w", encoding="utf-8") as handle:
            for line in _lines(name, folder):
                handle.write(line)
                triples += 1
    else:
        triples = len(load_triples(_lines(name, folder), store="oxigraph"))
    return {"seconds": round(time.perf_counter() - started, 2),
            "peak_mb": round(_peak_mb(), 1), "triples": triples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="the shared data folder holding the source data sets")
    parser.add_argument("--shipped", type=Path, help="the shipped data folder (default: "
                        "the one stigraph finds, data/)")
    parser.add_argument("--only", choices=sorted(SETS), action="append",
                        help="benchmark only these data sets (repeatable)")
    parser.add_argument("--stage-of", nargs=3, metavar=("SET", "FOLDER", "STAGE"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--nt", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage_of:
        name, folder, stage = args.stage_of
        print(json.dumps(run_stage(name, Path(folder), stage, args.nt)))
        return
    from stigraph.resources import shipped_data_dir

    shipped = args.shipped or shipped_data_dir()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or SETS:
            for kind, root in (("shipped", shipped), ("source", args.data)):
                folder = root / SETS[name]
                for stage in STAGES:
                    out = subprocess.run(
                        [sys.executable, __file__, "--data", str(args.data), "--stage-of",
                         name, str(folder), stage, "--nt", str(Path(tmp) / f"{name}.nt")],
                        check=True, capture_output=True, text=True)
                    row = {"set": name, "input": kind, "stage": stage,
                           **json.loads(out.stdout.strip().splitlines()[-1])}
                    results.append(row)
                    print(f"{name:<9} {kind:<8} {stage:<9} {row['seconds']:>8.2f} s "
                          f"{row['peak_mb']:>8.1f} MB peak {row['triples']:>10,} triples",
                          flush=True)
    by_key = {(r["set"], r["input"], r["stage"]): r for r in results}
    for name in args.only or SETS:
        for stage in STAGES:
            a, b = by_key[(name, "shipped", stage)], by_key[(name, "source", stage)]
            ratio = float(a["seconds"]) / max(float(b["seconds"]), 0.01)  # type: ignore[arg-type]
            print(f"{name:<9} {stage:<9} shipped / source time: {ratio:.2f}x")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
