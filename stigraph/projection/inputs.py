"""The inputs of every analysis, read from the RDF graph once per command and date.

Centrality, communities, gaps, recommendations, their evaluation and every report section need
the same few things: the projections of :mod:`stigraph.projection.networks` as of a date, the
countries with their groups, the cooperation areas and which organisation addresses which, and
the organisations that have ended. :class:`AnalysisInputs` reads each of them on first use and
keeps it, so a command runs each projection query at most once per date it looks at, and a
command that needs only the bipartite graph never builds the cooperation graph.

Facts that do not depend on the date (the countries of the graph, organisation areas, node
labels) are shared by the inputs of every date of one graph: :meth:`AnalysisInputs.at` gives
the inputs of another date (the cutoff of a time split) without reading them again.

The graphs handed out are shared: consumers must not change them (the analytics copy a graph
before changing it, e.g. :func:`stigraph.analytics.evaluate.holdout_graph`).

>>> from rdflib import Graph
>>> inputs = AnalysisInputs(Graph(), as_of="2020")
>>> inputs.as_of, inputs.year, inputs.at("2020-12-31") is inputs
('2020-12-31', 2020, True)
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from stigraph.errors import ParameterError
from stigraph.projection import evidence as _evidence
from stigraph.projection import facts as _facts
from stigraph.projection import groups as _groups
from stigraph.projection import networks as _networks
from stigraph.projection import organisations as _organisations
from stigraph.projection.reads import GraphReads, reads_of
from stigraph.queries.catalogue import query_file
from stigraph.queries.sparql import run_sparql
from stigraph.store.memo import remembered
from stigraph.vocab.labels import LABEL_PROPERTIES, best_label, label_of
from stigraph.vocab.namespaces import RDF, SKOS, STIG, iri_key

__all__ = ["AnalysisInputs", "Rows"]

Rows = list[tuple[str, str, float]]
T = TypeVar("T")


class _Shared:
    """What the inputs of every date of one graph share: date-independent facts."""

    def __init__(self, rdf: Graph) -> None:
        self.rdf = rdf
        self.dates: dict[tuple[str | None, str | None], AnalysisInputs] = {}
        self.attributes: dict[str, dict[str, str]] = {}
        self.infos: dict[int | None, dict[str, _groups.CountryInfo]] = {}
        #: the graph's facts and statements read once, shared with every other reader of
        #: the graph while these inputs live (:func:`~stigraph.projection.reads.reads_of`)
        self.reads: GraphReads = reads_of(rdf)

    def node_attributes(self, nodes: Iterable[str]) -> dict[str, dict[str, str]]:
        """``kind``, ``label`` and ``code`` of each node, as
        :func:`~stigraph.projection.networks.node_attributes` gives them, from labels and
        country codes read in one pass over the graph."""
        wanted = list(nodes)
        for node in wanted:
            if node not in self.attributes:
                kind = _networks.node_kind(node)
                code = self.iso2.get(node) if kind == "country" else None
                self.attributes[node] = {"kind": kind,
                                         "label": self.labels.get(node, iri_key(node)),
                                         "code": code if code is not None else iri_key(node)}
        return {n: self.attributes[n] for n in wanted}

    def kept(self, name: str, compute: Callable[[], T], *code: ModuleType | Path) -> T:
        """``compute()``, kept beside a kept graph (:mod:`stigraph.store.memo`) as ``name``;
        ``code``: the modules or query files computing it besides this one."""
        return remembered(self.rdf, name, compute, code=(sys.modules[__name__], *code))

    @cached_property
    def labels(self) -> dict[str, str]:
        """IRI -> its label by :func:`~stigraph.vocab.labels.label_of`'s rule: the first label
        property with a value wins."""
        return self.kept("labels", self._read_labels)

    def _read_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for prop in reversed(LABEL_PROPERTIES):
            values: dict[str, list[Node]] = defaultdict(list)
            for subject, _p, value in self.rdf.triples((None, prop, None)):
                if isinstance(subject, URIRef):
                    values[str(subject)].append(value)
            labels.update((node, best_label(found)) for node, found in values.items())
        return labels

    @property
    def facts(self) -> _facts.Facts:
        """Memberships, their bounds and the direct relations, read once by triple pattern
        for the projection rows of every date (:mod:`stigraph.projection.facts`)."""
        return self.reads.facts

    @cached_property
    def iso2(self) -> dict[str, str]:
        """Country IRI -> ISO alpha-2 code."""
        return self.kept("iso2", lambda: {
            str(s): str(o) for s, _p, o in self.rdf.triples((None, STIG.iso2, None))})

    def country_infos(self, year: int | None) -> dict[str, _groups.CountryInfo]:
        if year not in self.infos:
            self.infos[year] = self.kept(f"countries-{year}", lambda: _groups.countries(
                self.rdf, year=year), _groups)
        return self.infos[year]

    @cached_property
    def countries(self) -> list[str]:
        return self.kept("country-list", lambda: _networks.all_countries(self.rdf), _networks)

    @cached_property
    def organisation_areas(self) -> dict[str, dict[str, str]]:
        return self.kept("organisation-areas", lambda: _networks.organisation_areas(self.rdf),
                         _networks, query_file("organisation-areas"))

    @cached_property
    def area_labels(self) -> dict[str, str]:
        return self.kept("area-labels", self._read_area_labels)

    def _read_area_labels(self) -> dict[str, str]:
        labels = {}
        for area in self.rdf.subjects(RDF.type, STIG.CooperationArea):
            labels[str(area)] = label_of(self.rdf, str(area), (SKOS.prefLabel,))
        return dict(sorted(labels.items()))


class AnalysisInputs:
    """The projections, countries, groups, areas and ended organisations of ``rdf`` as of a date.

    ``as_of``: a date (``YYYY-MM-DD``, a bare year meaning its last day, or ``None``: undated
    facts and every membership count); ``area``: only organisations addressing this cooperation
    area (a slug), as the projections take it. Every field is computed on first use and kept.
    """

    def __init__(self, rdf: Graph, *, as_of: str | None = None, area: str | None = None,
                 evidence: str | None = None, counting: str | None = None,
                 _shared: _Shared | None = None) -> None:
        self.rdf = rdf
        self.as_of = _networks.as_of_date(as_of)
        self.area = area
        #: ``--evidence``: layer names (``cordis,openalex``), ``all``, or ``None`` (auto).
        self.evidence = evidence
        #: ``--counting`` of the evidence networks; ``None``: each network's default (countries
        #: full, organisations fractional).
        self.counting = counting
        self._shared = _shared if _shared is not None else _Shared(rdf)
        self._shared.dates.setdefault((self.as_of, area), self)

    def at(self, as_of: str | None, *, area: str | None = None) -> AnalysisInputs:
        """The inputs of the same graph on another date (and area; default: this one's)."""
        key = (_networks.as_of_date(as_of), self.area if area is None else area)
        found = self._shared.dates.get(key)
        if found is None:
            found = AnalysisInputs(self.rdf, as_of=key[0], area=key[1], evidence=self.evidence,
                                   counting=self.counting, _shared=self._shared)
        return found

    @cached_property
    def uncertain(self) -> list[dict[str, Any]]:
        """Memberships that may hold on the date but not certainly (a start or end known only
        to the year or month): every analysis leaves them out; commands say how many."""
        day = self.as_of or dt.date.today().isoformat()  # the query's default
        return self._shared.kept(f"uncertain-{day}", lambda: run_sparql(
            self.rdf, "uncertain-facts", {"as_of": day}), query_file("uncertain-facts"))

    @property
    def year(self) -> int | None:
        """The year of the date (income groups are per fiscal year), ``None`` without a date."""
        return int(self.as_of[:4]) if self.as_of else None

    # -- projection rows: one query each ---------------------------------------------------

    def _rows(self, name: str) -> Rows:
        # without an area the projections come from the facts and statements read once per
        # graph (the same rows as their queries); the queries' area filters run in SPARQL
        if self.area is None and name == "country-organisation":
            return self._shared.facts.bipartite_rows(self.as_of)
        if self.area is None and name == "actor-actor":
            return self._shared.facts.actor_rows(self.as_of)
        if self.area is None and name == "country-country":
            return self._shared.reads.direct_rows(self.as_of)
        return _networks.edge_rows(self.rdf, name, as_of=self.as_of, area=self.area)

    @cached_property
    def bipartite_rows(self) -> Rows:
        """Rows of ``projection-country-organisation``: countries and what they take part in."""
        return self._rows("country-organisation")

    @cached_property
    def direct_rows(self) -> Rows:
        """Rows of ``projection-country-country``: direct country–country links."""
        return self._rows("country-country")

    @cached_property
    def actor_rows(self) -> Rows:
        """Rows of ``projection-actor-actor``."""
        return self._rows("actor-actor")

    # -- the graphs ------------------------------------------------------------------------

    def _graph(self, name: str, edges: Rows, countries: list[str]) -> nx.Graph:
        return _networks.projection_from_rows(name, edges, countries,
                                              self._shared.node_attributes,
                                              as_of=self.as_of, area=self.area)

    @cached_property
    def evidence_layers(self) -> dict[str, _evidence.Layer] | None:
        """The evidence layers the country–country projection is built from, or ``None``
        when it is built from the projection queries.

        Evidence is used when ``evidence`` names layers (or ``all``), or, by default, when the
        graph holds imported cooperation evidence (CORDIS or OpenAlex); the graph's other
        layers (GCF, memberships) then join in. With an area the projection queries are used:
        the evidence layers are not per cooperation area.
        """
        if self.area:
            return None
        names = _evidence.resolve_evidence(self.rdf, self.evidence)
        if self.evidence is None and not {"cordis", "openalex"} & set(names):
            return None
        projects = self.consortia if "cordis" in names else None
        return _evidence.evidence_layers(self.rdf, names, "countries",
                                         _evidence.EvidenceOptions(as_of=self.as_of),
                                         projects=projects, facts=self._shared.facts)

    @property
    def facts(self) -> _facts.Facts:
        """The graph's membership facts, read once for every date (:mod:`.facts`)."""
        return self._shared.facts

    @cached_property
    def consortia(self) -> list[_evidence.Consortium]:
        """The CORDIS projects started by the date with their participants, read once for the
        country and the organisation network (and kept beside a kept graph: 10 s of a
        report on the default graph)."""
        day = self.as_of or dt.date.today().isoformat()
        return self._shared.kept(
            f"consortia-{day}", lambda: list(_evidence.consortia(
                self.rdf, _evidence.EvidenceOptions(as_of=day))),
            _evidence, *(query_file(name) for name in _evidence.CONSORTIA_QUERIES))

    @cached_property
    def country_country(self) -> nx.Graph:
        """Countries linked by shared organisations and direct links (every country a node),
        or, with evidence (:attr:`evidence_layers`), by the layers combined (each divided by
        its strongest pair, then summed: :func:`~stigraph.projection.evidence.evidence_network`)."""
        layers = self.evidence_layers
        if layers is None:
            edges = _networks.country_country_rows(self.bipartite_rows, self.direct_rows)
            return self._graph("country-country", edges, self._shared.countries)
        combined = _evidence.combined_weights(layers, self.counting or "full")
        rows = [(a, b, v["weight"]) for (a, b), v in sorted(combined.items())
                if v.get("weight", 0.0) > 0]
        graph = self._graph("country-country", rows, self._shared.countries)
        for a, b, _w in rows:
            graph[a][b].update({k: v for k, v in combined[(a, b)].items() if k != "weight"})
        graph.graph.update(evidence=",".join(layers), counting=self.counting or "full")
        return graph

    def _cordis_consortia(self) -> list[_evidence.Consortium] | None:
        """:attr:`consortia` when the graph has CORDIS data (else nothing to read)."""
        return self.consortia if "cordis" in _evidence.available_layers(self.rdf) else None

    @cached_property
    def country_organisation(self) -> nx.Graph:
        """The bipartite graph of countries and the organisations they take part in."""
        return self._graph("country-organisation", self.bipartite_rows, self._shared.countries)

    @cached_property
    def actor_actor(self) -> nx.Graph:
        """Actors and initiatives: direct relations and shared members; with CORDIS data (and
        no area), imported organisations linked by the projects they share
        (:func:`~stigraph.projection.organisations.organisation_network_of`)."""
        if self.area is None:
            graph = _organisations.organisation_network_of(
                self.rdf, self.actor_rows, self.evidence, as_of=self.as_of,
                counting=self.counting, attributes=self._shared.node_attributes,
                projects=self._cordis_consortia())
            if graph is not None:
                return graph
        return self._graph("actor-actor", self.actor_rows, [])

    @cached_property
    def cooperation(self) -> nx.Graph:
        """The heterogeneous cooperation graph (:func:`~stigraph.projection.cooperation_graph`)."""
        return _networks.cooperation_from_rows(
            self._shared.countries, self.bipartite_rows, self.direct_rows, self.actor_rows,
            self._shared.node_attributes, as_of=self.as_of, area=self.area)

    def projection(self, name: str) -> nx.Graph:
        """Projection ``name`` (see :data:`~stigraph.projection.networks.PROJECTIONS`) or
        ``cooperation``."""
        graphs = {"country-country": "country_country", "actor-actor": "actor_actor",
                  "country-organisation": "country_organisation", "cooperation": "cooperation"}
        if name not in graphs:
            raise ParameterError(f"unknown projection {name!r}; use one of "
                                 f"{', '.join(_networks.PROJECTIONS)}")
        graph: nx.Graph = getattr(self, graphs[name])
        return graph

    # -- countries, areas, organisations ---------------------------------------------------

    @property
    def countries(self) -> list[str]:
        """IRIs of every country in the graph, sorted."""
        return self._shared.countries

    @cached_property
    def infos(self) -> dict[str, _groups.CountryInfo]:
        """Every country with its groups as of the year (income group of that fiscal year)."""
        return self._shared.country_infos(self.year)

    @property
    def latest_infos(self) -> dict[str, _groups.CountryInfo]:
        """Every country with its groups, income group of the latest fiscal year."""
        return self._shared.country_infos(None)

    def members(self, group: str, *, latest: bool = False) -> list[_groups.CountryInfo]:
        """Countries of ``group`` (as :func:`~stigraph.analytics.groups.members_of`) as of the
        year, or with ``latest`` by the latest classification."""
        infos = self.latest_infos if latest else self.infos
        return _groups.members_of(self.rdf, group, infos=infos)

    @property
    def organisation_areas(self) -> dict[str, dict[str, str]]:
        """Actor/initiative IRI -> {area IRI: label}."""
        return self._shared.organisation_areas

    @property
    def area_labels(self) -> dict[str, str]:
        """Every cooperation area IRI -> its label, sorted by IRI."""
        return self._shared.area_labels

    @cached_property
    def ended(self) -> set[str]:
        """Actors, initiatives and projects that ended before the date (default: today)."""
        day = self.as_of or dt.date.today().isoformat()
        return self._shared.kept(f"ended-{day}", lambda: _networks.ended_organisations(
            self.rdf, day), _networks, query_file("ended-organisations"))

    def node_attributes(self, nodes: Iterable[str]) -> dict[str, Any]:
        """``kind``, ``label`` and ``code`` of nodes (read once per graph)."""
        return self._shared.node_attributes(nodes)
