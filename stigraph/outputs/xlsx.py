"""Tables as one Excel workbook (openpyxl, the ``xlsx`` extra): one sheet per table.

Numbers stay numbers (int, float, Decimal as float), dates stay text at the source's precision
(a year is "2016", not a date cell), lists are joined with "; ", and every text cell is
written as a string (a value starting with "=" is never taken for a formula). The header row is
bold and frozen; column widths follow the content (at most 60 characters).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from stigraph.errors import ParameterError
from stigraph.writing.atomic import atomic_open

__all__ = ["Sheet", "sheet_name", "workbook_bytes", "write_workbook"]

#: A sheet: its columns and its rows (each a sequence of values or a mapping by column).
Sheet = tuple[Sequence[str], Sequence[Sequence[Any] | Mapping[str, Any]]]

_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = _BAD.sub("-", name).strip("'") or "sheet"
    candidate = base[:31]
    n = 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return str(value)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ModuleNotFoundError as exc:
        raise ParameterError("xlsx needs openpyxl: pip install 'stigraph[xlsx]'") from exc
    return openpyxl


def workbook_bytes(sheets: Mapping[str, Sheet]) -> bytes:
    """The workbook (xlsx bytes) with one sheet per entry of ``sheets``, in order."""
    openpyxl = _openpyxl()
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(sheet_name(name, taken))
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(c)) for c in columns]
        for row in rows:
            values = ([row.get(c) for c in columns] if isinstance(row, Mapping) else list(row))
            cells = [_value(v) for v in values]
            sheet.append([None] * len(cells))
            for index, value in enumerate(cells):
                target = sheet.cell(row=sheet.max_row, column=index + 1)
                target.value = value
                if isinstance(value, str):
                    target.data_type = TYPE_STRING  # never a formula
                if index < len(widths):
                    widths[index] = max(widths[index], min(len(str(value or "")), 60))
        for index, width in enumerate(widths):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = width + 2
        sheet.freeze_panes = "A2"
    if not book.sheetnames:
        book.create_sheet("empty")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(path: Path | str, sheets: Mapping[str, Sheet]) -> Path:
    """Write the workbook to ``path`` atomically."""
    data = workbook_bytes(sheets)
    target = Path(path)
    with atomic_open(target, "wb", encoding=None) as handle:
        handle.write(data)
    return target
