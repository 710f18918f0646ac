"""Batching and accounting of the loader with an injected fake driver (no server)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from bolt_helpers import sample_graph
from click.testing import CliRunner

from stigraph.cli import main
from stigraph.errors import ParameterError
from stigraph.neo4j.loader import (
    CONSTRAINT,
    FIND_NODES,
    KNOWN_LABELS,
    KNOWN_TYPES,
    load_graph,
    plan_batches,
)
from stigraph.neo4j.mapping import map_graph
from stigraph.neo4j.settings import LoadOptions, Neo4jSettings


@dataclass
class FakeCounters:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0


@dataclass
class FakeResult:
    written: int
    counters: FakeCounters
    empty: bool = False
    records: list[dict[str, Any]] = field(default_factory=list)
    value: Any = None

    def single(self) -> list[Any] | None:
        if self.value is not None:
            return [self.value]
        return None if self.empty else [self.written]

    def consume(self) -> Any:
        return self

    def __iter__(self) -> Any:
        # the fake server holds nothing: every node and relationship is missing
        return iter(self.records)


@dataclass
class FakeSession:
    log: list[tuple[str, dict[str, Any]]]
    #: Answer the "does anything of this exist" probes with no record: an empty database.
    empty_db: bool = False
    types: tuple[str, ...] = ()

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, statement: str, params: dict[str, Any] | None = None) -> FakeResult:
        params = params or {}
        self.log.append((statement, params))
        rows = params.get("rows", [])
        if statement in (KNOWN_LABELS, KNOWN_TYPES):
            # an empty database has never seen a label or type; another knows all of them
            known = [] if self.empty_db else ["Resource", *self.types]
            return FakeResult(0, FakeCounters(), value=known)
        if "CREATE (m:" in statement:
            return FakeResult(len(rows), FakeCounters(nodes_created=len(rows)),
                              records=[{"uri": r["uri"], "id": f"fake:{r['uri']}"}
                                       for r in rows])
        if "CREATE (a)-[r:" in statement or "MERGE (a)-[r:" in statement:
            return FakeResult(len(rows), FakeCounters(relationships_created=len(rows)))
        return FakeResult(0, FakeCounters(), empty=self.empty_db and "LIMIT 1" in statement)

    def execute_write(self, work: Any, *args: Any) -> Any:
        return work(self, *args)


@dataclass
class FakeDriver:
    log: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    empty_db: bool = False
    types: tuple[str, ...] = ()

    def session(self, database: str) -> FakeSession:
        self.databases.append(database)
        return FakeSession(self.log, self.empty_db, self.types)


SETTINGS = Neo4jSettings(database="testdb")


def test_rows_are_batched_and_values_never_pasted_into_cypher() -> None:
    pg = map_graph(sample_graph())
    driver = FakeDriver(types=tuple({r.type for r in pg.relationships}))
    summary = load_graph(driver, pg, settings=SETTINGS, options=LoadOptions(batch_size=7))
    assert driver.log[0][0] == CONSTRAINT
    # the database knows every label and type: each is probed for data
    probes = [s for s, _ in driver.log if s.endswith("LIMIT 1")]
    assert len(probes) == 1 + len({r.type for r in pg.relationships})
    assert set(driver.databases) == {"testdb"}
    batches = plan_batches(pg, 7)
    assert summary.batches == summary.batches_committed == len(batches)
    assert all(0 < len(b.rows) <= 7 for b in batches)
    sent = [params["rows"] for statement, params in driver.log if "rows" in params]
    # Each node is looked up once (by URI) and created once; each relationship created once
    # (none exists, so none is merged).
    assert sum(len(rows) for rows in sent) == len(pg.nodes) + len(pg.relationships)
    assert not any("MERGE (a)-[r:" in statement for statement, _ in driver.log)
    # ... between nodes addressed by the element ids their node batches returned
    by_id = [params["rows"] for statement, params in driver.log if "elementId(a)" in statement]
    assert sum(len(rows) for rows in by_id) == len(pg.relationships)
    assert all(row[0].startswith("fake:") for rows in by_id for row in rows)
    looked_up = [uri for statement, params in driver.log if statement == FIND_NODES
                 for uri in params["uris"]]
    assert sorted(looked_up) == sorted(n.uri for n in pg.nodes)
    for statement, _ in driver.log:
        assert "https://" not in statement and "cern" not in statement
    assert summary.nodes_created == len(pg.nodes)
    assert summary.relationships_created == len(pg.relationships)
    assert summary.nodes_updated == summary.relationships_updated == 0


def test_an_empty_database_is_written_without_reading_first() -> None:
    pg = map_graph(sample_graph())
    driver = FakeDriver(empty_db=True)
    summary = load_graph(driver, pg, settings=SETTINGS, options=LoadOptions(batch_size=7))
    statements = [statement for statement, _ in driver.log]
    assert FIND_NODES not in statements
    assert not any("RETURN a.uri AS source" in s for s in statements)  # no relationship reads
    # the database has never seen a label or type: nothing to probe
    assert not [s for s in statements if s.endswith("LIMIT 1")]
    assert KNOWN_LABELS in statements and KNOWN_TYPES in statements
    assert summary.nodes_created == len(pg.nodes)
    assert summary.relationships_created == len(pg.relationships)


def test_progress_reports_every_row_once() -> None:
    pg = map_graph(sample_graph())
    seen: list[int] = []
    load_graph(FakeDriver(), pg, settings=SETTINGS, options=LoadOptions(batch_size=10),
               progress=seen.append)
    assert sum(seen) == len(pg.nodes) + len(pg.relationships)


def test_dry_run_sends_nothing() -> None:
    pg = map_graph(sample_graph())
    summary = load_graph(None, pg, settings=SETTINGS, options=LoadOptions(dry_run=True))
    row = summary.as_row()
    assert row["dry_run"] is True
    assert row["nodes"] == len(pg.nodes) and row["relationships"] == len(pg.relationships)
    assert "nodes_created" not in row  # nothing claimed that did not happen


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ParameterError, match="--batch-size"):
        LoadOptions(batch_size=0)


def test_cli_dry_run_needs_no_server(tmp_path: Any) -> None:
    from bolt_helpers import SAMPLE

    result = CliRunner().invoke(main, ["load", "--graph", str(SAMPLE), "--dry-run",
                                       "--uri", "bolt://localhost:1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "dry_run" in result.stdout
