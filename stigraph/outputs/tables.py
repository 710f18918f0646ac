"""Render rows (flat dicts) as JSON, CSV or a terminal table, and write them to a file.

CSV cells and terminal tables are made safe by :mod:`stigraph.writing.safetext` (formula
starts prefixed, control characters escaped); JSON keeps every value exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from stigraph.writing.atomic import atomic_open
from stigraph.writing.safetext import csv_cell, escape_controls

FORMATS = ("json", "csv", "table")

Row = Mapping[str, Any]


def _plain(value: Any) -> Any:
    """JSON-friendly scalar: Decimal -> float, dates -> ISO text, others as they are."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _columns(rows: Sequence[Row], columns: Sequence[str] | None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def render(rows: Sequence[Row], fmt: str = "json", columns: Sequence[str] | None = None) -> str:
    """Rows as text in ``fmt`` (json, csv or table)."""
    cols = _columns(rows, columns)
    if fmt == "json":
        return json.dumps([{c: _plain(r.get(c)) for c in cols} for r in rows], indent=2,
                          ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else csv_cell(r.get(c), _cell(r.get(c)))
                             for c in cols])
        return buf.getvalue().rstrip("\n")
    if fmt == "table":
        return _table(rows, cols)
    raise ValueError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")


def _cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _table(rows: Sequence[Row], cols: list[str], max_width: int = 60) -> str:
    if not cols:
        return "(no rows)"
    cells = [[escape_controls(_cell(r.get(c)), table=True)[:max_width] for c in cols]
             for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    if not rows:
        lines.append("(no rows)")
    return "\n".join(line.rstrip() for line in lines)


def write_rows(
    path: Path | str, rows: Iterable[Row], fmt: str, columns: Sequence[str] | None = None
) -> None:
    """Write rows to ``path`` atomically in ``fmt``."""
    text = render(list(rows), fmt, columns)
    with atomic_open(path) as handle:
        handle.write(text + "\n")
