"""CSV formula injection and control characters in output (issue 12, items 3 and 9).

A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` in every
CSV stigraph writes; numbers (also ``-3`` written as text) stay as they are; JSON is exact.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from stigraph.cli import main
from stigraph.importers.common import RejectLog
from stigraph.outputs.report.model import Link, Table
from stigraph.outputs.report.render import write_table_csv
from stigraph.outputs.tables import render

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"
ATTACKS = {"France": "=HYPERLINK(\"http://evil.example\",\"click\")",
           "Switzerland": "+cmd|' /C calc'!A0",
           "United Republic of Tanzania": "@SUM(1+1)*cmd|' /C calc'!A0"}


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_query_csv_prefixes_formulas_and_json_stays_exact(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, seeds)
    countries = seeds / "countries.csv"
    text = countries.read_text(encoding="utf-8")
    for name, attack in ATTACKS.items():
        quoted = '"' + attack.replace('"', '""') + '"'
        text = text.replace(f'"{name}"' if f'"{name}"' in text else name, quoted, 1)
    countries.write_text(text, encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--no-default-seeds", "--seeds", str(seeds), "--out",
                                 str(tmp_path), "--name", "g"])
    assert built.exit_code == 0, built.output
    base = ["query", "members", "--graph", str(tmp_path / "g.ttl"), "--param",
            "organisation=lab", "--param", "as_of=2000-01-01"]
    as_json = runner.invoke(main, base)
    assert as_json.exit_code == 0, as_json.output
    assert {r["memberLabel"] for r in json.loads(as_json.stdout)} == set(ATTACKS.values())
    as_csv = runner.invoke(main, [*base, "--format", "csv"])
    assert {r["memberLabel"] for r in _csv(as_csv.stdout)} == {
        "'" + attack for attack in ATTACKS.values()}


def test_render_csv_keeps_numbers_and_escapes_controls() -> None:
    rows = [{"name": "-1+2", "n": -3, "text_number": "-3.5e2", "x": 1.25, "tab": "\tx",
             "cr": "\rx", "plain": "a-b=c", "bell": "ring\x07ring", "esc": "\x1b[31mred"}]
    got = _csv(render(rows, "csv"))[0]
    assert got == {"name": "'-1+2", "n": "-3", "text_number": "-3.5e2", "x": "1.25",
                   "tab": "'\tx", "cr": "'\nx", "plain": "a-b=c", "bell": "ring\\x07ring",
                   "esc": "\\x1b[31mred"}
    assert json.loads(render(rows, "json")) == rows
    table = render(rows, "table")
    assert "\x1b" not in table and "\x07" not in table and "\\x1b[31mred" in table
    assert len(table.splitlines()) == 3  # the tab and CR did not break the row


def test_report_table_csv_and_rejects_csv_are_safe(tmp_path: Path) -> None:
    table = Table(columns=["name", "value", "link"],
                  rows=[["=1+1", -2.5, Link("@evil", "https://example.org")],
                        ["-", 3, Link("fine", None)]], csv="t.csv")
    path = write_table_csv(table, tmp_path / "t.csv")
    assert list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))) == [
        ["name", "value", "link"], ["'=1+1", "-2.5", "'@evil <https://example.org>"],
        ["'-", "3", "fine"]]
    log = RejectLog()
    log.add("=cmd.csv", 3, "broken-quoting", "-message", raw="=HYPERLINK(1)\x00")
    log.write(tmp_path / "rejects.csv")
    rows = _csv((tmp_path / "rejects.csv").read_text(encoding="utf-8"))
    assert rows == [{"file": "'=cmd.csv", "line": "3", "reason": "broken-quoting",
                     "action": "rejected", "message": "'-message",
                     "raw": "'=HYPERLINK(1)\\x00"}]
