"""Benchmark: the whole pipeline on the full Horizon Europe data.

Stages (each in its own subprocess, so its peak memory ``ru_maxrss`` is its own):

1. ``import``      CORDIS CSVs -> N-Triples file (stigraph.importers)
2. ``build``       ontology + seeds (stigraph.build.builder) + the import bulk-loaded into the same
                   Oxigraph store (``--include-via-build``: through build_graph's include)
3. ``validate``    SHACL (stigraph.validate.shacl), the shapes compiled to SPARQL and run by
                   Oxigraph (``engine="sparql"``)
4. ``projection``  country–country and actor–actor projections (stigraph.projection.networks)
5. ``centrality``  centralities of the country–country projection (stigraph.analytics)
6. ``recommend``   recommendations for every developing country (stigraph.analytics)
7. ``neo4j``       load over Bolt (stigraph.neo4j) into NEO4J_URI, or into a local Neo4j
                   server started for the run (stigraph.neo4j.server; `make neo4j-resolve`)

``--validate-ratio N`` adds a comparison stage ``validate-ratio``: the seeds plus the first N
lines of the import, validated by pyshacl and by the SPARQL engine in the same process, with
both times, their ratio and whether both report the same violations.

Stages 3–7 start from the built graph; the time to rebuild it in their process is reported
as ``setup_s`` and left out of the stage's own ``seconds``. A stage whose library is missing
reports "not available"; one that runs over ``--timeout`` reports "timed out".

Usage::

    .venv/bin/python benchmarks/bench_pipeline.py --data ../shared/data/cordis_horizon_europe
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STAGES = ("import", "build", "validate", "projection", "centrality", "recommend", "neo4j")
EXTRA_STAGES = ("validate-ratio",)
REPO = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _graph(nt_file: Path) -> Any:
    from stigraph.build.builder import build_graph

    minimal = os.environ.get("STIGRAPH_BENCH_SEEDS")
    if os.environ.get("STIGRAPH_BENCH_INCLUDE") == "build":  # build_graph(include=...) as is
        if minimal:
            return build_graph([Path(minimal)], store="oxigraph", include=[nt_file],
                               default_seeds=False).graph
        return build_graph(store="oxigraph", include=[nt_file]).graph
    # Seeds through build_graph, the import through Oxigraph's bulk loader.
    graph = (build_graph([Path(minimal)], store="oxigraph", default_seeds=False) if minimal
             else build_graph(store="oxigraph")).graph
    graph.parse(nt_file, format="ox-nt", transactional=False)
    return graph


def _validate_ratio(nt_file: Path, lines: int) -> dict[str, Any]:
    """pyshacl and the SPARQL engine on the same graph: the seeds + a prefix of the import."""
    from stigraph.build.builder import build_graph
    from stigraph.validate.shacl import validate_graph

    graph = build_graph(store="oxigraph").graph
    with nt_file.open("rb") as handle:
        head = b"".join(line for _, line in zip(range(lines), handle, strict=False))
    graph.parse(data=head, format="ox-nt")
    times, found = {}, {}
    for engine in ("sparql", "pyshacl"):
        t0 = time.perf_counter()
        report = validate_graph(graph, engine=engine)
        times[engine] = time.perf_counter() - t0
        found[engine] = {(v.focus, v.path, v.constraint, v.value) for v in report.violations}
    return {"triples": len(graph), "sparql_s": round(times["sparql"], 2),
            "pyshacl_s": round(times["pyshacl"], 2),
            "ratio": round(times["pyshacl"] / times["sparql"], 1),
            "violations": len(found["pyshacl"]), "same": found["sparql"] == found["pyshacl"]}


def run_stage(stage: str, data: Path, nt_file: Path, ratio_lines: int = 0) -> dict[str, Any]:
    setup = 0.0
    detail: Any = None
    if stage == "validate-ratio":
        started = time.perf_counter()
        detail = _validate_ratio(nt_file, ratio_lines)
    elif stage == "import":
        from stigraph.importers import import_cordis

        started = time.perf_counter()
        result = import_cordis(data, nt_file)
        detail = {"triples": result.triples, "matches": len(result.matches)}
    elif stage == "build":
        started = time.perf_counter()
        graph = _graph(nt_file)
        detail = {"triples": len(graph)}
    else:
        t0 = time.perf_counter()
        graph = _graph(nt_file)
        setup = time.perf_counter() - t0
        started = time.perf_counter()
        if stage == "validate":
            from stigraph.validate.shacl import validate_graph

            report = validate_graph(graph, engine="sparql")
            detail = {"violations": len(report.violations),
                      "by_constraint": _count(v.constraint for v in report.violations)}
        elif stage == "projection":
            from stigraph.projection.networks import project

            sizes = {}
            for name in ("country-country", "actor-actor"):
                G = project(graph, name)
                sizes[name] = [G.number_of_nodes(), G.number_of_edges()]
            detail = sizes
        elif stage == "centrality":
            from stigraph.analytics.api import centrality_report
            from stigraph.projection.inputs import AnalysisInputs

            detail = {"rows": len(centrality_report(AnalysisInputs(graph),
                                                    projection="country-country"))}
        elif stage == "recommend":
            from stigraph.analytics.api import recommend_report
            from stigraph.projection.inputs import AnalysisInputs

            detail = {"rows": len(recommend_report(AnalysisInputs(graph), group="developing",
                                                   top=10))}
        elif stage == "neo4j":
            detail = _neo4j(graph)
    return {"stage": stage, "seconds": round(time.perf_counter() - started, 2),
            "setup_s": round(setup, 2), "peak_mb": round(_peak_mb(), 1), "detail": detail}


def _count(items: Any) -> dict[str, int]:
    from collections import Counter

    return dict(Counter(items))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return int(s.getsockname()[1])


def _neo4j(graph: Any) -> dict[str, Any]:
    import neo4j

    from stigraph.neo4j.loader import load_graph
    from stigraph.neo4j.mapping import map_graph
    from stigraph.neo4j.settings import LoadOptions, Neo4jSettings

    server = None
    if os.environ.get("NEO4J_URI"):
        settings = Neo4jSettings(uri=os.environ["NEO4J_URI"],
                                 user=os.environ.get("NEO4J_USER", "neo4j"),
                                 password=os.environ.get("NEO4J_PASSWORD"),
                                 database=os.environ.get("NEO4J_DATABASE", "neo4j"))
    else:
        from stigraph.neo4j import server as local

        password = secrets.token_hex(12)
        root = Path(tempfile.mkdtemp(prefix="bench-neo4j-"))
        home = local.LocalNeo4j(root, bolt_port=_free_port(), http_port=_free_port())
        server = (home, local.start(home, password))
        settings = home.settings(password)
    try:
        t0 = time.perf_counter()
        pg = map_graph(graph)
        mapped = time.perf_counter() - t0
        driver = neo4j.GraphDatabase.driver(settings.uri,
                                            auth=(settings.user, settings.password or ""))
        try:
            summary = load_graph(driver, pg, settings=settings, options=LoadOptions())
        finally:
            driver.close()
        return {"map_s": round(mapped, 2), "summary": str(summary)[:300]}
    finally:
        if server is not None:
            local.stop(*server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="folder with the CORDIS CSVs (../shared/data/cordis_horizon_europe)")
    parser.add_argument("--stage", choices=STAGES + EXTRA_STAGES,
                        help="run one stage (used internally)")
    parser.add_argument("--nt", type=Path, help="N-Triples file shared by the stages")
    parser.add_argument("--only", nargs="*", choices=STAGES, help="run only these stages")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per stage")
    parser.add_argument("--minimal-seeds", action="store_true",
                        help="build with the country, group and actor seeds only (not the "
                        "curated memberships), e.g. while those are being edited")
    parser.add_argument("--include-via-build", action="store_true",
                        help="add the import with build_graph(include=...) instead of "
                        "Oxigraph's bulk loader")
    parser.add_argument("--validate-ratio", type=int, default=0, metavar="LINES",
                        help="also time pyshacl against the SPARQL engine on the seeds plus "
                        "the first LINES lines of the import")
    args = parser.parse_args()
    if args.include_via_build:
        os.environ["STIGRAPH_BENCH_INCLUDE"] = "build"
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.data, args.nt, args.validate_ratio),
                         default=str))
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        nt_file = Path(tmp) / "cordis.nt"
        if args.minimal_seeds:
            import shutil

            from stigraph.resources import seeds_dir

            seeds = Path(tmp) / "seeds"
            seeds.mkdir()
            for pattern in ("countries*.csv", "country-groups*.csv", "income-groups*.csv",
                            "actors*.csv"):
                for path in seeds_dir().glob(pattern):
                    shutil.copy(path, seeds / path.name)
            os.environ["STIGRAPH_BENCH_SEEDS"] = str(seeds)
        stages = STAGES + (EXTRA_STAGES if args.validate_ratio else ())
        for stage in stages:
            if args.only and stage not in args.only and stage not in ("import", *EXTRA_STAGES):
                continue
            try:
                out = subprocess.run(
                    [sys.executable, __file__, "--data", str(args.data), "--stage", stage,
                     "--nt", str(nt_file), "--validate-ratio", str(args.validate_ratio)],
                    capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                row: dict[str, Any] = {"stage": stage, "status": f"timed out ({args.timeout} s)"}
            else:
                if out.returncode == 0:
                    row = json.loads(out.stdout.strip().splitlines()[-1])
                    row["status"] = "ok"
                elif "ModuleNotFoundError" in out.stderr or "ImportError" in out.stderr:
                    row = {"stage": stage, "status": "not available"}
                else:
                    tail = out.stderr.strip().splitlines()[-1:] or ["?"]
                    row = {"stage": stage, "status": f"failed: {tail[0][:200]}"}
            rows.append(row)
            print(json.dumps(row, default=str), flush=True)
    total = sum(float(r.get("seconds", 0)) for r in rows)
    print(f"total stage time {total:.1f} s; "
          f"max peak {max(float(r.get('peak_mb', 0)) for r in rows):.0f} MB")


if __name__ == "__main__":
    main()
