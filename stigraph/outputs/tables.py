"""Render rows (flat dicts) as JSON, CSV or a terminal table, and write them to a file.

The terminal table is for people: stigraph IRIs show as their codes (``KE``, ``cern``; pass
``iri=True`` for full IRIs), long text wraps at word boundaries within the column (at most
:data:`MAX_LINES` lines, the last ending in "…" when more was cut), and a value without spaces
(a code, slug, IRI, number or date, what a user copies) is never cut or broken: its column
widens instead.

CSV cells and terminal tables are made safe by :mod:`stigraph.writing.safetext` (formula
starts prefixed, control characters escaped); JSON keeps every value exact.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from stigraph.vocab.namespaces import ID_BASE, iri_key
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


def render(rows: Sequence[Row], fmt: str = "json", columns: Sequence[str] | None = None,
           *, iri: bool = False) -> str:
    """Rows as text in ``fmt`` (json, csv or table; ``iri``: full IRIs in the table)."""
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
        return _table(rows, cols, iri=iri)
    raise ValueError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")


def _cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


#: Widest a wrapped text column gets, and most lines a cell wraps to.
MAX_WIDTH = 48
MAX_LINES = 4


def _short(text: str) -> str:
    """A stigraph IRI as its code (``…/id/country/KE`` -> ``KE``); other text as it is."""
    return iri_key(text) if text.startswith(ID_BASE) else text


def _display(value: Any, iri: bool) -> str:
    value = _plain(value)
    if not iri:
        if isinstance(value, list):
            value = [_short(str(v)) for v in value]
        elif isinstance(value, str):
            value = _short(value)
    return _cell(value)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` (words never broken), at most MAX_LINES."""
    if len(text) <= width and "\n" not in text:
        return [text]
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=False,
                                   break_on_hyphens=False) or [""])
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        while len(last) + 1 > width and " " in last:  # drop whole words to make room
            last = last.rsplit(" ", 1)[0]
        lines = [*lines[: MAX_LINES - 1], last + "…"]
    return lines


def _width(column: str, texts: Sequence[str], max_width: int) -> int:
    """A column's width: its longest text up to ``max_width``, never less than its longest
    word (a value without spaces is never broken)."""
    longest_word = max([len(column)] + [len(w) for text in texts for w in text.split()])
    longest = max([len(column)] + [len(text) for text in texts])
    return min(longest, max(max_width, longest_word))


def _row_lines(row: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One table row as lines: each cell wrapped to its column, the columns side by side."""
    cells = [_wrap(text, w) for text, w in zip(row, widths, strict=True)]
    return ["  ".join((c[n] if n < len(c) else "").ljust(w)
                      for c, w in zip(cells, widths, strict=True))
            for n in range(max(len(c) for c in cells))]


def _table(rows: Sequence[Row], cols: list[str], max_width: int = MAX_WIDTH, *,
           iri: bool = False) -> str:
    if not cols:
        return "(no rows)"
    texts = [[escape_controls(_display(r.get(c), iri), table=True) for c in cols]
             for r in rows]
    widths = [_width(col, [row[i] for row in texts], max_width) for i, col in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in texts:
        lines.extend(_row_lines(row, widths))
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
