"""A real Neo4j server for the Neo4j tests, started once per session.

Without ``NEO4J_URI`` the suite starts Neo4j 5.26 Community (the jars that ``make
neo4j-resolve`` puts in ``.neo4j/dist``, no Docker; see :mod:`stigraph.neo4j.server`) on free
ports, with its files under a pytest temporary folder, and stops it at the end. With
``NEO4J_URI`` set, the tests use that server with ``NEO4J_USER``/``NEO4J_PASSWORD``/
``NEO4J_DATABASE`` instead — and **wipe stigraph's data in that database**, so point them at a
scratch database.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stigraph.neo4j import server as local
from stigraph.neo4j.settings import Neo4jSettings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BoltServer:
    """Settings for a running server, and its process when we started it."""

    def __init__(self, settings: Neo4jSettings, local_server: local.LocalNeo4j | None = None,
                 process: subprocess.Popen[bytes] | None = None) -> None:
        self.settings = settings
        self.local = local_server
        self.process = process
        self.kind = "NEO4J_URI" if local_server is None else "local Neo4j"

    def kill(self) -> None:
        """``SIGKILL`` the server, as a crash would (only a server the suite started)."""
        assert self.local is not None and self.process is not None
        local.kill(self.local, self.process)
        self.process = None

    def restart(self) -> None:
        """Start it again on the same ports and data after :meth:`kill` (crash recovery)."""
        assert self.local is not None and self.process is None
        self.process = local.start(self.local, self.settings.password)

    def stop(self) -> None:
        if self.local is not None:
            local.stop(self.local, self.process)
            self.process = None


def _start_local(root: Path) -> BoltServer:
    # C1 only: the server starts in about half the time, and the tests' loads are small
    server = local.LocalNeo4j(root, bolt_port=free_port(), http_port=free_port(),
                              heap="1g", page_cache="256m",
                              jvm_flags=("-XX:TieredStopAtLevel=1",))
    password = secrets.token_hex(12)
    process = local.start(server, password)
    return BoltServer(server.settings(password), server, process)


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    if os.environ.get("NEO4J_URI"):
        settings = Neo4jSettings(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        yield BoltServer(settings)
        return
    server = _start_local(tmp_path_factory.mktemp("neo4j"))
    try:
        yield server
    finally:
        server.stop()


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
