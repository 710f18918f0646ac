"""Benchmark: stigraph's loader vs rdflib-neo4j vs naive one-statement-per-triple, in one run.

The graph is the seed graph replicated N times with renamed instance IRIs (the ontology is
shared), or with ``--include FILE`` the seeds plus a real import (the Horizon Europe data).
Three loaders write it into the same warm server, each into an emptied database with the same
uniqueness constraint on ``(:Resource {uri})``:

- stigraph: the mapping (RDF -> labelled property-graph rows, timed) and the batched load;
- rdflib-neo4j (Neo4j Labs' rdflib store, the ``bench`` extra): every triple added to an
  rdflib ``Graph`` backed by ``Neo4jStore`` (its batching on, 5,000 triples a batch;
  ``HANDLE_VOCAB_URI_STRATEGY.IGNORE``: property names are local names, as stigraph's are);
- naive: one MERGE per triple, each in its own auto-commit transaction, on an evenly spread
  subset of ``--naive-triples``.

For each: wall time, triples/s, the client's CPU time (this process), the server's CPU time
(the JVM's, from /proc, when the benchmark started the server) and the server's peak heap
in use (JMX ``HeapMemoryUsage.used``, sampled every 0.2 s); the ratios of stigraph to the
others, with the mapping counted.

Server: NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE if set (its stigraph data is
wiped), else a local Neo4j 5.26 Community started for the run (stigraph.neo4j.server; run
`make neo4j-resolve` once).

    .venv/bin/python benchmarks/bench_neo4j_load.py --copies 3
    .venv/bin/stigraph import cordis ../shared/data/cordis_horizon_europe --out he.nt
    .venv/bin/python benchmarks/bench_neo4j_load.py --include he.nt --repeat 1
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
from rdflib import Graph, URIRef

from stigraph.build.builder import build_graph
from stigraph.neo4j.loader import WIPE_NODES, WIPE_PREFIXES, load_graph
from stigraph.neo4j.mapping import map_graph
from stigraph.neo4j.settings import LoadOptions, Neo4jSettings
from stigraph.vocab.namespaces import ID_BASE, RDF


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


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _jvm_cpu(pid: int | None) -> float:
    """User + system CPU seconds of the server process so far (Linux /proc)."""
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


HEAP = ("CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
        "RETURN attributes.HeapMemoryUsage.value.properties.used AS used")


@dataclass
class Phase:
    wall_s: float
    client_s: float
    server_s: float
    heap_mb: float


def measure(driver: neo4j.Driver, pid: int | None, work: Callable[[], Any]) -> tuple[Phase, Any]:
    """Run ``work`` while a thread samples the server's used heap; the costs of the run."""
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                used = driver.execute_query(HEAP, database_="system").records[0][0]
                peak[0] = max(peak[0], float(used))
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, TypeError):
                pass
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    s0, c0, t0 = _jvm_cpu(pid), time.process_time(), time.perf_counter()
    sampler.start()
    try:
        result = work()
    finally:
        done.set()
        sampler.join()
    wall = time.perf_counter() - t0
    return Phase(wall, time.process_time() - c0, _jvm_cpu(pid) - s0, peak[0] / 2**20), result


def rdflib_neo4j_load(settings: Neo4jSettings, graph: Graph) -> int:
    """Every triple through rdflib-neo4j's store; returns how many were added."""
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    config = Neo4jStoreConfig(
        auth_data={"uri": settings.uri, "database": settings.database, "user": settings.user,
                   "pwd": settings.password or ""},
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE, batching=True)
    store = Neo4jStore(config=config)
    target = Graph(store=store)
    added = 0
    for triple in graph:
        target.add(triple)
        added += 1
    target.close(True)
    return added


def counts(driver: neo4j.Driver, database: str) -> tuple[int, int]:
    with driver.session(database=database) as session:
        nodes = session.run("MATCH (n:Resource) RETURN count(n)").single()[0]  # type: ignore[index]
        rels = session.run("MATCH (:Resource)-[r]->() RETURN count(r)").single()[0]  # type: ignore[index]
    return int(nodes), int(rels)


def wipe(driver: neo4j.Driver, database: str) -> None:
    with driver.session(database=database) as session:
        while session.run(WIPE_NODES, {"limit": 5000}).single()[0]:  # type: ignore[index]
            pass
        session.run(WIPE_PREFIXES).consume()


