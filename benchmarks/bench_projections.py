"""Benchmark: the big reads of the report's step "Projecting and analysing the networks" (and
of the network pages, the side-by-side and evaluation sections) on the default graph, the
named queries (the old path) against the statements and facts read once per graph
(:mod:`stigraph.projection.statements`, :mod:`stigraph.projection.reads`), in one run.

Each path runs in its own subprocess on the same kept graph (wall time of each read, peak
resident memory of the process), then the two are compared:

- ``old``: ``link-layers`` (the network pages' facets), ``link-sources`` (the report's link
  details), ``evidence-coauthorship`` (the OpenAlex layer), ``projection-country-country`` on
  the report's date and on the evaluation's cutoff, ``country-coauthorship`` (the side-by-side
  section), each as :func:`stigraph.queries.sparql.run_sparql` gives it;
- ``new``: the facts and the statements read once (each timed), then the same five results.

With ``--step`` each process also runs the step itself as the report does (the analysis
inputs, :func:`stigraph.outputs.report.analysis.run`, the network views, the facets, the
side-by-side and evaluation sections), the old process with the readers put back on the
queries. Every result is hashed: ``same`` says whether both paths gave the same rows.

The graph is the kept default graph of ``--cache-dir`` (built and kept there first if it is
not: about a minute). Usage::

    .venv/bin/python benchmarks/bench_projections.py --cache-dir /tmp/my-cache [--step]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

CUTOFF = "2019-12-31"


def _digest(value: Any) -> str:
    """A hash of a result that does not depend on dict or set order."""
    def canonical(x: Any) -> Any:
        if isinstance(x, dict):
            return sorted((repr(canonical(k)), canonical(v)) for k, v in x.items())
        if isinstance(x, set | frozenset):
            return sorted(repr(canonical(v)) for v in x)
        if isinstance(x, list | tuple):
            return [canonical(v) for v in x]
        return x
    return hashlib.sha256(repr(canonical(value)).encode()).hexdigest()[:16]


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


# ---- the old path: the named queries ------------------------------------------------------------


def _old_layers(graph: Any) -> dict[frozenset[str], set[str]]:
    from stigraph.queries.sparql import run_sparql

    layers: dict[frozenset[str], set[str]] = defaultdict(set)
    for row in run_sparql(graph, "link-layers", {}):
        if row.get("layer"):
            layers[frozenset((str(row["a"]), str(row["b"])))].add(str(row["layer"]).lower())
    return dict(layers)


def _old_sources(graph: Any) -> list[dict[str, Any]]:
    from stigraph.queries.sparql import run_sparql

    return sorted(run_sparql(graph, "link-sources", {}),
                  key=lambda r: tuple(str(r[k]) for k in ("a", "b", "relation", "start", "end")))


def _old_coauthorship(graph: Any, day: str | None) -> list[tuple[Any, ...]]:
    from stigraph.queries.sparql import run_sparql

    return sorted((str(r["a"]), str(r["b"]), r["year"], float(r["works"] or 0.0))
                  for r in run_sparql(graph, "evidence-coauthorship",
                                      {"as_of": day} if day else {}))


def _old_direct(graph: Any, day: str | None) -> list[tuple[str, str, float]]:
    from stigraph.projection import networks

    return networks.edge_rows(graph, "country-country", as_of=day)


def _old_country(graph: Any, day: str | None) -> list[dict[str, Any]]:
    from stigraph.queries.sparql import run_sparql

    return [{**r, "sources": r["sources"] or ""}  # Oxigraph: unbound when one has none
            for r in run_sparql(graph, "country-coauthorship", {"as_of": day} if day else {})]


def _put_back_the_queries() -> None:
    """The readers of :class:`~stigraph.projection.reads.GraphReads` on the queries again."""
    from stigraph.projection.reads import GraphReads

    GraphReads.link_layers = property(lambda self: _old_layers(self.graph))  # type: ignore
    GraphReads.link_sources = lambda self: _old_sources(self.graph)  # type: ignore
    GraphReads.coauthorship_rows = (  # type: ignore
        lambda self, day: _old_coauthorship(self.graph, day))
    GraphReads.direct_rows = lambda self, day: _old_direct(self.graph, day)  # type: ignore
    GraphReads.country_coauthorship = (  # type: ignore
        lambda self, day: _old_country(self.graph, day))


# ---- one process: one path ----------------------------------------------------------------------


def _timed(out: dict[str, Any], name: str, run: Callable[[], Any]) -> Any:
    clock = time.perf_counter()
    result = run()
    out["seconds"][name] = round(time.perf_counter() - clock, 2)
    out["digests"][name] = _digest(result)
    out["peak_mb"][name] = _peak_mb()
    print(f"  {name}: {out['seconds'][name]} s, peak {out['peak_mb'][name]} MB",
          file=sys.stderr, flush=True)
    return result


def _reads(out: dict[str, Any], graph: Any, path: str, day: str) -> None:
    from stigraph.projection.reads import GraphReads

    reads = GraphReads(graph)
    if path == "old":
        _put_back_the_queries()
    else:
        _timed(out, "facts (read once)", lambda: reads.facts)
        _timed(out, "statements (read once)", lambda: reads.statements)
    _timed(out, "link-layers", lambda: reads.link_layers)
    _timed(out, "link-sources", lambda: sorted(
        reads.link_sources(),
        key=lambda r: tuple(str(r[k]) for k in ("a", "b", "relation", "start", "end"))))
    _timed(out, "evidence-coauthorship", lambda: sorted(reads.coauthorship_rows(day)))
    _timed(out, "projection-country-country", lambda: reads.direct_rows(day))
    _timed(out, "projection-country-country (cutoff)", lambda: reads.direct_rows(CUTOFF))
    _timed(out, "country-coauthorship", lambda: reads.country_coauthorship(day))


def _step(out: dict[str, Any], graph: Any, day: str, charts: Path) -> None:
    from stigraph.outputs.facets import read_facets
    from stigraph.outputs.report import analysis
    from stigraph.outputs.report.side_by_side import side_by_side
    from stigraph.projection.inputs import AnalysisInputs

    inputs = AnalysisInputs(graph, as_of=day)
    context: list[Any] = []

    def run() -> Any:  # what the context holds, hashed: centralities, summary, link details
        context.append(analysis.run(inputs, group=None, country=None, top=10,
                                    recommendations=5, seed=0, chart_dir=charts))
        ctx = context[0]
        return (ctx.centrality, [(f.value, f.label) for f in ctx.summary], ctx.details,
                {name: sorted(g.edges(data="weight")) for name, g in ctx.projections.items()})

    _timed(out, "step: analysis.run", run)
    ctx = context[0]
    _timed(out, "step: network views", lambda: [
        (name, sorted(g.edges(data=True))[:1000]) for name, g, _r, _t
        in analysis.network_views(ctx)])
    _timed(out, "step: facets", lambda: read_facets(graph))
    _timed(out, "section: side by side", lambda: side_by_side(ctx).tables[0].rows)
    _timed(out, "section: evaluation", lambda: analysis.evaluation(ctx).tables[0].rows)


def _stage(path: str, cache_dir: Path, day: str, step: bool) -> None:
    import tempfile

    from stigraph.build.builder import GraphSource, open_graph

    out: dict[str, Any] = {"path": path, "seconds": {}, "digests": {}, "peak_mb": {}}
    clock = time.perf_counter()
    graph = open_graph(GraphSource(default_data=True, cache_dir=cache_dir)).graph
    out["open_s"] = round(time.perf_counter() - clock, 1)
    if step:
        if path == "old":
            _put_back_the_queries()
        with tempfile.TemporaryDirectory(prefix="bench-projections-") as charts:
            _step(out, graph, day, Path(charts))
    else:
        _reads(out, graph, path, day)
    print(json.dumps(out))


def _run_stage(path: str, options: argparse.Namespace) -> dict[str, Any]:
    load = os.getloadavg()[0]
    args = [sys.executable, __file__, "--stage", path, "--cache-dir", str(options.cache_dir),
            "--as-of", options.as_of] + (["--step"] if options.step else [])
    print(f"{path}:", file=sys.stderr, flush=True)
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"stage {path} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = round(load, 1), round(os.getloadavg()[0], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache-dir", type=Path, required=True,
                        help="where the default graph is kept (built there if it is not)")
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--step", action="store_true",
                        help="time the report's step and sections instead of the reads alone")
    parser.add_argument("--stage", choices=("old", "new"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.stage:
        _stage(options.stage, options.cache_dir, options.as_of, options.step)
        return
    old, new = _run_stage("old", options), _run_stage("new", options)
    names = list(old["seconds"])
    rows = {name: {"old_s": old["seconds"][name], "new_s": new["seconds"][name],
                   "old_over_new": round(old["seconds"][name] / max(new["seconds"][name], 0.01),
                                         1),
                   "same": old["digests"][name] == new["digests"][name]} for name in names}
    once = {name: s for name, s in new["seconds"].items() if name not in old["seconds"]}
    total_old = sum(old["seconds"].values())
    total_new = sum(new["seconds"].values())
    print(json.dumps({
        "as_of": options.as_of, "cutoff": CUTOFF, "reads": rows, "new_only": once,
        "total_old_s": round(total_old, 1), "total_new_s": round(total_new, 1),
        "old_over_new": round(total_old / max(total_new, 0.01), 1),
        "peak_mb": {"old": max(old["peak_mb"].values()), "new": max(new["peak_mb"].values())},
        "load": {"old": [old["load_before"], old["load_after"]],
                 "new": [new["load_before"], new["load_after"]]},
    }, indent=1))


if __name__ == "__main__":
    main()
