"""Benchmark: ``query``, ``partners KE`` and ``recommend --country KE`` on the default graph
(seeds + shipped data), cold and warm, with warm/cold ratios measured in the same run.

Each stage runs the real command in its own subprocess under ``/usr/bin/time -v`` (wall time
and peak resident memory of that process alone) with ``--default-data`` and one fresh cache
folder for the whole run:

- ``keep``           ``query`` on the empty cache: build the graph and keep it;
- ``warm <command>`` each command again: the kept graph is opened;
- ``cold <command>`` each command with ``--no-cache``: a build every time, nothing kept.

The ratio of each command is its cold time over its warm time. A stage that runs longer
than ``--timeout`` seconds is stopped and reported as such.

Usage::

    .venv/bin/python benchmarks/bench_kept_graph.py [--timeout 1500] [--skip-cold]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "query": ["query", "members", "--param", "organisation=oecd", "--format", "csv"],
    "partners": ["partners", "KE", "--top", "10", "--format", "csv"],
    "recommend": ["recommend", "--country", "KE", "--top", "10", "--format", "csv"],
}


def _run(args: list[str], env: dict[str, str], timeout: float) -> dict[str, object]:
    started = time.monotonic()
    try:
        done = subprocess.run(["/usr/bin/time", "-v", str(BIN / "stigraph"), *args,
                               "--default-data"], env=env, capture_output=True, text=True,
                              check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": round(time.monotonic() - started, 1), "stopped": True}
    if done.returncode != 0:
        raise SystemExit(f"stigraph {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    assert wall and peak and user
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return {"seconds": round(total, 1), "cpu_user": float(user.group(1)),
            "peak_mb": round(int(peak.group(1)) / 1024), "rows": done.stdout.count("\n") - 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=1500.0)
    parser.add_argument("--skip-cold", action="store_true",
                        help="only the keeping run and the warm runs")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-kept-") as tmp:
        env = {**os.environ, "STIGRAPH_CACHE_DIR": str(Path(tmp) / "cache")}
        for name in ("STIGRAPH_CACHE", "STIGRAPH_DEFAULT_DATA"):
            env.pop(name, None)
        stages = {"keep": COMMANDS["query"]}
        stages |= {f"warm {name}": args for name, args in COMMANDS.items()}
        if not options.skip_cold:
            stages |= {f"cold {name}": [*args, "--no-cache"] for name, args in COMMANDS.items()}
        results = {}
        for name, args in stages.items():
            results[name] = _run(args, env, options.timeout)
            print(name, json.dumps(results[name]), flush=True)
        ratios = {}
        for name in COMMANDS:
            cold = results.get(f"cold {name}", results["keep"] if name == "query" else None)
            warm = results[f"warm {name}"]
            if cold and not warm.get("stopped"):
                ratios[name] = round(float(cold["seconds"]) / float(warm["seconds"]), 1)
        print(json.dumps({"load_average": os.getloadavg(), "stages": results,
                          "cold_over_warm": ratios}, indent=1))


if __name__ == "__main__":
    main()
