"""Outputs replaced whole (issue 12, item 7) and graph files checked when loaded (item 8).

A report is written beside its folder and swapped in at the end: a run that fails leaves the
previous report exactly as it was; a finished run leaves nothing of the previous one. A second
run writing the same folder (its lock held by a live process) is refused; a stale lock is
taken over. The graph files of one build are renamed into place together, each with a check
file that ``--graph`` verifies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli import main
from stigraph.outputs.report import assemble

TESTS = Path(__file__).resolve().parent
MINI = ["--no-default-seeds", "--seeds", str(TESTS / "fixtures" / "mini-seeds")]
REPORT = ["--no-default-seeds", "--seeds", str(TESTS / "fixtures" / "report-seeds"),
          "--as-of", "2024"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _report(out: Path) -> object:
    return CliRunner().invoke(main, ["report", *REPORT, "-q", "--out", str(out)])


@pytest.fixture()
def live_process() -> Iterator[int]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_failed_report_leaves_the_previous_one_whole(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    first = _report(out)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    before = _snapshot(out)
    assert "report.html" in before and any(k.startswith("networks/") for k in before)

    def broken(*args: object, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assemble, "write_report", broken)  # after the network pages
    second = _report(out)
    assert second.exit_code == 2  # type: ignore[attr-defined]
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no temporary folder left


def test_finished_report_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    (out / "networks").mkdir(parents=True)
    (out / "networks" / "from-an-old-run.html").write_text("old", encoding="utf-8")
    result = _report(out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not (out / "networks" / "from-an-old-run.html").exists()
    assert (out / "report.html").is_file()
    assert result.output.strip().splitlines()[-1] == str((out / "report.html").resolve())  # type: ignore[attr-defined]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_second_run_on_the_same_folder_is_refused(tmp_path: Path, live_process: int) -> None:
    out = tmp_path / "report"
    lock = tmp_path / ".report.lock"
    lock.write_text(f"{live_process}\n", encoding="ascii")
    result = _report(out)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"another stigraph run (process {live_process}) is writing it" in result.output  # type: ignore[attr-defined]
    assert not out.exists()
    build = CliRunner().invoke(main, ["build", *MINI, "--out", str(tmp_path / "g")])
    assert build.exit_code == 0, build.output
    (tmp_path / "g" / ".stigraph.ttl.lock").write_text(f"{live_process}\n", encoding="ascii")
    again = CliRunner().invoke(main, ["build", *MINI, "--out", str(tmp_path / "g")])
    assert again.exit_code == 2 and "another stigraph run" in again.output


def test_stale_lock_is_taken_over(tmp_path: Path) -> None:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    (tmp_path / ".report.lock").write_text(process.stdout, encoding="ascii")  # a dead run
    result = _report(tmp_path / "report")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not (tmp_path / ".report.lock").exists()


def test_build_files_are_replaced_together(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "g"
    first = CliRunner().invoke(main, ["build", *MINI, "--out", str(out), "--jsonld"])
    assert first.exit_code == 0, first.output
    before = _snapshot(out)
    from stigraph.build import graphfile

    real = graphfile.write_graph

    def fails_on_jsonld(graph: object, path: Path, fmt: str | None = None) -> Path:
        if path.suffix == ".jsonld":
            raise OSError(28, "No space left on device")
        return real(graph, path, fmt)  # type: ignore[arg-type]

    monkeypatch.setattr(graphfile, "write_graph", fails_on_jsonld)
    seeds = tmp_path / "seeds"
    import shutil

    shutil.copytree(TESTS / "fixtures" / "mini-seeds", seeds)
    with (seeds / "memberships.csv").open("a", encoding="utf-8") as handle:
        handle.write("KE,lab,member,2020,,,,para 11,\n")  # a different graph
    second = CliRunner().invoke(main, ["build", "--no-default-seeds", "--seeds", str(seeds),
                                       "--out", str(out), "--jsonld"])
    assert second.exit_code == 2
    assert _snapshot(out) == before  # not the new .ttl next to the old .jsonld


def test_graph_cut_at_a_line_boundary_is_caught(tmp_path: Path) -> None:
    build = CliRunner().invoke(main, ["build", *MINI, "--out", str(tmp_path)])
    assert build.exit_code == 0, build.output
    graph = tmp_path / "stigraph.nt"
    check = json.loads((tmp_path / "stigraph.nt.check.json").read_text(encoding="utf-8"))
    lines = graph.read_bytes().splitlines(keepends=True)
    assert check["triples"] == len(lines)
    args = ["query", "members", "--graph", str(graph), "--param", "organisation=lab"]
    assert CliRunner().invoke(main, args).exit_code == 0
    graph.write_bytes(b"".join(lines[:-5]))  # still valid N-Triples
    cut = CliRunner().invoke(main, args)
    assert cut.exit_code == 2
    assert "does not match its check file stigraph.nt.check.json" in cut.output
    assert "cut short or changed after the build" in cut.output
    (tmp_path / "stigraph.nt.check.json").unlink()
    assert CliRunner().invoke(main, args).exit_code == 0  # no check file: loads as before
