"""What the network pages filter on: each country's region and income group, each link's
evidence layer (queries ``country-facets`` and ``link-layers``).

:func:`add_facets` writes them onto a projection's nodes (``region``, ``income``) and edges
(``layers``). A link the graph states directly, or a membership, takes the provenance of those
facts (Curated, Imported, Inferred, Predicted); a link a projection derives from shared members
or partners is in the layer "shared members".
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from stigraph.projection.reads import reads_of
from stigraph.queries.sparql import run_sparql

__all__ = ["DERIVED", "INCOME_NAMES", "Facets", "add_facets", "country_facets", "link_layers",
           "read_facets"]

DERIVED = "shared members"

INCOME_NAMES = {"L": "low income", "LM": "lower-middle income", "UM": "upper-middle income",
                "H": "high income"}


def country_facets(rdf: Graph) -> dict[str, dict[str, str]]:
    """Country IRI -> ``region`` and ``income`` (World Bank group of the latest fiscal year)."""
    facets: dict[str, dict[str, str]] = {}
    for row in run_sparql(rdf, "country-facets", {}):
        entry = facets.setdefault(str(row["country"]), {"region": "", "income": ""})
        if row.get("region"):
            entry["region"] = str(row["region"])
        if row.get("incomeGroup"):  # rows come by fiscal year: the last one wins
            code = str(row["incomeGroup"])
            entry["income"] = (f"{INCOME_NAMES.get(code, code)} (FY{row['fiscalYear']})"
                               if row.get("fiscalYear") else INCOME_NAMES.get(code, code))
    return facets


def link_layers(rdf: Graph) -> dict[frozenset[str], set[str]]:
    """Unordered pair of IRIs -> the provenance layers of the facts linking them: the rows of
    query ``link-layers``, from the statements and memberships read once per graph
    (:mod:`stigraph.projection.statements`; shared with every reader: do not change it)."""
    return reads_of(rdf).link_layers


Facets = tuple[dict[str, dict[str, str]], dict[frozenset[str], set[str]]]


def read_facets(rdf: Graph) -> Facets:
    """Both facet tables of ``rdf``, to apply to several projections without re-reading."""
    return country_facets(rdf), link_layers(rdf)


def add_facets(graph: nx.Graph, rdf: Graph | None = None, *,
               facets: Facets | None = None) -> nx.Graph:
    """``graph`` with ``region``/``income`` on countries and ``layers`` on every edge (in
    place), from ``facets`` (:func:`read_facets`) or read from ``rdf``."""
    if facets is None:
        if rdf is None:
            raise ValueError("add_facets needs rdf or facets")
        facets = read_facets(rdf)
    countries, layers = facets
    for node, data in graph.nodes(data=True):
        entry = countries.get(str(node))
        if entry:
            data["region"] = entry["region"]
            data["income"] = entry["income"]
    for u, v, data in graph.edges(data=True):
        found = layers.get(frozenset((str(u), str(v))))
        if "predict" in str(data.get("provenance", "")).lower():
            data["layers"] = ["predicted"]
        else:
            data["layers"] = sorted(found) if found else [DERIVED]
    return graph
