"""Benchmark: training the accession model and recommending with it, on the shipped data.

Two parts, both on the shipped data (COW IGO v3.0, the curated seed memberships, the OpenAlex
co-authorship and CORDIS Horizon Europe extracts):

1. **In process** — times (wall clock and CPU) and peak memory (tracemalloc, Python
   allocations) of: reading the data, building the training set (features of every
   origin), fitting the calibrated logistic regression and the gradient boosting model,
   ``model.train`` end to end, and recommending with explanations for every LDC, next to the
   popularity ranking of the same candidates (the baseline, same run).
2. **The commands** — ``stigraph train`` and ``stigraph recommend --group LDC`` (model, the
   default) against ``stigraph recommend --group LDC --method preferential_attachment`` (the
   popularity baseline), each a fresh process: wall time and peak resident memory
   (``resource.getrusage`` of the child). The commands read the seed graph (the model itself
   reads the data files, not the graph); with ``--default-data`` they also build the
   shipped-data graph first, whose time is the build's (measured in bench_default_build.py).

    .venv/bin/python benchmarks/bench_accession_model.py [--default-data]

Not a test: timings depend on the machine and on what else runs on it (CPU time is shown next
to wall time; ratios are taken within the run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from stigraph.analytics import explain_model, features, joins, model
from stigraph.cli.model import join_data
from stigraph.resources import seeds_dir


def measured(fn: Any) -> tuple[Any, dict[str, float]]:
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    figures = {"seconds": round(time.perf_counter() - wall, 2),
               "cpu_seconds": round(time.process_time() - cpu, 2),
               "peak_mib": round(tracemalloc.get_traced_memory()[1] / 2**20, 1)}
    tracemalloc.stop()
    return result, figures


def ldc_codes() -> list[str]:
    with open(seeds_dir() / "country-groups.csv", encoding="utf-8", newline="") as handle:
        return sorted(r["iso2"] for r in csv.DictReader(handle) if r["group"] == "ldc")


def popularity_ranking(data: joins.JoinData, countries: list[str], origin: int,
                       top: int = 10) -> list[tuple[str, str]]:
    """The baseline: each country's eligible open organisations by their number of members."""
    snap = joins.snapshot(data, origin)
    present = set(snap.countries)
    pairs = [(c, o) for c in countries if c in present for o in snap.orgs
             if (c, o) not in snap.full]
    pairs = [p for p, k in zip(pairs, joins.eligible(data, snap, pairs), strict=True) if k]
    size = features.feature_matrix(data, snap, pairs).column("org_size")
    out = []
    for c in countries:
        rows = [r for r, p in enumerate(pairs) if p[0] == c]
        out += [pairs[r] for r in sorted(rows, key=lambda r: -size[r])[:top]]
    return out


def in_process() -> dict[str, Any]:
    report: dict[str, Any] = {}
    data, report["load"] = measured(lambda: join_data(None))
    origins = model.origins_before(data.last_year + 1)
    ts, report["training_set"] = measured(lambda: model.training_set(data, origins))
    report["training_set"].update(rows=len(ts.y), joins=int(ts.y.sum()))
    for kind in ("logistic", "boosting"):
        _, report[f"fit_{kind}"] = measured(lambda kind=kind: model.fit(ts.X, ts.y, kind=kind))
    base = report["fit_logistic"]["seconds"]
    report["fit_boosting"]["ratio_to_logistic"] = round(
        report["fit_boosting"]["seconds"] / base, 2) if base else None
    trained, report["train_total"] = measured(lambda: model.train(data))
    origin = data.last_year + 1
    ldc = ldc_codes()
    rows, report["recommend_ldc_model"] = measured(lambda: explain_model.recommend_with_model(
        trained, data, ldc, origin=origin, top=10))
    report["recommend_ldc_model"].update(countries=len({r["country"] for r in rows}),
                                         rows=len(rows))
    pop, report["recommend_ldc_popularity"] = measured(
        lambda: popularity_ranking(data, ldc, origin))
    report["recommend_ldc_popularity"]["rows"] = len(pop)
    report["recommend_ldc_model"]["ratio_to_popularity"] = round(
        report["recommend_ldc_model"]["seconds"]
        / max(report["recommend_ldc_popularity"]["seconds"], 1e-9), 2)
    return report


def command(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``stigraph ARGS`` in a fresh process: wall time, the child's peak RSS, rows."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    script = Path(sys.executable).with_name("stigraph")  # the console script of this venv
    done = subprocess.run([str(script), *args], env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"stigraph {' '.join(args)} failed:\n{done.stderr}")
    out: dict[str, Any] = {"seconds": round(seconds, 1),
                           "peak_rss_mib_at_most": round(max(peak, before) / 1024, 1)}
    if args[0] == "recommend":
        out["rows"] = len(json.loads(done.stdout))
    return out


def commands(default_data: bool) -> dict[str, Any]:
    extra = ["--default-data"] if default_data else []
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="stigraph-bench-model-") as cache:
        env = {**os.environ, "STIGRAPH_CACHE_DIR": cache}
        report["train"] = command(["train", "--format", "json"], env)
        report["recommend_ldc_popularity"] = command(
            ["recommend", "--group", "LDC", "--method", "preferential_attachment", *extra], env)
        report["recommend_ldc_model"] = command(["recommend", "--group", "LDC", *extra], env)
    report["recommend_ldc_model"]["ratio_to_popularity"] = round(
        report["recommend_ldc_model"]["seconds"]
        / max(report["recommend_ldc_popularity"]["seconds"], 1e-9), 2)
    report["note"] = ("peak RSS is the largest child so far (getrusage keeps a maximum), so "
                      "a later row shows at least the earlier peak")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--default-data", action="store_true",
                        help="Run the commands on the shipped-data graph (builds it first).")
    args = parser.parse_args()
    np.seterr(all="ignore")
    report = {"in_process": in_process(), "commands": commands(args.default_data)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
