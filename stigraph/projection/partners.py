"""``stigraph partners ENTITY``: the partners of a country or organisation, from evidence.

One row per partner with a column per evidence layer (:mod:`stigraph.projection.evidence`):

- ``projects`` — CORDIS projects in which the entity and the partner both take part (full
  counting: a project once, however many organisations of each); ``projects_fractional`` —
  the same projects, fractionally counted (each project spreads one unit over its
  participants: ``1/(n-1)`` per pair of organisations); ``eu_contribution`` — EU money (EUR)
  both sides received in those projects; ``coordinated`` — of those projects, how many one of
  the two coordinates;
- ``works`` — OpenAlex works co-authored by the two countries;
- ``gcf_projects`` — GCF projects of which both countries are beneficiaries;
- ``shared_memberships`` — organisations and programmes both belong to on the date;
- ``weight`` — the layers combined: each layer divided by its largest value among the
  entity's partners (so each layer's best partner has 1), then summed; CORDIS and GCF with
  the chosen counting;
- ``first_year`` / ``last_year`` — the first and last year of dated cooperation (project
  start, GCF approval, publication year).

The entity is a country (``KE``), an actor slug, a CORDIS PIC or an IRI. For a country,
``kind="organisations"`` lists the organisations its organisations work with, other than its
own (the entity is the set of its organisations; a project counts once per partner however
many of the country's organisations take part).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rdflib import Graph, Literal, URIRef

from stigraph.errors import ParameterError
from stigraph.projection.evidence import (
    COUNTINGS,
    COUNTRY_BASE,
    NO_FILTERS,
    EvidenceOptions,
    _check_kind,
    consortia,
    parse_layers,
)
from stigraph.projection.facts import read_facts
from stigraph.queries.catalogue import get_query
from stigraph.queries.params import GraphResolver, check_params
from stigraph.queries.sparql import resolve_in_graph, run_sparql, sparql_term
from stigraph.store import store_of
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import DCTERMS, ID_BASE, RDF, STIG, actor_iri, iri_key

__all__ = ["COLUMNS", "YEAR_COLUMNS", "PartnerCounts", "PartnerSources", "coauthorship_rows",
           "partner_rows",
           "partners", "ranked_rows", "resolve_entity"]

#: Output columns, in order.
COLUMNS: tuple[str, ...] = (
    "partner", "label", "code", "projects", "projects_fractional", "works", "gcf_projects",
    "shared_memberships", "weight", "first_year", "last_year", "eu_contribution",
    "coordinated")
YEAR_COLUMNS: tuple[str, ...] = (
    "partner", "label", "code", "year", "projects", "projects_fractional", "works",
    "gcf_projects", "shared_memberships", "eu_contribution", "coordinated")

#: Layer name -> the column of its (full) count.
_LAYER_COLUMN = {"cordis": "projects", "openalex": "works", "gcf": "gcf_projects",
                 "memberships": "shared_memberships"}


@dataclass(slots=True)
class YearCounts:
    projects: float = 0.0
    projects_fractional: float = 0.0
    works: float = 0.0
    gcf_projects: float = 0.0
    gcf_fractional: float = 0.0
    shared_memberships: float = 0.0
    eu_contribution: float = 0.0
    coordinated: int = 0


@dataclass
class PartnerCounts:
    """One partner's counts per year (``None``: undated, the memberships)."""

    partner: str
    years: dict[int | None, YearCounts] = field(default_factory=dict)

    def year(self, year: int | None) -> YearCounts:
        slot = self.years.get(year)
        if slot is None:
            slot = self.years[year] = YearCounts()
        return slot

    def total(self, since: int | None = None) -> YearCounts:
        out = YearCounts()
        for year, c in self.years.items():
            if since is not None and year is not None and year < since:
                continue
            for name in YearCounts.__slots__:
                setattr(out, name, getattr(out, name) + getattr(c, name))
        return out

    def span(self, since: int | None = None) -> tuple[int | None, int | None]:
        years = [y for y in self.years if y is not None and (since is None or y >= since)]
        return (min(years), max(years)) if years else (None, None)


