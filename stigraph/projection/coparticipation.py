"""Derived cooperation: who takes part in the same projects, per year.

The organisation–organisation and country–country co-participation networks are projections
of the bipartite participation graph. On Horizon Europe that is ~119k participations giving
~1.07 million organisation pairs, so nothing here builds a list of pairs: participations are
read as a stream ordered by project, each project's pairs are yielded as soon as the project
ends, and only the running totals per pair are kept (:func:`aggregate`).

Weights per (a, b, year): ``projects`` — shared projects started that year; ``amount`` — the
EU contribution the two received in those projects (sum over shared projects of a's and b's
contributions). For countries, a project counts once per country pair however many
organisations each country has in it; pairs within one country are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any, Literal

from rdflib import Graph

__all__ = [
    "PAIR_QUERY",
    "PairWeight",
    "ParticipationRecord",
    "aggregate",
    "cooperation_weights",
    "pair_stream",
    "participations_from_graph",
]

Level = Literal["actor", "country"]


@dataclass(frozen=True, slots=True)
class ParticipationRecord:
    """One participation: ``actor`` (IRI text) in ``project`` with its country and money."""

    project: str
    year: int | None
    actor: str
    country: str | None
    amount: float = 0.0


@dataclass(frozen=True, slots=True)
class PairWeight:
    """Co-participation of ``a`` and ``b`` (a < b) in ``year``."""

    a: str
    b: str
    year: int | None
    projects: int
    amount: float

    def as_row(self) -> dict[str, Any]:
        return {"source": self.a, "target": self.b, "year": self.year,
                "projects": self.projects, "amount": self.amount}


#: Participations ordered by project, with the project's start year and the actor's country.
PAIR_QUERY = """
PREFIX stig: <https://w3id.org/stigraph/ontology/>
SELECT ?project ?start ?actor ?country ?amount WHERE {
  ?p a stig:Participation ; stig:member ?actor ; stig:organisation ?project .
  ?project a stig:Project .
  FILTER NOT EXISTS { ?actor a stig:Country }
  OPTIONAL { ?project stig:startDate ?start }
  OPTIONAL { ?actor stig:headquarteredIn ?country }
  OPTIONAL { ?p stig:amount ?amount }
}
ORDER BY ?project
"""


def participations_from_graph(graph: Graph) -> Iterator[ParticipationRecord]:
    """Participations of actors in projects, streamed in project order from ``graph``."""
    for row in graph.query(PAIR_QUERY):
        project, start, actor, country, amount = row  # type: ignore[misc]
        year = int(str(start)[:4]) if start is not None else None
        yield ParticipationRecord(
            project=str(project), year=year, actor=str(actor),
            country=str(country) if country is not None else None,
            amount=float(Decimal(str(amount))) if amount is not None else 0.0)


def _groups(records: Iterable[ParticipationRecord]) -> Iterator[list[ParticipationRecord]]:
    """Consecutive records of one project; a project seen again later is an error."""
    current: list[ParticipationRecord] = []
    done: set[str] = set()
    for record in records:
        if current and record.project != current[0].project:
            done.add(current[0].project)
            yield current
            current = []
        if record.project in done:
            raise ValueError(f"participations are not ordered by project: {record.project} "
                             "seen again; sort them (ORDER BY ?project) first")
        current.append(record)
    if current:
        yield current


def pair_stream(records: Iterable[ParticipationRecord], *, level: Level = "actor"
                ) -> Iterator[PairWeight]:
    """Yield one :class:`PairWeight` (projects=1) per pair in each project, project by project.

    ``records`` must be ordered (grouped) by project.
    """
    for group in _groups(records):
        year = group[0].year
        money: dict[str, float] = {}
        for record in group:
            key = record.actor if level == "actor" else record.country
            if key is None:
                continue
            money[key] = money.get(key, 0.0) + record.amount
        for a, b in combinations(sorted(money), 2):
            yield PairWeight(a, b, year, 1, money[a] + money[b])


def aggregate(pairs: Iterable[PairWeight], *, by_year: bool = True) -> list[PairWeight]:
    """Sum pair weights per (a, b, year) — or per (a, b) with ``by_year=False``.

    Only the totals are held (one entry per distinct pair), sorted by descending shared
    projects, then a, b, year.
    """
    totals: dict[tuple[str, str, int | None], list[float]] = {}
    for pair in pairs:
        key = (pair.a, pair.b, pair.year if by_year else None)
        slot = totals.get(key)
        if slot is None:
            totals[key] = [pair.projects, pair.amount]
        else:
            slot[0] += pair.projects
            slot[1] += pair.amount
    out = [PairWeight(a, b, year, int(v[0]), v[1]) for (a, b, year), v in totals.items()]
    out.sort(key=lambda p: (-p.projects, p.a, p.b, p.year if p.year is not None else -1))
    return out


def cooperation_weights(graph: Graph, *, level: Level = "country", by_year: bool = True
                        ) -> list[PairWeight]:
    """Co-participation weights of actors or countries in the projects of ``graph``."""
    return aggregate(pair_stream(participations_from_graph(graph), level=level),
                     by_year=by_year)
