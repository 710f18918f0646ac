"""Render rows (flat dicts) as JSON, CSV or a terminal table; write files atomically.

Every CSV the project writes is safe to open in a spreadsheet: a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice
against CSV formula injection), so it is shown as text and never run. Numbers stay numbers:
a cell that is exactly a number (``-3``, ``+1.5``, ``-2e3``) is not a formula and is left as
it is. Control characters (NUL, BEL, ESC…) are written as ``\\xNN`` in CSV and terminal
tables, and a carriage return in a CSV cell as a line break; JSON keeps every value exact.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

FORMATS = ("json", "csv", "table")

Row = Mapping[str, Any]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Control characters escaped in CSV: C0 but tab, newline and CR (CSV quotes those), DEL, C1.
_CSV_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: In a terminal table every control character is escaped (a line break would break the row).
_TABLE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def escape_controls(text: str, *, table: bool = False) -> str:
    """``text`` with control characters written as ``\\xNN`` (``table``: tabs and breaks too)."""
    pattern = _TABLE_CONTROL if table else _CSV_CONTROL
    return pattern.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def csv_text(text: str) -> str:
    """A text cell made safe for a spreadsheet: controls escaped, a formula start prefixed."""
    formula = text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text)
    # the csv module does not quote a lone CR when rows end in "\n": write it as a line break
    text = escape_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    return "'" + text if formula else text


def csv_cell(value: Any, text: str | None = None) -> str:
    """How ``value`` is written in a CSV cell (``text``: its rendering, ``str(value)`` if None).

    Numbers are written as they are; everything else goes through :func:`csv_text`.
    """
    shown = str(value) if text is None else text
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return shown
    return csv_text(shown)


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


def readable_mode() -> int:
    """The mode a normal ``open()`` would give a new file (mkstemp makes it owner-only)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_open(
    path: Path | str, mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; rename it over ``path`` only if the block succeeds.

    Readers never see a half-written file, and a failure leaves the old file untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    os.chmod(tmp, readable_mode())
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is None or exc.filename == tmp:  # name the file the user asked for
            exc.filename, exc.filename2 = str(target), None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_rows(
    path: Path | str, rows: Iterable[Row], fmt: str, columns: Sequence[str] | None = None
) -> None:
    """Write rows to ``path`` atomically in ``fmt``."""
    text = render(list(rows), fmt, columns)
    with atomic_open(path) as handle:
        handle.write(text + "\n")
