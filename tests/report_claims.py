"""Checking every number in the report's sentences against the table (or graph file, or
setting) it comes from, reading only the written HTML page and its folder.

The page marks a sourced number as ``<data value=… data-table=… data-measure=…>``; this module
reads the tables of the page back from their HTML cells and recomputes each measure on its own
(it shares no code with :mod:`stigraph.outputs.report.claims`). Any other digit in a paragraph,
caption or callout is an error unless it is part of a date, a paragraph reference of the UN
report, its citation, or a web address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx

from stigraph.outputs.report.sources import REPORT_CITATION
from stigraph.outputs.worldmap import SOURCES_NOTE

#: Digits that may stand in a sentence without a source: web addresses, ISO dates, paragraphs
#: of the UN report, the UN report's citation and symbol, the map geometry's citation, SDG
#: numbers, the version, names with digits (UN M49, G8).
FREE = [re.compile(re.escape(REPORT_CITATION)), re.compile(re.escape(SOURCES_NOTE)),
        re.compile(r"https?://\S+"),
        re.compile(r"\d{4}-\d{2}-\d{2}"), re.compile(r"\bparas? \d+(?:[–-]\d+)?(?:, \d+)*"),
        re.compile(r"E/CN\.16/\d{4}/\d+"), re.compile(r"\bSDGs? \d+"),
        re.compile(r"stigraph \d+\.\d+\.\d+\S*"), re.compile(r"\b(?:UN )?M49\b"),
        re.compile(r"\bG(?:7|8|20|77)\b")]


@dataclass
class HtmlTable:
    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Claim:
    attrs: dict[str, str]
    text: str
    sentence: str = ""


class _Page(HTMLParser):
    """Tables (by their CSV name), sentences (p, figcaption) and their marked numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, HtmlTable] = {}
        self.sentences: list[tuple[str, list[Claim]]] = []
        self._table: HtmlTable | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False
        self._text: list[str] | None = None  # free text of the open sentence
        self._tag = ""
        self._claims: list[Claim] = []
        self._claim: Claim | None = None
        self._caption_csv: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "figure" and "table" in a.get("class", ""):
            self._table = HtmlTable(name="")
        elif tag == "a" and a.get("class") == "csv" and self._table is not None \
                and self._text is not None and a.get("href", "").startswith("tables/"):
            self._table.name = a["href"].removeprefix("tables/")
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("p", "figcaption") and self._text is None:
            self._text, self._tag, self._claims = [], tag, []
        elif tag == "data" and self._text is not None:
            self._claim = Claim(a, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "data" and self._claim is not None:
            self._claims.append(self._claim)
            self._claim = None
        elif tag == self._tag and self._text is not None:
            text = "".join(self._text)
            for claim in self._claims:
                claim.sentence = text
            self.sentences.append((text, self._claims))
            self._text = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            if self._in_head:
                self._table.columns = self._row
            else:
                self._table.rows.append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "figure" and self._table is not None:
            if self._table.name:
                self.tables[self._table.name] = self._table
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._claim is not None:
            self._claim.text += data
        elif self._text is not None:
            self._text.append(data)


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def _kept(table: HtmlTable, spec: str) -> tuple[str, list[list[str]]]:
    measure, _, condition = spec.partition("|")
    if not condition:
        return measure, table.rows
    match = re.match(r"^([^=>]+)([=>])(.*)$", condition)
    assert match, spec
    i = table.columns.index(match[1])
    if match[2] == "=":
        return measure, [r for r in table.rows if r[i] == match[3]]
    return measure, [r for r in table.rows if _number(r[i]) > float(match[3])]


def table_measure(table: HtmlTable, spec: str) -> float:
    """The measure recomputed from the table's cells as the page shows them."""
    measure, rows = _kept(table, spec)
    kind, _, arg = measure.partition(":")
    if table.rows and len(table.rows) == 1 and len(table.rows[0]) == 1 \
            and len(table.columns) > 1:  # the "nothing to show" row
        rows = []
    if kind == "rows":
        return len(rows)
    if kind == "head":
        return min(int(arg), len(rows))
    i = table.columns.index(arg)
    cells = [r[i] for r in rows]
    if kind == "nonempty":
        return sum(1 for c in cells if c not in ("", "—"))
    if kind == "distinct":
        return len(set(cells))
    if kind == "sum":
        return sum(_number(c) for c in cells if c not in ("", "—"))
    assert kind == "cell", spec
    values = {_number(c) for c in cells}
    assert len(values) == 1, (spec, cells)
    return values.pop()


def problems(html: str, root: Path, settings: dict[str, float]) -> list[str]:
    """Every number of a sentence that does not match its source, and every digit left
    without one."""
    page = _Page()
    page.feed(html)
    found: list[str] = []
    for text, claims in page.sentences:
        free = text
        for pattern in FREE:
            free = pattern.sub(" ", free)
        if re.search(r"\d", free):
            found.append(f"unsourced number in: {text!r}")
        for claim in claims:
            found.extend(_check(claim, page.tables, root, settings))
    return found


def _check(claim: Claim, tables: dict[str, HtmlTable], root: Path,
           settings: dict[str, float]) -> list[str]:
    a = claim.attrs
    shown = _number(claim.text) / (100 if claim.text.endswith("%") else 1)
    if abs(shown - float(a["value"])) > 1e-9 * max(1.0, abs(shown)) and "." not in claim.text:
        return [f"{claim.text!r} printed for value {a['value']} in {claim.sentence!r}"]
    if "data-table" in a:
        if a["data-table"] not in tables:
            return [f"{claim.text!r} cites table {a['data-table']!r}, not on the page"]
        expected = table_measure(tables[a["data-table"]], a["data-measure"])
    elif "data-graph" in a:
        g = nx.read_graphml(root / "graph" / f"{a['data-graph']}.graphml")
        expected = g.number_of_nodes() if a["data-measure"] == "nodes" else g.number_of_edges()
    else:
        if a["data-setting"] not in settings:
            return [f"unknown setting {a['data-setting']!r} in {claim.sentence!r}"]
        expected = settings[a["data-setting"]]
    if abs(float(a["value"]) - expected) > 5e-4 * max(1.0, abs(expected)):
        return [f"{claim.text!r} ({a}) but the source gives {expected} in {claim.sentence!r}"]
    return []


def sentence_count(html: str) -> tuple[int, int]:
    """(sentences with a sourced number, sourced numbers) on the page."""
    page = _Page()
    page.feed(html)
    with_numbers = [claims for _t, claims in page.sentences if claims]
    return len(with_numbers), sum(len(c) for c in with_numbers)
