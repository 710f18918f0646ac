"""Tables for people: codes instead of IRIs, wrapped text, nothing a user copies cut; xlsx."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from stigraph.cli import main
from stigraph.outputs.tables import MAX_LINES, render
from stigraph.outputs.xlsx import sheet_name, workbook_bytes, write_workbook
from stigraph.vocab.namespaces import ID_BASE

SLUG = "sti-for-sdgs-roadmap-and-a-very-long-slug-that-must-never-be-cut-at-all"
LONG = " ".join(f"word{i}" for i in range(60))


def rows() -> list[dict[str, object]]:
    return [{"node": f"{ID_BASE}initiative/{SLUG}", "label": LONG, "n": 3,
             "members": [f"{ID_BASE}country/KE", f"{ID_BASE}country/UG"]},
            {"node": f"{ID_BASE}country/KE", "label": "Kenya", "n": 12, "members": []}]


def test_table_shows_codes_whole_and_wraps_text_with_an_ellipsis() -> None:
    text = render(rows(), "table")
    lines = text.splitlines()
    assert ID_BASE not in text
    assert SLUG in text  # the slug whole, on one line, copyable
    assert lines[2].split()[0] == SLUG and lines[2].endswith("KE; UG")
    assert lines[-1].split()[:3] == ["KE", "Kenya", "12"]
    # the long label: MAX_LINES lines, the last ending in the ellipsis, every word whole
    label_lines = lines[2:2 + MAX_LINES]
    assert label_lines[-1].rstrip().split("  ")[-1] != ""
    shown = " ".join(line[len(SLUG) + 2:].split("  ")[0].strip() for line in label_lines)
    assert shown.endswith("…")
    words = shown.rstrip("…").split()
    assert words == LONG.split()[: len(words)]  # a prefix of the words, none broken


def test_iri_flag_keeps_full_iris_and_csv_json_are_untouched() -> None:
    assert f"{ID_BASE}initiative/{SLUG}" in render(rows(), "table", iri=True)
    parsed = list(csv.DictReader(io.StringIO(render(rows(), "csv"))))
    assert parsed[0]["label"] == LONG and parsed[0]["node"] == f"{ID_BASE}initiative/{SLUG}"


def test_workbook_one_sheet_per_table_numbers_as_numbers(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", {
        "members": (["member", "count", "share", "start"],
                    [["KE", 3, Decimal("0.25"), "2016"], ["=cmd|' /C calc'!A0", 4, 0.5, None]]),
        "members ": (["x"], [{"x": [1, 2]}]),
        "a/b:c*?" + "x" * 40: (["y"], []),
    })
    book = openpyxl.load_workbook(path)
    assert len(book.sheetnames) == 3 and book.sheetnames[0] == "members"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in book.sheetnames)
    sheet = book["members"]
    assert [c.value for c in sheet[1]] == ["member", "count", "share", "start"]
    assert [c.value for c in sheet[2]] == ["KE", 3, 0.25, "2016"]
    assert sheet.cell(2, 2).data_type == "n" and sheet.cell(2, 4).data_type == "s"
    assert sheet.cell(3, 1).value == "=cmd|' /C calc'!A0" and sheet.cell(3, 1).data_type == "s"
    assert book.worksheets[1].cell(2, 1).value == "1; 2"
    assert sheet_name("members", {"members"}) == "members (2)"


def test_cli_xlsx_on_stdout_matches_json(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["query", "members", "--param", "organisation=cern"]
    as_json = runner.invoke(main, base)
    import json

    expected = json.loads(as_json.stdout)
    done = runner.invoke(main, [*base, "--format", "xlsx"])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(io.BytesIO(done.stdout_bytes))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    got = [dict(zip(header, (c.value for c in row), strict=True))
           for row in sheet.iter_rows(min_row=2)]
    assert len(got) == len(expected)
    assert [g["member"] for g in got] == [e["member"] for e in expected]
    table = runner.invoke(main, [*base, "--format", "table"])
    assert "https://" not in table.stdout.split("\n")[2].split()[0]
    assert workbook_bytes({}).startswith(b"PK")
