"""The report's tables/report.xlsx: one sheet per CSV table, the same cells, numbers as numbers."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from stigraph.build.builder import GraphSource
from stigraph.outputs.report import ReportSettings, build_report

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"


def test_workbook_has_every_table_with_numbers_as_numbers(tmp_path: Path) -> None:
    settings = ReportSettings(source=GraphSource(seed_dirs=(SEEDS,), default_seeds=False),
                              as_of=dt.date(2024, 6, 30), networks=False)
    result = build_report(tmp_path / "r", settings)
    tables = result.out_dir / "tables"
    csvs = sorted(p for p in tables.glob("*.csv"))
    book = openpyxl.load_workbook(tables / "report.xlsx")
    assert sorted(book.sheetnames) == sorted(p.stem[:31] for p in csvs)
    numbers = 0
    for path in csvs:
        with path.open(encoding="utf-8", newline="") as handle:
            expected = list(csv.reader(handle))
        sheet = book[path.stem[:31]]
        got = [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]
        assert len(got) == len(expected), path.name
        assert [str(v) for v in got[0]] == expected[0]
        for want_row, got_row in zip(expected[1:], got[1:], strict=True):
            for want, cell in zip(want_row, got_row, strict=True):
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    numbers += 1
                    assert float(want) == pytest.approx(cell, rel=1e-14)  # xlsx: 15 digits
                else:
                    # the CSV prefixes formula starts for spreadsheets; the sheet keeps text
                    assert want in (cell, "'" + str(cell)), (path.name, want, cell)
    assert numbers > 0
