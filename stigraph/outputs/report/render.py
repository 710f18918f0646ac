"""Render the report (sections as data) into one self-contained HTML page plus CSV files.

The page is made with a Jinja2 template with autoescape on; charts are embedded as base64
``data:`` URIs (the SVG, crisp at any zoom); CSS is inline; the page has no script and its
Content-Security-Policy forbids every request, so it works offline and nothing in the data can
run.
"""

from __future__ import annotations

import base64
import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from stigraph import __version__
from stigraph.outputs.report.model import (
    Cell,
    ChartRef,
    Cited,
    Figure,
    Link,
    Links,
    Num,
    Section,
    Sentence,
    Table,
    Text,
)
from stigraph.writing.atomic import atomic_open
from stigraph.writing.safetext import csv_cell

__all__ = ["ReportPage", "format_number", "render_html", "write_report", "write_table_csv",
           "write_tables_xlsx"]

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class ReportPage:
    """What the report says at the top and in its footer."""

    title: str
    subtitle: str
    as_of: str
    generated: str
    sections: Sequence[Section]
    summary: Sequence[Figure] = ()
    footer: Sequence[str] = ()
    focus: str = ""


def format_number(value: float | int, digits: int = 3) -> str:
    """``1234`` -> ``1,234``; floats to ``digits`` significant digits, no exponent when short."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if math.isnan(value):
        return "n/a"
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    magnitude = math.floor(math.log10(abs(value)))
    if -4 <= magnitude < 15:
        decimals = max(digits - 1 - magnitude, 0)
        return f"{value:,.{decimals}f}"
    return f"{value:.{digits - 1}e}"


def _cell(value: Cell, digits: int) -> Any:
    if isinstance(value, Link):
        return {"text": value.text, "href": value.href} if value.href else value.text
    if isinstance(value, Cited):
        return {"text": value.text,
                "sources": [{"text": s.text, "href": s.href} for s in value.sources]}
    if isinstance(value, Links):
        return {"list": [{"text": s.text, "href": s.href} for s in value.items]}
    if isinstance(value, int | float):
        return format_number(value, digits)
    return value


def _plain(value: Cell) -> str:
    if isinstance(value, Link | Cited | Links):
        return value.plain
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _num(num: Num) -> dict[str, Any]:
    return {"text": num.text, "value": repr(num.value), "measure": num.measure,
            "table": num.table, "graph": num.graph, "setting": num.setting}


def _text(text: Text) -> Any:
    """Plain text stays a string; a sentence becomes its parts, numbers with their source."""
    if isinstance(text, Sentence):
        return {"parts": [p if isinstance(p, str) else _num(p) for p in text.parts]}
    return text


def _table(table: Table, csv_dir: str) -> dict[str, Any]:
    return {
        "columns": table.columns,
        "rows": [[_cell(v, table.digits) for v in row] for row in table.rows],
        "caption": _text(table.caption),
        "csv": f"{csv_dir}/{table.csv}" if table.csv else None,
        "note": table.note,
        "numeric": set(table.numeric),
        "empty": table.empty,
    }


def _chart(chart: ChartRef, root: Path) -> dict[str, Any]:
    data = base64.b64encode(chart.svg.read_bytes()).decode("ascii")
    return {
        "data_uri": f"data:image/svg+xml;base64,{data}",
        "alt": chart.alt,
        "caption": _text(chart.caption),
        "png": chart.png.relative_to(root).as_posix(),
        "svg": chart.svg.relative_to(root).as_posix(),
    }


def _section(section: Section, root: Path, csv_dir: str) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "paragraphs": [_text(p) for p in section.paragraphs],
        "callout": [_text(p) for p in section.callout],
        "figures": section.figures,
        "charts": [_chart(c, root) for c in section.charts],
        "tables": [_table(t, csv_dir) for t in section.tables],
        "subsections": [_section(s, root, csv_dir) for s in section.subsections],
        "links": [{"text": link.text, "href": link.href} for link in section.links],
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )


def render_html(page: ReportPage, root: Path, *, csv_dir: str = "tables") -> str:
    """The report page as HTML text; chart paths are read relative to ``root``."""
    return _environment().get_template("report.html").render(
        title=page.title,
        subtitle=page.subtitle,
        as_of=page.as_of,
        generated=page.generated,
        focus=page.focus,
        version=__version__,
        summary=page.summary,
        sections=[_section(s, root, csv_dir) for s in page.sections],
        footer=page.footer,
    )


def write_table_csv(table: Table, path: Path) -> Path:
    """One table as CSV (plain values, sources written out as text), atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([csv_cell(v, _plain(v)) for v in row])
    with atomic_open(path) as handle:
        handle.write(buffer.getvalue())
    return path


def _tables(sections: Sequence[Section]) -> list[Table]:
    found: list[Table] = []
    for section in sections:
        found.extend(section.tables)
        found.extend(_tables(section.subsections))
    return found


def _xlsx_value(value: Cell) -> Any:
    """A number stays a number in the workbook; everything else is its plain text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _plain(value)
    return value


def write_tables_xlsx(tables: Sequence[Table], path: Path) -> Path | None:
    """Every table with a CSV name as one sheet of ``path`` (named after the CSV file), numbers
    as numbers; None (nothing written) when openpyxl, the ``xlsx`` extra, is not installed."""
    try:
        import openpyxl  # noqa: F401
    except ModuleNotFoundError:
        return None
    from stigraph.outputs.xlsx import write_workbook

    sheets = {table.csv.removesuffix(".csv"): (table.columns,
                                               [[_xlsx_value(v) for v in row]
                                                for row in table.rows])
              for table in tables if table.csv}
    return write_workbook(path, sheets)


def write_report(page: ReportPage, root: Path, *, name: str = "report.html",
                 csv_dir: str = "tables") -> Path:
    """Write ``report.html``, every table's CSV and ``report.xlsx`` (all tables, one sheet
    each, when openpyxl is installed) under ``root``; returns the page's path."""
    tables = _tables(page.sections)
    for table in tables:
        if table.csv:
            write_table_csv(table, root / csv_dir / table.csv)
    write_tables_xlsx(tables, root / csv_dir / "report.xlsx")
    path = root / name
    with atomic_open(path) as handle:
        handle.write(render_html(page, root, csv_dir=csv_dir))
    return path
