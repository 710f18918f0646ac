"""The reified statements of a graph and the details of its memberships, read once by triple
pattern, and the rows of the queries that read them computed from them in Python.

Five named queries join every reified statement (``rdf:Statement``: the curated relations and
the 265,000 OpenAlex co-authorship counts of the default graph) or every membership node with
its properties, and took 10–31 s each in Oxigraph's engine on the default graph (most of it
index look-ups of the joins, one per statement and property):

===============================  ============================================================
query                            rows computed here
===============================  ============================================================
``link-layers``                  :meth:`Statements.link_layers` (the network pages' evidence
                                 layer of each link)
``link-sources``                 :meth:`Statements.link_sources` (the report's link details)
``evidence-coauthorship``        :meth:`Statements.coauthorship_rows` (the OpenAlex layer)
``projection-country-country``   :meth:`Statements.direct_rows` (direct country links)
``country-coauthorship``         :meth:`Statements.country_coauthorship` (``stigraph compare``)
===============================  ============================================================

:func:`read_statements` reads the properties these queries look at with one scan per
predicate (:meth:`stigraph.store.base.Store.pairs`), for every subject of ``rdf:subject`` and
every membership node, into columns of text; each query's rows are then one pass over them.
The rows are the queries' rows, value for value and, where a query sums or counts, with the
multiplicity a join gives (``tests/test_projection_statements.py`` compares both on both
stores, on hand-made graphs and on the default graph). Values are summed exactly, as
decimals: the importers and seeds write ``stig:value`` as ``xsd:decimal`` or
``xsd:integer``.

>>> from stigraph.store import open_store
>>> store = open_store("memory")
>>> store.load_data(b'''@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
... @prefix stig: <https://w3id.org/stigraph/ontology/> .
... @prefix c: <https://w3id.org/stigraph/id/country/> .
... <s1> a rdf:Statement ; rdf:subject c:KE ; rdf:predicate stig:partnerOf ; rdf:object c:UG ;
...     stig:measure "coauthored-works" ; stig:value 12 ; stig:year "2020" .''', "turtle")
>>> from stigraph.projection.facts import read_facts
>>> facts = read_facts(store.graph)
>>> read_statements(store.graph, facts).direct_rows(facts, "2021-06-30")
[('https://w3id.org/stigraph/id/country/KE', 'https://w3id.org/stigraph/id/country/UG', 12.0)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Graph

from stigraph.projection.facts import COUNTRY_BASE, Facts
from stigraph.store import store_of
from stigraph.vocab.namespaces import DCTERMS, RDF, SKOS, STIG

__all__ = ["COAUTHORED_WORKS", "Statements", "read_statements", "xsd_integer"]

#: The ``stig:measure`` of an OpenAlex co-authorship statement.
COAUTHORED_WORKS = "coauthored-works"

_STIG = str(STIG)
_PARTNER_OF = str(STIG.partnerOf)
#: The predicates of reified country–country statements ``projection-country-country`` reads.
_DIRECT_REIFIED = ("partnerOf", "supports", "funds")
#: The asserted predicates it reads between two countries.
_DIRECT_ASSERTED = ("partnerOf", "supports", "funds", "memberOf", "participatesIn")

#: Column name -> the predicate it holds, for statements and membership nodes alike.
COLUMNS: dict[str, str] = {
    "object": str(RDF.object),
    "predicate": str(RDF.predicate),
    "measure": str(STIG.measure),
    "value": str(STIG.value),
    "year": str(STIG.year),
    "start": str(STIG.startDate),
    "end": str(STIG.endDate),
    "provenance": str(STIG.provenance),
    "source": str(DCTERMS.source),
    "role": str(STIG.role),
}

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")

Number = Decimal | float


def _after(text: str, prefix: str = _STIG) -> str:
    """SPARQL's ``STRAFTER(text, prefix)``: what follows the first ``prefix``, or ``""``."""
    _head, found, tail = text.partition(prefix)
    return tail if found else ""


def xsd_integer(text: str) -> int | None:
    """SPARQL's ``xsd:integer(text)``: unbound (None) unless the text is an integer."""
    return int(text) if _INTEGER.fullmatch(text) else None


