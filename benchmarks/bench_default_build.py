"""Benchmark: the default graph (seeds + shipped data) built, kept and reopened, and the
default report, against the seed-only graph measured in the same run (the baseline).

Each stage runs the real command in its own subprocess under ``/usr/bin/time -v`` (wall time
and peak resident memory of that process alone), with a fresh cache folder:

- ``seeds``        ``stigraph query members --no-default-data --no-cache`` (baseline);
- ``build``        the same query on the default graph, ``--no-cache``: a build every time;
- ``cold``         the same with an empty cache: build and keep the graph;
- ``warm``         the same again: the kept graph is opened;
- ``report``       ``stigraph report`` on the kept graph (``--no-networks`` with ``--fast``).

Usage::

    .venv/bin/python benchmarks/bench_default_build.py [--skip-report] [--fast]
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

BIN = Path(sys.executable).parent
QUERY = ["query", "members", "--param", "organisation=oecd", "--format", "csv"]


def _run(args: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(["/usr/bin/time", "-v", str(BIN / "stigraph"), *args], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stigraph {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and peak
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return {"seconds": round(total, 1), "peak_mb": round(int(peak.group(1)) / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument("--fast", action="store_true", help="report without network pages")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STIGRAPH_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("STIGRAPH_NO_DEFAULT_DATA", None)
        stages = {
            "seeds": [*QUERY, "--no-default-data", "--no-cache"],
            "build": [*QUERY, "--no-cache"],
            "cold": QUERY,
            "warm": QUERY,
        }
        if not options.skip_report:
            stages["report"] = ["report", "--out", str(Path(tmp) / "report"),
                                *(["--no-networks"] if options.fast else [])]
        results = {}
        for name, args in stages.items():
            results[name] = _run(args, env)
            print(name, json.dumps(results[name]), flush=True)
        base = results["seeds"]["seconds"]
        for row in results.values():
            row["x_seeds"] = round(row["seconds"] / base, 1)
        print(json.dumps({"load_average": os.getloadavg(), "stages": results}, indent=1))


if __name__ == "__main__":
    main()
