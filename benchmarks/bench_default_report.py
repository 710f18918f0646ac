"""Benchmark: the default report (seeds + shipped data, 5.1 million triples) against the
seed-only report measured in the same run (the baseline), with the time of each step.

Each stage runs the real command in its own subprocess under ``/usr/bin/time -v``: wall time
and CPU time (user + system, its worker processes included); the report's steps come from its
progress lines on stderr (``[2/5] Projecting…: (12.3 s)``). Peak memory (``peak_mb``) is the
largest sum of the proportional set size (PSS) of the command and all its child processes (the
cold build's worker, the report's forked drawing process), sampled every second from
``/proc/PID/smaps_rollup``; ``peak_rss_sum_mb`` is the largest sum of their resident memory,
which counts the pages a forked child shares with its parent twice (an upper bound). Neither
is ``time``'s figure, which is the largest single process.

- ``seed-report``          ``stigraph report --no-default-data --no-cache`` (baseline);
- ``default-build``        ``stigraph query members --param organisation=oecd`` on an empty
                           cache: the default graph built (in its worker) and kept, one query;
- ``default-report-cold``  ``stigraph report`` on an empty cache: what ``make demo`` does on
                           a fresh machine (the build, then the report on the kept graph);
- ``default-report-warm``  ``stigraph report`` again: the graph kept by the cold run.

The machine is shared: the load average before and after each stage is printed, and the
ratios to the baseline of the same run are what to compare between runs. The budget of
issue 15 is 3 minutes wall and 4 GB peak for ``default-report-cold``.

Usage::

    .venv/bin/python benchmarks/bench_default_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
#: a step's line; steps that count (pages drawn, sections done) show ``258/258`` before the time
STEP = re.compile(r"^\[(\d+)/\d+\] (.*?): (?:[\d,]+/[\d,]+ )?\(([\d.]+) s\)$", re.MULTILINE)


def _memory_kb(pid: int) -> tuple[int, int]:
    """(resident, proportional) memory of process ``pid`` in kB; (0, 0) once it has ended."""
    try:
        rollup = (Path("/proc") / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0, 0
    fields = dict(line.split(":", 1) for line in rollup.splitlines()[1:] if ":" in line)
    return (int(fields.get("Rss", "0 kB").split()[0]),
            int(fields.get("Pss", "0 kB").split()[0]))


def _tree_memory_kb(root: int) -> tuple[int, int]:
    """The summed resident and proportional memory (kB) of process ``root`` and all its
    descendants. The report's drawing process is forked: it shares the parent's pages until
    either writes them, so summed resident memory counts those pages twice; the
    proportional set size (PSS) gives each process its share of a shared page."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        children.setdefault(int(fields["PPid"]), []).append(int(entry.name))
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        resident, proportional = _memory_kb(pid)
        rss, pss = rss + resident, pss + proportional
        todo.extend(children.get(pid, ()))
    return rss, pss


def _run(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    process = subprocess.Popen(["/usr/bin/time", "-v", str(BIN / "stigraph"), *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]

    def sample() -> None:
        # the kernel walks a process's page tables for smaps_rollup (tens of ms for a few
        # GB): once a second, so the sampling takes no noticeable share of the 2 cores
        while process.poll() is None:
            rss, pss = _tree_memory_kb(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"stigraph {' '.join(args)} failed:\n{err[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", err)
    user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    system = re.search(r"System time \(seconds\): ([\d.]+)", err)
    assert wall and user and system, err[-2000:]
    hours, minutes, seconds = wall.groups()
    return {
        "seconds": round(int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), 1),
        "cpu_seconds": round(float(user.group(1)) + float(system.group(1)), 1),
        "peak_mb": round(peak[1] / 1024),
        "peak_rss_sum_mb": round(peak[0] / 1024),
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
        cache = Path(tmp) / "cache"
        env = {**os.environ, "STIGRAPH_CACHE_DIR": str(cache)}
        env.pop("STIGRAPH_DEFAULT_DATA", None)
        env.pop("STIGRAPH_CACHE", None)
        report = ["report", "--out", str(Path(tmp) / "default")]
        # (arguments, whether the stage starts from an empty cache)
        stages = {
            "seed-report": (["report", "--no-default-data", "--no-cache", "--out",
                             str(Path(tmp) / "seed")], True),
            "default-build": (["query", "members", "--param", "organisation=oecd",
                               "--format", "csv"], True),
            "default-report-cold": (report, True),
            "default-report-warm": (report, False),
        }
        results: dict[str, dict[str, Any]] = {}
        for name, (args, cold) in stages.items():
            runs = []
            for _ in range(options.repeat):
                if cold:
                    shutil.rmtree(cache, ignore_errors=True)
                runs.append(_run(args, env))
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
