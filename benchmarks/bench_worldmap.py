"""Benchmark: the country profiles' maps on the default graph (seeds plus the shipped data).

One process, the profiles section (:func:`stigraph.outputs.report.profiles.report_section`)
run twice on the same analysis inputs:

- ``without maps``  the section with the map functions answering an empty string (the code
                    path before the maps), run first, so it also pays the shared reads;
- ``with maps``     the section as shipped, the time spent inside the map functions summed
                    (``maps``: the ~140 partner maps and the index's four choropleths);

then the drawing alone, from a cold start of the geometry, under tracemalloc (its peak is the
maps' own memory): loading the shipped file, the paths at both widths, every map drawn again
with the values of the run. Also the bytes the maps add to the pages. ``--keep`` writes the
with-maps profiles into a folder (for a screenshot).

Usage::

    STIGRAPH_CACHE_DIR=... .venv/bin/python benchmarks/bench_worldmap.py [--cache-dir DIR]
        [--as-of 2024-06-30] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from stigraph.build.builder import GraphSource, open_graph
from stigraph.outputs import worldmap
from stigraph.outputs.report import profile_maps, profiles
from stigraph.projection.inputs import AnalysisInputs


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bytes(folder: Path) -> dict[str, int]:
    pages = [p for p in folder.glob("*.html") if p.name != "index.html"]
    return {"index": (folder / "index.html").stat().st_size,
            "pages": sum(p.stat().st_size for p in pages), "count": len(pages)}


def _run(inputs: AnalysisInputs, folder: Path, *, maps: bool) -> tuple[float, float, list]:
    """The section's time, the time inside the map functions, and their calls' arguments."""
    spent = [0.0]
    calls: list[tuple[str, tuple[Any, ...]]] = []
    original = {"partner_map": profile_maps.partner_map, "index_maps": profile_maps.index_maps}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            clock = time.perf_counter()
            result = function(*args) if maps else (
                Markup("") if name == "partner_map"
                else profile_maps.IndexMaps(Markup(""), Markup(""), ()))
            spent[0] += time.perf_counter() - clock
            calls.append((name, args))
            return result
        return wrapper

    for name, function in original.items():
        setattr(profile_maps, name, timed(name, function))
    try:
        clock = time.perf_counter()
        profiles.report_section(inputs, folder)
        total = time.perf_counter() - clock
    finally:
        for name, function in original.items():
            setattr(profile_maps, name, function)
    return total, spent[0], calls


def _draw_cold(calls: list[tuple[str, tuple[Any, ...]]]) -> tuple[float, float]:
    """Every map of the run drawn again from a cold geometry: seconds, tracemalloc peak MiB."""
    worldmap.load.cache_clear()
    tracemalloc.start()
    clock = time.perf_counter()
    for name, args in calls:
        getattr(profile_maps, name)(*args)
    seconds = time.perf_counter() - clock
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path,
                        default=os.environ.get("STIGRAPH_CACHE_DIR") or None)
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    clock = time.perf_counter()
    graph = open_graph(GraphSource(default_data=True, cache_dir=args.cache_dir)).graph
    opened = time.perf_counter() - clock
    inputs = AnalysisInputs(graph, as_of=args.as_of)
    with tempfile.TemporaryDirectory(prefix="bench-worldmap-") as temporary:
        plain, with_maps = Path(temporary) / "plain", args.keep or Path(temporary) / "maps"
        before, _, _ = _run(inputs, plain, maps=False)
        after, inside, calls = _run(inputs, with_maps, maps=True)
        cold, peak = _draw_cold(calls)
        sizes = {"without": _bytes(plain / profiles.FOLDER),
                 "with": _bytes(with_maps / profiles.FOLDER)}
    print(json.dumps({
        "triples": len(graph), "as_of": args.as_of, "open_graph_s": round(opened, 1),
        "maps_drawn": len(calls),
        "seconds": {"section_without_maps": round(before, 2),
                    "section_with_maps": round(after, 2), "inside_map_functions": round(inside, 3),
                    "all_maps_again_from_cold_geometry": round(cold, 3)},
        "maps_share_of_section": round(inside / max(after, 1e-9), 4),
        "maps_peak_mib_tracemalloc": round(peak, 1), "process_peak_mib": round(_peak_mib()),
        "bytes": sizes,
        "geometry_bytes": worldmap.GEOMETRY.stat().st_size,
    }, indent=2))


if __name__ == "__main__":
    main()
