"""Benchmark: the report's network pages and analyst files (GEXF, VOSviewer) of the default
graph (seeds + shipped data), the new code against the old code measured in the same run.

The inputs of the two report steps ("Writing the network pages", "Writing the projections for
Gephi (GEXF) and VOSviewer") are made once from the kept graph (``--cache-dir``) and pickled
(``--fixture``, default under the system's temporary folder): the three decorated projections
with their PageRank, the facets and the headquarters. Each stage then runs in its own
subprocess (so its peak resident memory is its own) and writes into a temporary folder:

- ``old``  the code of a git revision (``--old``, default ``main``) checked out into a
           temporary folder and put first on ``sys.path``;
- ``new``  this working tree's code.

Reported per stage: seconds of each step, wall and CPU (the machine is shared: compare
CPU), peak resident memory (MB, of the whole process, the pickled inputs included), pages
written and the size of ``networks/`` and ``graph/``.

Usage::

    .venv/bin/python benchmarks/bench_network_pages.py --cache-dir CACHE [--old main]
    .venv/bin/python benchmarks/bench_network_pages.py --only new   # the new code alone
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
AS_OF = "2024-06-30"


def _fixture(path: Path, cache_dir: Path | None) -> None:
    """Build the inputs of the two steps once and pickle them at ``path``."""
    from stigraph.build.builder import GraphSource, open_graph
    from stigraph.outputs import aggregate
    from stigraph.outputs.facets import read_facets
    from stigraph.outputs.report import analysis
    from stigraph.projection.inputs import AnalysisInputs

    graph = open_graph(GraphSource(default_data=True, cache_dir=cache_dir)).graph
    inputs = AnalysisInputs(graph, as_of=AS_OF)
    ctx = analysis.run(inputs, group=None, country=None, top=10, recommendations=10, seed=42)
    views = list(analysis.network_views(ctx))
    data = {"views": views, "facets": read_facets(graph),
            "headquarters": aggregate.headquarters(graph),
            "projections": {v[0]: v[1] for v in analysis.VIEWS}}
    with open(path, "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _stage(fixture: Path, out: Path) -> dict[str, Any]:
    """Both steps with whatever ``stigraph`` is first on ``sys.path``."""
    from stigraph.outputs import aggregate
    from stigraph.outputs.exports import write_analyst_files
    from stigraph.outputs.facets import add_facets

    with open(fixture, "rb") as handle:
        data = pickle.load(handle)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the report's pages share one vis-network in networks/ where the code can (new code)
    shared = ({"assets": out / "networks"} if "assets" in
              inspect.signature(aggregate.write_network_pages).parameters else {})
    countries, labels = data["headquarters"]
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    pages = 0
    clock, spent = time.perf_counter(), time.process_time()
    for name, graph, size, title in data["views"]:
        written = aggregate.write_network_pages(
            add_facets(graph, facets=data["facets"]), out / "networks" / f"{name}.html",
            title=title, description="stigraph benchmark.", countries=countries,
            country_labels=labels, size_by=size, size_name="PageRank", seed=42, **shared)
        pages += len(written)
    seconds["network pages"] = time.perf_counter() - clock
    cpu["network pages"] = time.process_time() - spent
    peak_pages = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clock, spent = time.perf_counter(), time.process_time()
    for name, graph, size, _title in data["views"]:
        write_analyst_files(add_facets(graph, facets=data["facets"]),
                            out / "graph" / data["projections"][name], pagerank=size, seed=42,
                            description="stigraph benchmark.")
    seconds["gexf and vosviewer"] = time.perf_counter() - clock
    cpu["gexf and vosviewer"] = time.process_time() - spent
    return {"seconds": {k: round(v, 1) for k, v in seconds.items()},
            "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
            "peak_mb_inputs_loaded": round(loaded),
            "peak_mb_after_pages": round(peak_pages),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "pages": pages, "networks_mb": round(_size(out / "networks") / 1e6),
            "graph_mb": round(_size(out / "graph") / 1e6)}


def _run_stage(fixture: Path, code: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as out:
        env = {**os.environ, "PYTHONPATH": str(code)}
        done = subprocess.run([sys.executable, __file__, "--stage", str(fixture), out],
                              env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"stage with {code} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, help="Where the kept default graph is.")
    parser.add_argument("--fixture", type=Path,
                        default=Path(tempfile.gettempdir()) / "pages-bench-inputs.pickle")
    parser.add_argument("--old", default="main", help="The git revision of the old code.")
    parser.add_argument("--only", choices=("old", "new"))
    parser.add_argument("--stage", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(Path(args.stage[0]), Path(args.stage[1]))))
        return
    if not args.fixture.exists():
        clock = time.perf_counter()
        _fixture(args.fixture, args.cache_dir)
        print(f"inputs pickled at {args.fixture} in {time.perf_counter() - clock:.0f} s",
              file=sys.stderr)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="pages-old-") as old:
        if args.only != "new":
            subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", old,
                            args.old], check=True, capture_output=True)
            try:
                results["old"] = _run_stage(args.fixture, Path(old))
            finally:
                subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", old],
                               check=False, capture_output=True)
        if args.only != "old":
            results["new"] = _run_stage(args.fixture, HERE)
    if "old" in results and "new" in results:
        for step in results["new"]["seconds"]:
            for what in ("seconds", "cpu_seconds"):
                results[f"old/new {what} {step}"] = round(
                    results["old"][what][step] / max(results["new"][what][step], 1e-9), 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
