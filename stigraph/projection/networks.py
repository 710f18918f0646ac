"""Projections of the RDF graph into NetworkX graphs for analytics.

Each projection is a named SPARQL query (``queries/sparql/projection-*.rq``) returning
``?source ?target ?weight`` rows, read into an undirected weighted :class:`networkx.Graph`
whose node ids are IRIs (as text), so results join back to RDF. Every projection takes
``as_of`` (memberships and participations valid on that date; undated facts count as always
valid) and an optional cooperation ``area``.

=====================  ================================================================
projection             nodes and edges
=====================  ================================================================
country-country        countries; weight = organisations/initiatives both take part in
                       (counted from country-organisation) plus direct country–country
                       links (query ``projection-country-country``: partnerOf, co-authorship)
actor-actor            actors and initiatives; direct relations and memberships
country-organisation   bipartite: countries and the actors/initiatives they take part in
=====================  ================================================================

:func:`cooperation_graph` joins the three into one heterogeneous graph, the ground for
missing-link recommendations. Node attributes: ``kind`` (country, actor, initiative,
project), ``label``, ``code`` (ISO alpha-2 code or slug); edge attribute ``weight`` (a
strength: larger is closer) and ``distance`` = 1 / weight for path-based measures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from stigraph.dates import as_of_date
from stigraph.errors import ParameterError
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import ID_BASE, RDF, STIG, iri_key

__all__ = ["PROJECTIONS", "add_affinity", "all_countries", "cooperation_from_rows",
           "cooperation_graph", "country_country_rows", "edge_rows", "ended_organisations",
           "node_attributes", "organisation_areas", "project", "projection_from_rows",
           "shared_neighbour_counts"]

#: Reads node attributes (``kind``, ``label``, ``code``) for a collection of nodes.
Attributes = Callable[[Iterable[str]], dict[str, dict[str, str]]]

#: Projection name -> named query.
PROJECTIONS: dict[str, str] = {
    "country-country": "projection-country-country",
    "actor-actor": "projection-actor-actor",
    "country-organisation": "projection-country-organisation",
}


def _params(as_of: str | None, area: str | None) -> dict[str, str]:
    params: dict[str, str] = {}
    date = as_of_date(as_of)
    if date:
        params["as_of"] = date
    if area:
        params["area"] = area.removeprefix("area:")
    return params


def edge_rows(graph: Graph, name: str, *, as_of: str | None = None,
              area: str | None = None) -> list[tuple[str, str, float]]:
    """The ``(source, target, weight)`` rows of projection ``name``, sorted.

    Raises :class:`~stigraph.errors.ParameterError` for an unknown projection, date or area.
    """
    if name not in PROJECTIONS:
        raise ParameterError(f"unknown projection {name!r}; use one of {', '.join(PROJECTIONS)}")
    rows = run_sparql(graph, PROJECTIONS[name], _params(as_of, area))
    edges = [(str(r["source"]), str(r["target"]), float(r["weight"] or 0.0)) for r in rows
             if r.get("source") and r.get("target") and r["source"] != r["target"]]
    return sorted(e for e in edges if e[2] > 0)


def node_kind(iri: str) -> str:
    """``country``, ``actor``, ``initiative``, ``project`` … from the IRI's path."""
    if iri.startswith(ID_BASE):
        return iri[len(ID_BASE):].split("/", 1)[0]
    return "other"


def node_attributes(graph: Graph, nodes: Iterable[str]) -> dict[str, dict[str, str]]:
    """``kind``, ``label`` and ``code`` of each node, read from the RDF graph."""
    attrs: dict[str, dict[str, str]] = {}
    for node in nodes:
        ref = URIRef(node)
        kind = node_kind(node)
        code = graph.value(ref, STIG.iso2) if kind == "country" else None
        attrs[node] = {"kind": kind, "label": label_of(graph, ref),
                       "code": str(code) if code is not None else iri_key(node)}
    return attrs


