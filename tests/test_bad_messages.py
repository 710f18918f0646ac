"""Messages that name the real problem (issue 12, item 8): a parse error on the memory store
has its line; bytes that are not UTF-8 in a parameter are blamed on the parameter."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli import main

MINI = ["--no-default-seeds", "--seeds",
        str(Path(__file__).resolve().parent / "fixtures" / "mini-seeds")]
GOOD = "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_ntriples_parse_error_names_the_line(tmp_path: Path, store: str) -> None:
    path = tmp_path / "bad.nt"
    path.write_text(GOOD * 3 + '<https://example.org/a> <https://example.org/b> "open .\n'
                    + GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", *MINI, "--include", str(path), "--store", store,
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    message = result.output.strip().splitlines()[-1]
    assert message.startswith(f"Error: {path}")
    assert f"{path}:4:" in message or "line 4" in message, message


def test_parameter_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    built = CliRunner().invoke(main, ["build", *MINI, "--out", str(tmp_path)])
    assert built.exit_code == 0, built.output
    value = "lab\udcff"  # how Python keeps the byte 0xff of a command line that is not UTF-8
    result = CliRunner().invoke(main, ["query", "members", "--graph",
                                       str(tmp_path / "stigraph.ttl"),
                                       "--param", f"organisation={value}"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert ("Invalid value for '--param': 'organisation=lab\\xff': not valid UTF-8 "
            "(byte 0xff)" in result.output)
    assert "members.rq" not in result.output
