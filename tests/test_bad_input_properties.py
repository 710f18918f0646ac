"""Property tests (issue 12): real sample rows, randomly damaged, never crash the readers.

Each example takes real rows of the CORDIS and GCF samples (or a seed table), damages some of
them (cut short, a stray quote, another delimiter, Latin-1 bytes, a line break inside a
quoted field) and reads the file. The CSV readers must raise nothing but the project's own
errors and account for every row: rows in = rows kept + rows rejected. The seed reader either
returns every row or stops with a :class:`~stigraph.errors.SeedError`.

The damage leaves a row's first field (its identifier) whole: that is how the reader tells a
row that starts from the rest of a broken one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigraph.build.seedtables import read_table
from stigraph.errors import SeedError, StigraphError
from stigraph.importers.common import RejectLog, read_csv

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"
SAMPLES = [DATA / "cordis" / "organization.csv", DATA / "cordis" / "project.csv",
           DATA / "cordis" / "euroSciVoc.csv", DATA / "gcf" / "csv" / "gcf_projects.csv",
           DATA / "gcf" / "csv" / "gcf_project_countries.csv",
           DATA / "gcf" / "csv" / "gcf_project_result_areas.csv"]
DAMAGE = ("none", "cut", "stray-quote", "delimiter", "latin-1", "line-break")
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _join(fields: list[str], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerow(fields)
    return buf.getvalue().removesuffix("\n")


TABLES = {path: _table(path) for path in SAMPLES}


def _damaged(fields: list[str], damage: str, at: int, other: str) -> bytes:
    """One row's bytes after ``damage``; ``at`` picks a position, the first field stays whole."""
    text = _join(fields)
    rest = len(fields[0]) + 1  # first position after the identifier and its delimiter
    if damage == "cut":
        text = text[:rest + at % max(1, len(text) - rest)]
    elif damage == "stray-quote":
        pos = rest + at % max(1, len(text) - rest)
        text = text[:pos] + '"' + text[pos:]
    elif damage == "delimiter":
        text = _join(fields, other)
    elif damage == "line-break":
        column = 1 + at % max(1, len(fields) - 1)
        cell = fields[column]
        text = _join([*fields[:column], cell[:at % (len(cell) + 1)] + "\n"
                      + cell[at % (len(cell) + 1):], *fields[column + 1:]])
    if damage == "latin-1":
        return text.encode("latin-1", errors="replace")
    return text.encode("utf-8")


rows_and_damage = st.tuples(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(min_value=1, max_value=10_000), st.sampled_from(DAMAGE),
                       st.integers(min_value=0, max_value=10_000),
                       st.sampled_from([";", "\t", "|"])),
             min_size=10, max_size=40),
)


@FAST
@given(rows_and_damage)
def test_csv_reader_keeps_or_rejects_every_row(tmp_path_factory: object,
                                               case: tuple[Path, list[tuple[int, str, int, str]]]
                                               ) -> None:
    sample, picks = case
    table = TABLES[sample]
    header, body = table[0], table[1:]
    # at most a third of the rows damaged, so the identifier shape stays the common one
    picks = [(row, damage if i % 3 == 0 else "none", at, other)
             for i, (row, damage, at, other) in enumerate(picks)]
    data = b"\n".join([_join(header).encode("utf-8")]
                      + [_damaged(body[row % len(body)], damage, at, other)
                         for row, damage, at, other in picks]) + b"\n"
    path = Path(str(tmp_path_factory.mktemp("csv"))) / sample.name  # type: ignore[attr-defined]
    path.write_bytes(data)
    log = RejectLog()
    try:
        info, rows = read_csv(path, log)
        kept = list(rows)
    except StigraphError:
        return
    assert len(kept) + log.rejected == len(picks)
    assert (info.rows_read, info.rows_rejected) == (len(kept), log.rejected)
    undamaged = [body[row % len(body)] for row, damage, _, _ in picks if damage == "none"]
    got = [list(fields.values()) for _, fields in kept]
    for fields in undamaged:
        assert fields in got


seed_damage = st.lists(st.tuples(st.sampled_from(DAMAGE), st.integers(0, 10_000),
                                 st.sampled_from([";", "\t", "|"])), min_size=1, max_size=12)


@FAST
@given(seed_damage)
def test_seed_reader_returns_every_row_or_a_seed_error(tmp_path_factory: object,
                                                       damage: list[tuple[str, int, str]]
                                                       ) -> None:
    table = _table(SEEDS / "memberships.csv")
    header, body = table[0], table[1:]
    lines = [_join(header).encode("utf-8")]
    for i, (kind, at, other) in enumerate(damage):
        lines.append(_damaged(body[i % len(body)], kind, at, other))
    folder = Path(str(tmp_path_factory.mktemp("seeds")))  # type: ignore[attr-defined]
    path = folder / "memberships.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    try:
        rows = list(read_table(path, "memberships"))
    except SeedError as exc:
        assert exc.path == path
        assert exc.line is not None and 1 <= exc.line <= path.read_bytes().count(b"\n") + 1
        return
    assert len(rows) == len(damage)