def _number(text: str) -> Number | None:
    """A numeric literal's value as SPARQL adds it: integers and decimals exactly, doubles
    (an exponent, ``INF``, ``NaN``) as floats; None for text that is not a number."""
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    try:
        return float(text)
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    """SPARQL's ``xsd:decimal(text)`` cast: None unless the text is a number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(slots=True)
class _Sum:
    """A SPARQL ``SUM``: exact while every term is a decimal; an error (None) if any term is."""

    total: Number | None = Decimal(0)

    def add(self, value: Number | None, times: int = 1) -> None:
        if self.total is None or value is None:
            self.total = None
        elif isinstance(value, float) or isinstance(self.total, float):
            self.total = float(self.total) + float(value) * times
        else:
            self.total += value * times

    def value(self) -> float | None:
        return None if self.total is None else float(self.total)


@dataclass
class Statements:
    """The properties the queries read, as text, for node ``i`` of :attr:`nodes`: the first
    value of each column in ``first[column][i]`` (None: no value), further values in
    ``more[column][i]``. Nodes ``0 … statements - 1`` are the subjects of ``rdf:subject``
    (their subjects in column ``subject``); membership nodes follow."""

    #: membership node -> its index (after the read; every node while reading)
    nodes: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    first: dict[str, list[str | None]] = field(default_factory=dict)
    more: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    #: statement nodes typed rdf:Statement, and those typed stig:PredictedLink
    typed: set[int] = field(default_factory=set)
    predicted: set[int] = field(default_factory=set)
    #: role IRI -> its skos:notation values
    notations: dict[str, list[str]] = field(default_factory=dict)

    def values(self, column: str, i: int) -> list[str]:
        """Every value of ``column`` for node ``i`` (as a join meets them)."""
        first = self.first[column][i]
        if first is None:
            return []
        extra = self.more[column].get(i)
        return [first, *extra] if extra else [first]

    # -- link-layers and link-sources --------------------------------------------------------

    def link_layers(self, facts: Facts) -> dict[frozenset[str], set[str]]:
        """Unordered pair -> the provenance layers (lower case) of the memberships and
        statements linking it: the rows of ``link-layers`` grouped by pair."""
        layers: dict[frozenset[str], set[str]] = defaultdict(set)

        def add(a: str, b: str, i: int) -> None:
            for provenance in self.values("provenance", i):
                layer = _after(provenance)
                if layer:
                    layers[frozenset((a, b))].add(layer.lower())

        for node, a, b in facts.memberships:
            add(a, b, self.nodes[node])
        for i in sorted(self.typed):
            for a in self.values("subject", i):
                for b in self.values("object", i):
                    add(a, b, i)
        return dict(layers)

    def link_sources(self, facts: Facts) -> list[dict[str, Any]]:
        """The rows of ``link-sources``, sorted by ``a, b, relation, start, end`` (the query
        sorts by the first four)."""
        groups: dict[tuple[str, str, str, str, str], set[str]] = defaultdict(set)
        for node, a, b in facts.memberships:
            i = self.nodes[node]
            sources = self.values("source", i)
            for role in self.values("role", i):
                for relation in self.notations.get(role, ()):
                    for start in self.values("start", i) or [""]:
                        for end in self.values("end", i) or [""]:
                            groups[(a, b, relation, start, end)].update(sources)
        for i in sorted(self.typed - self.predicted):
            sources = self.values("source", i)
            for a in self.values("subject", i):
                for predicate in self.values("predicate", i):
                    for b in self.values("object", i):
                        groups[(a, b, _after(predicate), "", "")].update(sources)
        return [{"a": a, "b": b, "relation": relation, "start": start, "end": end,
                 "sources": _concat(sources)}
                for (a, b, relation, start, end), sources in sorted(groups.items())]

    # -- co-authorship -----------------------------------------------------------------------

    def _measured(self) -> Iterator[tuple[int, int]]:
        """Statements measuring co-authored works, with how often the measure is stated."""
        for i in range(self.statements):
            times = self.values("measure", i).count(COAUTHORED_WORKS)
            if times:
                yield i, times

    def coauthorship_rows(self, as_of: str) -> list[tuple[str, str, int | None, float]]:
        """The rows ``(a, b, year, works)`` of ``evidence-coauthorship`` on the day
        ``as_of`` (``YYYY-MM-DD``), sorted by ``a, b, year`` (unbound years first)."""
        year = as_of[:4]
        rows: list[tuple[str, str, int | None, float]] = []
        for i, times in self._measured():
            times *= self.values("predicate", i).count(_PARTNER_OF)
            if not times:
                continue
            dated = [(xsd_integer(y[:4]), float(w)) for w in self.values("value", i)
                     for y in self.values("year", i) if y[:4] <= year]
            rows.extend((a, b, y, w) for a in self.values("subject", i)
                        for b in self.values("object", i) for y, w in dated
                        for _ in range(times))
        rows.sort(key=lambda r: (r[0], r[1], r[2] is not None, r[2] or 0))
        return rows

    def country_coauthorship(self, as_of: str) -> list[dict[str, Any]]:
        """The rows of ``country-coauthorship`` on the day ``as_of``, sorted by country."""
        year = as_of[:4]
        works: dict[str, _Sum] = defaultdict(_Sum)
        partners: dict[str, set[str]] = defaultdict(set)
        last: dict[str, str] = {}
        sources: dict[str, set[str]] = defaultdict(set)
        for i, times in self._measured():
            cited = self.values("source", i)
            times *= max(len(cited), 1)  # OPTIONAL { ?st dct:source ?src }: a row each
            pairs = [(a, b) for a in self.values("subject", i) for b in self.values("object", i)]
            for value in self.values("value", i):
                n = _decimal(value)
                for y in self.values("year", i):
                    if y[:4] > year:
                        continue
                    for country, other in [*pairs, *((b, a) for a, b in pairs)]:
                        works[country].add(n, times)
                        partners[country].add(other)
                        last[country] = max(last.get(country, y[:4]), y[:4])
                        sources[country].update(cited)
        return [{"country": c, "works": works[c].value(), "partners": len(partners[c]),
                 "lastYear": last[c], "sources": _concat(sources[c])} for c in sorted(works)]

    # -- projection-country-country ----------------------------------------------------------

    def direct_rows(self, facts: Facts, as_of: str) -> list[tuple[str, str, float]]:
        """The rows of ``projection-country-country`` (without an area) on the day ``as_of``
        (``YYYY-MM-DD``), as :func:`stigraph.projection.networks.edge_rows` returns them."""
        sums: dict[tuple[str, str], _Sum] = defaultdict(_Sum)

        def add(a: str, b: str, w: Number | None) -> None:
            if a != b and a.startswith(COUNTRY_BASE):
                sums[(a, b) if a < b else (b, a)].add(w)

        for name in _DIRECT_ASSERTED:
            for a, b in facts.relations.get(name, ()):
                if b.startswith(COUNTRY_BASE):
                    add(a, b, Decimal(1))
        asserted = {_STIG + name: set(facts.relations.get(name, ())) for name in _DIRECT_REIFIED}
        for i in range(self.statements):
            for predicate in self.values("predicate", i):
                stated = asserted.get(predicate)
                if stated is None:
                    continue
                for a, b in self._country_pairs(i):
                    if (a, b) not in stated:
                        for w in self._dated_values(i, as_of):
                            add(a, b, w)
        rows = [(a, b, total.value()) for (a, b), total in sums.items()]
        return sorted((a, b, w) for a, b, w in rows if w is not None and w > 0)

    def _country_pairs(self, i: int) -> Iterator[tuple[str, str]]:
        for b in self.values("object", i):
            if b.startswith(COUNTRY_BASE):
                for a in self.values("subject", i):
                    yield a, b

    def _dated_values(self, i: int, as_of: str) -> Iterator[Number | None]:
        """A statement's weights on the day: one per combination of its optional start,
        year and value that the query's date filter keeps (1 without a value)."""
        year = as_of[:4]
        values = [_number(v) for v in self.values("value", i)] or [Decimal(1)]
        starts: list[str | None] = [*self.values("start", i)] or [None]
        years: list[str | None] = [*self.values("year", i)] or [None]
        for start in starts:
            if start is not None and start > as_of:
                continue
            for y in years:
                if y is None or y <= year:
                    yield from values


