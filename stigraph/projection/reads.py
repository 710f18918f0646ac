"""What the projections, the report and ``stigraph compare`` read of a graph, read once per
graph and shared by every reader of it.

:class:`GraphReads` holds the memberships and relations
(:func:`~stigraph.projection.facts.read_facts`) and the reified statements with the membership
details (:func:`~stigraph.projection.statements.read_statements`), each read on first use, and the
rows computed from them that several readers need (per date where the rows depend on it).
:func:`reads_of` gives the reads of a graph: the one an
:class:`~stigraph.projection.inputs.AnalysisInputs` of that graph holds while it lives (so the
report's network pages, link details, evidence layers and side-by-side section share one
read), else a new one that lives as long as its caller keeps it. Like the analysis inputs,
the reads assume the graph does not change while they are in use.

>>> from rdflib import Graph
>>> g = Graph()
>>> reads = reads_of(g)
>>> reads_of(g) is reads, reads_of(Graph()) is reads
(True, False)
"""

from __future__ import annotations

import weakref
from functools import cached_property
from typing import Any

from rdflib import Graph

from stigraph.dates import as_of_date
from stigraph.projection import facts as _facts_module
from stigraph.projection import statements as _statements_module
from stigraph.projection.facts import Facts, read_facts
from stigraph.projection.statements import Statements, read_statements
from stigraph.store.memo import remembered

__all__ = ["GraphReads", "reads_of"]

#: id(graph) -> its live reads; an entry goes when nothing else holds the reads (which hold
#: their graph, so the id is not reused while the entry is there).
_LIVE: weakref.WeakValueDictionary[int, GraphReads] = weakref.WeakValueDictionary()


class GraphReads:
    """The facts and statements of ``graph``, each read once, and rows made from them."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._coauthorship: dict[str, list[tuple[str, str, int | None, float]]] = {}
        self._direct: dict[str, list[tuple[str, str, float]]] = {}

    @cached_property
    def facts(self) -> Facts:
        """Memberships, their date bounds and the direct relations (kept beside a kept
        graph: :mod:`stigraph.store.memo`)."""
        return remembered(self.graph, "facts", lambda: read_facts(self.graph),
                          code=(_facts_module,))

    @cached_property
    def statements(self) -> Statements:
        """The reified statements and the membership nodes' details (kept like the facts)."""
        return remembered(self.graph, "statements",
                          lambda: read_statements(self.graph, self.facts),
                          code=(_facts_module, _statements_module))

    @cached_property
    def link_layers(self) -> dict[frozenset[str], set[str]]:
        """Unordered pair -> the provenance layers of the facts linking it (``link-layers``);
        shared: do not change it."""
        return self.statements.link_layers(self.facts)

    def link_sources(self) -> list[dict[str, Any]]:
        """The rows of ``link-sources`` (made anew at each call: the caller keeps them)."""
        return self.statements.link_sources(self.facts)

    def coauthorship_rows(self, as_of: str | None) -> list[tuple[str, str, int | None, float]]:
        """The rows ``(a, b, year, works)`` of ``evidence-coauthorship`` (default: today)."""
        day = _day(as_of)
        found = self._coauthorship.get(day[:4])
        if found is None:
            found = self._coauthorship[day[:4]] = self.statements.coauthorship_rows(day)
        return found

    def direct_rows(self, as_of: str | None) -> list[tuple[str, str, float]]:
        """The rows of ``projection-country-country`` without an area (default: today)."""
        day = _day(as_of)
        found = self._direct.get(day)
        if found is None:
            found = self._direct[day] = remembered(
                self.graph, f"direct-rows-{day}",
                lambda: self.statements.direct_rows(self.facts, day),
                code=(_facts_module, _statements_module))
        return found

    def country_coauthorship(self, as_of: str | None) -> list[dict[str, Any]]:
        """The rows of ``country-coauthorship`` (default: today)."""
        return self.statements.country_coauthorship(_day(as_of))


def _day(as_of: str | None) -> str:
    """The day the queries would be given: ``as_of`` as a date, else today."""
    import datetime as dt

    return as_of_date(as_of) or dt.date.today().isoformat()


def reads_of(graph: Graph) -> GraphReads:
    """The live reads of ``graph`` (by identity, never by rdflib's equality of graph names),
    or new ones."""
    found = _LIVE.get(id(graph))
    if found is not None and found.graph is graph:
        return found
    reads = _LIVE[id(graph)] = GraphReads(graph)
    return reads
