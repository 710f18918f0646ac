"""The report's decorated projections (class names, link roles, dates and sources) made in one
pass are what the copy-then-decorate code made: same nodes, neighbours, attributes and
orders, on the seed graph's projections and a hand-made graph."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from stigraph.outputs.report import analysis
from stigraph.projection.inputs import AnalysisInputs


def _old_decorate(g: nx.Graph, kinds: dict[str, str],
                  details: dict[frozenset[str], list[dict[str, Any]]]) -> nx.Graph:
    """The code before: ``g.copy()``, then each node and edge decorated in place."""
    h = g.copy()
    for node, data in h.nodes(data=True):
        data["class"] = kinds.get(str(node), str(data.get("kind", "Other")).capitalize())
    for u, v, data in h.edges(data=True):
        rows = details.get(frozenset((str(u), str(v))), [])
        if rows:
            analysis._describe_link(data, rows)
        elif data.get("relation") in (None, "country"):
            data["relation"] = ("share organisations" if kinds.get(str(u)) == "Country"
                                and kinds.get(str(v)) == "Country" else "linked")
    return h


def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert type(a) is type(b) and a.graph == b.graph
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert [(u, list(nbrs.items())) for u, nbrs in a.adj.items()] == [
        (u, list(nbrs.items())) for u, nbrs in b.adj.items()]
    for u, v, data in a.edges(data=True):
        assert list(data) == list(b[u][v]) and a[v][u] is data


def test_hand_made() -> None:
    g = nx.Graph(projection="x")
    g.add_node("c/KE", kind="country")
    g.add_node("c/UG", kind="country")
    g.add_node("a/gcf", kind="actor", label="GCF")
    g.add_edge("a/gcf", "c/KE", weight=2.0)
    g.add_edge("c/UG", "c/KE", weight=1.0, relation="country")
    g.add_edge("c/UG", "a/gcf", weight=1.0, relation="membership")
    kinds = {"c/KE": "Country", "c/UG": "Country", "a/gcf": "Fund"}
    details = {frozenset(("c/KE", "a/gcf")): [
        {"relation": "member", "start": "2016", "end": "", "sources": "https://b https://a"}]}
    new = analysis._decorate(g, kinds, details)
    _same(new, _old_decorate(g, kinds, details))
    assert new["c/KE"]["a/gcf"]["relation"] == "member"
    assert new["c/KE"]["c/UG"]["relation"] == "share organisations"
    assert new["c/UG"]["a/gcf"]["relation"] == "membership"
    assert "class" not in g.nodes["c/KE"] and "relation" not in g["c/KE"]["a/gcf"]


@pytest.mark.parametrize("name", ["country-country", "actor-actor", "country-organisation",
                                  "cooperation"])
def test_seed_projections(seed_build, name: str) -> None:  # type: ignore[no-untyped-def]
    inputs = AnalysisInputs(seed_build.graph, as_of="2024-06-30")
    g = inputs.projection(name)
    kinds = analysis._specific_kinds(seed_build.graph)
    details = analysis._link_details(seed_build.graph)
    assert g.number_of_edges() > 50
    _same(analysis._decorate(g, kinds, details), _old_decorate(g, kinds, details))
