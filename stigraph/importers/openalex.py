"""OpenAlex country co-authorship importer: country pairs per year with counts of works.

Reads ``openalex_country_coauthorship_edges_*.csv`` (``year,iso2_a,iso2_b,coauthored_works``;
a folder holding it also works, and its ``…_year_totals_…`` file if present). Namibia's
code ``NA`` is a country, never a missing value: cells are read as text.

Each (year, pair) becomes a reified, *not asserted* statement that the analytics read as a
country–country cooperation weight::

    id/statement/openalex-{year}-{A}-{B}  a rdf:Statement ;
        rdf:subject country/A ; rdf:predicate stig:partnerOf ; rdf:object country/B ;
        stig:measure "coauthored-works" ; stig:value N ; stig:unit "works" ;
        stig:year "YYYY"^^xsd:gYear ; stig:provenance stig:Imported ; dct:source <…> .

(A < B by code; the pair is unordered.) Yearly totals per country become ``stig:Figure``
nodes (``measure "coauthored-works-total"``).

Source: OpenAlex (CC0), aggregated by V. Batagelj, github.com/bavla/OpenAlex.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from stigraph.errors import DataImportError
from stigraph.importers.common import ImportStats, RejectLog, iri, lit, read_csv, triple, typed
from stigraph.importers.terms import (
    IMPORTED,
    P_PROV,
    P_SOURCE,
    A,
)
from stigraph.vocab.namespaces import RDF, STIG, country_iri, instance_iri

__all__ = ["MEASURE", "TOTAL_MEASURE", "openalex_triples"]

SOURCE = "https://github.com/bavla/OpenAlex/tree/main/Countries"
MEASURE = "coauthored-works"
TOTAL_MEASURE = "coauthored-works-total"

C_STATEMENT = iri(str(RDF.Statement))
C_FIGURE = iri(str(STIG.Figure))
P_SUBJECT = iri(str(RDF.subject))
P_PREDICATE = iri(str(RDF.predicate))
P_OBJECT = iri(str(RDF.object))
PARTNER_OF = iri(str(STIG.partnerOf))
P_MEASURE = iri(str(STIG.measure))
P_VALUE = iri(str(STIG.value))
P_UNIT = iri(str(STIG.unit))
P_YEAR = iri(str(STIG.year))
P_ABOUT = iri(str(STIG.about))
L_MEASURE = lit(MEASURE)
L_TOTAL = lit(TOTAL_MEASURE)
L_WORKS = lit("works")
SRC = iri(SOURCE)

_YEAR = re.compile(r"^\d{4}$")
_COUNT = re.compile(r"^\d+$")
_CODE = re.compile(r"^[A-Z]{2}$")


def _files(path: Path) -> tuple[Path, Path | None]:
    if path.is_file():
        return path, None
    if path.is_dir():
        edges = sorted(path.glob("*edges*.csv")) or sorted(path.glob("*edges*.csv.gz"))
        totals = sorted(path.glob("*totals*.csv")) or sorted(path.glob("*totals*.csv.gz"))
        if edges:
            return edges[0], (totals[0] if totals else None)
    raise DataImportError(f"{path}: expected the OpenAlex co-authorship edges CSV "
                          "(year,iso2_a,iso2_b,coauthored_works) or a folder holding it")


def openalex_triples(
    path: Path | str,
    *,
    log: RejectLog,
    stats: ImportStats,
    countries: Iterable[str] = (),
    from_year: int | None = None,
    to_year: int | None = None,
) -> Iterator[str]:
    """N-Triples lines for the co-authorship pairs (and yearly totals) at ``path``."""
    edges, totals = _files(Path(path))
    known = frozenset(countries)
    info, rows = read_csv(edges, log, required=("year", "iso2_a", "iso2_b", "coauthored_works"))
    stats.files.append(info)
    seen: set[tuple[str, str, str]] = set()
    for line, row in rows:
        year = row["year"].strip()
        a, b = row["iso2_a"].strip().upper(), row["iso2_b"].strip().upper()
        count = row["coauthored_works"].strip()
        if not _YEAR.match(year) or not a or not b:
            log.add(edges, line, "missing-identifier", "year or country code missing",
                    raw=_raw(row))
            continue
        if not _in_years(year, from_year, to_year):
            continue
        problem = _pair_problem(a, b, count, known)
        if problem is not None:
            log.add(edges, line, problem[0], problem[1], raw=_raw(row))
            continue
        if a == b:
            log.add(edges, line, "self-pair", f"{a} paired with itself", raw=_raw(row))
            continue
        a, b = sorted((a, b))
        if (year, a, b) in seen:
            log.add(edges, line, "duplicate", f"{year} {a}-{b} already read", raw=_raw(row))
            continue
        seen.add((year, a, b))
        stats.counts["country_pairs"] += 1
        # 265,000 statements in the shipped extract: the terms they share are made once
        node = iri(str(instance_iri("statement", f"openalex-{year}-{a}-{b}")))
        yield triple(node, A, C_STATEMENT)
        yield triple(node, P_SUBJECT, _country(a))
        yield triple(node, P_PREDICATE, PARTNER_OF)
        yield triple(node, P_OBJECT, _country(b))
        yield from _measured(node, L_MEASURE, count, year)
    if totals is not None:
        yield from _totals(totals, log, stats, known, from_year, to_year)


def _raw(row: dict[str, str]) -> str:
    """A rejected row as the log keeps it (made only for rejects)."""
    return ",".join(row.values())


def _pair_problem(a: str, b: str, count: str, known: frozenset[str]) -> tuple[str, str] | None:
    """Why a co-authorship row in the years asked for cannot be used: (reason, message)."""
    bad = [c for c in (a, b) if not _CODE.match(c) or (known and c not in known)]
    if bad:
        return "unknown-country", f"country code {bad[0]!r} is not a known ISO code"
    if not _COUNT.match(count):
        return "bad-number", f"coauthored_works {count!r} is not a count"
    return None


def _in_years(year: str, from_year: int | None, to_year: int | None) -> bool:
    return not ((from_year is not None and int(year) < from_year)
                or (to_year is not None and int(year) > to_year))


def _totals(path: Path, log: RejectLog, stats: ImportStats, known: frozenset[str],
            from_year: int | None, to_year: int | None) -> Iterator[str]:
    info, rows = read_csv(path, log, required=("year", "iso2", "works_T"))
    stats.files.append(info)
    for line, row in rows:
        year, code, count = row["year"].strip(), row["iso2"].strip().upper(), row["works_T"]
        count = count.strip()
        raw = ",".join(row.values())
        if not _YEAR.match(year) or not code:
            log.add(path, line, "missing-identifier", "year or country code missing", raw=raw)
            continue
        if (from_year is not None and int(year) < from_year) or (
                to_year is not None and int(year) > to_year):
            continue
        if not _CODE.match(code) or (known and code not in known):
            log.add(path, line, "unknown-country", f"country code {code!r} is not known",
                    raw=raw)
            continue
        if not _COUNT.match(count):
            log.add(path, line, "bad-number", f"works_T {count!r} is not a count", raw=raw)
            continue
        if count == "0":  # no co-authored works that year: no figure, but counted
            stats.counts["country_year_totals_zero"] += 1
            continue
        stats.counts["country_year_totals"] += 1
        node = iri(str(instance_iri("figure", f"openalex-{year}-{code}")))
        yield triple(node, A, C_FIGURE)
        yield triple(node, P_ABOUT, iri(str(country_iri(code))))
        yield from _measured(node, L_TOTAL, count, year)


@functools.lru_cache(maxsize=1024)
def _country(code: str) -> str:
    return iri(str(country_iri(code)))


@functools.lru_cache(maxsize=1024)
def _year_term(year: str) -> str:
    return typed(year, "gYear")


_TAIL = (triple("", P_UNIT, L_WORKS) + triple("", P_PROV, IMPORTED)
         + triple("", P_SOURCE, SRC)).splitlines(keepends=True)


def _measured(node: str, measure: str, count: str, year: str) -> Iterator[str]:
    """What a co-authorship statement and a yearly total share: the count, its year, source."""
    yield triple(node, P_MEASURE, measure)
    yield triple(node, P_VALUE, typed(count, "decimal"))
    yield triple(node, P_YEAR, _year_term(year))
    for line in _TAIL:  # unit, provenance and source: the same text after the node
        yield node + line
