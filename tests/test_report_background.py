"""The report's background work (validation and the graph file on a second thread, on the
Oxigraph store): its results are the report's, its failures are the report's, and nothing runs
or writes after the report has ended, failed or not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from stigraph.build.builder import GraphSource, open_graph
from stigraph.errors import StigraphError, ValidationError
from stigraph.outputs.report import ReportSettings, assemble, build_report, parallel
from stigraph.store import store_of

SEEDS = Path(__file__).resolve().parent / "fixtures" / "report-seeds"


def _settings(store: str = "oxigraph", **extra: Any) -> ReportSettings:
    return ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False,
                                             store=store),
                          as_of=dt.date(2024, 6, 30), networks=False, **extra)


def _background_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("report-background")]


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_the_background_work_is_the_reports(tmp_path: Path, store: str) -> None:
    pytest.importorskip("pyoxigraph")
    result = build_report(tmp_path / "r", _settings(store))
    assert {"validation (in the background)", "graph file (in the background)"} \
        <= set(result.steps)
    turtle = tmp_path / "r" / "graph" / "stigraph.ttl"
    assert turtle in result.files
    back = Graph()
    back.parse(turtle, format="turtle")
    built = open_graph(_settings(store).source)
    assert len(back) == len(store_of(built.graph))  # the whole graph, as built
    assert result.conforms and result.violations == 0
    assert "conforms" in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert not _background_threads()


def test_a_failure_of_the_analysis_waits_for_the_background(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyoxigraph")
    real = assemble.kept_validation
    finished: list[float] = []

    def slow_validation(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        found = real(*args, **kwargs)
        finished.append(time.monotonic())
        return found

    def broken_analysis(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("analysis failed")

    monkeypatch.setattr(assemble, "kept_validation", slow_validation)
    monkeypatch.setattr(assemble.analysis, "run", broken_analysis)
    with pytest.raises(RuntimeError, match="analysis failed"):
        build_report(tmp_path / "r", _settings())
    ended = time.monotonic()
    assert finished and finished[0] <= ended  # waited for, not left running
    assert not _background_threads()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no report, no staging folder


def test_a_failure_in_the_background_fails_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyoxigraph")

    def full_disk(graph: Graph, path: Path) -> Path:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(assemble, "write_turtle", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build_report(tmp_path / "r", _settings())
    assert not (tmp_path / "r").exists()
    assert not _background_threads()


def test_strict_validates_before_the_analysis(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyoxigraph")
    calls: list[str] = []
    real_run = assemble.analysis.run

    def failing_validation(*_args: Any, **_kwargs: Any) -> Any:
        calls.append("validation")
        report = real_validation(*_args, **_kwargs)
        assert report.conforms  # the fixture conforms: make it fail here
        return dataclasses.replace(report, conforms=False, violations=[_Violation()])

    def counted_run(*args: Any, **kwargs: Any) -> Any:
        calls.append("analysis")
        return real_run(*args, **kwargs)

    real_validation = assemble.kept_validation
    monkeypatch.setattr(assemble, "kept_validation", failing_validation)
    monkeypatch.setattr(assemble.analysis, "run", counted_run)
    with pytest.raises(ValidationError, match="does not conform: 1 violations; first: "
                                              "made up"):
        build_report(tmp_path / "r", _settings(strict=True))
    assert calls == ["validation"]
    assert not (tmp_path / "r").exists()


class _Violation:
    def describe(self) -> str:
        return "made up"


# -- the drawing in a forked process ----------------------------------------------------------


def _drawing_settings(**extra: Any) -> ReportSettings:
    return dataclasses.replace(_settings(), networks=True, **extra)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _children() -> list[Any]:
    import multiprocessing

    return multiprocessing.active_children()


def test_the_forked_drawing_writes_what_the_report_would_write_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyoxigraph")
    if not parallel.can_fork():
        pytest.skip("this platform cannot fork")
    forked = build_report(tmp_path / "forked", _drawing_settings())
    assert all(forked.steps[f"the {name} pages and files (in a process of its own)"] > 0
               for name in ("country-country", "actor-actor", "country-organisation"))
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    inline = build_report(tmp_path / "inline", _drawing_settings())
    ours, theirs = _files(tmp_path / "forked"), _files(tmp_path / "inline")
    assert sorted(ours) == sorted(theirs)
    assert any(name.startswith("networks/") for name in ours)
    assert any(name.endswith(".gexf") for name in ours)
    differ = [name for name in ours if ours[name] != theirs[name]]
    assert set(differ) <= {"report.html", "tables/report.xlsx"}  # these carry the time taken
    assert sorted(p.relative_to(tmp_path / "forked").as_posix() for p in forked.files) == \
        sorted(p.relative_to(tmp_path / "inline").as_posix() for p in inline.files)
    assert forked.networks == inline.networks
    assert not _children()


def _full_disk(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError(28, "No space left on device", "graph/x.gexf")


def _killed(*_args: Any, **_kwargs: Any) -> Any:
    import os

    os._exit(9)  # as the kernel's out-of-memory killer would end it


@pytest.mark.parametrize(("failure", "error", "message"), [
    (_full_disk, OSError, "No space left"),  # its own error, as raised there
    (_killed, StigraphError, "files ended without a result"),  # one naming it
])
def test_a_failure_in_the_drawing_process_fails_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Any, error: type,
        message: str) -> None:
    pytest.importorskip("pyoxigraph")
    if failure is _killed and not parallel.can_fork():
        pytest.skip("this platform cannot fork")
    monkeypatch.setattr(assemble, "write_analyst_files", failure)  # also in the fork
    with pytest.raises(error, match=message):
        build_report(tmp_path / "r", _drawing_settings())
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert not _children()


def test_a_failure_of_the_sections_stops_the_drawing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyoxigraph")
    if not parallel.can_fork():
        pytest.skip("this platform cannot fork")
    marker = tmp_path / "late"

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(3)
        marker.write_text("written after the report failed")
        return []

    def broken(_report: Any) -> Any:
        raise RuntimeError("a section failed")

    monkeypatch.setattr(assemble, "write_analyst_files", slow)
    monkeypatch.setattr(assemble, "SECTIONS", (broken,))
    with pytest.raises(RuntimeError, match="a section failed"):
        build_report(tmp_path / "out" / "r", _drawing_settings())
    time.sleep(3.5)
    assert not marker.exists()  # stopped, not left running
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    assert not _children()
