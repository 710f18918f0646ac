"""The organisation network: imported organisations linked by the CORDIS projects they share.

With CORDIS data in the graph, the actor–actor projection that centrality, communities, the
report and the network pages read is built from evidence, not from the participation rows:

- **nodes**: every organisation that takes part in a CORDIS project (paired or not), and the
  seed actors and initiatives of the curated relations; CORDIS projects and programme parts are
  not nodes (a project is what links two organisations, a programme part a filter on
  projects: ``stigraph partners --programme``);
- **edges**: two organisations are linked by the projects they share (the ``cordis`` layer of
  :mod:`stigraph.projection.evidence`, organisation level), and by the curated relations and
  memberships of ``projection-actor-actor`` (member of, partner of, funds, runs…), the
  ``relations`` layer; each layer is divided by its strongest pair and the quotients summed
  (as the country network does), the layers' own values kept as edge attributes
  (``projects``, ``projects_fractional``, ``relations``);
- **counting** (:data:`~stigraph.projection.evidence.NETWORK_COUNTINGS`): ``fractional`` by
  default — a project spreads one unit over its ``n`` participants, ``1/(n-1)`` per pair, so
  each organisation's links in one project sum to one however large the consortium; ``full``
  (one per shared project) or ``association`` (van Eck & Waltman's association strength of the
  full counts) on request;
- **self-links** never arise: an organisation listed twice in one project (two roles) is one
  participant, and a pair needs two distinct organisations;
- **one organisation, two identifiers**: a CORDIS organisation the importer matched to a seed
  actor is the seed's node (its IRI), with the PICs it was imported under in the node
  attribute ``pic``; an ``id/actor/pic-N`` whose PIC is also a seed actor's identifier is read
  as that actor (:func:`~stigraph.projection.evidence.identifier_aliases`);
- **huge consortia** are kept, and counted by :func:`consortium_sizes`: on the full Horizon
  Europe data 76 projects have more than 50 participants and make 19.4 % of the 1,069,945
  pair incidences, 4 have more than 100 (the largest 199) and make 5.4 %. In full counting
  each of these pairs weighs as much as a two-partner project; fractional counting gives a
  pair of a 199-partner project 1/198 of that, so the large consortia no longer decide who is
  central. ``G.graph["consortia"]`` carries these figures for the graph at hand.

``--evidence`` chooses the layers (``cordis`` and ``memberships``, the latter standing for
the curated relations here); a graph without CORDIS data keeps ``projection-actor-actor``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph

from stigraph.errors import ParameterError
from stigraph.projection import evidence as _evidence
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.namespaces import ID_BASE

__all__ = ["CORDIS_NODES", "DEFAULT_COUNTING", "ConsortiumSizes", "consortium_sizes",
           "curated_rows", "organisation_network", "organisation_network_of",
           "pic_attributes"]

Rows = list[tuple[str, str, float]]
Attributes = Callable[[Iterable[str]], Mapping[str, Mapping[str, str]]]

#: The default counting of the organisation network (the country network counts in full).
DEFAULT_COUNTING = "fractional"

#: IRI prefixes of what the CORDIS importer adds besides organisations: projects and
#: programme parts, which the organisation network does not have as nodes.
CORDIS_NODES = (ID_BASE + "project/cordis-", ID_BASE + "initiative/cordis-")

#: The consortium sizes the figures are given for ("more than 50 / 100 participants").
THRESHOLDS = (50, 100)


@dataclass(frozen=True)
class ConsortiumSizes:
    """How big the consortia are and how many organisation pairs the big ones make."""

    projects: int
    #: Pairs summed over projects: ``Σ n(n-1)/2`` (a pair in two projects counts twice).
    pair_incidences: int
    largest: int
    #: ``(threshold, projects over it, their pair incidences)``.
    over: tuple[tuple[int, int, int], ...]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"projects": self.projects, "pair_incidences": self.pair_incidences,
                               "largest": self.largest}
        for threshold, projects, pairs in self.over:
            out[f"over_{threshold}_projects"] = projects
            out[f"over_{threshold}_pair_share"] = (round(pairs / self.pair_incidences, 4)
                                                   if self.pair_incidences else 0.0)
        return out


def consortium_sizes(sizes: Iterable[int], thresholds: Iterable[int] = THRESHOLDS
                     ) -> ConsortiumSizes:
    """The consortium figures of projects with ``sizes`` participants.

    >>> s = consortium_sizes([2, 3, 60], thresholds=[50])
    >>> s.pair_incidences, s.over, s.as_dict()["over_50_pair_share"]
    (1774, ((50, 1, 1770),), 0.9977)
    """
    ordered = list(sizes)
    pairs = [n * (n - 1) // 2 for n in ordered]
    over = tuple((t, sum(1 for n in ordered if n > t),
                  sum(p for n, p in zip(ordered, pairs, strict=True) if n > t))
                 for t in thresholds)
    return ConsortiumSizes(len(ordered), sum(pairs), max(ordered, default=0), over)


def _imported(iri: str) -> bool:
    return iri.startswith(CORDIS_NODES)


def curated_rows(rows: Iterable[tuple[str, str, float]]) -> Rows:
    """``projection-actor-actor`` rows without CORDIS projects and programme parts (their
    participations become shared projects) and without self-links."""
    return [(a, b, w) for a, b, w in rows
            if a != b and not _imported(a) and not _imported(b)]


def pic_attributes(graph: Graph) -> dict[str, str]:
    """Actor IRI -> its CORDIS PICs (``dct:identifier``, ``"; "``-joined), as read after the
    merges of :func:`~stigraph.projection.evidence.identifier_aliases`."""
    rows = run_sparql(graph, "evidence-identifiers", {})
    aliases = _evidence.identifier_aliases(rows)
    pics: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        actor = str(row["actor"])
        pics[aliases.get(actor, actor)].add(str(row["identifier"]))
    return {actor: "; ".join(sorted(ids)) for actor, ids in pics.items()}


Totals = dict[_evidence.Pair, _evidence.PairCount]


def _cordis_values(layer: _evidence.Layer, counting: str
                   ) -> tuple[Totals, dict[_evidence.Pair, float]]:
    totals = layer.totals()
    if counting == "association":
        return totals, _evidence.association_strength(
            {pair: value.full for pair, value in totals.items()})
    return totals, {pair: value.value(counting) for pair, value in totals.items()}


def organisation_network(cordis: _evidence.Layer | None, curated: Iterable[tuple[str, str, float]],
                         *, counting: str = DEFAULT_COUNTING) -> nx.Graph:
    """The organisation network from the CORDIS layer (organisation level) and the curated
    actor–actor rows (see the module's docstring); no node attributes yet.

    Here the CORDIS pair has 2 shared projects of 3 participants (fractional ½ + ½ = 1), the
    curated pair one relation; each layer's strongest pair weighs 1:

    >>> from stigraph.projection.evidence import Layer, PairCount
    >>> layer = Layer("cordis", "organisations", "projects")
    >>> for year in (2022, 2023):
    ...     layer.count("a", "b", year, PairCount(full=1, fractional=0.5))
    >>> G = organisation_network(layer, [("a", "cern", 1.0)])
    >>> G["a"]["b"]["weight"], G["a"]["b"]["projects"], G["a"]["cern"]["relations"]
    (1.0, 2, 1.0)
    """
    if counting not in _evidence.NETWORK_COUNTINGS:
        raise ParameterError(f"unknown counting {counting!r}; use one of "
                             f"{', '.join(_evidence.NETWORK_COUNTINGS)}")
    G = nx.Graph()
    relations: dict[_evidence.Pair, float] = defaultdict(float)
    for a, b, w in curated_rows(curated):
        relations[(a, b) if a < b else (b, a)] += w
    if counting == "association":
        relations = defaultdict(float, _evidence.association_strength(relations))
    if cordis is not None:
        G.add_nodes_from(sorted(cordis.members))
        totals, values = _cordis_values(cordis, counting)
        largest = max(values.values(), default=0.0) or 1.0
        for (a, b), value in values.items():
            total = totals[(a, b)]
            G.add_edge(a, b, weight=value / largest, projects=int(total.full),
                       projects_fractional=total.fractional)
    strongest = max(relations.values(), default=0.0) or 1.0
    for (a, b), w in relations.items():
        if G.has_edge(a, b):
            G[a][b]["weight"] += w / strongest
        else:
            G.add_edge(a, b, weight=w / strongest)
        G[a][b]["relations"] = w
    for _a, _b, data in G.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return G


def organisation_network_of(rdf: Graph, actor_rows: Iterable[tuple[str, str, float]],
                            evidence: str | None, *, as_of: str | None,
                            counting: str | None, attributes: Attributes,
                            projects: Iterable[_evidence.Consortium] | None = None
                            ) -> nx.Graph | None:
    """The actor–actor projection of :class:`~stigraph.projection.inputs.AnalysisInputs` from
    evidence, or ``None`` when the graph has no CORDIS data (``projection-actor-actor`` then).

    ``evidence`` as ``--evidence`` gives it (``None``: every layer the graph has); of the layers,
    ``cordis`` adds the shared projects and ``memberships`` keeps the curated relations.
    ``projects``: the CORDIS consortia of the date, when already read. Layers of countries
    only (``openalex``, ``gcf``) named alone leave the curated relations.
    """
    if "cordis" not in _evidence.available_layers(rdf):
        return None
    names = _evidence.resolve_evidence(rdf, evidence)
    chosen = counting or DEFAULT_COUNTING
    cordis = None
    if "cordis" in names:
        cordis = _evidence.cordis_layer(rdf, "organisations",
                                        _evidence.EvidenceOptions(as_of=as_of),
                                        projects=projects)
    # openalex and gcf are country-level: named alone, the curated relations stay the base
    organisation_level = {"cordis", "memberships"} & set(names)
    curated = list(actor_rows) if "memberships" in names or not organisation_level else []
    G = organisation_network(cordis, curated, counting=chosen)
    nx.set_node_attributes(G, {n: dict(a) for n, a in attributes(list(G)).items()})
    pics = pic_attributes(rdf)
    nx.set_node_attributes(G, {n: pics[n] for n in G if n in pics}, "pic")
    G.graph.update(projection="actor-actor", as_of=as_of, area=None,
                   evidence=",".join(n for n in _evidence.LAYERS
                                     if n in organisation_level or (n == "memberships"
                                                                    and curated)),
                   counting=chosen)
    if cordis is not None:
        for key, value in consortium_sizes(cordis.sizes).as_dict().items():
            G.graph[f"consortia_{key}"] = value
    return G
