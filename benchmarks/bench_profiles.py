"""Benchmark: the country profiles section of the report on the default graph (seeds plus the
shipped data), against the report's own analysis inputs measured in the same run.

Stages, one process, wall time and peak memory (tracemalloc is not used: it slows rdflib down;
the peak is the process's maximum resident set from ``resource``):

- ``build``      the graph (``GraphSource(default_data=True)``, or ``--seeds-only``);
- ``inputs``     what the report computes before its sections: the country–organisation graph,
                 the cooperation graph and the country infos (the baseline the profiles reuse);
- ``profiles``   :func:`stigraph.outputs.report.profiles.report_section`: every developing
                 country's page, the index and their tables;
- ``one``        the same for Kenya alone (``stigraph report --country KE``).

The ratio ``profiles / inputs`` says what the section adds to the work the report does anyway.

Usage::

    .venv/bin/python benchmarks/bench_profiles.py [--seeds-only] [--as-of 2024-06-30]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from stigraph.build.builder import GraphSource, open_graph
from stigraph.outputs.report import profiles
from stigraph.projection.inputs import AnalysisInputs
from stigraph.queries.sparql import resolve_in_graph


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parts(inputs: AnalysisInputs) -> dict[str, float]:
    """Each shared read of the section on its own (a second, fresh ProfileData)."""
    data = profiles.ProfileData(inputs)
    countries = data.countries()
    steps = {"part.cordis": lambda: data.sources.projects,
             "part.facets": lambda: data.facets,
             "part.memberships": lambda: data.memberships,
             "part.gcf": lambda: data.gcf,
             "part.works": lambda: data.sources.works_of(countries[0]),
             "part.groups": lambda: data.sources.groups,
             "part.gaps": lambda: data.gaps(countries),
             "part.recommendations": lambda: data.recommendations(countries)}
    out: dict[str, float] = {}
    for name, step in steps.items():
        clock = time.perf_counter()
        step()
        out[name] = time.perf_counter() - clock
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds-only", action="store_true")
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--keep", type=Path, help="Write the profiles into this folder (kept, "
                        "e.g. for a screenshot) instead of a temporary one.")
    args = parser.parse_args()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    graph = open_graph(GraphSource(default_data=not args.seeds_only)).graph
    timings["build"] = time.perf_counter() - clock
    clock = time.perf_counter()
    inputs = AnalysisInputs(graph, as_of=args.as_of)
    _ = inputs.country_organisation, inputs.cooperation, inputs.infos
    timings["inputs"] = time.perf_counter() - clock
    with tempfile.TemporaryDirectory(prefix="bench-profiles-") as temporary:
        folder = str(args.keep) if args.keep else temporary
        clock = time.perf_counter()
        section, files = profiles.report_section(inputs, Path(folder))
        timings["profiles"] = time.perf_counter() - clock
        clock = time.perf_counter()
        kenya = str(resolve_in_graph(graph, "KE"))
        timings.update(_parts(inputs))
        profiles.report_section(inputs, Path(temporary) / "one", focus=kenya)
        timings["one"] = time.perf_counter() - clock
    print(json.dumps({
        "data": "seeds" if args.seeds_only else "default (seeds + shipped data)",
        "triples": len(graph), "as_of": args.as_of,
        "countries": len(section.tables[0].rows), "files": len(files),
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "profiles_over_inputs": round(timings["profiles"] / max(timings["inputs"], 1e-9), 2),
        "peak_mib": round(_peak_mib()),
    }, indent=2))


if __name__ == "__main__":
    main()
