"""The shipped data are in every command's graph unless --no-default-data or
STIGRAPH_DEFAULT_DATA=0 says otherwise (the test session sets 0, to keep tests fast)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from stigraph.build.builder import GraphSource
from stigraph.cli.options import graph_source


@click.command()
@graph_source
def _show(source: GraphSource) -> None:
    click.echo(f"{source.default_data}")


@pytest.mark.parametrize(("args", "env", "expected"), [
    ([], {}, "True"),
    (["--no-default-data"], {}, "False"),
    ([], {"STIGRAPH_DEFAULT_DATA": "0"}, "False"),
    (["--default-data"], {"STIGRAPH_DEFAULT_DATA": "0"}, "True"),
])
def test_default_data_is_the_default(args: list[str], env: dict[str, str], expected: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STIGRAPH_DEFAULT_DATA", raising=False)
    result = CliRunner().invoke(_show, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected
