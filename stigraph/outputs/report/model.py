"""The report as data: sections, tables, charts and cited cells, before any HTML.

Assembling (:mod:`stigraph.outputs.report.assemble`) fills these; rendering
(:mod:`stigraph.outputs.report.render`) turns them into one HTML page and CSV files. Keeping the two
apart lets tests check the numbers without parsing HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Cell", "ChartRef", "Cited", "Figure", "Link", "Links", "Num", "Section", "Sentence",
           "Table", "Text", "plain_text"]


@dataclass(frozen=True)
class Link:
    """A link: ``href`` is a relative path inside the report folder or an http(s) URL."""

    text: str
    href: str | None = None

    @property
    def plain(self) -> str:
        if not self.href or self.href == self.text:
            return self.text
        return f"{self.text} <{self.href}>"


@dataclass(frozen=True)
class Cited:
    """A value with the sources it comes from."""

    text: str
    sources: tuple[Link, ...] = ()

    @property
    def plain(self) -> str:
        if not self.sources:
            return self.text
        return f"{self.text} ({'; '.join(s.plain for s in self.sources)})"


@dataclass(frozen=True)
class Links:
    """Several links in one cell (the sources of a row)."""

    items: tuple[Link, ...]

    @property
    def plain(self) -> str:
        return "; ".join(s.plain for s in self.items)


Cell = str | int | float | None | Link | Cited | Links


@dataclass(frozen=True)
class Num:
    """A number in a sentence and where it comes from, so that a reader (and a test) can check
    it: ``table`` (a table's CSV name) with ``measure`` (see
    :mod:`~stigraph.outputs.report.claims`), or ``graph`` (a projection written to
    ``graph/NAME.graphml``) with ``nodes`` or ``edges``, or ``setting`` (seed, hold-out
    fraction, cutoff share). ``text`` is the number as printed."""

    value: int | float
    text: str
    table: str = ""
    graph: str = ""
    setting: str = ""
    measure: str = ""


@dataclass(frozen=True)
class Sentence:
    """Text with numbers that say where they come from (:class:`Num`)."""

    parts: tuple[str | Num, ...]

    @property
    def plain(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    def __str__(self) -> str:
        return self.plain

    def __add__(self, other: str | Sentence) -> Sentence:
        more = other.parts if isinstance(other, Sentence) else (other,)
        return Sentence(self.parts + more)

    def __radd__(self, other: str) -> Sentence:
        return Sentence((other, *self.parts))


#: A paragraph, caption or callout: plain text, or a sentence whose numbers are sourced.
Text = str | Sentence


def plain_text(text: Text) -> str:
    """The text as a reader sees it."""
    return text.plain if isinstance(text, Sentence) else text


@dataclass
class Table:
    """A table; ``csv`` is the file name it is also written to (under ``tables/``)."""

    columns: list[str]
    rows: list[list[Cell]]
    caption: Text = ""
    csv: str | None = None
    note: str = ""
    numeric: tuple[int, ...] = ()
    empty: str = "Nothing to show."
    digits: int = 3


@dataclass(frozen=True)
class ChartRef:
    """A chart written as PNG and SVG; the SVG is embedded in the page."""

    png: Path
    svg: Path
    caption: Text
    alt: str


@dataclass(frozen=True)
class Figure:
    """A key number with what it counts."""

    value: str
    label: str


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[Text] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    charts: list[ChartRef] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    callout: list[Text] = field(default_factory=list)
