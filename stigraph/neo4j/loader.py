"""Load a mapped graph into Neo4j: batched, idempotent, with a summary from the server's counters.

Order of work: the uniqueness constraint on ``(:Resource {uri})``; optionally a wipe of
stigraph's data (``:Resource`` nodes and the prefix node, in batches); the prefix table; the
nodes, one Cypher text per label set; the relationships, one Cypher text per type. Every batch
is one transaction (``UNWIND $rows …``), values are always parameters, and each batch writes
only rows whose ``rdfHash`` differs from what the server holds — so a second load changes
nothing, and a load that was interrupted converges when rerun.

Each node batch is one transaction that first reads which of its URIs exist and with which
``rdfHash``, then ``CREATE (m:Resource:Labels)`` for the missing ones and a hash-guarded
``SET n = row.props`` for the changed ones: under the uniqueness constraint this is the same
as ``MERGE (n:Resource:Labels {uri})``, and a first load skips the read (see below).
(It also avoided the quadratic multi-label MERGE of ArcadeDB's Bolt server, the tests'
server before Neo4j.)
Relationships work the same way: a batch reads the relationships of its type that leave its
sources, ``CREATE``s the missing ones and ``MERGE (a)-[r:TYPE {predicate}]->(b)``
(``{membership}`` for n-ary memberships) the changed ones. New relationships find their
endpoints by the element ids that this load's node batches returned; the others look up each
distinct endpoint of a batch once in the ``uri`` index. A batch of a group the database held
nothing of when the load began skips the read.

The loader adds and updates; it does not delete resources or relationships that left the RDF
graph, nor labels of a resource whose types changed. Use ``wipe=True`` for an exact mirror.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from stigraph.errors import Neo4jError
from stigraph.gcpause import paused_gc
from stigraph.neo4j.connect import EXPECTED_FAULTS, translate
from stigraph.neo4j.mapping import (
    HASH_PROPERTY,
    KEY_MEMBERSHIP,
    KEY_PREDICATE,
    RESOURCE_LABEL,
    PropertyGraph,
    _digest,
)
from stigraph.neo4j.settings import LoadOptions, Neo4jSettings

__all__ = [
    "CONSTRAINT",
    "PREFIX_LABEL",
    "Batch",
    "LoadSummary",
    "load_graph",
    "plan_batches",
]

PREFIX_LABEL = "NamespacePrefixes"
PREFIX_NODE_NAME = "stigraph"
CONSTRAINT = (
    f"CREATE CONSTRAINT stigraph_resource_uri IF NOT EXISTS "
    f"FOR (n:{RESOURCE_LABEL}) REQUIRE n.uri IS UNIQUE"
)
WIPE_NODES = (
    f"MATCH (n:{RESOURCE_LABEL}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
)
WIPE_PREFIXES = f"MATCH (p:{PREFIX_LABEL}) DETACH DELETE p RETURN count(*) AS deleted"
WRITE_PREFIXES = (
    f"MERGE (p:{PREFIX_LABEL} {{name: $name}}) "
    f"WITH p WHERE p.{HASH_PROPERTY} IS NULL OR p.{HASH_PROPERTY} <> $hash "
    "SET p = $props RETURN count(p) AS written"
)
FIND_NODES = (
    f"UNWIND $uris AS uri MATCH (n:{RESOURCE_LABEL} {{uri: uri}}) "
    f"RETURN n.uri AS uri, n.{HASH_PROPERTY} AS hash, elementId(n) AS id"
)
UPDATE_NODES = (
    f"UNWIND $rows AS row MATCH (n:{RESOURCE_LABEL} {{uri: row.uri}}) "
    f"WHERE n.{HASH_PROPERTY} IS NULL OR n.{HASH_PROPERTY} <> row.hash "
    f"SET n = row.props, n.uri = row.uri, n.{HASH_PROPERTY} = row.hash RETURN count(n) AS written"
)

_COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "constraints_added",
)


def quote_name(name: str) -> str:
    """A label or relationship type as a Cypher identifier (backtick-quoted)."""
    return "`" + name.replace("`", "``") + "`"


def create_nodes_statement(labels: Sequence[str]) -> str:
    """Create nodes that the same transaction found missing (see :func:`_write_nodes`)."""
    label_text = ":".join(quote_name(label) for label in labels)
    # key properties inline, the rest added (ArcadeDB ran this ~25 % faster than SET m = …;
    # the mapping never names a property uri or rdfHash, so the two are the same)
    return (
        f"UNWIND $rows AS row CREATE (m:{label_text} {{uri: row.uri, {HASH_PROPERTY}: row.hash}}) "
        "SET m += row.props RETURN m.uri AS uri, elementId(m) AS id"
    )


_ENDPOINTS = (
    "UNWIND range(0, size($uris) - 1) AS i "
    f"OPTIONAL MATCH (n:{RESOURCE_LABEL} {{uri: $uris[i]}}) "
    "WITH i, n ORDER BY i WITH collect([n]) AS nodes "
    "UNWIND $rows AS row WITH row, nodes[row[0]][0] AS a, nodes[row[1]][0] AS b "
    "WHERE a IS NOT NULL AND b IS NOT NULL "
)


def find_relationships_statement(rel_type: str, key_name: str) -> str:
    """The relationships of one type that already leave the batch's sources, with their key,
    target and ``rdfHash``: the rows not among them are created without a ``MERGE``."""
    _check_key(key_name)
    return (
        f"UNWIND $uris AS uri MATCH (a:{RESOURCE_LABEL} {{uri: uri}})"
        f"-[r:{quote_name(rel_type)}]->(b:{RESOURCE_LABEL}) "
        f"RETURN a.uri AS source, r.{key_name} AS key, b.uri AS target, "
        f"r.{HASH_PROPERTY} AS hash"
    )


def create_relationships_statement(rel_type: str, key_name: str) -> str:
    """Create relationships that the same transaction found missing (rows as in
    :func:`merge_relationships_statement`)."""
    _check_key(key_name)
    return (
        _ENDPOINTS
        + f"CREATE (a)-[r:{quote_name(rel_type)} {{{key_name}: row[2], {HASH_PROPERTY}: row[3]}}]"
        "->(b) SET r += row[4] RETURN count(r) AS written"
    )


def create_relationships_by_id_statement(rel_type: str, key_name: str) -> str:
    """Create relationships between nodes this load has already read or created, found by
    their element id (rows ``[source id, target id, key, hash, props]``).

    An element id is a direct address (a seek by id, no index lookup), cheaper than
    the ``uri`` index. Ids are only used within the load that read them, as Neo4j advises
    (an id may be reused once its node is deleted).
    """
    _check_key(key_name)
    return (
        "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row[0] "
        "MATCH (b) WHERE elementId(b) = row[1] "
        f"CREATE (a)-[r:{quote_name(rel_type)} {{{key_name}: row[2], {HASH_PROPERTY}: row[3]}}]"
        "->(b) SET r += row[4] RETURN count(r) AS written"
    )


def _check_key(key_name: str) -> None:
    if key_name not in (KEY_PREDICATE, KEY_MEMBERSHIP):
        raise ValueError(f"unknown relationship key {key_name!r}")


def merge_relationships_statement(rel_type: str, key_name: str) -> str:
    """Merge one batch of relationships of one type.

    Each distinct endpoint of the batch is looked up once (``$uris``, in order); the rows
    ``[source index, target index, key, hash, props]`` point into that list. Looking up each
    URI once instead of twice per row is what makes batches pay: the index lookup, not the
    write, is the main per-row cost on the server (see ``benchmarks/bench_neo4j_load.py``).
    ``ORDER BY i`` before ``collect`` fixes the list's order, as Cypher documents.
    """
    _check_key(key_name)
    return (
        _ENDPOINTS
        + f"MERGE (a)-[r:{quote_name(rel_type)} {{{key_name}: row[2]}}]->(b) "
        f"WITH r, row WHERE r.{HASH_PROPERTY} IS NULL OR r.{HASH_PROPERTY} <> row[3] "
        f"SET r = row[4], r.{key_name} = row[2], r.{HASH_PROPERTY} = row[3] "
        "RETURN count(r) AS written"
    )


@dataclass(frozen=True)
class Batch:
    """One transaction's worth of rows: ``kind`` is ``nodes`` or ``relationships``."""

    kind: str
    statements: tuple[str, ...]
    rows: list[dict[str, Any]]
    group: str
    #: The database held nothing of this group when the load began (see :func:`_fresh_groups`):
    #: every row is missing, so the batch is created without first reading what exists.
    fresh: bool = False


