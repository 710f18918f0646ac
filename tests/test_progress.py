"""Progress on stderr: one line per step off a terminal, a redrawn line on one, nothing quiet."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from stigraph.cli import main
from stigraph.cli.progress import Progress

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"


def clock(times: list[float]) -> Iterator[float]:
    yield from times


def test_one_line_per_step_off_a_terminal() -> None:
    log = io.StringIO()
    ticks = clock([0.0, 0.5, 1.0, 2.5, 4.0])
    with Progress(stream=log, clock=lambda: next(ticks)) as progress:
        progress("Reading rows", 10, 20)
        progress("Reading rows", 20, 20)
        progress("Writing batches", 1)  # t = 1.0: rows took 1.0 s
        progress("Writing batches", 3)
    assert log.getvalue().splitlines() == ["Reading rows: 20/20 (1.0 s)",
                                           "Writing batches: 3 (3.0 s)"]


def test_terminal_redraws_in_place_at_most_every_interval() -> None:
    log = io.StringIO()
    ticks = clock([0.0, 0.05, 0.2, 0.3, 0.3])
    progress = Progress(stream=log, clock=lambda: next(ticks), tty=True, interval=0.1)
    progress("Drawing pages", 1, 4)   # drawn (first)
    progress("Drawing pages", 2, 4)   # 0.05 s later: skipped
    progress("Drawing pages", 3, 4)   # drawn
    progress("Drawing pages", 4, 4)   # total reached: drawn
    progress.close()
    text = log.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n")  # three draws + the final one
    assert "[" + "#" * 18 + "-" * 6 + "]  3/4" in text and "2/4" not in text
    assert text.rstrip().rsplit("\r", 1)[1].startswith("Drawing pages  [" + "#" * 24 + "]  4/4")


def test_quiet_writes_nothing() -> None:
    log = io.StringIO()
    with Progress(stream=log, quiet=True, tty=True) as progress:
        progress("Reading rows", 1, 2)
    assert log.getvalue() == ""


def test_viz_shows_its_steps_and_is_quiet_with_quiet(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["viz", "actor", "--seeds", str(SEEDS), "--no-default-seeds", "--as-of", "2024",
            "--out", str(tmp_path / "a.html")]
    loud = runner.invoke(main, args)
    assert loud.exit_code == 0, loud.output
    steps = [line for line in loud.stderr.splitlines() if line.endswith(" s)")]
    assert [s.split(":")[0].split(" ")[0].rstrip(",") for s in steps] == [
        "Opening", "Projecting", "Computing", "Backbone", "Writing"]
    quiet = runner.invoke(main, [*args, "--quiet"])
    assert quiet.exit_code == 0
    assert [line for line in quiet.stderr.splitlines() if line.endswith(" s)")] == []
    assert quiet.stdout.strip().endswith("a.html")


def test_version_names_every_shipped_data_file() -> None:
    import csv

    manifest = TESTS.parent / "data" / "MANIFEST.csv"
    with manifest.open(encoding="utf-8", newline="") as handle:
        files = list(csv.DictReader(handle))
    done = CliRunner().invoke(main, ["--version"])
    assert done.exit_code == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("stigraph ")
    for row in files:
        (line,) = [x for x in lines if x.strip().startswith(row["file"] + ":")]
        assert f"{int(row['rows']):,} rows" in line and row["source_sha256"][:12] in line