# ---- entity -----------------------------------------------------------------------------------


def resolve_entity(graph: Graph, text: str) -> str:
    """A country code, actor slug, CORDIS PIC (digits) or IRI as the IRI in ``graph``."""
    text = text.strip()
    if text.isdigit():
        node = actor_iri(f"pic-{text}")
        if (node, None, None) in graph:
            return str(node)
        # an organisation matched to a seed actor keeps its PIC as an identifier
        found = sorted(str(s) for s in graph.subjects(DCTERMS.identifier, Literal(text))
                       if str(s).startswith(ID_BASE + "actor/"))
        if found:
            return found[0]
        raise ParameterError(f"no organisation with CORDIS PIC {text} in the graph "
                             "(import it with stigraph import cordis and --include it)")
    return str(resolve_in_graph(graph, text))


def _is_country(iri: str) -> bool:
    return iri.startswith(COUNTRY_BASE)


# ---- layers -----------------------------------------------------------------------------------


class PartnerSources:
    """The evidence rows of ``graph`` as of ``options``, read once and indexed by entity, so
    that the partners of many entities (the country profiles) cost one read of each source.

    :func:`partners` makes one for a single entity when none is given: one code path, so the
    profiles show exactly what ``stigraph partners`` prints.
    """

    def __init__(self, graph: Graph, options: EvidenceOptions = NO_FILTERS) -> None:
        self.graph = graph
        self.options = options
        #: Country -> its co-authorship rows, read on first use (:meth:`works_of`).
        self._works: dict[str, list[dict[str, Any]]] = {}

    def _params(self) -> dict[str, str]:
        return {"as_of": self.options.as_of} if self.options.as_of else {}

    @cached_property
    def projects(self) -> list[Any]:
        """Every CORDIS consortium of the date (:func:`~stigraph.projection.evidence.consortia`)."""
        return list(consortia(self.graph, self.options))

    @cached_property
    def _projects_of(self) -> dict[str, list[Any]]:
        index: dict[str, list[Any]] = defaultdict(list)
        for c in self.projects:
            for key in {k for p in c.participants for k in (p.actor, p.country) if k}:
                index[key].append(c)
        return index

    def projects_of(self, entity: str) -> list[Any]:
        """The consortia in which ``entity`` (a country or an organisation) takes part."""
        return self._projects_of.get(entity, [])

    @cached_property
    def _gcf(self) -> dict[str, list[tuple[str | None, frozenset[str]]]]:
        projects: dict[str, tuple[str | None, set[str]]] = {}
        for row in run_sparql(self.graph, "evidence-gcf-beneficiaries", self._params()):
            _, countries = projects.setdefault(str(row["project"]), (row["start"], set()))
            countries.add(str(row["country"]))
        index: dict[str, list[tuple[str | None, frozenset[str]]]] = defaultdict(list)
        for start, countries in projects.values():
            for country in countries:
                index[country].append((start, frozenset(countries)))
        return index

    def gcf_of(self, country: str) -> list[tuple[str | None, frozenset[str]]]:
        """(approval date, beneficiary countries) of the GCF projects of ``country``."""
        return self._gcf.get(country, [])

    def works_of(self, country: str) -> list[dict[str, Any]]:
        """The OpenAlex co-authorship rows (a, b, year, works) with ``country`` on one side
        (:func:`coauthorship_rows`: the country's statements only, read once per country)."""
        if country not in self._works:
            self._works[country] = [
                {"a": a, "b": b, "year": year, "works": works}
                for a, b, year, works in coauthorship_rows(self.graph, country, self.options)
                if country in (a, b) and a != b]
        return self._works[country]

    @cached_property
    def groups(self) -> dict[str, set[str]]:
        """Organisation -> its members on the date: the rows of ``evidence-memberships``, from
        the facts read once by triple patterns (:mod:`stigraph.projection.facts`)."""
        groups: dict[str, set[str]] = defaultdict(set)
        day = _as_of_text(self.graph, "evidence-memberships", self.options)
        for member, organisation in read_facts(self.graph).valid_memberships(day):
            groups[organisation].add(member)
        return groups

    @cached_property
    def _groups_of(self) -> dict[str, list[set[str]]]:
        index: dict[str, list[set[str]]] = defaultdict(list)
        for members in self.groups.values():
            for member in members:
                index[member].append(members)
        return index

    def groups_of(self, members: set[str]) -> list[set[str]]:
        """The member sets of the organisations one of ``members`` belongs to (each once)."""
        seen: dict[int, set[str]] = {}
        for member in sorted(members):
            for group in self._groups_of.get(member, []):
                seen.setdefault(id(group), group)
        return list(seen.values())

    @cached_property
    def _headquartered(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = defaultdict(set)
        for s, o in self.graph.subject_objects(STIG.headquarteredIn):
            index[str(o)].add(str(s))
        return index

    def organisations_of(self, country: str) -> set[str]:
        """The organisations headquartered in ``country``."""
        return set(self._headquartered.get(country, set()))


def _sides(c: Any, entity: str, entity_is_country: bool, kind: str
           ) -> tuple[list[Any], dict[str, list[Any]]]:
    """A project's participants of the entity, and the others by partner key."""
    mine = [p for p in c.participants
            if (p.country == entity if entity_is_country else p.actor == entity)]
    others: dict[str, list[Any]] = defaultdict(list)
    if not mine:
        return mine, others
    for p in c.participants:
        if p in mine:
            continue
        key = p.country if kind == "countries" else p.actor
        if key is not None and key != entity:
            others[key].append(p)
    return mine, others


def _cordis(sources: PartnerSources, entity: str, kind: str,
            partners: dict[str, PartnerCounts]) -> None:
    entity_is_country = _is_country(entity)
    for c in sources.projects_of(entity):
        n = len(c.participants)
        if n < 2:
            continue
        mine, others = _sides(c, entity, entity_is_country, kind)
        if not mine:
            continue
        mine_amount = sum(p.amount for p in mine)
        mine_coordinates = any(p.coordinator for p in mine)
        for key, theirs in others.items():
            slot = partners.setdefault(key, PartnerCounts(key)).year(c.year)
            slot.projects += 1
            slot.projects_fractional += len(mine) * len(theirs) / (n - 1)
            slot.eu_contribution += mine_amount + sum(p.amount for p in theirs)
            slot.coordinated += int(mine_coordinates or any(p.coordinator for p in theirs))


def _gcf(sources: PartnerSources, entity: str, partners: dict[str, PartnerCounts]) -> None:
    for start, countries in sources.gcf_of(entity):
        if len(countries) < 2:
            continue
        year = int(str(start)[:4]) if start else None
        for other in countries - {entity}:
            slot = partners.setdefault(other, PartnerCounts(other)).year(year)
            slot.gcf_projects += 1
            slot.gcf_fractional += 1 / (len(countries) - 1)


def coauthorship_rows(graph: Graph, entity: str, options: EvidenceOptions = NO_FILTERS
                      ) -> list[tuple[str, str, int | None, float]]:
    """The rows ``(a, b, year, works)`` of ``evidence-coauthorship`` in which ``entity`` is
    ``a`` or ``b``, read by triple patterns: the statements about the entity (two scans by
    object), then each statement's own triples.

    The query joins all 265,000 reified statements of the shipped extract before the entity
    is known (two thirds of ``stigraph partners KE``: 26 of 39 s on the kept default graph);
    this reads the entity's few thousand statements only. The rows are the query's, one per
    combination of values as a join gives them (``tests/test_partners_fast.py`` compares
    both on both stores), unordered.
    """
    store = store_of(graph)
    day = _as_of_text(graph, "evidence-coauthorship", options)
    mine = {s for s, _o in store.pairs(str(RDF.subject), entity)}
    mine.update(s for s, _o in store.pairs(str(RDF.object), entity))
    rows: list[tuple[str, str, int | None, float]] = []
    for statement in sorted(mine):
        values: dict[str, list[str]] = defaultdict(list)
        try:
            for predicate, obj in store.about(statement):
                values[predicate].append(obj)
        except ValueError:  # not an IRI (a blank node): read by predicate scans instead
            pass
        if not values:
            values = _scanned(store, statement)
        if not values[str(RDF.predicate)].count(str(STIG.partnerOf)):
            continue
        n = (values[str(STIG.measure)].count(COAUTHORED_WORKS)
             * values[str(RDF.predicate)].count(str(STIG.partnerOf)))
        for _ in range(n):
            for a in values[str(RDF.subject)]:
                for b in values[str(RDF.object)]:
                    for works in values[str(STIG.value)]:
                        rows.extend((a, b, _xsd_integer(y[:4]), _number(works))
                                    for y in values[str(STIG.year)] if y[:4] <= day[:4])
    return rows


def _scanned(store: Any, statement: str) -> dict[str, list[str]]:
    """The objects of ``statement`` under the predicates the query reads, by predicate
    scans (for a statement :meth:`Store.about` cannot look up)."""
    found: dict[str, list[str]] = defaultdict(list)
    for predicate in (RDF.subject, RDF.object, RDF.predicate, STIG.measure, STIG.value,
                      STIG.year):
        found[str(predicate)] = [o for s, o in store.pairs(str(predicate)) if s == statement]
    return found


#: The ``stig:measure`` of an OpenAlex co-authorship statement.
COAUTHORED_WORKS = "coauthored-works"


def _as_of_text(graph: Graph, query: str, options: EvidenceOptions) -> str:
    """The ``as_of`` the named query would be given, as its text (checked as it would be)."""
    params = {"as_of": options.as_of} if options.as_of else {}
    value = check_params(GraphResolver(graph), get_query(query, "sparql"), params)["as_of"]
    assert value is not None  # a date parameter defaults to today
    return str(sparql_term(value))


def _xsd_integer(text: str) -> int | None:
    """SPARQL's ``xsd:integer(text)``: unbound (None) unless the text is an integer."""
    return int(text) if _INTEGER.fullmatch(text) else None


def _number(text: str) -> float:
    """A ``stig:value`` as the query's cell gives it to the layer (a number; 0 if empty)."""
    return float(text) if text else 0.0


_INTEGER = re.compile(r"[+-]?[0-9]+")


def _openalex(sources: PartnerSources, entity: str, partners: dict[str, PartnerCounts]) -> None:
    for row in sources.works_of(entity):
        a, b = str(row["a"]), str(row["b"])
        other = b if a == entity else a
        year = int(row["year"]) if row["year"] is not None else None
        partners.setdefault(other, PartnerCounts(other)).year(year).works += float(
            row["works"] or 0.0)


def _memberships(sources: PartnerSources, entity: str, kind: str,
                 partners: dict[str, PartnerCounts]) -> None:
    if kind == "countries" or not _is_country(entity):
        mine = {entity}
    else:  # the organisations of a country
        mine = sources.organisations_of(entity)
    want_country = kind == "countries"
    for members in sources.groups_of(mine):
        for other in members - mine - {entity}:
            if _is_country(other) == want_country:
                partners.setdefault(other, PartnerCounts(other)).year(None)\
                    .shared_memberships += 1


# ---- the table --------------------------------------------------------------------------------


def partners(graph: Graph, entity: str, *, kind: str = "countries",
             layers: Iterable[str] | str = "all",
             options: EvidenceOptions = NO_FILTERS,
             sources: PartnerSources | None = None) -> dict[str, PartnerCounts]:
    """The partners of ``entity`` (an IRI: see :func:`resolve_entity`) in each layer.

    ``sources``: the evidence already read for ``options`` (:class:`PartnerSources`), shared
    by the calls for many entities."""
    _check_kind(kind)
    chosen = parse_layers(layers, kind)
    sources = sources if sources is not None else PartnerSources(graph, options)
    found: dict[str, PartnerCounts] = {}
    if "cordis" in chosen:
        _cordis(sources, entity, kind, found)
    if kind == "countries" and _is_country(entity):
        if "gcf" in chosen:
            _gcf(sources, entity, found)
        if "openalex" in chosen:
            _openalex(sources, entity, found)
    if "memberships" in chosen:
        _memberships(sources, entity, kind, found)
    return found


def _fmt(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 6)


def partner_rows(graph: Graph, entity: str, *, kind: str = "countries",
                 layers: Iterable[str] | str = "all", counting: str = "full",
                 since: int | None = None, top: int | None = None, by_year: bool = False,
                 options: EvidenceOptions = NO_FILTERS) -> list[dict[str, Any]]:
    """The rows of ``stigraph partners``: ranked by ``weight``, then projects, works, code."""
    if counting not in COUNTINGS:
        raise ParameterError(f"unknown counting {counting!r}; use one of {', '.join(COUNTINGS)}")
    if top is not None and top < 1:
        raise ParameterError(f"--top {top}: give a positive number of partners")
    found = partners(graph, entity, kind=kind, layers=layers, options=options)
    return ranked_rows(found, lambda key: label_of(graph, URIRef(key)), counting=counting,
                       since=since, top=top, by_year=by_year)


def ranked_rows(found: dict[str, PartnerCounts], label: Callable[[str], str], *,
                counting: str = "full", since: int | None = None, top: int | None = None,
                by_year: bool = False) -> list[dict[str, Any]]:
    """:func:`partner_rows` from partners already counted (:func:`partners`)."""
    totals = {key: pc.total(since) for key, pc in found.items()}
    weights = _combined(totals, counting)
    ranked = sorted((key for key in totals if weights[key] > 0),
                    key=lambda k: (-weights[k], -totals[k].projects, -totals[k].works,
                                   iri_key(k)))
    if top is not None:
        ranked = ranked[:top]
    rows: list[dict[str, Any]] = []
    for key in ranked:
        base = {"partner": key, "label": label(key), "code": _code(key)}
        if by_year:
            rows.extend({**base, "year": year, **_counts(c)}
                        for year, c in _years(found[key], since))
            continue
        first, last = found[key].span(since)
        rows.append({**base, **_counts(totals[key]), "weight": round(weights[key], 6),
                     "first_year": first, "last_year": last})
    columns: Sequence[str] = YEAR_COLUMNS if by_year else COLUMNS
    return [{c: row.get(c) for c in columns} for row in rows]


def _layer_value(t: YearCounts, name: str, counting: str) -> float:
    if name == "cordis":
        return t.projects_fractional if counting == "fractional" else t.projects
    if name == "gcf":
        return t.gcf_fractional if counting == "fractional" else t.gcf_projects
    return t.works if name == "openalex" else t.shared_memberships


def _combined(totals: dict[str, YearCounts], counting: str) -> dict[str, float]:
    """Each layer divided by its largest value among the partners, summed."""
    names = list(_LAYER_COLUMN)
    largest = {n: max((_layer_value(t, n, counting) for t in totals.values()), default=0.0)
               for n in names}
    return {key: sum(_layer_value(t, n, counting) / largest[n] for n in names
                     if largest[n] > 0) for key, t in totals.items()}


def _years(pc: PartnerCounts, since: int | None) -> list[tuple[int | None, YearCounts]]:
    """A partner's years in order (undated last), from ``since`` on."""
    return [(year, pc.years[year])
            for year in sorted(pc.years, key=lambda y: (y is None, y or 0))
            if since is None or year is None or year >= since]


def _counts(c: YearCounts) -> dict[str, Any]:
    return {"projects": _fmt(c.projects), "projects_fractional": _fmt(c.projects_fractional),
            "works": _fmt(c.works), "gcf_projects": _fmt(c.gcf_projects),
            "shared_memberships": _fmt(c.shared_memberships),
            "eu_contribution": round(c.eu_contribution, 2), "coordinated": c.coordinated}


def _code(iri: str) -> str:
    if _is_country(iri):
        return iri.rsplit("/", 1)[-1]
    return iri_key(iri)