def plan_batches(graph: PropertyGraph, batch_size: int) -> list[Batch]:
    """Nodes first (by label set), then relationships (by type), ``batch_size`` rows each."""
    batches: list[Batch] = []
    for labels, nodes in graph.node_groups().items():
        node_statements = (create_nodes_statement(labels), UPDATE_NODES)
        rows = [n.row() for n in nodes]
        for chunk in _chunks(rows, batch_size):
            batches.append(Batch("nodes", node_statements, chunk, ":".join(labels)))
    for (rel_type, key_name), rels in graph.relationship_groups().items():
        rel_statements = (find_relationships_statement(rel_type, key_name),
                          create_relationships_statement(rel_type, key_name),
                          merge_relationships_statement(rel_type, key_name),
                          create_relationships_by_id_statement(rel_type, key_name))
        # by source: a batch reads every relationship of its type leaving its sources, so a
        # source whose rows were spread over many batches (a country's memberships) would be
        # read again by each of them (on Neo4j a rerun of the seed graph took 2x longer)
        rows = sorted((r.row() for r in rels), key=_source)
        for chunk in _chunks(rows, batch_size):
            batches.append(Batch("relationships", rel_statements, chunk, rel_type))
    return batches


def _source(row: dict[str, Any]) -> str:
    return str(row["source"])


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@dataclass
class LoadSummary:
    """What a load did, from the server's counters summed over batches (or, dry, would do)."""

    database: str
    dry_run: bool = False
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    batches_committed: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0
    constraints_added: int = 0
    prefix_table_written: bool = False
    seconds: float = 0.0
    by_group: dict[str, int] = field(default_factory=dict)

    def add_counters(self, counters: Any) -> None:
        for name in _COUNTERS:
            setattr(self, name, getattr(self, name) + int(getattr(counters, name, 0) or 0))

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("by_group")
        row["seconds"] = round(self.seconds, 3)
        if self.dry_run:
            for name in (
                *_COUNTERS,
                "nodes_updated",
                "relationships_updated",
                "batches_committed",
                "prefix_table_written",
            ):
                row.pop(name)
        return row

    def describe(self) -> str:
        return (
            f"{self.batches_committed} of {self.batches} batches committed: "
            f"{self.nodes_created} nodes created, {self.nodes_updated} updated; "
            f"{self.relationships_created} relationships created, "
            f"{self.relationships_updated} updated"
        )


