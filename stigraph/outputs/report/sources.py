"""Sources and licences: how a cited source is shown, and the report's sources section.

A source is either a paragraph of the UN report (``…/id/source/report/para-26``, shown as
"para 26") or the URL of a page that states the fact (shown as its site, linked). The
section lists the data sets and their licences (from ``seeds/NOTICE.md``), the report
paragraphs the graph cites and the web sites cited most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Graph, URIRef

from stigraph.outputs.report.claims import sentence, stated
from stigraph.outputs.report.model import Cell, Cited, Link, Links, Table
from stigraph.store import store_of
from stigraph.vocab.namespaces import DCTERMS, REPORT_IRI, STIG

__all__ = [
    "REPORT_CITATION",
    "cited_paragraphs",
    "cited_sites",
    "notice_table",
    "provenance_counts",
    "source_link",
    "source_links",
]

REPORT_CITATION = (
    "United Nations, Commission on Science and Technology for Development, 27th session "
    "(Geneva, 15–19 April 2024): \u201cGlobal science, technology and innovation cooperation for "
    "development\u201d, report of the Secretary-General, E/CN.16/2024/2 (Chinese text)."
)

_REPORT_PREFIX = str(REPORT_IRI) + "/"


def source_link(source: str) -> Link:
    """How one source is shown: ``para 26`` for the UN report, the site name for a URL.

    >>> source_link("https://w3id.org/stigraph/id/source/report/para-32-box").text
    'para 32 box'
    >>> source_link("https://home.cern/about/who-we-are").text
    'home.cern'
    """
    if source.startswith(_REPORT_PREFIX):
        key = source[len(_REPORT_PREFIX):]
        kind, _, number = key.partition("-")
        name = {"para": "para", "fn": "fn"}.get(kind, kind)
        return Link(f"{name} {number.replace('-', ' ')}".strip())
    if source.startswith(("https://", "http://")):
        host = urlsplit(source).hostname or source
        return Link(host.removeprefix("www."), source)
    return Link(source)


def _sort_key(source: str) -> tuple[int, int, str]:
    if source.startswith(_REPORT_PREFIX):
        digits = re.search(r"\d+", source[len(_REPORT_PREFIX):])
        return (0, int(digits.group()) if digits else 0, source)
    return (1, 0, source)


def source_links(sources: Iterable[str], *, limit: int = 4) -> Links:
    """Sources of one row as a cell: report paragraphs first, then sites; at most ``limit``."""
    unique = sorted({s for s in sources if s}, key=_sort_key)
    links = [source_link(s) for s in unique[:limit]]
    if len(unique) > limit:
        links.append(Link(f"+{len(unique) - limit} more"))
    return Links(tuple(links))


def _object_counts(graph: Graph, predicate: URIRef, *, iris: bool = False) -> Counter[str]:
    """How many triples have each object of ``predicate`` (``iris``: IRI objects only),
    counted in the store's own engine: one aggregate, not a Python loop over rdflib terms
    (10 s on the default graph's 700,000 sources)."""
    test = " FILTER(isIRI(?o))" if iris else ""
    _variables, rows = store_of(graph).select(
        f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?s {predicate.n3()} ?o{test} }} GROUP BY ?o",
        {}, {})
    return Counter({str(o): int(n) for o, n in rows})


def source_counts(graph: Graph) -> Counter[str]:
    return _object_counts(graph, DCTERMS.source, iris=True)


def cited_paragraphs(graph: Graph) -> Table:
    """How many facts cite each paragraph of the UN report."""
    counts = source_counts(graph)
    rows: list[list[Cell]] = [
        [source_link(s).text, n] for s, n in sorted(counts.items(), key=lambda kv: _sort_key(kv[0]))
        if s.startswith(_REPORT_PREFIX)
    ]
    return Table(
        columns=["paragraph of E/CN.16/2024/2", "facts citing it"],
        rows=rows,
        caption="Paragraphs of the UN report cited by the graph",
        csv="cited-paragraphs.csv",
        numeric=(1,),
        empty="No fact in this graph cites the UN report.",
    )


def cited_sites(graph: Graph, *, top: int = 25) -> Table:
    """Web sites cited by the most facts."""
    counts: Counter[str] = Counter()
    for source, n in source_counts(graph).items():
        if source.startswith(("https://", "http://")) and not source.startswith(_REPORT_PREFIX):
            counts[source_link(source).text] += n
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    table = Table(
        columns=["web site", "facts citing a page on it"],
        rows=[[site, n] for site, n in rows[:top]],
        csv="cited-sites.csv",
        numeric=(1,),
    )
    table.caption = sentence("Web sites cited by the most facts (the top ",
                             stated(table, "rows"), ")" if len(rows) > top else "; all of them)")
    return table


def provenance_counts(graph: Graph) -> dict[str, int]:
    """How many facts are curated, imported, inferred or predicted."""
    counts: Counter[str] = Counter()
    for kind, n in _object_counts(graph, STIG.provenance).items():
        counts[kind.rsplit("/", 1)[-1].lower()] += n
    return dict(sorted(counts.items()))


_LINK = re.compile(r"<(https?://[^>\s]+)>")
_MARK = re.compile(r"[`*]")


def _notice_cell(text: str) -> Cited | str:
    urls = _LINK.findall(text)
    plain = _MARK.sub("", _LINK.sub("", text))
    plain = re.sub(r"\(\s*,\s*", "(", plain)
    plain = re.sub(r"\s*\(\s*\)", "", plain)
    plain = re.sub(r"\s+([,;.)])", r"\1", re.sub(r"\s{2,}", " ", plain)).strip(" ,;")
    if not urls:
        return plain
    return Cited(plain, tuple(Link(source_link(u).text, u) for u in urls))


def notice_table(path: Path) -> Table:
    """The licence table of ``seeds/NOTICE.md`` (a Markdown pipe table) as a report table."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    table_lines = [line for line in lines if line.strip().startswith("|")]
    if len(table_lines) < 2:
        return Table(columns=["seed file", "derived from", "licence / attribution"], rows=[],
                     caption="Data sets and licences", empty=f"{path.name} has no table.")
    header = [c.strip() for c in table_lines[0].strip().strip("|").split("|")]
    rows: list[list[Cell]] = []
    for line in table_lines[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append([_notice_cell(c) for c in cells])
    return Table(columns=header, rows=rows,
                 caption="Data sets the seeds are derived from, and their licences",
                 csv="data-licences.csv")
