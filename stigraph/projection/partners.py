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

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rdflib import Graph, Literal, URIRef

from stigraph.errors import ParameterError
from stigraph.projection.evidence import (
    COUNTINGS,
    COUNTRY_BASE,
    NO_FILTERS,
    Consortium,
    EvidenceOptions,
    Layer,
    Participant,
    _check_kind,
    _passes,
    add_participation,
    consortia,
    identifier_aliases,
    parse_layers,
)
from stigraph.projection.facts import PROJECT_BASE, Bounds, Facts
from stigraph.projection.reads import reads_of
from stigraph.projection.statements import COAUTHORED_WORKS, xsd_integer
from stigraph.queries.catalogue import get_query
from stigraph.queries.params import GraphResolver, check_params
from stigraph.queries.sparql import resolve_in_graph, run_sparql, sparql_term
from stigraph.store import store_of
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import (
    DCTERMS,
    ID_BASE,
    RDF,
    RDFS,
    SKOS,
    STIG,
    actor_iri,
    iri_key,
)

__all__ = ["COLUMNS", "YEAR_COLUMNS", "PartnerCounts", "PartnerSources", "coauthorship_index",
           "coauthorship_rows", "entity_consortia", "partner_rows", "partners",
           "project_facets", "ranked_rows", "resolve_entity"]

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

    :func:`partners` makes one for a single entity when none is given (``entity``: only what
    that entity's partners need is read, by triple patterns; :func:`entity_consortia`, its
    memberships' organisations): one code path, so the profiles show exactly what
    ``stigraph partners`` prints. ``projects`` and ``facts``: the consortia
    (:func:`~stigraph.projection.evidence.consortia` for ``options``) and the membership facts
    (:func:`~stigraph.projection.facts.read_facts`) already read, e.g. by the report's
    analysis inputs; ``coauthorship``: the OpenAlex layer of the same date
    (:func:`~stigraph.projection.evidence.coauthorship_layer`), whose works per pair and year
    stand for the rows; otherwise, without an ``entity``, the co-authorship rows of every
    country are read in one pass (:func:`coauthorship_index`).
    """

    def __init__(self, graph: Graph, options: EvidenceOptions = NO_FILTERS, *,
                 entity: str | None = None, projects: Iterable[Consortium] | None = None,
                 facts: Facts | None = None, coauthorship: Layer | None = None) -> None:
        self.graph = graph
        self.options = options
        #: The one entity this reads for (None: every entity).
        self.entity = entity
        self._given_projects = projects
        self._facts = facts
        self._layer = coauthorship
        #: Country -> its co-authorship rows (one entity: read on first use, :meth:`works_of`).
        self._works: dict[str, list[dict[str, Any]]] = {}

    def _params(self) -> dict[str, str]:
        return {"as_of": self.options.as_of} if self.options.as_of else {}

    def _check(self, entity: str) -> None:
        if self.entity is not None and entity != self.entity:
            raise ValueError(f"these sources were read for {self.entity}, not {entity}")

    @cached_property
    def projects(self) -> list[Consortium]:
        """Every CORDIS consortium of the date (:func:`~stigraph.projection.evidence.consortia`),
        or with an ``entity`` those in which it takes part (:func:`entity_consortia`)."""
        if self._given_projects is not None:
            return list(self._given_projects)
        if self.entity is not None:
            return entity_consortia(self.graph, self.entity, self.options)
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
        self._check(entity)
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

    @cached_property
    def _all_works(self) -> dict[str, list[tuple[str, str, int | None, float]]]:
        if self._layer is None:
            return coauthorship_index(self.graph, self.options)
        # the layer's works per pair and year: the rows summed per pair and year, which is
        # all that the partners and the profiles add up (whole numbers of works)
        index: dict[str, list[tuple[str, str, int | None, float]]] = defaultdict(list)
        for (a, b), years in self._layer.pairs.items():
            for year, count in years.items():
                row = (a, b, year, count.full)
                index[a].append(row)
                index[b].append(row)
        return index

    def works_of(self, country: str) -> list[dict[str, Any]]:
        """The OpenAlex co-authorship rows (a, b, year, works) with ``country`` on one side
        and another country on the other (:func:`coauthorship_rows` for one entity, else
        :func:`coauthorship_index`: every country's in one pass)."""
        self._check(country)
        if country not in self._works:
            rows = (coauthorship_rows(self.graph, country, self.options)
                    if self.entity is not None else self._all_works.get(country, []))
            self._works[country] = [
                {"a": a, "b": b, "year": year, "works": works}
                for a, b, year, works in rows if country in (a, b) and a != b]
        return self._works[country]

    @cached_property
    def groups(self) -> dict[str, set[str]]:
        """Organisation -> its members on the date: the rows of ``evidence-memberships``, from
        the facts read once by triple patterns (:mod:`stigraph.projection.facts`; with an
        ``entity``, only the organisations it or its organisations belong to)."""
        groups: dict[str, set[str]] = defaultdict(set)
        day = _as_of_text(self.graph, "evidence-memberships", self.options)
        facts = self._facts
        if facts is None:
            facts = None if self.entity is None else _facts_around(
                self.graph, self._entity_members())
            if facts is None:  # the graph's one read, shared with its analysis inputs
                facts = reads_of(self.graph).facts
        for member, organisation in facts.valid_memberships(day):
            groups[organisation].add(member)
        return groups

    def _entity_members(self) -> set[str]:
        """The entity and, for a country, its organisations: whose memberships are read."""
        assert self.entity is not None
        if not _is_country(self.entity):
            return {self.entity}
        return {self.entity} | self.organisations_of(self.entity)

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
        for s, o in store_of(self.graph).pairs(str(STIG.headquarteredIn)):
            index[o].add(s)
        return index

    def organisations_of(self, country: str) -> set[str]:
        """The organisations headquartered in ``country``."""
        return set(self._headquartered.get(country, set()))


def _is_iri(text: str) -> bool:
    """Whether a node's text (as :meth:`Store.pairs` gives it) is an IRI, not a blank node."""
    return ":" in text


def _facts_around(graph: Graph, members: set[str]) -> Facts | None:
    """The membership facts of the organisations one of ``members`` belongs to (not imported
    projects): every membership node of those organisations with its member and bounds, their
    direct ``memberOf`` / ``participatesIn`` links and the organisations' own bounds, read by
    triple patterns. :meth:`Facts.valid_memberships` on them gives the rows of
    ``evidence-memberships`` for those organisations, as on the graph's whole facts (the
    other fields are left empty). ``None`` when a node is not an IRI (a blank node: the
    caller reads every fact)."""
    store = store_of(graph)
    organisations = _organisations_of(store, members)
    if organisations is None:
        return None
    facts = Facts(relations={name: [] for name in _DIRECT.values()})
    for organisation in sorted(organisations):
        if not _read_organisation(store, organisation, organisations, facts):
            return None
    return facts


#: The direct membership predicates (no membership node) by local name.
_DIRECT = {str(STIG[name]): name for name in ("memberOf", "participatesIn")}


def _organisations_of(store: Any, members: set[str]) -> set[str] | None:
    """The organisations (not imported projects) ``members`` belong to, by a node or a
    direct link; ``None`` when a node is not an IRI."""
    organisation_p = str(STIG.organisation)
    organisations: set[str] = set()
    for member in members:
        if not _is_iri(member):
            return None
        for node, _m in store.pairs(str(STIG.member), member):
            if not _is_iri(node):
                return None
            organisations.update(o for p, o in store.about(node) if p == organisation_p)
        organisations.update(o for p, o in store.about(member) if p in _DIRECT)
    organisations = {o for o in organisations if not o.startswith(PROJECT_BASE)}
    return organisations if all(_is_iri(o) for o in organisations) else None


def _read_organisation(store: Any, organisation: str, organisations: set[str],
                       facts: Facts) -> bool:
    """Add one organisation's bounds, membership nodes and direct links to ``facts``
    (False when a node is not an IRI)."""
    member_p, organisation_p = str(STIG.member), str(STIG.organisation)
    _read_bounds(facts, organisation, list(store.about(organisation)))
    for node, _o in store.pairs(organisation_p, organisation):
        if not _is_iri(node):
            return False
        triples = list(store.about(node))
        for member in (o for p, o in triples if p == member_p):
            facts.memberships.extend((node, member, org) for p, org in triples
                                     if p == organisation_p and org in organisations)
        _read_bounds(facts, node, triples)
    for predicate, name in _DIRECT.items():
        facts.relations[name].extend((s, organisation)
                                     for s, _o in store.pairs(predicate, organisation))
    return True


def _read_bounds(facts: Facts, node: str, triples: list[tuple[str, str]]) -> None:
    """A node's ``certainFrom`` × ``certainTo`` combinations, as :func:`read_facts` keeps
    them (the first in ``bounds``, the others in ``more_bounds``)."""
    starts = [o for p, o in triples if p == str(STIG.certainFrom)]
    ends = [o for p, o in triples if p == str(STIG.certainTo)]
    if not starts and not ends:
        return
    unbound: list[str | None] = [None]
    combos: list[Bounds] = [(s, e) for s in (list(starts) or unbound)
                            for e in (list(ends) or unbound)]
    facts.bounds[node] = combos[0]
    if len(combos) > 1:
        facts.more_bounds[node] = combos[1:]


def entity_consortia(graph: Graph, entity: str, options: EvidenceOptions = NO_FILTERS
                     ) -> list[Consortium]:
    """The consortia of :func:`~stigraph.projection.evidence.consortia` in which ``entity``
    (a country or an organisation) takes part, read by triple patterns: its organisations'
    participations, their projects, then each project's participations.

    ``evidence-participations`` reads all 119,000 participations of the full Horizon Europe
    import before the entity is known (half of ``stigraph partners KE`` on the kept default
    graph); this reads Kenya's few hundred projects only. The participants are merged as
    :func:`~stigraph.projection.evidence.consortia` merges the query's rows (one row per
    combination of values, as a join gives them), so the consortia are the same
    (``tests/test_partners_entity.py`` compares both on both stores).
    """
    store = store_of(graph)
    keep = _kept_projects(graph, options)
    aliases, countries = _actors(store)
    day = _as_of_text(graph, "evidence-participations", options)

    def of_entity(actor: str) -> bool:
        resolved = aliases.get(actor, actor)
        return resolved == entity or countries.get(resolved) == entity

    candidates = {entity, *countries, *aliases, *aliases.values()}
    raw = sorted(a for a in candidates if of_entity(a) and _is_iri(a))
    out: list[Consortium] = []
    for project in sorted(_projects_of_actors(store, raw)):
        if keep is not None and project not in keep:
            continue
        rows = list(_participation_rows(store, project, day))
        if not rows:
            continue
        members = _merged(rows, aliases, countries)
        if any(p.actor == entity or p.country == entity for p in members.values()):
            out.append(Consortium(project, _year_of(rows[0][0]), list(members.values())))
    return out


def _actors(store: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The aliases of :func:`~stigraph.projection.evidence.identifier_aliases` and each
    actor's country: the rows of ``evidence-identifiers`` and ``evidence-headquarters``, by
    scans (each query sorts every actor: most of the entity's CORDIS read when it ran them);
    an actor's country is the first of its countries in the query's order."""
    aliases = identifier_aliases(
        {"actor": actor, "identifier": identifier}
        for actor, identifier in store.pairs(str(DCTERMS.identifier))
        if actor.startswith(ACTOR_BASE))
    countries: dict[str, str] = {}
    for actor, country in store.pairs(str(STIG.headquarteredIn)):
        if actor not in countries or country < countries[actor]:
            countries[actor] = country
    return aliases, countries


def _participation(store: Any, node: str) -> dict[str, list[str]] | None:
    """A node's values by predicate, if it is an IRI typed ``stig:Participation``."""
    if not _is_iri(node):
        return None
    values: dict[str, list[str]] = defaultdict(list)
    for p, o in store.about(node):
        values[p].append(o)
    return values if str(STIG.Participation) in values[str(RDF.type)] else None


def _projects_of_actors(store: Any, actors: list[str]) -> set[str]:
    """The CORDIS projects in which one of ``actors`` has a participation."""
    projects: set[str] = set()
    for actor in actors:
        for node, _a in store.pairs(str(STIG.member), actor):
            values = _participation(store, node)
            if values is not None:
                projects.update(o for o in values[str(STIG.organisation)]
                                if o.startswith(CORDIS_PROJECT))
    return projects


def _participation_rows(store: Any, project: str, day: str
                        ) -> Iterator[tuple[str | None, str, str | None, str | None]]:
    """The rows ``(start, actor, role, amount)`` of ``evidence-participations`` for one
    project: one per combination of values (start dates by the date; none if the project
    started after it), participations in IRI order."""
    starts = [o for p, o in store.about(project) if p == str(STIG.startDate)]
    kept: list[str | None] = [s for s in starts if s <= day] if starts else [None]
    if not kept:
        return
    for node in sorted(n for n, _p in store.pairs(str(STIG.organisation), project)):
        values = _participation(store, node)
        if values is not None:
            yield from _combinations(values, kept)


def _combinations(values: dict[str, list[str]], starts: list[str | None]
                  ) -> Iterator[tuple[str | None, str, str | None, str | None]]:
    """One participation's rows: its members × the project's starts × its roles × its
    amounts (an unbound optional value once, as None)."""
    roles: list[str | None] = list(values[str(STIG.role)]) or [None]
    amounts: list[str | None] = list(values[str(STIG.amount)]) or [None]
    for actor in values[str(STIG.member)]:
        for start in starts:
            for role in roles:
                for amount in amounts:
                    yield start, actor, role, amount


def _merged(rows: Iterable[tuple[str | None, str, str | None, str | None]],
            aliases: dict[str, str], countries: dict[str, str]) -> dict[str, Participant]:
    """One project's rows as its participants, merged as
    :func:`~stigraph.projection.evidence.consortia` merges them."""
    members: dict[str, Participant] = {}
    for _start, raw_actor, role, amount in rows:
        add_participation(members, aliases.get(raw_actor, raw_actor), role, amount, countries)
    return members


def _kept_projects(graph: Graph, options: EvidenceOptions) -> set[str] | None:
    """:func:`~stigraph.projection.evidence._facet_filter` (the projects that pass the
    programme and field filters; None without filters) from :func:`project_facets`, the
    query's rows by triple patterns."""
    if not options.programme and not options.field:
        return None
    programme = (options.programme or "").strip().upper()
    field_label = (options.field or "").strip().casefold()
    return {project for project, facets in project_facets(graph).items()
            if _passes(set(facets), programme, field_label)}


CORDIS_PROJECT = ID_BASE + "project/cordis-"
ACTOR_BASE = ID_BASE + "actor/"


def _year_of(start: str | None) -> int | None:
    """The query's ``year`` (``SUBSTR(STR(?start), 1, 4)``) as the consortia read it."""
    text = (start or "")[:4]
    return int(text) if text.isdigit() else None


def project_facets(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """CORDIS project -> its ``(facet, value)`` rows of ``evidence-project-facets`` (the
    programme part's identifiers; the labels of its fields and every broader field), sorted
    as the query sorts them, read by triple patterns: the query's ``skos:broader*`` path over
    every project took 18 s on the kept default graph (two thirds of the profiles' CORDIS
    part); here each field's broader fields and labels are read once."""
    store = store_of(graph)
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    by_part: dict[str, list[str]] = {}
    for project, part in store.pairs(str(STIG.partOfProgramme)):
        if not project.startswith(CORDIS_PROJECT):
            continue
        if part not in by_part:
            by_part[part] = ([o for p, o in store.about(part) if p == str(DCTERMS.identifier)]
                             if _is_iri(part) else [])
        found[project].update(("programme", value) for value in by_part[part])
    broader_p, label_p = str(SKOS.broader), str(RDFS.label)
    about: dict[str, tuple[list[str], list[str]]] = {}

    def read(node: str) -> tuple[list[str], list[str]]:
        if node not in about:
            triples = list(store.about(node)) if _is_iri(node) else []
            about[node] = ([o for p, o in triples if p == broader_p],
                           [o for p, o in triples if p == label_p])
        return about[node]

    closure: dict[str, set[str]] = {}

    def labels_of(field: str) -> set[str]:
        if field not in closure:
            reached, todo = {field}, [field]
            while todo:
                for up in read(todo.pop())[0]:
                    if up not in reached:
                        reached.add(up)
                        todo.append(up)
            closure[field] = {label for node in reached for label in read(node)[1]}
        return closure[field]

    for project, field_node in store.pairs(str(DCTERMS.subject)):
        if project.startswith(CORDIS_PROJECT):
            found[project].update(("field", label) for label in labels_of(field_node))
    return {project: sorted(rows) for project, rows in sorted(found.items()) if rows}


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
                        rows.extend((a, b, xsd_integer(y[:4]), _number(works))
                                    for y in values[str(STIG.year)] if y[:4] <= day[:4])
    return rows


def coauthorship_index(graph: Graph, options: EvidenceOptions = NO_FILTERS
                       ) -> dict[str, list[tuple[str, str, int | None, float]]]:
    """Every country -> the rows of :func:`coauthorship_rows` of it (``a != b``), for all
    countries at once: the rows of ``evidence-coauthorship`` from the graph's statements read
    once (:meth:`~stigraph.projection.reads.GraphReads.coauthorship_rows`, shared with the
    report's OpenAlex layer) instead of ~140 countries' statements one by one (22 s on the
    kept default graph). Each list holds the same rows as :func:`coauthorship_rows`, in the
    query's order rather than the statements'."""
    day = _as_of_text(graph, "evidence-coauthorship", options)
    index: dict[str, list[tuple[str, str, int | None, float]]] = defaultdict(list)
    for row in reads_of(graph).coauthorship_rows(day):
        if row[0] != row[1]:
            index[row[0]].append(row)
            index[row[1]].append(row)
    return dict(index)


def _scanned(store: Any, statement: str) -> dict[str, list[str]]:
    """The objects of ``statement`` under the predicates the query reads, by predicate
    scans (for a statement :meth:`Store.about` cannot look up)."""
    found: dict[str, list[str]] = defaultdict(list)
    for predicate in (RDF.subject, RDF.object, RDF.predicate, STIG.measure, STIG.value,
                      STIG.year):
        found[str(predicate)] = [o for s, o in store.pairs(str(predicate)) if s == statement]
    return found




def _as_of_text(graph: Graph, query: str, options: EvidenceOptions) -> str:
    """The ``as_of`` the named query would be given, as its text (checked as it would be)."""
    params = {"as_of": options.as_of} if options.as_of else {}
    value = check_params(GraphResolver(graph), get_query(query, "sparql"), params)["as_of"]
    assert value is not None  # a date parameter defaults to today
    return str(sparql_term(value))


def _number(text: str) -> float:
    """A ``stig:value`` as the query's cell gives it to the layer (a number; 0 if empty)."""
    return float(text) if text else 0.0



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
    sources = (sources if sources is not None
               else PartnerSources(graph, options, entity=entity))
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
