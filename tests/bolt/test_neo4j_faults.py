"""Faults: server down, wrong password, unknown database, a query error mid-load.

Each gives a clear message naming the setting to fix, a non-zero exit, no traceback, no
password in the output, and claims only what really happened.
"""

from __future__ import annotations

from typing import Any

import pytest
from bolt_helpers import SAMPLE, sample_graph
from click.testing import CliRunner
from conftest import BoltServer, free_port

from stigraph.cli import main
from stigraph.errors import Neo4jError
from stigraph.neo4j import loader
from stigraph.neo4j.loader import load_graph
from stigraph.neo4j.mapping import map_graph
from stigraph.neo4j.settings import LoadOptions, Neo4jSettings

SECRET = "s3cret-Pa55word"


def _load(*args: str, password: str = SECRET) -> Any:
    runner = CliRunner()
    return runner.invoke(main, ["load", "--graph", str(SAMPLE), *args],
                         env={"NEO4J_PASSWORD": password})


def _assert_clean_failure(result: Any, *needles: str, password: str = SECRET) -> None:
    output = result.output
    assert result.exit_code != 0, output
    assert "Traceback" not in output
    assert password not in output
    assert not isinstance(result.exception, AssertionError)
    for needle in needles:
        assert needle in output, output


def test_server_down() -> None:
    port = free_port()  # nothing listens there
    result = _load("--uri", f"bolt://localhost:{port}")
    _assert_clean_failure(result, f"localhost:{port}", "NEO4J_URI")


def test_bad_uri_scheme() -> None:
    result = _load("--uri", "http://localhost:7474")
    _assert_clean_failure(result, "NEO4J_URI")


@pytest.mark.bolt
def test_wrong_password(bolt_server: BoltServer) -> None:
    s = bolt_server.settings
    result = _load("--uri", s.uri, "--user", s.user, "--database", s.database)
    _assert_clean_failure(result, "NEO4J_PASSWORD", repr(s.user))


@pytest.mark.bolt
def test_unknown_database(bolt_server: BoltServer) -> None:
    s = bolt_server.settings
    assert s.password
    result = _load("--uri", s.uri, "--user", s.user, "--database", "no-such-db",
                   password=s.password)
    _assert_clean_failure(result, "'no-such-db'", "NEO4J_DATABASE", password=s.password)


@pytest.mark.bolt
def test_cli_load_succeeds_and_prints_a_summary(
    bolt_server: BoltServer, clean_db: Neo4jSettings
) -> None:
    s = bolt_server.settings
    assert s.password
    result = _load("--uri", s.uri, "--user", s.user, "--database", s.database,
                   "--batch-size", "40", "--format", "json", password=s.password)
    assert result.exit_code == 0, result.output
    assert '"nodes_created": ' in result.stdout
    assert s.password not in result.output


@pytest.mark.bolt
def test_a_query_error_mid_load_reports_only_what_was_committed(
    clean_db: Neo4jSettings, bolt_driver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nodes load; the first relationship batch sends Cypher that the server rejects.
    monkeypatch.setattr(loader, "create_relationships_by_id_statement",
                        lambda rel_type, key_name: "UNWIND $rows AS row RETURN row.nope.x(")
    pg = map_graph(sample_graph())
    with pytest.raises(Neo4jError) as caught:
        load_graph(bolt_driver, pg, settings=clean_db, options=LoadOptions(batch_size=50))
    summary = caught.value.summary  # type: ignore[attr-defined]
    message = str(caught.value)
    with bolt_driver.session(database=clean_db.database) as session:
        nodes = session.run("MATCH (n:Resource) RETURN count(n)").single()[0]
        rels = session.run("MATCH (:Resource)-[r]->() RETURN count(r)").single()[0]
    assert nodes == summary.nodes_created == len(pg.nodes)
    assert rels == summary.relationships_created == 0
    assert f"{summary.batches_committed} of {summary.batches} batches committed" in message
    assert "rerun" in message
    assert clean_db.password and clean_db.password not in message


def test_settings_never_show_the_password() -> None:
    settings = Neo4jSettings(password=SECRET)
    assert SECRET not in repr(settings)
    assert SECRET not in settings.describe()


@pytest.mark.bolt
def test_cli_query_backend_neo4j(bolt_server: BoltServer, clean_db: Neo4jSettings) -> None:
    s = bolt_server.settings
    assert s.password
    loaded = _load("--uri", s.uri, "--user", s.user, "--database", s.database,
                   password=s.password)
    assert loaded.exit_code == 0, loaded.output
    result = CliRunner().invoke(
        main, ["query", "members", "--param", "organisation=cern", "--param", "as_of=2020-01-01",
               "--backend", "neo4j", "--uri", s.uri, "--user", s.user, "--database", s.database,
               "--format", "csv"], env={"NEO4J_PASSWORD": s.password})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "member,memberLabel,role,start,end,sources"
    assert "Sri Lanka" in result.stdout and "Switzerland" in result.stdout


@pytest.mark.bolt
def test_server_killed_mid_load_reports_it_and_a_rerun_converges(
    bolt_server: BoltServer, clean_db: Neo4jSettings, bolt_driver: Any
) -> None:
    # The server crashes (SIGKILL) after the third committed batch: the load fails with a
    # message saying what was committed; after a restart (crash recovery) the same load
    # completes it, and the database equals that of an uninterrupted load.
    import neo4j
    from bolt_helpers import dump

    if bolt_server.local is None:
        pytest.skip("needs the server the suite starts (NEO4J_URI is set)")
    pg = map_graph(sample_graph())
    load_graph(bolt_driver, pg, settings=clean_db)
    reference = dump(bolt_driver, clean_db.database)
    with bolt_driver.session(database=clean_db.database) as session:
        while session.run(loader.WIPE_NODES, {"limit": 10000}).single()[0]:
            pass
        session.run(loader.WIPE_PREFIXES).consume()

    committed = 0

    def crash_after_three(rows: int) -> None:
        nonlocal committed
        committed += 1
        if committed == 3:
            bolt_server.kill()

    s = clean_db
    # a short retry budget: the driver would otherwise retry the dead server for 30 s
    with (
        neo4j.GraphDatabase.driver(s.uri, auth=(s.user, s.password or ""),
                                   max_transaction_retry_time=1.0) as driver,
        pytest.raises(Neo4jError) as caught,
    ):
        load_graph(driver, pg, settings=s, options=LoadOptions(batch_size=5),
                   progress=crash_after_three)
    message = str(caught.value)
    assert "cannot reach a Neo4j server" in message and "NEO4J_URI" in message
    assert "3 of " in message and "rerun" in message
    assert s.password and s.password not in message

    bolt_server.restart()
    with neo4j.GraphDatabase.driver(s.uri, auth=(s.user, s.password)) as driver:
        partial = int(driver.execute_query("MATCH (n:Resource) RETURN count(n)",
                                           database_=s.database).records[0][0])
        assert 0 < partial < len(pg.nodes)  # what the three batches committed survived
        rerun = load_graph(driver, pg, settings=s, options=LoadOptions(batch_size=7))
        assert rerun.nodes_created == len(pg.nodes) - partial
        assert dump(driver, s.database) == reference
