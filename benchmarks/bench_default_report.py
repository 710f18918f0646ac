"""Benchmark: the default report (seeds + shipped data, 5.1 million triples) against the
seed-only report measured in the same run (the baseline), with the time of each step.

Each stage runs the real command in its own subprocess under ``/usr/bin/time -v``: wall time,
CPU time (user + system) and peak resident memory of that process alone; the report's steps
come from its progress lines on stderr (``[4/7] Projecting…: (12.3 s)``). The kept graph is
not used (``--no-cache``): every stage builds its graph.

- ``seed-report``     ``stigraph report --no-default-data`` (baseline);
- ``default-build``   ``stigraph query members --param organisation=oecd``: the default graph
                      built, and one query;
- ``default-report``  ``stigraph report``: the default report with its network pages.

The machine is shared: the load average before and after each stage is printed, and the
ratios to the baseline of the same run are what to compare between runs. The budget of
issue 15 is 3 minutes wall and 4 GB peak for ``default-report``.

Usage::

    .venv/bin/python benchmarks/bench_default_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
STEP = re.compile(r"^\[(\d+)/\d+\] (.*?): \(([\d.]+) s\)$", re.MULTILINE)


def _run(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    done = subprocess.run(["/usr/bin/time", "-v", str(BIN / "stigraph"), *args], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stigraph {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    err = done.stderr
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", err)
    user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    system = re.search(r"System time \(seconds\): ([\d.]+)", err)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    assert wall and user and system and peak, err[-2000:]
    hours, minutes, seconds = wall.groups()
    return {
        "seconds": round(int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), 1),
        "cpu_seconds": round(float(user.group(1)) + float(system.group(1)), 1),
        "peak_mb": round(int(peak.group(1)) / 1024),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "steps": {name[:60]: float(s) for _n, name, s in STEP.findall(err)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1,
                        help="Run every stage this many times (the fastest run is kept).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STIGRAPH_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("STIGRAPH_DEFAULT_DATA", None)
        stages = {
            "seed-report": ["report", "--no-default-data", "--no-cache", "--out",
                            str(Path(tmp) / "seed")],
            "default-build": ["query", "members", "--param", "organisation=oecd", "--format",
                              "csv", "--no-cache"],
            "default-report": ["report", "--no-cache", "--out", str(Path(tmp) / "default")],
        }
        results: dict[str, dict[str, Any]] = {}
        for name, args in stages.items():
            runs = [_run(args, env) for _ in range(options.repeat)]
            results[name] = min(runs, key=lambda r: r["seconds"])
            print(name, json.dumps(results[name]), flush=True)
        base = results["seed-report"]
        for row in results.values():
            row["x_seed_report_wall"] = round(row["seconds"] / base["seconds"], 1)
            row["x_seed_report_cpu"] = round(row["cpu_seconds"] / base["cpu_seconds"], 1)
            row["x_seed_report_peak"] = round(row["peak_mb"] / base["peak_mb"], 1)
        print(json.dumps({"cpus": os.cpu_count(), "stages": results}, indent=1))


if __name__ == "__main__":
    main()
