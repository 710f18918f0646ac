"""Credentials inside a Neo4j URI are never echoed (issue 12, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import exceptions as nx

from stigraph.cli import main
from stigraph.neo4j.connect import translate
from stigraph.neo4j.settings import Neo4jSettings, redact_uri

GRAPH = Path(__file__).resolve().parent / "data" / "analytics-mini.ttl"
URIS = ["bolt://root:SECRET@localhost:17999", "bolx://root:SECRET@localhost:17999",
        "neo4j://root:SECRET@localhost:17999?routing=x", "bolt://SECRET@localhost:17999"]


@pytest.mark.parametrize("uri", URIS)
def test_load_with_credentials_in_the_uri_does_not_echo_them(uri: str) -> None:
    result = CliRunner().invoke(main, ["load", "--graph", str(GRAPH)],
                                env={"NEO4J_URI": uri, "NEO4J_PASSWORD": "pw"})
    assert result.exit_code != 0
    assert "SECRET" not in result.output
    assert "***@localhost:17999" in result.output
    assert "Traceback" not in result.output


def test_driver_messages_repr_and_describe_are_scrubbed() -> None:
    uri = "bolt://root:SECRET@localhost:17999"
    settings = Neo4jSettings(uri=uri, password="pw")
    error = translate(nx.ServiceUnavailable(f"Couldn't connect to {uri} (SECRET)"), settings)
    assert "SECRET" not in str(error) and "root:***@localhost:17999" in str(error)
    assert "SECRET" not in repr(settings) and "SECRET" not in settings.describe()
    assert redact_uri("bolt://localhost:7687") == "bolt://localhost:7687"