def _concat(sources: Iterable[str]) -> str:
    """``GROUP_CONCAT(DISTINCT …)`` of ``sources`` as :func:`~stigraph.queries.sparql.run_sparql`
    gives a set-valued column: its words sorted."""
    return " ".join(sorted(word for source in set(sources) for word in source.split()))


def _column(store: Any, predicate: str, nodes: dict[str, int], size: int,
            shared: dict[str, str]) -> tuple[list[str | None], dict[int, list[str]]]:
    """The objects of ``predicate`` for the ``nodes``: first values, further values."""
    first: list[str | None] = [None] * size
    more: dict[int, list[str]] = {}
    for node, value in store.pairs(predicate):
        i = nodes.get(node)
        if i is None:
            continue
        value = shared.setdefault(value, value)
        if first[i] is None:
            first[i] = value
        else:
            more.setdefault(i, []).append(value)
    return first, more


def read_statements(graph: Graph, facts: Facts) -> Statements:
    """The reified statements of ``graph`` and its membership nodes (those of ``facts``):
    one scan per predicate of :data:`COLUMNS`."""
    store = store_of(graph)
    shared: dict[str, str] = {}  # each distinct value one string object
    table = Statements()
    nodes = table.nodes
    subjects: list[list[str]] = []
    for statement, subject in store.pairs(str(RDF.subject)):
        i = nodes.get(statement)
        if i is None:
            nodes[statement] = i = len(subjects)
            subjects.append([])
        subjects[i].append(shared.setdefault(subject, subject))
    table.statements = len(subjects)
    for node, _member, _organisation in facts.memberships:
        nodes.setdefault(node, len(nodes))
    size = len(nodes)
    table.first["subject"] = [found[0] for found in subjects] + [None] * (size - len(subjects))
    table.more["subject"] = {i: found[1:] for i, found in enumerate(subjects) if len(found) > 1}
    del subjects
    for column, predicate in COLUMNS.items():
        table.first[column], table.more[column] = _column(store, predicate, nodes, size, shared)
    for flags, kind in ((table.typed, RDF.Statement), (table.predicted, STIG.PredictedLink)):
        flags.update(i for node, _o in store.pairs(str(RDF.type), str(kind))
                     if (i := nodes.get(node)) is not None and i < table.statements)
    for role, notation in store.pairs(str(SKOS.notation)):
        table.notations.setdefault(role, []).append(notation)
    # the statements' own IRIs are not needed after the read (265,000 strings by default)
    table.nodes = {node: i for node, i in nodes.items() if i >= table.statements}
    return table
