"""The country profiles read the countries' memberships by triple patterns
(:func:`stigraph.outputs.report.profiles.country_memberships`): the rows must be those of the
query ``country-memberships`` they replace (sources compared as sets: the query's order
within its list is the engine's), on the seeds with a hand-made file of Kenyan facts and on
a hand-made graph with the special cases (no role notation, two roles, undated, a project,
a member that is not a country), both stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from stigraph.build.builder import build_graph
from stigraph.outputs.report.profiles import country_memberships
from stigraph.queries.sparql import run_sparql
from tests.hand_graphs import hand_graph

TESTS = Path(__file__).resolve().parent
ID = "https://w3id.org/stigraph/id/"

HAND = f"""
@prefix stig: <https://w3id.org/stigraph/ontology/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix c: <{ID}country/> .
@prefix a: <{ID}actor/> .
@prefix m: <{ID}membership/> .
@prefix r: <{ID}role/> .

c:KE a stig:Country . c:UG a stig:Country .
r:member skos:notation "member" . r:observer skos:notation "observer" .
m:1 stig:member c:KE ; stig:organisation a:eac ; stig:role r:member ;
    stig:startDate "2000-01-01"^^xsd:date ; dct:source <https://eac.int/a>, <https://eac.int/b> .
m:2 stig:member c:KE ; stig:organisation a:eac ; stig:role r:member, r:observer ;
    stig:startDate "1967"^^xsd:gYear ; stig:endDate "1977"^^xsd:gYear .
m:3 stig:member c:UG ; stig:organisation a:eac ; stig:role r:member ;
    stig:startDate "2000-01-01"^^xsd:date ; dct:source <https://eac.int/a> .
m:3b stig:member c:UG ; stig:organisation a:eac ; stig:role r:member ;
    stig:startDate "2000-01-01"^^xsd:date ; dct:source <https://eac.int/c> .
m:4 stig:member c:KE ; stig:organisation a:forum ; stig:role r:nonotation .
m:5 stig:member c:KE ; stig:organisation <{ID}project/gcf-1> ; stig:role r:member .
m:6 stig:member a:kemri ; stig:organisation a:eac ; stig:role r:member .
m:7 stig:member c:UG ; stig:organisation a:igad ; stig:role r:observer .
"""


def _normal(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # Oxigraph gives an empty GROUP_CONCAT as unbound (None), rdflib as "": both no source
    return [(r["member"], r["organisation"], r["role"], r["start"], r["end"],
             sorted(str(r["sources"] or "").split())) for r in rows]


def _check(graph: Graph) -> list[dict[str, Any]]:
    fast = country_memberships(graph)
    assert fast is not None
    old = run_sparql(graph, "country-memberships", {})
    # the query orders by member, organisation, start, role; rows tied on those keep the
    # engine's order, so ties are compared as sets
    assert sorted(_normal(fast)) == sorted(_normal(old))
    key = [(r["member"], r["organisation"], r["start"], r["role"]) for r in old]
    assert [(r["member"], r["organisation"], r["start"], r["role"]) for r in fast] == key
    return fast


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_hand_country_memberships_are_the_query_rows(store: str, tmp_path: Path) -> None:
    rows = _check(hand_graph(HAND, store, tmp_path))
    ke = [(r["organisation"].rsplit("/", 1)[-1], r["role"], r["start"], r["end"], r["sources"])
          for r in rows if r["member"].endswith("/KE")]
    assert ke == [("eac", "member", "1967", "1977", ""), ("eac", "observer", "1967", "1977", ""),
                  ("eac", "member", "2000-01-01", "", "https://eac.int/a https://eac.int/b")]
    ug = [r["sources"] for r in rows if r["member"].endswith("/UG") and r["start"]]
    assert ug == ["https://eac.int/a https://eac.int/c"]  # two nodes, one row


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_seed_country_memberships_are_the_query_rows(store: str) -> None:
    graph = build_graph(store=store, include=[TESTS / "data" / "profile-mini.ttl"]).graph
    assert len(_check(graph)) > 100
