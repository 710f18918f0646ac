"""When each fact holds: the certain and possible bounds of every dated fact, written into the
graph once, so that every query, projection and backend applies the same rule.

For each membership or participation, and each organisation, programme, project or event
with dates, :func:`stigraph.dates.validity` gives the first and last day on which it
certainly holds (``stig:certainFrom``, ``stig:certainTo``) and on which it may hold
(``stig:possibleFrom``, ``stig:possibleTo``), as ``xsd:date``: the start's and the decision's
precision, the organisation's own lifetime for a fact without dates of its own. Named queries
filter on these (``certainFrom <= as_of <= certainTo``); a fact that only possibly holds on
the date is left out of analyses and counted (query ``uncertain-facts``).

Facts whose own dates fall outside their organisation's lifetime are reported, not silently
clipped away: :class:`LifetimeReport`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from stigraph.dates import Validity, interval_of, validity
from stigraph.store import store_of
from stigraph.vocab.namespaces import RDF, STIG

__all__ = ["BOUND_PREDICATES", "LifetimeIssue", "LifetimeReport", "add_validity"]

#: The derived predicates, replaced whole at every build.
BOUND_PREDICATES = (STIG.certainFrom, STIG.certainTo, STIG.possibleFrom, STIG.possibleTo)

_XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"


@dataclass(frozen=True)
class LifetimeIssue:
    """A fact dated outside the lifetime of its organisation."""

    node: str
    problem: str

    def as_row(self) -> dict[str, str]:
        return {"fact": self.node, "problem": self.problem}


@dataclass
class LifetimeReport:
    """What :func:`add_validity` did: bounds written, and the facts dated out of lifetime."""

    facts: int = 0
    issues: list[LifetimeIssue] = field(default_factory=list)


def _first(values: set[str]) -> str | None:
    # several values of one date (a seed error SHACL reports): the latest start is the safe one
    return max(values) if values else None


def _problem(start: str | None, end: str | None, life_start: str | None,
             life_end: str | None) -> str | None:
    if start and life_start and interval_of(start).last < interval_of(life_start).first:
        return f"starts {start}, before its organisation ({life_start})"
    if start and life_end and interval_of(start).first > interval_of(life_end).last:
        return f"starts {start}, after its organisation ended ({life_end})"
    if end and life_end and interval_of(end).first > interval_of(life_end).last:
        return f"ends {end}, after its organisation ended ({life_end})"
    return None


def _bounds_lines(node: str, bounds: Validity) -> list[str]:
    ref = f"<{node}>"
    lines = []
    for predicate, day in zip(BOUND_PREDICATES, (bounds.certain_from, bounds.certain_to,
                                                 bounds.possible_from, bounds.possible_to),
                              strict=True):
        if day is not None:
            lines.append(f'{ref} <{predicate}> "{day.isoformat()}"^^{_XSD_DATE} .\n')
    return lines


def _dated(graph: Graph) -> dict[str, dict[str, set[str]]]:
    """Each dated fact's own start, end and decision dates and its organisation's lifetime.

    Read by triple pattern, one scan per predicate (a SPARQL join of the same took 30 s on
    the Horizon Europe graph, the scans under a second). Reified statements keep their own
    dates (``stig:year`` of co-authorship) and are not bounded here.
    """
    # as text, by the store's own scan (on Oxigraph 4 times faster than rdflib's triples,
    # which make a term object of every subject and object)
    store = store_of(graph)

    def by_subject(predicate: URIRef) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for s, o in store.pairs(str(predicate)):
            found[s].add(o)
        return found

    starts, ends = by_subject(STIG.startDate), by_subject(STIG.endDate)
    decisions, foundings = by_subject(STIG.decisionDate), by_subject(STIG.foundingDate)
    organisation_of = dict(store.pairs(str(STIG.organisation)))
    statements = {s for s, _o in store.pairs(str(RDF.subject))}
    dates: dict[str, dict[str, set[str]]] = {}
    for node in set(starts) | set(ends) | set(foundings) | set(organisation_of):
        if node in statements:
            continue
        organisation = organisation_of.get(node)
        if organisation is None:  # an organisation, programme, project or event
            dates[node] = {"start": foundings.get(node, set()) | starts.get(node, set()),
                           "end": ends.get(node, set())}
        else:  # a membership or participation
            dates[node] = {
                "start": starts.get(node, set()), "end": ends.get(node, set()),
                "decided": decisions.get(node, set()),
                "lifetimeStart": foundings.get(organisation, set())
                | starts.get(organisation, set()),
                "lifetimeEnd": ends.get(organisation, set()),
            }
    return dates


def add_validity(graph: Graph) -> LifetimeReport:
    """Write the bounds of every dated fact into ``graph`` (replacing earlier ones)."""
    for predicate in BOUND_PREDICATES:
        graph.remove((None, predicate, None))
    report = LifetimeReport()
    lines: list[str] = []
    for node, values in sorted(_dated(graph).items()):
        start, end = _first(values["start"]), min(values["end"], default=None)
        decided = _first(values.get("decided", set()))
        life_start = _first(values.get("lifetimeStart", set()))
        life_end = min(values.get("lifetimeEnd", set()), default=None)
        try:
            bounds = validity(start=start, end=end, decided=decided, lifetime_start=life_start,
                              lifetime_end=life_end)
        except ValueError:  # an ill-formed date: SHACL reports it with its seed line
            continue
        problem = _problem(start, end, life_start, life_end)
        if problem is not None:
            report.issues.append(LifetimeIssue(node, problem))
        if "://" in node:  # blank nodes cannot be named in N-Triples from outside the file
            lines.extend(_bounds_lines(node, bounds))
        report.facts += 1
    if lines:
        store_of(graph).load_data("".join(lines).encode("utf-8"), "nt")
    return report


def holds(graph: Graph, node: URIRef, day: dt.date) -> str:
    """``valid``, ``uncertain`` or ``out``: whether the fact ``node`` holds on ``day``."""
    def value(predicate: URIRef) -> dt.date | None:
        found = graph.value(node, predicate)
        return dt.date.fromisoformat(str(found)) if found is not None else None

    return Validity(*(value(p) for p in BOUND_PREDICATES)).status(day)
