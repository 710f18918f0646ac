"""The membership and relation facts of a graph, read once by triple pattern, and the
projection rows of any date (default: today, as the queries') computed from them in Python.

The projection queries ``projection-actor-actor`` and ``projection-country-organisation`` and
the evidence query ``evidence-memberships`` join every membership node with its member,
organisation and date bounds. On the default graph (seeds plus the shipped data: about
150,000 memberships) each took 10–22 s in Oxigraph's engine, and the report runs them for two
dates. Here the same facts are read once per graph with one scan per predicate
(:meth:`stigraph.store.base.Store.pairs`, 2 s in all), and each date's rows are a pass over
them. The rows are those of the queries without an area, row for row and count for count
(``tests/test_projection_facts.py`` compares both on both stores); with an area the queries
run as before.

>>> facts = Facts(memberships=[("m1", "https://w3id.org/stigraph/id/country/KE", "gcf")],
...               bounds={"m1": ("2016-01-01", None)}, countries={
...               "https://w3id.org/stigraph/id/country/KE"})
>>> facts.bipartite_rows("2015-12-31"), facts.bipartite_rows("2020-12-31")
([], [('https://w3id.org/stigraph/id/country/KE', 'gcf', 1.0)])
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Graph

from stigraph.store import store_of
from stigraph.vocab.namespaces import ID_BASE, RDF, STIG

__all__ = ["ACTOR_RELATIONS", "Facts", "read_facts"]

COUNTRY_BASE = ID_BASE + "country/"
PROJECT_BASE = ID_BASE + "project/"

#: The direct relations that link two actors or initiatives (``projection-actor-actor``).
ACTOR_RELATIONS = ("partnerOf", "funds", "runs", "coordinates", "supports", "hosts",
                   "partOfProgramme")
#: Direct memberships without a membership node.
DIRECT_MEMBERSHIPS = ("memberOf", "participatesIn")

Rows = list[tuple[str, str, float]]
Bounds = tuple[str | None, str | None]


@dataclass
class Facts:
    """What the projections read, as text: memberships ``(node, member, organisation)`` (one
    per member and organisation of a node, as a join gives them), the ``certainFrom`` /
    ``certainTo`` bounds of every node that has them, the direct relations by local name
    (``relations["memberOf"]``: ``(subject, object)``), the ``activeIn`` and
    ``headquarteredIn`` links, and the nodes typed ``stig:Country``."""

    memberships: list[tuple[str, str, str]] = field(default_factory=list)
    bounds: dict[str, Bounds] = field(default_factory=dict)
    relations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    active_in: list[tuple[str, str]] = field(default_factory=list)
    headquarters: list[tuple[str, str]] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    #: extra bounds values of a node beyond its first (several ``certainFrom``: a join gives
    #: one row per value), kept so counts match the queries
    more_bounds: dict[str, list[Bounds]] = field(default_factory=dict)

    def _bounds(self, node: str) -> list[Bounds]:
        first = self.bounds.get(node)
        if first is None:
            return [(None, None)]
        return [first, *self.more_bounds.get(node, ())]

    def _valid(self, node: str, day: str) -> int:
        """How many (from, to) combinations of ``node`` hold on ``day`` (an unbound end
        always does): the rows a join with the date filter keeps."""
        return sum(1 for start, end in self._bounds(node)
                   if (start is None or start <= day) and (end is None or end >= day))

    @cached_property
    def _membership_pairs(self) -> set[tuple[str, str]]:
        """(member, organisation) pairs that a membership node describes."""
        return {(member, org) for _node, member, org in self.memberships}

    def _direct(self) -> Iterable[tuple[str, str]]:
        """Direct memberOf / participatesIn links that no membership node describes."""
        described = self._membership_pairs
        for name in DIRECT_MEMBERSHIPS:
            for pair in self.relations.get(name, ()):
                if pair not in described:
                    yield pair

    def bipartite_rows(self, as_of: str | None) -> Rows:
        """The rows of ``projection-country-organisation`` (without an area), as
        :func:`stigraph.projection.networks.edge_rows` returns them."""
        as_of = _day(as_of)
        counts: Counter[tuple[str, str]] = Counter()
        for node, member, org in self.memberships:
            if member in self.countries:
                counts[(member, org)] += self._valid(node, as_of)
        for country, org in self._direct():
            if country in self.countries:
                counts[(country, org)] += self._valid(org, as_of)
        for org, country in self.active_in:
            if country in self.countries:
                counts[(country, org)] += self._valid(org, as_of)
        for org, country in self.headquarters:
            counts[(country, org)] += self._valid(org, as_of)
        return _rows(counts)

    def actor_rows(self, as_of: str | None) -> Rows:
        """The rows of ``projection-actor-actor`` (without an area)."""
        as_of = _day(as_of)
        counts: Counter[tuple[str, str]] = Counter()

        def add(a: str, b: str, n: int) -> None:
            if n and a != b and not a.startswith(COUNTRY_BASE) \
                    and not b.startswith(COUNTRY_BASE):
                counts[(a, b) if a < b else (b, a)] += n

        for name in ACTOR_RELATIONS:
            for a, b in self.relations.get(name, ()):
                add(a, b, 1)
        for a, b in self._direct():
            add(a, b, 1)
        for node, a, b in self.memberships:
            if not a.startswith(COUNTRY_BASE):
                add(a, b, self._valid(node, as_of))
        return _rows(counts)

    def valid_memberships(self, as_of: str | None) -> list[tuple[str, str]]:
        """The distinct ``(member, organisation)`` rows of ``evidence-memberships``: valid on
        the date, organisations that are not projects; sorted by organisation, member."""
        as_of = _day(as_of)
        found: set[tuple[str, str]] = set()
        for node, member, org in self.memberships:
            if not org.startswith(PROJECT_BASE) and self._valid(node, as_of):
                found.add((member, org))
        for member, org in self._direct():
            if not org.startswith(PROJECT_BASE) and self._valid(org, as_of):
                found.add((member, org))
        return sorted(found, key=lambda pair: (pair[1], pair[0]))


def _day(as_of: str | None) -> str:
    """The date to look at: the queries' default is today."""
    return as_of or dt.date.today().isoformat()


