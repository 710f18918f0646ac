"""The local server launcher (stigraph.neo4j.server): what `make neo4j-up/down` run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BoltServer

from stigraph.errors import Neo4jError
from stigraph.neo4j import server as local

pytestmark = pytest.mark.bolt


def _started(bolt_server: BoltServer) -> local.LocalNeo4j:
    if bolt_server.local is None:
        pytest.skip("needs the server the suite starts (NEO4J_URI is set)")
    return bolt_server.local


def test_a_second_start_says_one_runs_and_leaves_it(bolt_server: BoltServer,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    home = _started(bolt_server)
    assert bolt_server.process is not None
    with pytest.raises(Neo4jError, match=f"already runs .*pid {bolt_server.process.pid}"):
        local.start(home, bolt_server.settings.password)
    argv = ["--home", str(home.home), "--bolt-port", str(home.bolt_port),
            "--http-port", str(home.http_port)]
    assert local.main(["up", *argv]) == 0
    assert "already running" in capsys.readouterr().out
    assert local.main(["status", *argv]) == 0
    assert home.running_pid() == bolt_server.process.pid  # still the same server


def test_a_taken_port_is_named(bolt_server: BoltServer, tmp_path: Path) -> None:
    home = _started(bolt_server)
    other = local.LocalNeo4j(tmp_path / "other", bolt_port=home.bolt_port, http_port=1)
    with pytest.raises(Neo4jError, match=f"port {home.bolt_port} is already in use"):
        local.start(other, "x" * 12)


def test_down_without_a_server_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert local.main(["down", "--home", str(tmp_path)]) == 0
    assert "no Neo4j was running" in capsys.readouterr().out
    assert local.main(["status", "--home", str(tmp_path)]) == 3


def test_missing_jars_point_to_make(tmp_path: Path) -> None:
    server = local.LocalNeo4j(tmp_path / "home", dist=tmp_path / "nothing")
    with pytest.raises(Neo4jError, match="make neo4j-resolve"):
        local.start(server, "x" * 12)


def test_a_generated_password_is_kept_owner_only(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    server = local.LocalNeo4j(tmp_path)
    first = local.read_password(server)
    assert len(first) >= 20 and local.read_password(server) == first
    assert server.password_file.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("NEO4J_PASSWORD", "short")
    with pytest.raises(Neo4jError, match="at least 8"):
        local.read_password(server)
