"""Broken CSV (issue 12, items 1-2): cut rows, stray quotes and huge fields never crash an
import or merge rows; every row read is kept or rejected, and each reject names its line."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from stigraph.importers import import_cordis
from stigraph.importers.common import RejectLog, read_csv

DATA = Path(__file__).resolve().parent / "data" / "cordis"


def _fields(line: str) -> list[str]:
    return next(csv.reader([line]))


def _join(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def _org_lines() -> list[str]:
    return (DATA / "organization.csv").read_text(encoding="utf-8").splitlines()


def _read(path: Path) -> tuple[list[tuple[int, dict[str, str]]], RejectLog, int]:
    log = RejectLog()
    _, rows = read_csv(path, log)
    got = list(rows)
    return got, log, log.rejected


def test_quoted_field_does_not_swallow_the_next_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b,c\n1,"x,y\n2,"p,q\n3,s,t\n', encoding="utf-8")
    rows, log, rejected = _read(path)
    assert rows == [(4, {"a": "3", "b": "s", "c": "t"})]
    assert rejected == 2
    assert [(e.line, e.reason) for e in log.entries] == [(2, "broken-quoting"),
                                                         (3, "broken-quoting")]
    assert "next row starts" in log.entries[0].message


def _cut_in_geolocation(line: str) -> str:
    """A real organisation row cut inside its quoted geolocation (as a broken download is)."""
    quote = line.index('"')
    return line[:quote + 5]


def test_two_cut_rows_do_not_crash_the_import(tmp_path: Path) -> None:
    lines = _org_lines()
    with_quotes = [line for line in lines[1:] if line.count('"') == 2]
    good = [line for line in lines[1:] if '"' not in line or line.count('"') == 2][:40]
    cut_a, cut_b = _cut_in_geolocation(with_quotes[0]), _cut_in_geolocation(with_quotes[1])
    body = [good[0], cut_a, *good[1:20], cut_b, *good[20:]]
    folder = tmp_path / "cordis"
    folder.mkdir()
    shutil.copy(DATA / "project.csv", folder / "project.csv")
    (folder / "organization.csv").write_text("\n".join([lines[0], *body]) + "\n", "utf-8")
    rejects = tmp_path / "rejects.csv"
    import_cordis(folder, tmp_path / "out.nt", rejects=rejects, match_seeds=False)
    with rejects.open(encoding="utf-8", newline="") as handle:
        broken = [r for r in csv.DictReader(handle) if r["reason"] == "broken-quoting"]
    assert sorted(int(r["line"]) for r in broken) == [3, 23]
    rows, _, rejected = _read(folder / "organization.csv")
    assert (len(rows), rejected) == (len(body) - 2, 2)


def test_cut_row_then_stray_quote_loses_no_row(tmp_path: Path) -> None:
    lines = _org_lines()
    name = _fields(lines[0]).index("name")
    rows = [line for line in lines[1:] if line.count('"') == 2][:5]
    cut_fields = _fields(rows[1])
    # a row cut inside a quoted name: its open quote would run on into the next row...
    cut = _join(cut_fields[:name]) + ',"' + cut_fields[name][:10]
    # ...whose name has a stray quote that closes it: the two used to merge into one row
    plain = _fields(rows[2])[name]
    assert '"' not in plain and "," not in plain
    stray_name = plain[:3] + '"' + plain[3:]
    stray = rows[2].replace(plain, stray_name, 1)
    body = [rows[0], cut, stray, rows[3], rows[4]]
    path = tmp_path / "organization.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    got, log, rejected = _read(path)
    assert (len(got), rejected) == (4, 1)
    assert [line for line, _ in got] == [2, 4, 5, 6]
    assert got[1][1]["name"] == stray_name  # kept whole, not merged into the cut row
    assert [(e.line, e.reason) for e in log.entries] == [(3, "broken-quoting")]


def test_field_over_the_csv_module_limit_is_kept(tmp_path: Path) -> None:
    long_text = "a, \"b\" " * 40_000  # 280,000 characters, quotes doubled by the writer
    path = tmp_path / "x.csv"
    path.write_text("id,text,n\n" + _join(["1", long_text, "7"]) + "\n2,short,8\n", "utf-8")
    rows, log, rejected = _read(path)
    assert [row for _, row in rows] == [{"id": "1", "text": long_text, "n": "7"},
                                        {"id": "2", "text": "short", "n": "8"}]
    assert (rejected, len(log)) == (0, 0)
