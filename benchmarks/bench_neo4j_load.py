"""Benchmark: batched Bolt loading vs naive one-statement-per-triple loading, in one run.

The graph is the seed graph replicated N times with renamed instance IRIs (the ontology is
shared), or with ``--include FILE`` the seeds plus a real import (the Horizon Europe data).
The batched loader maps and loads all of it; the naive baseline sends one MERGE per triple,
each in its own auto-commit transaction, on an evenly spread subset. Reports triples/s for
both, the ratio with and without the mapping, rows/s for the batched load, the client's CPU
time, wall time and peak memory (max RSS).

Server: NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE if set (its stigraph data is
wiped), else an ArcadeDB Bolt server started in its own process (arcadedb-embedded).

    .venv/bin/python benchmarks/bench_neo4j_load.py --copies 10 --naive-triples 2000
    .venv/bin/stigraph import cordis ../shared/data/cordis_horizon_europe --out he.nt
    .venv/bin/python benchmarks/bench_neo4j_load.py --include he.nt --repeat 1
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import neo4j
from rdflib import Graph, URIRef

from stigraph.build.builder import build_graph
from stigraph.neo4j.loader import WIPE_NODES, WIPE_PREFIXES, load_graph
from stigraph.neo4j.mapping import map_graph
from stigraph.neo4j.settings import LoadOptions, Neo4jSettings
from stigraph.vocab.namespaces import ID_BASE, RDF

ROOT = Path(__file__).resolve().parent.parent
SERVER_SCRIPT = ROOT / "tests" / "bolt" / "bolt_server.py"


def replicate(graph: Graph, copies: int) -> Graph:
    """``copies`` copies of the instance data under ``id/r{k}/…``; ontology triples once."""
    out = Graph()

    def rename(term: Any, k: int) -> Any:
        if isinstance(term, URIRef) and str(term).startswith(ID_BASE):
            return URIRef(f"{ID_BASE}r{k}/{str(term)[len(ID_BASE):]}")
        return term

    for s, p, o in graph:
        if not (isinstance(s, URIRef) and str(s).startswith(ID_BASE)):
            out.add((s, p, o))
            continue
        for k in range(copies):
            out.add((rename(s, k), p, rename(o, k)))
    return out


def start_server(root: Path) -> tuple[Neo4jSettings, subprocess.Popen[str]]:
    import socket

    def port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    password = secrets.token_hex(12)
    bolt = port()
    env = dict(os.environ, STIGRAPH_TEST_BOLT_PASSWORD=password)
    with (root / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), str(root / "db"), str(bolt), str(port()),
             "bench"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
            env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY"):
        raise SystemExit(f"server did not start; see {root / 'server.log'}")
    return Neo4jSettings(f"bolt://localhost:{bolt}", "root", password, "bench"), process


def wipe(driver: neo4j.Driver, database: str) -> None:
    with driver.session(database=database) as session:
        while session.run(WIPE_NODES, {"limit": 5000}).single()[0]:  # type: ignore[index]
            pass
        session.run(WIPE_PREFIXES).consume()


def naive_load(driver: neo4j.Driver, database: str, graph: Graph, limit: int) -> tuple[int, float]:
    """One MERGE statement per triple, each in its own auto-commit transaction.

    The subset is every k-th triple of the sorted graph, so that it has the same mix of
    types, literals and links as the whole (a sorted prefix is mostly one kind of subject).
    It runs after the batched load's wipe, with the same uniqueness constraint (index) in place.
    """
    ordered = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    step = max(1, len(ordered) // max(1, limit))
    triples = ordered[::step][:limit]
    started = time.perf_counter()
    with driver.session(database=database) as session:
        for s, p, o in triples:
            if p == RDF.type:
                session.run("MERGE (n:Resource {uri: $s}) "
                            "SET n.rdfTypes = coalesce(n.rdfTypes, []) + $o",
                            {"s": str(s), "o": str(o)}).consume()
            elif isinstance(o, URIRef):
                session.run("MERGE (a:Resource {uri: $s}) MERGE (b:Resource {uri: $o}) "
                            "MERGE (a)-[:REL {predicate: $p}]->(b)",
                            {"s": str(s), "p": str(p), "o": str(o)}).consume()
            else:
                session.run("MERGE (n:Resource {uri: $s}) SET n += $props",
                            {"s": str(s), "props": {str(p).rsplit("/", 1)[-1]: str(o)}}).consume()
    return len(triples), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--naive-triples", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="batched loads; the best counts")
    parser.add_argument("--include", type=Path, metavar="FILE",
                        help="load the seeds plus this RDF file (e.g. `stigraph import cordis` "
                        "output) instead of replicated seeds; built on Oxigraph")
    args = parser.parse_args()

    base = build_graph().graph
    if args.include:
        graph = build_graph(store="oxigraph", include=[args.include]).graph
    else:
        graph = replicate(base, args.copies)
    t0 = time.perf_counter()
    pg = map_graph(graph)
    mapping_s = time.perf_counter() - t0
    rows = len(pg.nodes) + len(pg.relationships)

    process = None
    with tempfile.TemporaryDirectory() as tmp:
        if os.environ.get("NEO4J_URI"):
            settings = Neo4jSettings(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                     os.environ.get("NEO4J_PASSWORD"),
                                     os.environ.get("NEO4J_DATABASE", "neo4j"))
            server = settings.uri
        else:
            settings, process = start_server(Path(tmp))
            server = "ArcadeDB (arcadedb-embedded) Bolt plugin"
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user,
                                                                 settings.password or ""))
        try:
            # Warm-up (a fresh JVM server runs its first minute of Cypher several times slower):
            # load the seed graph once and a naive slice, then wipe. Both measured loads run warm.
            wipe(driver, settings.database)
            load_graph(driver, map_graph(base), settings=settings,
                       options=LoadOptions(batch_size=args.batch_size))
            naive_load(driver, settings.database, base, 500)
            wipe(driver, settings.database)
            # The JVM keeps speeding up over the first loads: take the best of --repeat loads.
            batched_s, client_s = float("inf"), 0.0
            for attempt in range(args.repeat):
                if attempt:
                    wipe(driver, settings.database)
                t0, c0 = time.perf_counter(), time.process_time()
                summary = load_graph(driver, pg, settings=settings,
                                     options=LoadOptions(batch_size=args.batch_size))
                if time.perf_counter() - t0 < batched_s:
                    batched_s = time.perf_counter() - t0
                    client_s = time.process_time() - c0
            t0 = time.perf_counter()
            again = load_graph(driver, pg, settings=settings,
                               options=LoadOptions(batch_size=args.batch_size))
            reload_s = time.perf_counter() - t0
            wipe(driver, settings.database)
            naive_n, naive_s = naive_load(driver, settings.database, graph, args.naive_triples)
            wipe(driver, settings.database)
        finally:
            driver.close()
            if process is not None:
                assert process.stdin is not None and process.stdout is not None
                process.stdin.close()
                process.wait(timeout=60)
                process.stdout.close()

    batched_tps = len(graph) / (mapping_s + batched_s)
    naive_tps = naive_n / naive_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"server: {server}")
    what = f"seeds + {args.include.name}" if args.include else \
        f"{args.copies} copies of the seed graph"
    print(f"graph: {len(graph):,} triples ({what}) -> "
          f"{len(pg.nodes):,} nodes, {len(pg.relationships):,} relationships")
    print(f"batched: map {mapping_s:.1f} s + load {batched_s:.1f} s "
          f"({summary.batches} batches of <= {args.batch_size}, best of {args.repeat}); "
          f"{rows / batched_s:,.0f} rows/s; {batched_tps:,.0f} triples/s including mapping")
    print(f"client CPU (this process: mapping excluded, packing rows, the driver): "
          f"{client_s:.1f} s of the {batched_s:.1f} s load")
    print(f"created {summary.nodes_created:,} nodes, "
          f"{summary.relationships_created:,} relationships")
    print(f"reload (no changes): {reload_s:.1f} s, created {again.nodes_created}, "
          f"updated {again.nodes_updated + again.relationships_updated}")
    print(f"naive: {naive_n:,} triples in {naive_s:.1f} s = {naive_tps:,.0f} triples/s "
          "(one MERGE per triple, auto-commit)")
    load_tps = len(graph) / batched_s
    print(f"ratio batched/naive: {batched_tps / naive_tps:.1f}x (triples/s, including mapping); "
          f"{load_tps / naive_tps:.1f}x (load only, {load_tps:,.0f} triples/s)")
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
