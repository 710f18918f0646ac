"""Progress inside importers and long steps: rows read of each file, sections done, group
pages drawn; one line per step off a terminal, nothing with --quiet."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from stigraph.build.builder import GraphSource
from stigraph.cli import main
from stigraph.importers import common, import_cordis
from stigraph.outputs import aggregate
from stigraph.outputs.report import ReportSettings, build_report
from stigraph.outputs.report.assemble import SECTIONS

TESTS = Path(__file__).resolve().parent
CORDIS = TESTS / "data" / "cordis"
SEEDS = TESTS / "fixtures" / "report-seeds"


def _lines(path: Path) -> int:
    """Lines after the header, counted independently of the reader."""
    return len(path.read_bytes().rstrip(b"\n").split(b"\n")) - 1


def test_cordis_import_reports_rows_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.setattr(common, "PROGRESS_EVERY", 7)
    calls: list[tuple[str, int, int | None]] = []
    import_cordis(CORDIS, tmp_path / "c.nt", progress=lambda *a: calls.append(a))
    by_file: dict[str, list[tuple[int, int | None]]] = {}
    for what, done, total in calls:
        by_file.setdefault(what, []).append((done, total))
    files = {f"Reading {p.name}": _lines(p) for p in CORDIS.glob("*.csv")}
    assert set(by_file) == set(files)
    for what, ticks in by_file.items():
        total = files[what]
        assert ticks[-1] == (total, total)  # the end of the file
        assert all(t == total for _, t in ticks)
        middle = [d for d, _ in ticks[:-1]]
        assert middle == list(range(7, total, 7))[: len(middle)] and len(middle) == (total - 1) // 7


def test_import_prints_one_line_per_file_and_nothing_quiet(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["import", "cordis", str(CORDIS), "--out", str(tmp_path / "c.nt")]
    loud = runner.invoke(main, args)
    assert loud.exit_code == 0, loud.output
    reading = [line for line in loud.stderr.splitlines() if line.startswith("Reading ")]
    expected = {f"Reading {p.name}: {_lines(p):,}/{_lines(p):,}" for p in CORDIS.glob("*.csv")}
    assert {line.rsplit(" (", 1)[0] for line in reading} == expected
    assert len(reading) == len(expected)  # not a terminal: one line per file, no redraws
    quiet = runner.invoke(main, [*args, "--quiet"])
    assert quiet.exit_code == 0
    assert not [line for line in quiet.stderr.splitlines() if line.startswith("Reading ")]


def test_report_counts_sections_done(tmp_path: Path) -> None:
    calls: list[tuple[Any, ...]] = []
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date(2024, 6, 30), networks=False)
    build_report(tmp_path / "r", settings, progress=lambda *a: calls.append(a))
    ticks = [c for c in calls if len(c) == 3]
    assert [(done, total) for _step, done, total in ticks] == [
        (n, len(SECTIONS)) for n in range(1, len(SECTIONS) + 1)]
    assert len({step for step, _d, _t in ticks}) == 1  # all within the sections step
    steps = [c[0] for c in calls if len(c) == 1]
    from stigraph.cli import report as report_cli

    assert len(steps) == report_cli._STEPS
    assert not any("Validating" in step for step in steps)  # beside the analysis, not a step
    strict: list[tuple[Any, ...]] = []
    build_report(tmp_path / "s", dataclasses.replace(settings, strict=True),
                 progress=lambda *a: strict.append(a))
    strict_steps = [c[0] for c in strict if len(c) == 1]
    assert len(strict_steps) == report_cli._STEPS + 1
    assert strict_steps[1] == "Validating against the SHACL shapes"  # before any analysis


def test_group_pages_drawn_are_counted(tmp_path: Path) -> None:
    g = nx.Graph()
    for c in "ABC":
        nx.add_path(g, [f"{c}{i}" for i in range(4)])
    g.add_edges_from([("A0", "B0"), ("B1", "C1")])
    calls: list[tuple[str, int, int | None]] = []
    aggregate.write_network_pages(g, tmp_path / "n.html", title="t", description="d",
                                  countries={n: n[0] for n in g}, aggregate_above=5,
                                  progress=lambda *a: calls.append(a))
    assert [(d, t) for _w, d, t in calls] == [(1, 3), (2, 3), (3, 3)]