def naive_subset(graph: Graph, limit: int) -> list[Any]:
    """Every k-th triple of the sorted graph, so that the subset has the same mix of types,
    literals and links as the whole (a sorted prefix is mostly one kind of subject)."""
    ordered = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    step = max(1, len(ordered) // max(1, limit))
    return ordered[::step][:limit]


def naive_load(driver: neo4j.Driver, database: str, triples: list[Any]) -> tuple[int, float]:
    """One MERGE statement per triple, each in its own auto-commit transaction.

    It runs after the batched load's wipe, with the same uniqueness constraint (index) in place.
    """
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
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--naive-triples", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="batched loads; the best counts")
    parser.add_argument("--include", type=Path, metavar="FILE",
                        help="load the seeds plus this RDF file (e.g. `stigraph import cordis` "
                        "output) instead of replicated seeds; built on Oxigraph")
    parser.add_argument("--heap", default="3g", help="heap of the server started for the run")
    parser.add_argument("--page-cache", default="2g")
    parser.add_argument("--skip-rdflib-neo4j", action="store_true")
    args = parser.parse_args()

    base = build_graph().graph
    if args.include:
        graph = build_graph(store="oxigraph", include=[args.include]).graph
    else:
        graph = replicate(base, args.copies)
    t0, c0 = time.perf_counter(), time.process_time()
    pg = map_graph(graph)
    mapping_s, mapping_cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = len(pg.nodes) + len(pg.relationships)

    from stigraph.neo4j import server as local

    home = None
    with tempfile.TemporaryDirectory() as tmp:
        if os.environ.get("NEO4J_URI"):
            settings = Neo4jSettings(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                     os.environ.get("NEO4J_PASSWORD"),
                                     os.environ.get("NEO4J_DATABASE", "neo4j"))
            server, pid = settings.uri, None
        else:
            home = local.LocalNeo4j(Path(tmp), bolt_port=_port(), http_port=_port(),
                                    heap=args.heap, page_cache=args.page_cache)
            password = secrets.token_hex(12)
            process = local.start(home, password)
            settings, pid = home.settings(password), process.pid
            server = (f"Neo4j {local.version(local.default_dist())} Community, local, "
                      f"heap {args.heap}, page cache {args.page_cache}")
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user,
                                                                 settings.password or ""))
        options = LoadOptions(batch_size=args.batch_size)
        try:
            # Warm-up (a fresh JVM runs its first minute of Cypher several times slower):
            # each loader once on the seed graph, then wipe. The measured loads run warm.
            wipe(driver, settings.database)
            load_graph(driver, map_graph(base), settings=settings, options=options)
            wipe(driver, settings.database)
            if not args.skip_rdflib_neo4j:
                rdflib_neo4j_load(settings, base)
                wipe(driver, settings.database)
            naive_load(driver, settings.database, naive_subset(base, 500))
            wipe(driver, settings.database)
            # The JVM keeps speeding up over the first loads: take the best of --repeat loads.
            best: Phase | None = None
            for attempt in range(args.repeat):
                if attempt:
                    wipe(driver, settings.database)
                phase, summary = measure(driver, pid, lambda: load_graph(
                    driver, pg, settings=settings, options=options))
                if best is None or phase.wall_s < best.wall_s:
                    best = phase
            assert best is not None
            ours = counts(driver, settings.database)
            t0 = time.perf_counter()
            again = load_graph(driver, pg, settings=settings, options=options)
            reload_s = time.perf_counter() - t0
            wipe(driver, settings.database)
            peer: Phase | None = None
            if not args.skip_rdflib_neo4j:
                peer, peer_triples = measure(driver, pid, lambda: rdflib_neo4j_load(settings,
                                                                                    graph))
                theirs = counts(driver, settings.database)
                wipe(driver, settings.database)
            subset = naive_subset(graph, args.naive_triples)
            naive, (naive_n, naive_s) = measure(driver, pid, lambda: naive_load(
                driver, settings.database, subset))
            wipe(driver, settings.database)
        finally:
            driver.close()
            if home is not None:
                local.stop(home, process)

    n = len(graph)
    ours_s = mapping_s + best.wall_s
    ours_tps = n / ours_s
    naive_tps = naive_n / naive_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"server: {server}")
    what = f"seeds + {args.include.name}" if args.include else \
        f"{args.copies} copies of the seed graph"
    print(f"graph: {n:,} triples ({what}) -> "
          f"{len(pg.nodes):,} nodes, {len(pg.relationships):,} relationships")

    def costs(p: Phase) -> str:
        return (f"client CPU {p.client_s:.1f} s, server CPU {p.server_s:.1f} s, "
                f"server heap used <= {p.heap_mb:,.0f} MB")

    print(f"stigraph: map {mapping_s:.1f} s (CPU {mapping_cpu:.1f} s) + load {best.wall_s:.1f} s "
          f"({summary.batches} batches of <= {args.batch_size}, best of {args.repeat}); "
          f"{rows / best.wall_s:,.0f} rows/s; {ours_tps:,.0f} triples/s including mapping; "
          f"{costs(best)} (load)")
    print(f"  wrote {ours[0]:,} nodes, {ours[1]:,} relationships; reload (no changes): "
          f"{reload_s:.1f} s, created {again.nodes_created}, "
          f"updated {again.nodes_updated + again.relationships_updated}")
    if peer is not None:
        peer_tps = n / peer.wall_s
        print(f"rdflib-neo4j: {peer_triples:,} triples in {peer.wall_s:.1f} s = "
              f"{peer_tps:,.0f} triples/s; {costs(peer)}; wrote {theirs[0]:,} nodes, "
              f"{theirs[1]:,} relationships")
        cpu_ratio = (peer.client_s + peer.server_s) / (mapping_cpu + best.client_s
                                                        + best.server_s)
        print(f"ratio stigraph/rdflib-neo4j: {ours_tps / peer_tps:.1f}x (mapping counted); "
              f"{peer.wall_s / best.wall_s:.1f}x (load only); {cpu_ratio:.1f}x in CPU time, "
              "client + server (mapping counted)")
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    print(f"naive: {naive_n:,} triples in {naive_s:.1f} s = {naive_tps:,.0f} triples/s "
          f"(one MERGE per triple, auto-commit); {costs(naive)}")
    load_tps = n / best.wall_s
    print(f"ratio stigraph/naive: {ours_tps / naive_tps:.1f}x (triples/s, mapping counted); "
          f"{load_tps / naive_tps:.1f}x (load only, {load_tps:,.0f} triples/s)")
    print(f"peak memory of this process (max RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
