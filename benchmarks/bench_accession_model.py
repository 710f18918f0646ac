"""Benchmark: training the accession model and recommending with it, on the shipped COW data.

Times (wall clock and CPU) and peak memory (tracemalloc, Python allocations) of: reading the
COW files, building the training set (features of every origin), fitting the calibrated
logistic regression (the baseline) and the gradient boosting model, and recommending for
every country in the data with explanations; the ratio of each fit to the logistic fit of the
same run.

    .venv/bin/python benchmarks/bench_accession_model.py [--cow ../shared/data/cow_igo]

Not a test: timings depend on the machine (and on what else runs on it: CPU time is shown
next to wall time). Source: Correlates of War IGO v3.0.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from pathlib import Path
from typing import Any

from stigraph.analytics import explain_model, joins, model
from stigraph.resources import seeds_dir, shipped_data_dir


def measured(fn: Any) -> tuple[Any, dict[str, float]]:
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    figures = {"seconds": round(time.perf_counter() - wall, 2),
               "cpu_seconds": round(time.process_time() - cpu, 2),
               "peak_mib": round(tracemalloc.get_traced_memory()[1] / 2**20, 1)}
    tracemalloc.stop()
    return result, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cow", type=Path, default=shipped_data_dir() / "cow_igo")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    data, report["load"] = measured(lambda: joins.load_join_data(args.cow, seeds_dir()))
    origins = model.origins_before(data.last_year + 1)
    ts, report["training_set"] = measured(lambda: model.training_set(data, origins))
    report["training_set"].update(rows=len(ts.y), joins=int(ts.y.sum()))
    fitted = {}
    for kind in ("logistic", "boosting"):
        fitted[kind], report[f"fit_{kind}"] = measured(
            lambda kind=kind: model.fit(ts.X, ts.y, kind=kind))
    base = report["fit_logistic"]["seconds"]
    for kind in ("logistic", "boosting"):
        report[f"fit_{kind}"]["ratio_to_logistic"] = round(
            report[f"fit_{kind}"]["seconds"] / base, 2) if base else None
    trained, report["train_total"] = measured(lambda: model.train(data))
    countries = sorted(joins.snapshot(data, data.last_year + 1).countries)
    rows, report["recommend_all"] = measured(lambda: explain_model.recommend_with_model(
        trained, data, countries, origin=data.last_year + 1, top=10))
    report["recommend_all"].update(countries=len(countries), rows=len(rows))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
