"""Text from data made safe where people open it.

Every CSV the project writes is safe to open in a spreadsheet: a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice
against CSV formula injection), so it is shown as text and never run. Numbers stay numbers:
a cell that is exactly a number (``-3``, ``+1.5``, ``-2e3``) is not a formula and is left as
it is. Control characters (NUL, BEL, ESC…) are written as ``\\xNN`` in CSV and terminal
tables, and a carriage return in a CSV cell as a line break; JSON keeps every value exact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

__all__ = ["csv_cell", "csv_text", "escape_controls"]

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