def _rows(counts: Counter[tuple[str, str]]) -> Rows:
    return sorted((a, b, float(n)) for (a, b), n in counts.items() if n > 0 and a != b)


def read_facts(graph: Graph) -> Facts:
    """The facts of ``graph`` that the projections read: one scan per predicate."""
    store = store_of(graph)
    # each distinct text one string object: a scan makes a new string per triple, and the
    # members, organisations and dates repeat (about 100 MB fewer on the default graph)
    shared: dict[str, str] = {}

    def one(text: str) -> str:
        return shared.setdefault(text, text)

    def by_subject(predicate: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for s, o in store.pairs(predicate):
            found[one(s)].append(one(o))
        return found

    def pairs(predicate: str) -> list[tuple[str, str]]:
        return [(one(s), one(o)) for s, o in store.pairs(predicate)]

    members, organisations = by_subject(str(STIG.member)), by_subject(str(STIG.organisation))
    memberships = [(node, member, org) for node, who in members.items()
                   for member in who for org in organisations.get(node, ())]
    starts, ends = by_subject(str(STIG.certainFrom)), by_subject(str(STIG.certainTo))
    bounds: dict[str, Bounds] = {}
    more: dict[str, list[Bounds]] = {}
    unbound: list[str | None] = [None]
    for node in set(starts) | set(ends):
        combos: list[Bounds] = [(s, e) for s in (list(starts.get(node, ())) or unbound)
                                for e in (list(ends.get(node, ())) or unbound)]
        bounds[node] = combos[0]
        if len(combos) > 1:
            more[node] = combos[1:]
    relations = {name: pairs(str(STIG[name])) for name in (*ACTOR_RELATIONS, *DIRECT_MEMBERSHIPS)}
    return Facts(memberships=memberships, bounds=bounds, relations=relations,
                 active_in=pairs(str(STIG.activeIn)),
                 headquarters=pairs(str(STIG.headquarteredIn)),
                 countries={s for s, _o in store.pairs(str(RDF.type), str(STIG.Country))},
                 more_bounds=more)
