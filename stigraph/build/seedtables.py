"""Reading seed CSV files: which table a file holds, its columns, and cell parsing.

Every problem is a :class:`~stigraph.errors.SeedError` naming the file and line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef

from stigraph.errors import SeedError
from stigraph.vocab.namespaces import XSD, report_source_iri

#: Table name -> (required columns, optional columns).
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "actors": (
        ("id", "name", "kind", "source"),
        ("acronym", "hq_country", "areas", "sdgs", "url", "founded", "description"),
    ),
    "initiatives": (
        ("id", "name", "kind", "source"),
        ("acronym", "run_by", "part_of", "countries", "areas", "sdgs", "start", "end", "url",
         "description"),
    ),
    "memberships": (
        ("member", "organisation", "role", "source"),
        ("start", "end", "decided", "amount", "currency", "note"),
    ),
    "relations": (("subject", "predicate", "object", "source"), ("note",)),
    "figures": (("subject", "measure", "value", "source"), ("unit", "year", "note")),
    "countries": (
        ("iso2", "iso3", "name", "source"),
        ("m49", "region", "region_m49", "subregion", "subregion_m49", "in_m49"),
    ),
    "country-groups": (("iso2", "group", "source"), ()),
    "income-groups": (("iso2", "fiscal_year", "income_group", "source"), ()),
}

# Longest prefixes first so "country-groups" is not taken for "countries".
_PREFIXES = sorted(TABLES, key=len, reverse=True)


def table_of(path: Path) -> str | None:
    """The table a seed file holds, from the start of its name; ``None`` for non-seed files."""
    name = path.name
    if path.suffix != ".csv":
        return None
    for prefix in _PREFIXES:
        if name.startswith(prefix) and not (prefix == "countries" and name.startswith("country-")):
            return prefix
    return None


@dataclass(frozen=True)
class Row:
    """One seed row with where it came from."""

    path: Path
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def where(self) -> str:
        return f"{self.path.name}:{self.line}"

    def error(self, message: str) -> SeedError:
        return SeedError(self.path, self.line, message)

    def split(self, column: str) -> list[str]:
        """A ``;``-separated cell as a list of non-empty items."""
        return [item.strip() for item in self.get(column).split(";") if item.strip()]


#: Control characters (C0 but tab, newline and carriage return; DEL; C1): never in a seed cell.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_OTHER_DELIMITERS = (";", "\t", "|")


def read_table(path: Path, table: str) -> Iterator[Row]:
    """Rows of a seed CSV, checking encoding, header and required cells."""
    required = TABLES[table][0]
    lines = _text(path).splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    header = _header(path, reader, table)
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SeedError(path, start, _csv_problem(exc, start)) from exc
        row = Row(path, reader.line_num, dict(zip(header, values, strict=False)))
        if not any(v.strip() for v in values):
            continue
        _check_span(path, lines, start, reader.line_num, len(header))
        _check_row(row, values, header, required)
        yield row


def _check_span(path: Path, lines: list[str], start: int, end: int, width: int) -> None:
    """A quoted cell may span lines, but not swallow lines that are rows of their own."""
    for number in range(start + 1, end + 1):
        fields = next(csv.reader([lines[number - 1]]), [])
        if len(fields) == width:
            raise SeedError(path, start, f"a quoted cell opened on line {start} runs on over "
                                         f"line {number}, which looks like a row of its own: "
                                         "is a quote missing or stray?")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SeedError(path, line, "is not UTF-8; re-save the file as UTF-8") from exc


def _csv_problem(exc: csv.Error, start: int) -> str:
    if "field larger than field limit" in str(exc):
        return (f"a cell of the row starting on line {start} is over {csv.field_size_limit():,} "
                "characters: a quote opened there is probably never closed")
    return f"broken CSV quoting: {exc}"


def _header(path: Path, reader: Iterator[list[str]], table: str) -> list[str]:
    required, optional = TABLES[table]
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SeedError(path, 1, "is empty; it needs a header row") from None
    except csv.Error as exc:
        raise SeedError(path, 1, f"bad CSV header: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        other = [d for d in _OTHER_DELIMITERS if len(header) == 1 and d in header[0]]
        hint = f" (the header is separated by {other[0]!r}; seed files use ',')" if other else ""
        raise SeedError(path, 1, f"missing column(s) {', '.join(missing)}; a {table} table "
                                 f"needs {', '.join(required)}{hint}")
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        raise SeedError(path, 1, f"unknown column(s) {', '.join(unknown)}; allowed: "
                                 f"{', '.join(required + optional)}")
    return header


def _check_row(row: Row, values: list[str], header: list[str], required: tuple[str, ...]
               ) -> None:
    if len(values) != len(header):
        raise row.error(f"has {len(values)} cells but the header has {len(header)}; check "
                        "for a stray or missing comma")
    for column, value in row.cells.items():
        bad = CONTROL.search(value)
        if bad:
            raise row.error(f"{column} contains the control character "
                            f"U+{ord(bad.group(0)):04X}; remove it")
    empty = [c for c in required if not row.get(c)]
    if empty:
        raise row.error(f"empty required cell(s): {', '.join(empty)}")


_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def parse_date(row: Row, column: str) -> Literal | None:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` cell as a literal of matching precision."""
    text = row.get(column)
    if not text:
        return None
    if not _DATE.match(text):
        raise row.error(f"{column} {text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    if len(text) == 4:
        return Literal(text, datatype=XSD.gYear)
    if len(text) == 7:
        return Literal(text, datatype=XSD.gYearMonth)
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise row.error(f"{column} {text!r} is not a calendar date") from None
    return Literal(text, datatype=XSD.date)


def parse_decimal(row: Row, column: str) -> Literal | None:
    text = row.get(column)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise row.error(f"{column} {text!r} is not a number; write digits with a '.' decimal "
                        "point and no thousands separators") from None
    if not value.is_finite():
        raise row.error(f"{column} {text!r} is not a finite number")
    return Literal(value, datatype=XSD.decimal)


_PARA = re.compile(r"^(para|fn)\s*(\d+)(\s+box)?$", re.IGNORECASE)


def parse_sources(row: Row) -> list[URIRef]:
    """The ``source`` cell: report paragraphs (``para 26``, ``fn 1``, ``para 32 box``) or URLs."""
    sources: list[URIRef] = []
    for item in row.split("source"):
        match = _PARA.match(item)
        if match:
            kind, number, box = match.group(1).lower(), match.group(2), match.group(3)
            sources.append(report_source_iri(kind, number + ("-box" if box else "")))
        elif item.startswith(("https://", "http://")) and " " not in item:
            sources.append(URIRef(item))
        else:
            raise row.error(f"source {item!r} is neither a report paragraph ('para 26', "
                            "'fn 1') nor an http(s) URL")
    if not sources:
        raise row.error("no source; every row cites a report paragraph or a URL")
    return sources