def all_countries(graph: Graph) -> list[str]:
    """IRIs of every country in the graph, sorted."""
    return sorted(str(c) for c in graph.subjects(RDF.type, STIG.Country))


def _to_networkx(edges: Iterable[tuple[str, str, float]], nodes: Iterable[str] = ()) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    for u, v, w in edges:
        if g.has_edge(u, v):
            w += g[u][v]["weight"]
        g.add_edge(u, v, weight=w, distance=1.0 / w)
    return g


def project(graph: Graph, name: str, *, as_of: str | None = None,
            area: str | None = None) -> nx.Graph:
    """Projection ``name`` as a weighted undirected NetworkX graph.

    Country projections hold every country of the graph, linked or not (a country with no
    links is an isolated node). ``G.graph`` records the projection name, ``as_of`` and ``area``.
    (:class:`stigraph.projection.inputs.AnalysisInputs` builds the same graphs from rows it
    reads once per date.)
    """
    edges = (_country_country(graph, as_of=as_of, area=area) if name == "country-country"
             else edge_rows(graph, name, as_of=as_of, area=area))
    countries = all_countries(graph) if name.startswith("country") else []
    return projection_from_rows(name, edges, countries,
                                lambda nodes: node_attributes(graph, nodes),
                                as_of=as_of, area=area)


def projection_from_rows(name: str, edges: Iterable[tuple[str, str, float]],
                         countries: Iterable[str], attributes: Attributes, *,
                         as_of: str | None, area: str | None) -> nx.Graph:
    """The graph of :func:`project` from its edge rows and the countries of the graph."""
    g = _to_networkx(edges, countries)
    nx.set_node_attributes(g, attributes(g.nodes))
    g.graph.update(projection=name, as_of=as_of_date(as_of), area=area)
    return g


def _country_country(graph: Graph, *, as_of: str | None, area: str | None
                     ) -> list[tuple[str, str, float]]:
    return country_country_rows(edge_rows(graph, "country-organisation", as_of=as_of, area=area),
                                edge_rows(graph, "country-country", as_of=as_of, area=area))