Progress = Callable[[int], None]


def _run(tx: Any, statement: str, params: dict[str, Any]) -> tuple[int, Any]:
    result = tx.run(statement, params)
    record = result.single()
    written = int(record[0]) if record is not None else 0
    return written, result.consume().counters


def load_graph(
    driver: Any,
    graph: PropertyGraph,
    *,
    settings: Neo4jSettings,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    """Write ``graph`` into the database of ``settings`` through ``driver``.

    ``driver`` is a ``neo4j.Driver`` (or anything with the same ``session``/``execute_write``
    surface: tests inject fakes). With ``options.dry_run`` nothing is sent and ``driver`` may
    be ``None``. ``progress`` is called with the number of rows after each committed batch.
    Raises :class:`Neo4jError` on server faults; its message says how much was committed.
    """
    with paused_gc():
        return _load_graph(driver, graph, settings=settings, options=options or LoadOptions(),
                           progress=progress)


def _load_graph(driver: Any, graph: PropertyGraph, *, settings: Neo4jSettings,
                options: LoadOptions, progress: Progress | None) -> LoadSummary:
    started = time.perf_counter()
    batches = plan_batches(graph, options.batch_size)
    summary = LoadSummary(
        database=settings.database,
        dry_run=options.dry_run,
        nodes=len(graph.nodes),
        relationships=len(graph.relationships),
        batches=len(batches),
    )
    for batch in batches:
        summary.by_group[batch.group] = summary.by_group.get(batch.group, 0) + len(batch.rows)
    if options.dry_run:
        summary.seconds = time.perf_counter() - started
        return summary

    doing = "creating the uniqueness constraint"
    try:
        with driver.session(database=settings.database) as session:
            summary.add_counters(session.run(CONSTRAINT).consume().counters)
            if options.wipe:
                doing = "wiping stigraph's data"
                _wipe(session, summary, options.batch_size)
            doing = "writing the prefix table"
            _write_prefixes(session, graph, summary)
            doing = "reading which relationship types the database holds"
            fresh = _fresh_groups(session, batches)
            batches = [replace(b, fresh=(b.kind, b.group) in fresh) for b in batches]
            # element ids of the nodes written or found: relationship batches address them
            node_ids: dict[str, str] = {}
            for number, batch in enumerate(batches, start=1):
                doing = f"writing batch {number} of {len(batches)} ({batch.kind} {batch.group})"
                result = session.execute_write(_write_batch, batch, node_ids)
                node_ids.update(result.ids)
                _account(summary, batch, result)
                summary.batches_committed += 1
                if progress is not None:
                    progress(len(batch.rows))
    except EXPECTED_FAULTS as exc:
        error = translate(exc, settings, doing)
        summary.seconds = time.perf_counter() - started
        raise _with_summary(error, summary) from exc
    except (KeyboardInterrupt, BufferError) as exc:
        # Ctrl-C; the driver may turn it into a BufferError while closing the session
        if not isinstance(exc, KeyboardInterrupt) and not isinstance(
                exc.__context__, KeyboardInterrupt):
            raise
        summary.seconds = time.perf_counter() - started
        raise _with_summary(Neo4jError(f"interrupted (Ctrl-C) while {doing}"), summary) from exc
    summary.seconds = time.perf_counter() - started
    return summary


ANY_RESOURCE = f"MATCH (n:{RESOURCE_LABEL}) RETURN 1 AS found LIMIT 1"
KNOWN_LABELS = "CALL db.labels() YIELD label RETURN collect(label) AS names"
KNOWN_TYPES = (
    "CALL db.relationshipTypes() YIELD relationshipType RETURN collect(relationshipType) AS names"
)


def _fresh_groups(session: Any, batches: Sequence[Batch]) -> set[tuple[str, str]]:
    """The (kind, group) of batches the database holds nothing of: every node group when it
    has no ``:Resource`` node, each relationship type it has no relationship of.

    Their rows cannot exist yet (each row is in one batch only), so those batches skip reading
    what exists, a third of a first load's server time. A load that was interrupted and is
    rerun finds its earlier batches and reads again. Two loaders writing the same database at
    once could then duplicate a relationship: run one load at a time (``MERGE`` alone does not
    prevent that either).

    Labels and types the database has never seen are fresh without a probe (a ``MATCH`` on an
    unknown type makes Neo4j send an "unknown relationship type" warning); a known one may
    have no data left (Neo4j keeps the token after a delete), so it is probed.
    """
    fresh: set[tuple[str, str]] = set()
    labels = set(session.run(KNOWN_LABELS).single()[0])
    if RESOURCE_LABEL not in labels or session.run(ANY_RESOURCE).single() is None:
        fresh |= {(b.kind, b.group) for b in batches if b.kind == "nodes"}
    types = set(session.run(KNOWN_TYPES).single()[0])
    for rel_type in sorted({b.group for b in batches if b.kind == "relationships"}):
        if rel_type not in types:
            fresh.add(("relationships", rel_type))
            continue
        probe = f"MATCH ()-[r:{quote_name(rel_type)}]->() RETURN 1 AS found LIMIT 1"
        if session.run(probe).single() is None:
            fresh.add(("relationships", rel_type))
    return fresh


def _with_summary(error: Neo4jError, summary: LoadSummary) -> Neo4jError:
    message = (
        f"{error}. Before that, {summary.describe()}. "
        "Loads are idempotent: rerun the same command to complete it."
    )
    wrapped = Neo4jError(message)
    wrapped.summary = summary  # type: ignore[attr-defined]
    return wrapped


@dataclass(frozen=True)
class _BatchResult:
    counters: tuple[Any, ...]
    written: int
    #: uri -> element id of the batch's nodes (node batches only)
    ids: dict[str, str] = field(default_factory=dict)


def _write_batch(tx: Any, batch: Batch, node_ids: Mapping[str, str]) -> _BatchResult:
    """The transaction function for one batch; its result is counted once it has committed."""
    if batch.kind == "nodes":
        return _write_nodes(tx, batch)
    return _write_relationships(tx, batch, node_ids)


def _write_nodes(tx: Any, batch: Batch) -> _BatchResult:
    """Read which nodes exist (and their hashes), create the missing, update the changed.

    All in one transaction: the uniqueness constraint makes a concurrent creator fail the
    transaction (and the driver retry it) rather than duplicate a node.
    """
    create, update = batch.statements
    uris = [row["uri"] for row in batch.rows]
    found: dict[str, Any] = {}
    ids: dict[str, str] = {}
    if not batch.fresh:
        for record in tx.run(FIND_NODES, {"uris": uris}):
            found[record["uri"]] = record["hash"]
            ids[record["uri"]] = record["id"]
    missing = [row for row in batch.rows if row["uri"] not in found]
    changed = [
        row for row in batch.rows if row["uri"] in found and found[row["uri"]] != row["hash"]
    ]
    counters: list[Any] = []
    written = 0
    if missing:
        result = tx.run(create, {"rows": missing})
        created = {record["uri"]: record["id"] for record in result}
        ids.update(created)
        written += len(created)
        counters.append(result.consume().counters)
    if changed:
        count, batch_counters = _run(tx, update, {"rows": changed})
        written += count
        counters.append(batch_counters)
    return _BatchResult(tuple(counters), written, ids)


def _write_relationships(tx: Any, batch: Batch, node_ids: Mapping[str, str]) -> _BatchResult:
    """Read which relationships of the batch exist (and their hashes), create the missing,
    merge the changed; all in one transaction, like :func:`_write_nodes`.

    ``CREATE`` skips the search among the source's relationships that ``MERGE`` makes for
    every row, the main cost of a first load; a rerun finds every row and writes nothing.
    """
    find, create, merge, create_by_id = batch.statements
    sources = list(dict.fromkeys(row["source"] for row in batch.rows))
    found = {} if batch.fresh else {(r["source"], r["key"], r["target"]): r["hash"]
                                    for r in tx.run(find, {"uris": sources})}
    by_id, missing, changed = [], [], []
    for row in batch.rows:
        held = found.get((row["source"], row["key"], row["target"]), _ABSENT)
        if held is not _ABSENT:
            if held != row["hash"]:
                changed.append(row)
        elif row["source"] in node_ids and row["target"] in node_ids:
            by_id.append([node_ids[row["source"]], node_ids[row["target"]], row["key"],
                          row["hash"], row["props"]])
        else:  # an endpoint this load did not write (not in the mapped graph): by uri
            missing.append(row)
    counters: list[Any] = []
    written = 0
    for statement, params in ((create_by_id, {"rows": by_id}),
                              (create, _relationship_params(missing)),
                              (merge, _relationship_params(changed))):
        if params["rows"]:
            count, batch_counters = _run(tx, statement, params)
            written += count
            counters.append(batch_counters)
    return _BatchResult(tuple(counters), written)


_ABSENT = object()


def _relationship_params(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Compact rows ``[source index, target index, key, hash, props]`` and the distinct URIs."""
    index: dict[str, int] = {}
    compact = [
        [
            index.setdefault(row["source"], len(index)),
            index.setdefault(row["target"], len(index)),
            row["key"],
            row["hash"],
            row["props"],
        ]
        for row in rows
    ]
    return {"uris": list(index), "rows": compact}


def _account(summary: LoadSummary, batch: Batch, result: _BatchResult) -> None:
    for counters in result.counters:
        summary.add_counters(counters)
    if batch.kind == "nodes":
        created = sum(int(c.nodes_created) for c in result.counters)
        summary.nodes_updated += result.written - created
    else:
        created = sum(int(c.relationships_created) for c in result.counters)
        summary.relationships_updated += result.written - created


def _wipe(session: Any, summary: LoadSummary, batch_size: int) -> None:
    while True:
        result = session.run(WIPE_NODES, {"limit": batch_size})
        record = result.single()
        summary.add_counters(result.consume().counters)
        if not record or int(record[0]) == 0:
            break
    result = session.run(WIPE_PREFIXES)
    summary.add_counters(result.consume().counters)


def _write_prefixes(session: Any, graph: PropertyGraph, summary: LoadSummary) -> None:
    props: dict[str, Any] = dict(graph.prefixes)
    digest = _digest(props)
    props.update({"name": PREFIX_NODE_NAME, HASH_PROPERTY: digest})
    result = session.run(WRITE_PREFIXES, {"name": PREFIX_NODE_NAME, "hash": digest, "props": props})
    record = result.single()
    result.consume()
    summary.prefix_table_written = bool(record and int(record[0]))
