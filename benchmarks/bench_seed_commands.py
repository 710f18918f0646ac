"""Benchmark: wall-clock time of each analytics command on the seed graph, whole CLI process.

Each command runs as its own ``stigraph`` process (import, build of the seeds, projection,
analysis, output), ``--repeat`` times; the table shows the median and the fastest run in
seconds, plus the time to import ``stigraph.cli`` alone and to build the seeds alone, so what
the analysis itself costs can be read off.

    .venv/bin/python benchmarks/bench_seed_commands.py
    .venv/bin/python benchmarks/bench_seed_commands.py --repeat 5 --only recommend

Not a test: timings depend on the machine and its load; compare ratios within one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS: dict[str, list[str]] = {
    "import stigraph.cli": [sys.executable, "-c", "import stigraph.cli"],
    "build (table)": ["build", "--format", "table"],
    "centrality": ["centrality"],
    "communities": ["communities"],
    "gaps": ["gaps"],
    "recommend --country KE": ["recommend", "--country", "KE"],
    "recommend --group LDC": ["recommend", "--group", "LDC", "--top", "3"],
    "evaluate": ["evaluate"],
}


def _argv(args: list[str]) -> list[str]:
    if args[0] == sys.executable:
        return args
    # the console script installed next to this interpreter (the project's venv)
    return [str(Path(sys.executable).with_name("stigraph")), *args]


def run(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(_argv(args), cwd=ROOT, capture_output=True, text=True,
                              check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--only", action="append", default=[],
                        help="only commands whose name contains this text (repeatable)")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[],
                        help="arguments added to every analytics command, e.g. --include x.ttl")
    args = parser.parse_args()
    print(f"{'command':<26} {'median s':>9} {'min s':>7}")
    for name, cmd in COMMANDS.items():
        if args.only and not any(o in name for o in args.only):
            continue
        full = cmd if cmd[0] == sys.executable or cmd[0] == "build" else [*cmd, *args.extra]
        times = run(full, args.repeat)
        print(f"{name:<26} {statistics.median(times):>9.2f} {min(times):>7.2f}", flush=True)


if __name__ == "__main__":
    main()