def country_country_rows(bipartite: list[tuple[str, str, float]],
                         direct: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Co-membership counts from the bipartite rows plus the direct country–country rows."""
    b = nx.Graph((u, v) for u, v, _ in bipartite)
    countries = {u for u, _, _ in bipartite}
    shared = shared_neighbour_counts(b, countries)
    edges = [(u, v, float(n)) for (u, v), n in sorted(shared.items())]
    return edges + direct


def shared_neighbour_counts(bipartite: nx.Graph,
                            nodes: Iterable[str]) -> dict[tuple[str, str], int]:
    """For pairs of ``nodes`` (one side of a bipartite graph): how many neighbours they share.

    This is the unweighted one-mode projection that ``projection-country-country`` computes in
    SPARQL; pairs are ``(u, v)`` with ``u < v``.

    >>> b = nx.Graph([("KE", "gcf"), ("UG", "gcf"), ("UG", "cgiar"), ("RW", "cgiar")])
    >>> sorted(shared_neighbour_counts(b, ["KE", "UG", "RW"]).items())
    [(('KE', 'UG'), 1), (('RW', 'UG'), 1)]
    """
    side = set(nodes)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    others = sorted({n for u in side if u in bipartite for n in bipartite[u]} - side)
    for org in others:
        members = sorted(m for m in bipartite[org] if m in side)
        for i, u in enumerate(members):
            for v in members[i + 1:]:
                counts[(u, v)] += 1
    return dict(counts)


def cooperation_graph(graph: Graph, *, as_of: str | None = None,
                      area: str | None = None) -> nx.Graph:
    """The heterogeneous cooperation graph: the three projections joined.

    Edges carry ``relation``: ``membership`` (country–organisation), ``country`` (country–country:
    shared organisations and direct links) or ``actor`` (actor–actor). Every country is a node.
    """
    bipartite = edge_rows(graph, "country-organisation", as_of=as_of, area=area)
    direct = edge_rows(graph, "country-country", as_of=as_of, area=area)
    return cooperation_from_rows(all_countries(graph), bipartite, direct,
                                 edge_rows(graph, "actor-actor", as_of=as_of, area=area),
                                 lambda nodes: node_attributes(graph, nodes),
                                 as_of=as_of, area=area)


def cooperation_from_rows(countries: Iterable[str], bipartite: list[tuple[str, str, float]],
                          direct: list[tuple[str, str, float]],
                          actor: list[tuple[str, str, float]], attributes: Attributes, *,
                          as_of: str | None, area: str | None) -> nx.Graph:
    """The graph of :func:`cooperation_graph` from the rows of the three projections."""
    g = nx.Graph()
    g.add_nodes_from(countries)
    parts = (("membership", bipartite),
             ("country", country_country_rows(bipartite, direct)),
             ("actor", actor))
    for relation, rows in parts:
        for u, v, w in rows:
            if g.has_edge(u, v):
                w += g[u][v]["weight"]
            g.add_edge(u, v, weight=w, distance=1.0 / w, relation=relation)
    for u, v, _w in direct:
        g[u][v]["direct"] = 1.0
    nx.set_node_attributes(g, attributes(g.nodes))
    add_affinity(g)
    g.graph.update(projection="cooperation", as_of=as_of_date(as_of), area=area)
    return g


def add_affinity(G: nx.Graph) -> None:
    """Set edge attribute ``affinity``: how much an edge says about two nodes' closeness.

    Membership and actor edges have affinity 1. A country–country edge has ``Σ 1 / (k_o - 1)``
    over the organisations ``o`` both countries take part in (``k_o`` = its member countries),
    plus 1 for a direct link (partnerOf, co-authorship): each organisation shares one unit among
    its co-members (the resource-allocation projection of a bipartite graph, Zhou, Ren, Medo &
    Zhang 2007). Sharing the 134-country GCF beneficiaries adds 1/133; sharing a
    seven-country programme, 1/6: big sets no longer make everyone a close neighbour.

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["KE", "UG", "TZ"], kind="country")
    >>> G.add_node("ace", kind="initiative")
    >>> G.add_edges_from([("KE", "ace"), ("UG", "ace"), ("TZ", "ace")], relation="membership")
    >>> G.add_edge("KE", "UG", relation="country", direct=1.0)
    >>> add_affinity(G)
    >>> G["KE"]["UG"]["affinity"], G["KE"]["ace"]["affinity"]
    (1.5, 1.0)
    """
    members: dict[Any, list[Any]] = defaultdict(list)
    for u, v, rel in G.edges(data="relation"):
        if rel == "membership":
            c, o = (u, v) if G.nodes[u].get("kind") == "country" else (v, u)
            members[o].append(c)
    shared: dict[tuple[Any, Any], float] = defaultdict(float)
    for cs in members.values():
        if len(cs) < 2:
            continue
        share = 1.0 / (len(cs) - 1)
        for c in cs:
            for d in cs:
                if str(c) < str(d):
                    shared[(c, d)] += share
    for u, v, data in G.edges(data=True):
        if data.get("relation") == "country":
            key = (u, v) if str(u) < str(v) else (v, u)
            data["affinity"] = shared.get(key, 0.0) + float(data.get("direct", 0.0))
        else:
            data["affinity"] = 1.0


def ended_organisations(graph: Graph, as_of: str | None = None) -> set[str]:
    """Actors, initiatives and projects whose end date is before ``as_of`` (default: today)."""
    return {str(row["organisation"])
            for row in run_sparql(graph, "ended-organisations", _params(as_of, None))}


def organisation_areas(graph: Graph) -> dict[str, dict[str, str]]:
    """Actor/initiative IRI -> {area IRI: label} (addressed, also through a parent programme)."""
    areas: dict[str, dict[str, str]] = defaultdict(dict)
    for row in run_sparql(graph, "organisation-areas", {}):
        areas[str(row["organisation"])][str(row["area"])] = str(row["areaLabel"])
    return dict(areas)
