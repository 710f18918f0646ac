"""A real Bolt server for the Neo4j tests, started once per session.

Without ``NEO4J_URI`` the suite starts ArcadeDB (the ``arcadedb-embedded`` wheel with its Bolt
plugin, bundled JRE, no Docker) in its own process on free ports, with its files under a
pytest temporary folder, and stops it at the end. With ``NEO4J_URI`` set, the tests use that
server with ``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE`` instead — and **wipe
stigraph's data in that database**, so point them at a scratch database.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stigraph.neo4j.settings import Neo4jSettings

HERE = Path(__file__).resolve().parent
TEST_DATABASE = "stigraph"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BoltServer:
    """Settings for a running server, and its process when we started it."""

    def __init__(
        self, settings: Neo4jSettings, process: subprocess.Popen[str] | None, kind: str
    ) -> None:
        self.settings = settings
        self.process = process
        self.kind = kind


def _start_arcadedb(root: Path) -> BoltServer:
    password = secrets.token_hex(12)
    bolt_port, http_port = free_port(), free_port()
    env = dict(os.environ, STIGRAPH_TEST_BOLT_PASSWORD=password)
    command = [sys.executable, str(HERE / "bolt_server.py"), str(root / "db"), str(bolt_port),
               str(http_port), TEST_DATABASE]
    with (root / "server.log").open("w") as log:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=log, text=True, env=env)
    assert process.stdout is not None
    deadline = time.monotonic() + 180
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("READY") or not line:
            break
    if not line.startswith("READY"):
        process.kill()
        process.wait()
        raise RuntimeError(f"the ArcadeDB Bolt server did not start; see {root / 'server.log'}")
    settings = Neo4jSettings(
        uri=f"bolt://localhost:{bolt_port}", user="root", password=password, database=TEST_DATABASE
    )
    return BoltServer(settings, process, "arcadedb-embedded")


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    if os.environ.get("NEO4J_URI"):
        settings = Neo4jSettings(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        yield BoltServer(settings, None, "NEO4J_URI")
        return
    server = _start_arcadedb(tmp_path_factory.mktemp("bolt"))
    try:
        yield server
    finally:
        assert server.process is not None
        if server.process.stdin:
            server.process.stdin.close()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
        if server.process.stdout:
            server.process.stdout.close()


@pytest.fixture(scope="session")
def bolt_driver(bolt_server: BoltServer) -> Iterator[Any]:
    import neo4j

    s = bolt_server.settings
    driver = neo4j.GraphDatabase.driver(s.uri, auth=(s.user, s.password or ""))
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_db(bolt_server: BoltServer, bolt_driver: Any) -> Neo4jSettings:
    """An empty database (stigraph's data wiped) for one test."""
    from stigraph.neo4j.loader import WIPE_NODES, WIPE_PREFIXES

    with bolt_driver.session(database=bolt_server.settings.database) as session:
        while session.run(WIPE_NODES, {"limit": 10000}).single()[0]:
            pass
        session.run(WIPE_PREFIXES).consume()
    return bolt_server.settings
