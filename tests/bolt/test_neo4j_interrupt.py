"""Ctrl-C during a load (issue 12, item 6): one message saying how far the load got and that
rerunning completes it; exit code 130, no traceback; the rerun does complete it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bolt_helpers import SAMPLE
from click.testing import CliRunner
from conftest import BoltServer

from stigraph.cli import main
from stigraph.neo4j import loader
from stigraph.neo4j.settings import Neo4jSettings


def _load(s: Neo4jSettings) -> Any:
    assert s.password
    return CliRunner().invoke(main, ["load", "--graph", str(SAMPLE), "--uri", s.uri, "--user",
                                     s.user, "--database", s.database, "--batch-size", "40"],
                              env={"NEO4J_PASSWORD": s.password})


def _counts(driver: Any, settings: Neo4jSettings) -> tuple[int, int]:
    with driver.session(database=settings.database) as session:
        nodes = session.run("MATCH (n:Resource) RETURN count(n)").single()[0]
        rels = session.run("MATCH (:Resource)-[r]->() RETURN count(r)").single()[0]
    return int(nodes), int(rels)


@pytest.mark.bolt
@pytest.mark.parametrize("raised", ["KeyboardInterrupt", "BufferError"])
def test_ctrl_c_mid_load_says_how_far_and_rerun_completes(
        bolt_server: BoltServer, clean_db: Neo4jSettings, bolt_driver: Any,
        monkeypatch: pytest.MonkeyPatch, raised: str) -> None:
    real = loader._write_batch
    calls = {"n": 0}

    def interrupted(tx: Any, batch: Any, node_ids: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            if raised == "KeyboardInterrupt":
                raise KeyboardInterrupt
            try:  # what the driver does when Ctrl-C lands inside its socket code
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise BufferError("Existing exports of data: object cannot be re-sized")  # noqa: B904
        return real(tx, batch, node_ids)

    monkeypatch.setattr(loader, "_write_batch", interrupted)
    result = _load(clean_db)
    assert result.exit_code == 130, result.output
    assert isinstance(result.exception, SystemExit)
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("Error: interrupted (Ctrl-C) while writing batch 3 of ")
    assert "2 of " in message and "batches committed" in message
    assert "rerun the same command to complete it" in message
    assert "Traceback" not in result.output
    monkeypatch.setattr(loader, "_write_batch", real)
    again = _load(clean_db)
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)[0]
    assert summary["nodes_created"] > 0  # the interrupted load had not written everything
    assert _counts(bolt_driver, clean_db) == (summary["nodes"], summary["relationships"])
