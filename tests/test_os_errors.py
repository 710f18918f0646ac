"""OS errors are messages, not tracebacks (issue 12, item 6).

An output under /proc (cannot be created), a full disk (the write fails with ENOSPC) and an
output path that is a folder: each command says which path, what went wrong and what to do,
and exits non-zero.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stigraph.cli import main

TESTS = Path(__file__).resolve().parent
MINI = ["--no-default-seeds", "--seeds", str(TESTS / "fixtures" / "mini-seeds")]
REPORT = ["--no-default-seeds", "--seeds", str(TESTS / "fixtures" / "report-seeds"),
          "--as-of", "2024"]
GCF = str(TESTS / "data" / "gcf" / "csv")


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("graph")
    result = CliRunner().invoke(main, ["build", *MINI, "--out", str(out), "--name", "g"])
    assert result.exit_code == 0, result.output
    return str(out / "g.ttl")


def _commands(target: str, graph: str) -> dict[str, list[str]]:
    return {
        "build": ["build", *MINI, "--out", target],
        "report": ["report", *REPORT, "-q", "--out", target],
        "import": ["import", "gcf", GCF, "--out", target + ".nt"],
        "viz": ["viz", "country", *MINI, "--out", target + ".html"],
        "centrality": ["centrality", "--graph", graph, "--out", target + ".csv"],
    }


def _check(result: Any, path: str, hint: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    message = result.output.strip().splitlines()[-1]
    assert message.startswith(f"Error: cannot use {path}"), message
    assert hint in message
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["build", "report", "import", "viz", "centrality"])
def test_output_under_proc(command: str, graph: str) -> None:
    args = _commands("/proc/stigraph-out", graph)[command]
    result = CliRunner().invoke(main, args)
    _check(result, args[-1], "does not exist and cannot be created")


@pytest.mark.parametrize("command", ["build", "report", "import", "viz", "centrality"])
def test_full_disk(command: str, graph: str, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    # a write that fails for want of space: on the flush to disk or on the final rename
    monkeypatch.setattr(os, "fsync", full)
    monkeypatch.setattr(os, "replace", full)
    target = str(tmp_path / "out")
    result = CliRunner().invoke(main, _commands(target, graph)[command])
    assert result.exit_code == 2, result.output
    assert "Error: cannot use " + target in result.output
    assert "the disk is full" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.rglob(".*.tmp"))


def test_output_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "g.ttl").mkdir()
    result = CliRunner().invoke(main, ["build", *MINI, "--out", str(tmp_path), "--name", "g"])
    _check(result, str(tmp_path / "g.ttl"), "that path is a folder")


@pytest.mark.parametrize("command", ["build", "import", "centrality"])
def test_unwritable_folder(command: str, graph: str, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    # the tests may run as root, for whom chmod does not stop a write: refuse it as the OS would
    import tempfile

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(kwargs.get("dir")))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    target = str(tmp_path / "out")
    result = CliRunner().invoke(main, _commands(target, graph)[command])
    assert result.exit_code == 2, result.output
    assert "Error: cannot use " + target in result.output
    assert "permission denied: choose a folder you can write" in result.output
    assert "Traceback" not in result.output
