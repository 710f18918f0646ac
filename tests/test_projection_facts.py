"""The projection rows computed from the facts read once (stigraph.projection.facts) are the
rows of the named queries they replace, on both stores and on several dates; and on a
hand-made graph they are what one counts by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from stigraph.build.builder import build_graph
from stigraph.projection import networks
from stigraph.projection.evidence import EvidenceOptions, membership_layer
from stigraph.projection.facts import read_facts
from stigraph.queries.sparql import run_sparql
from stigraph.store import open_store

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "fixtures" / "report-seeds"
ID = "https://w3id.org/stigraph/id/"
DATES = ("1990-12-31", "2016-06-30", "2020-12-31", None)


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def built(request: pytest.FixtureRequest) -> Graph:
    return build_graph((SEEDS,), default_seeds=False, store=request.param).graph


@pytest.mark.parametrize("day", DATES)
def test_rows_are_the_queries_rows(built: Graph, day: str | None) -> None:
    facts = read_facts(built)
    assert facts.bipartite_rows(day) == networks.edge_rows(built, "country-organisation",
                                                           as_of=day)
    assert facts.actor_rows(day) == networks.edge_rows(built, "actor-actor", as_of=day)
    rows = run_sparql(built, "evidence-memberships", {"as_of": day} if day else {})
    assert facts.valid_memberships(day) == [(str(r["member"]), str(r["organisation"]))
                                            for r in rows]


def test_the_project_seeds_too(seed_build) -> None:  # type: ignore[no-untyped-def]
    facts = read_facts(seed_build.graph)
    for day in ("2010-01-01", None):
        assert facts.bipartite_rows(day) == networks.edge_rows(
            seed_build.graph, "country-organisation", as_of=day)
        assert facts.actor_rows(day) == networks.edge_rows(seed_build.graph, "actor-actor",
                                                           as_of=day)


_MINI = f"""
@prefix stig: <https://w3id.org/stigraph/ontology/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix c: <{ID}country/> .
@prefix a: <{ID}actor/> .
@prefix m: <{ID}membership/> .
c:KE a stig:Country . c:UG a stig:Country .
# KE in GCF from 2016 (a node), and also as a direct edge it describes: counted once
m:1 stig:member c:KE ; stig:organisation a:gcf ; stig:certainFrom "2016-01-01"^^xsd:date .
c:KE stig:memberOf a:gcf .
# UG in GCF, a direct edge alone, GCF's own lifetime bounds it
c:UG stig:memberOf a:gcf .
a:gcf stig:certainFrom "2010-12-11"^^xsd:date .
# an actor in GCF until 2015, and the same actor partner of CERN, headquartered in KE
m:2 stig:member a:unep ; stig:organisation a:gcf ; stig:certainTo "2015-12-31"^^xsd:date .
a:unep stig:partnerOf a:cern ; stig:headquarteredIn c:KE .
"""


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_hand_counted(kind: str) -> None:
    store = open_store(kind)
    store.load_data(_MINI.encode(), "turtle")
    facts = read_facts(store.graph)
    ke, ug, gcf, unep, cern = (ID + "country/KE", ID + "country/UG", ID + "actor/gcf",
                               ID + "actor/unep", ID + "actor/cern")
    assert facts.bipartite_rows("2012-06-30") == [(ke, unep, 1.0), (ug, gcf, 1.0)]
    assert facts.bipartite_rows("2017-06-30") == [(ke, gcf, 1.0), (ke, unep, 1.0),
                                                  (ug, gcf, 1.0)]
    assert facts.actor_rows("2014-06-30") == [(cern, unep, 1.0), (gcf, unep, 1.0)]
    assert facts.actor_rows("2017-06-30") == [(cern, unep, 1.0)]
    for day in ("2012-06-30", "2014-06-30", "2017-06-30"):
        for name, rows in (("country-organisation", facts.bipartite_rows(day)),
                           ("actor-actor", facts.actor_rows(day))):
            assert rows == networks.edge_rows(store.graph, name, as_of=day)
    layer = membership_layer(store.graph, "countries", EvidenceOptions(as_of="2017-06-30"),
                             facts=facts)
    assert {pair: {y: c.full for y, c in years.items()}
            for pair, years in layer.pairs.items()} == {(ke, ug): {None: 1.0}}
    assert layer.pairs == membership_layer(store.graph, "countries",
                                           EvidenceOptions(as_of="2017-06-30")).pairs
