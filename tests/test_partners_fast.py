"""``stigraph partners`` reads the OpenAlex and membership layers by triple patterns
(:func:`stigraph.projection.partners.coauthorship_rows`, the shared facts): the rows must be
those of the named SPARQL queries ``evidence-coauthorship`` and ``evidence-memberships``,
which the layers read before. The old layers are kept here, as they were, and both paths
run on a hand-made graph (both stores, by year, ``--since``, ``--as-of``, countries and
organisations) and on the real samples (CORDIS, OpenAlex East Africa 1990–2023, GCF)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from rdflib import Graph, URIRef

from stigraph.projection import partners as module
from stigraph.projection.evidence import EvidenceOptions
from stigraph.projection.partners import (
    PartnerCounts,
    PartnerSources,
    _is_country,
    coauthorship_rows,
    partner_rows,
)
from stigraph.queries.sparql import run_sparql
from stigraph.store import store_of
from stigraph.vocab.namespaces import STIG, country_iri
from tests.hand_graphs import hand_graph

ID = "https://w3id.org/stigraph/id/"


# ---- the layers as they were (the named SPARQL queries) ----------------------------------------


def _old_openalex(sources: PartnerSources, entity: str,
                  partners: dict[str, PartnerCounts]) -> None:
    graph, options = sources.graph, sources.options
    params = {"as_of": options.as_of} if options.as_of else {}
    for row in run_sparql(graph, "evidence-coauthorship", params):
        a, b = str(row["a"]), str(row["b"])
        if entity not in (a, b) or a == b:
            continue
        other = b if a == entity else a
        year = int(row["year"]) if row["year"] is not None else None
        partners.setdefault(other, PartnerCounts(other)).year(year).works += float(
            row["works"] or 0.0)


def _old_memberships(sources: PartnerSources, entity: str, kind: str,
                     partners: dict[str, PartnerCounts]) -> None:
    graph, options = sources.graph, sources.options
    params = {"as_of": options.as_of} if options.as_of else {}
    groups: dict[str, set[str]] = defaultdict(set)
    for row in run_sparql(graph, "evidence-memberships", params):
        groups[str(row["organisation"])].add(str(row["member"]))
    if kind == "countries" or not _is_country(entity):
        mine = {entity}
    else:
        mine = {str(s) for s in graph.subjects(STIG.headquarteredIn, URIRef(entity))}
    want_country = kind == "countries"
    for members in groups.values():
        if not members & mine:
            continue
        for other in members - mine - {entity}:
            if _is_country(other) == want_country:
                partners.setdefault(other, PartnerCounts(other)).year(None)\
                    .shared_memberships += 1


def _both(monkeypatch: pytest.MonkeyPatch, graph: Graph, entity: str,
          **kwargs: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the fast path and of the old (SPARQL) one."""
    fast = partner_rows(graph, entity, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(module, "_openalex", _old_openalex)
        m.setattr(module, "_memberships", _old_memberships)
        old = partner_rows(graph, entity, **kwargs)
    return fast, old


def _old_coauthorship(graph: Graph, entity: str, as_of: str | None
                      ) -> list[tuple[str, str, int | None, float]]:
    params = {"as_of": as_of} if as_of else {}
    return sorted((str(r["a"]), str(r["b"]), r["year"], float(r["works"] or 0.0))
                  for r in run_sparql(graph, "evidence-coauthorship", params)
                  if entity in (str(r["a"]), str(r["b"])))


def _fast_coauthorship(graph: Graph, entity: str, as_of: str | None
                       ) -> list[tuple[str, str, int | None, float]]:
    return sorted(coauthorship_rows(graph, entity, EvidenceOptions(as_of=as_of)),
                  key=lambda r: (r[0], r[1], r[2] if r[2] is not None else -1, r[3]))


# ---- a small hand-made graph ------------------------------------------------------------------

HAND = f"""
@prefix stig: <https://w3id.org/stigraph/ontology/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix c: <{ID}country/> .
@prefix s: <{ID}statement/> .
@prefix a: <{ID}actor/> .
@prefix m: <{ID}membership/> .

c:KE a stig:Country . c:UG a stig:Country . c:TZ a stig:Country . c:RW a stig:Country .

# KE–UG: 3 works in 2019, 5 in 2021; UG–KE (the other order) 2 in 2021
s:ke-ug-2019 rdf:predicate stig:partnerOf ; rdf:subject c:KE ; rdf:object c:UG ;
    stig:measure "coauthored-works" ; stig:value 3 ; stig:year "2019"^^xsd:gYear .
s:ke-ug-2021 rdf:predicate stig:partnerOf ; rdf:subject c:KE ; rdf:object c:UG ;
    stig:measure "coauthored-works" ; stig:value 5 ; stig:year "2021"^^xsd:gYear .
s:ug-ke-2021 rdf:predicate stig:partnerOf ; rdf:subject c:UG ; rdf:object c:KE ;
    stig:measure "coauthored-works" ; stig:value 2 ; stig:year "2021"^^xsd:gYear .
# TZ–KE 7 in 2020, as a blank node (read by predicate scans)
[] rdf:predicate stig:partnerOf ; rdf:subject c:TZ ; rdf:object c:KE ;
    stig:measure "coauthored-works" ; stig:value 7 ; stig:year "2020"^^xsd:gYear .
# not counted: a yearly total, another predicate, KE with itself, a pair without KE
s:total rdf:predicate stig:partnerOf ; rdf:subject c:KE ; rdf:object c:RW ;
    stig:measure "coauthored-works-total" ; stig:value 100 ; stig:year "2020"^^xsd:gYear .
s:funds rdf:predicate stig:funds ; rdf:subject c:KE ; rdf:object c:RW ;
    stig:measure "coauthored-works" ; stig:value 50 ; stig:year "2020"^^xsd:gYear .
s:self rdf:predicate stig:partnerOf ; rdf:subject c:KE ; rdf:object c:KE ;
    stig:measure "coauthored-works" ; stig:value 9 ; stig:year "2020"^^xsd:gYear .
s:ug-tz rdf:predicate stig:partnerOf ; rdf:subject c:UG ; rdf:object c:TZ ;
    stig:measure "coauthored-works" ; stig:value 11 ; stig:year "2020"^^xsd:gYear .
# two values on one statement (a join gives both rows): RW 1 + 4 in 2018
s:ke-rw-2018 rdf:predicate stig:partnerOf ; rdf:subject c:KE ; rdf:object c:RW ;
    stig:measure "coauthored-works" ; stig:value 1, 4 ; stig:year "2018"^^xsd:gYear .

# memberships: KE and UG in the EAC since 2000; TZ in it until 2010; RW from 2030
a:eac a stig:Organisation .
m:ke-eac a stig:Membership ; stig:member c:KE ; stig:organisation a:eac ;
    stig:startDate "2000-01-01"^^xsd:date .
m:ug-eac a stig:Membership ; stig:member c:UG ; stig:organisation a:eac ;
    stig:startDate "2000-01-01"^^xsd:date .
m:tz-eac a stig:Membership ; stig:member c:TZ ; stig:organisation a:eac ;
    stig:startDate "2000-01-01"^^xsd:date ; stig:endDate "2010-12-31"^^xsd:date .
m:rw-eac a stig:Membership ; stig:member c:RW ; stig:organisation a:eac ;
    stig:startDate "2030-01-01"^^xsd:date .
# a direct membership of KE and UG in a forum (no node), and organisations of KE and UG
c:KE stig:memberOf a:forum . c:UG stig:memberOf a:forum .
a:kemri stig:headquarteredIn c:KE . a:mak stig:headquarteredIn c:UG .
m:kemri-net stig:member a:kemri ; stig:organisation a:net .
m:mak-net stig:member a:mak ; stig:organisation a:net .
m:ug-net stig:member c:UG ; stig:organisation a:net .
"""

KE = country_iri("KE")


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def hand(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return hand_graph(HAND, request.param, tmp_path_factory.mktemp("hand"))


def test_coauthorship_rows_by_hand(hand: Graph) -> None:
    ke, ug, tz, rw = (str(country_iri(c)) for c in ("KE", "UG", "TZ", "RW"))
    expected = sorted([(ke, rw, 2018, 1.0), (ke, rw, 2018, 4.0), (ke, ug, 2019, 3.0),
                       (ke, ug, 2021, 5.0), (ke, ke, 2020, 9.0), (tz, ke, 2020, 7.0),
                       (ug, ke, 2021, 2.0)], key=lambda r: (r[0], r[1], r[2], r[3]))
    assert _fast_coauthorship(hand, str(KE), "2024-06-30") == expected
    assert _old_coauthorship(hand, str(KE), "2024-06-30") == expected
    # as of 2020: the 2021 statements are left out
    assert _fast_coauthorship(hand, str(KE), "2020-12-31") == [
        r for r in expected if r[2] <= 2020]
    assert _fast_coauthorship(hand, str(country_iri("XK")), None) == []


def test_hand_partners_works_and_memberships_by_hand(hand: Graph) -> None:
    rows = {r["code"]: r for r in partner_rows(hand, str(KE), options=EvidenceOptions(
        as_of="2024-06-30"))}
    assert {c: rows[c]["works"] for c in rows} == {"UG": 10, "TZ": 7, "RW": 5}
    # UG shares the EAC and the forum; TZ left the EAC in 2010; RW joins in 2030
    assert {c: rows[c]["shared_memberships"] for c in rows} == {"UG": 2, "TZ": 0, "RW": 0}
    old = {r["code"]: r for r in partner_rows(hand, str(KE), options=EvidenceOptions(
        as_of="2005-06-30"))}
    assert old["TZ"]["shared_memberships"] == 1 and old["UG"]["works"] == 0
    orgs = partner_rows(hand, str(KE), kind="organisations")
    assert [(r["code"], r["shared_memberships"]) for r in orgs] == [("mak", 1)]


@pytest.mark.parametrize("kwargs", [
    {}, {"by_year": True}, {"since": 2020}, {"since": 2020, "by_year": True},
    {"options": EvidenceOptions(as_of="2020-12-31")},
    {"options": EvidenceOptions(as_of="2005-06-30"), "by_year": True},
    {"counting": "fractional", "top": 2},
    {"kind": "organisations"}, {"kind": "organisations", "by_year": True},
    {"kind": "organisations", "options": EvidenceOptions(as_of="2005-06-30")},
    {"layers": "openalex"}, {"layers": "memberships"},
])
def test_hand_fast_rows_are_the_sparql_rows(hand: Graph, monkeypatch: pytest.MonkeyPatch,
                                            kwargs: dict[str, Any]) -> None:
    fast, old = _both(monkeypatch, hand, str(KE), **kwargs)
    assert fast and fast == old


# ---- the real samples -------------------------------------------------------------------------




@pytest.mark.parametrize("country", ["KE", "UG", "TZ"])
def test_real_coauthorship_rows_are_the_query_rows(real_samples: Graph, country: str) -> None:
    entity = str(country_iri(country))
    for as_of in (None, "2010-06-30", "1989-12-31"):
        fast, old = _fast_coauthorship(real_samples, entity, as_of), _old_coauthorship(
            real_samples, entity, as_of)
        assert fast == old
        assert fast or as_of == "1989-12-31"


@pytest.mark.parametrize("kwargs", [
    {}, {"by_year": True}, {"since": 2015}, {"since": 2010, "by_year": True},
    {"options": EvidenceOptions(as_of="2012-12-31")}, {"counting": "fractional"},
    {"kind": "organisations"}, {"kind": "organisations", "since": 2023},
    {"kind": "organisations", "options": EvidenceOptions(as_of="2023-06-30")},
])
def test_real_fast_rows_are_the_sparql_rows(real_samples: Graph, monkeypatch: pytest.MonkeyPatch,
                                            kwargs: dict[str, Any]) -> None:
    for country in ("KE", "UG"):
        fast, old = _both(monkeypatch, real_samples, str(country_iri(country)), **kwargs)
        assert fast == old
        assert fast or country != "KE"
        if kwargs.get("kind") != "organisations" and "options" not in kwargs:
            assert any(r["works"] for r in fast)


def test_store_about_reads_one_subject(hand: Graph) -> None:
    store = store_of(hand)
    got = sorted(store.about(ID + "statement/ke-rw-2018"))
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    assert got == sorted([
        (rdf + "predicate", str(STIG.partnerOf)), (rdf + "subject", ID + "country/KE"),
        (rdf + "object", ID + "country/RW"), (str(STIG.measure), "coauthored-works"),
        (str(STIG.value), "1"), (str(STIG.value), "4"), (str(STIG.year), "2018")])
    assert list(store.about(ID + "statement/none")) == []
