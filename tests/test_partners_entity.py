"""``stigraph partners ENTITY`` reads only the entity's evidence by triple patterns
(:class:`~stigraph.projection.partners.PartnerSources` with an ``entity``:
:func:`~stigraph.projection.partners.entity_consortia`, the memberships of its
organisations), and the country profiles read every country's co-authorship in one pass
(:func:`~stigraph.projection.partners.coauthorship_index`) and the CORDIS facets by triple
patterns (:func:`~stigraph.projection.partners.project_facets`). Each is compared with the
whole-graph path it replaces (the SPARQL queries ``evidence-participations``,
``evidence-project-facets``, every membership fact) on hand-made graphs with the special
cases, on both stores, and on the real samples."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from rdflib import Graph, URIRef

from stigraph.projection.evidence import (
    NO_FILTERS,
    Consortium,
    EvidenceOptions,
    coauthorship_layer,
    consortia,
)
from stigraph.projection.partners import (
    PartnerSources,
    _is_country,
    coauthorship_index,
    coauthorship_rows,
    entity_consortia,
    partner_rows,
    partners,
    project_facets,
    ranked_rows,
)
from stigraph.queries.sparql import run_sparql
from stigraph.vocab.labels import label_of
from stigraph.vocab.namespaces import country_iri
from tests.hand_graphs import hand_graph
from tests.test_partners_fast import HAND

ID = "https://w3id.org/stigraph/id/"

HAND_CORDIS = f"""
@prefix stig: <https://w3id.org/stigraph/ontology/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix c: <{ID}country/> .
@prefix a: <{ID}actor/> .
@prefix p: <{ID}project/> .
@prefix m: <{ID}participation/> .
@prefix r: <{ID}role/> .
@prefix f: <{ID}field/> .

c:KE a stig:Country . c:UG a stig:Country . c:FR a stig:Country . c:DE a stig:Country .
c:BE a stig:Country .
a:kemri stig:headquarteredIn c:KE .
# UNEP carries PIC 997; an import without the seed matching also has a:pic-997 (read as UNEP)
a:unep stig:headquarteredIn c:KE ; dct:identifier "997" .
a:pic-997 stig:headquarteredIn c:FR ; dct:identifier "997" .
a:pic-5 stig:headquarteredIn c:DE ; dct:identifier "5" .
a:pic-6 stig:headquarteredIn c:UG ; dct:identifier "6" .
# two countries: the consortia take the first in the query's order (BE)
a:two stig:headquarteredIn c:KE, c:BE .

p:cordis-1 stig:startDate "2022-01-01"^^xsd:date ; stig:partOfProgramme p:part-25 ;
    dct:subject f:climatology .
p:part-25 dct:identifier "HORIZON.2.5" .
f:climatology rdfs:label "climatology" ; skos:broader f:earth .
f:earth rdfs:label "earth and related environmental sciences" ; skos:broader f:natural .
f:natural rdfs:label "natural sciences" .
m:1-kemri a stig:Participation ; stig:member a:kemri ; stig:organisation p:cordis-1 ;
    stig:role r:coordinator ; stig:amount 100.5 .
m:1-5 a stig:Participation ; stig:member a:pic-5 ; stig:organisation p:cordis-1 ;
    stig:role r:participant ; stig:amount 50 .
m:1-997 a stig:Participation ; stig:member a:pic-997 ; stig:organisation p:cordis-1 ;
    stig:role r:participant ; stig:amount 10 .
m:1-unep a stig:Participation ; stig:member a:unep ; stig:organisation p:cordis-1 ;
    stig:role r:associated-partner ; stig:amount 5 .
# two roles on one participation: a join gives two rows (coordinator, amount twice)
m:1-6 a stig:Participation ; stig:member a:pic-6 ; stig:organisation p:cordis-1 ;
    stig:role r:coordinator, r:participant ; stig:amount 20 .
# starts after the dates looked at
p:cordis-2 stig:startDate "2030-01-01"^^xsd:date ; stig:partOfProgramme p:part-1 .
p:part-1 dct:identifier "HORIZON.1.1" .
m:2-kemri a stig:Participation ; stig:member a:kemri ; stig:organisation p:cordis-2 .
m:2-5 a stig:Participation ; stig:member a:pic-5 ; stig:organisation p:cordis-2 .
# undated, no role, no amount; an organisation without a country
p:cordis-3 dct:subject f:earth .
m:3-kemri a stig:Participation ; stig:member a:kemri ; stig:organisation p:cordis-3 .
m:3-8 a stig:Participation ; stig:member a:pic-8 ; stig:organisation p:cordis-3 .
# no Kenyan organisation
p:cordis-4 stig:startDate "2021-05-01"^^xsd:date .
m:4-5 a stig:Participation ; stig:member a:pic-5 ; stig:organisation p:cordis-4 .
m:4-6 a stig:Participation ; stig:member a:pic-6 ; stig:organisation p:cordis-4 ;
    stig:amount 7 .
# the organisation with two countries, read as Belgian
p:cordis-5 stig:startDate "2023-03-01"^^xsd:date .
m:5-two a stig:Participation ; stig:member a:two ; stig:organisation p:cordis-5 .
m:5-5 a stig:Participation ; stig:member a:pic-5 ; stig:organisation p:cordis-5 .
# not a CORDIS project, and a node that is not a participation
p:gcf-1 stig:startDate "2020-01-01"^^xsd:date .
m:g-kemri a stig:Participation ; stig:member a:kemri ; stig:organisation p:gcf-1 .
m:x stig:member a:kemri ; stig:organisation p:cordis-6 .
p:cordis-6 stig:startDate "2020-01-01"^^xsd:date .
m:6-5 a stig:Participation ; stig:member a:pic-5 ; stig:organisation p:cordis-6 .
"""

ENTITIES = [f"{ID}country/{c}" for c in ("KE", "UG", "FR", "DE", "BE", "XK")] + [
    f"{ID}actor/{a}" for a in ("kemri", "unep", "pic-997", "pic-5", "pic-6", "two", "pic-8")]
DATES = [None, "2024-06-30", "2040-01-01", "2021-12-31"]


def _norm(projects: list[Consortium]) -> list[tuple[Any, ...]]:
    return [(c.project, c.year, sorted((p.actor, p.country, p.coordinator, round(p.amount, 6))
                                       for p in c.participants)) for c in projects]


def _whole(graph: Graph, entity: str, options: EvidenceOptions) -> list[tuple[Any, ...]]:
    return _norm([c for c in consortia(graph, options)
                  if any(entity in (p.actor, p.country) for p in c.participants)])


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def cordis(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return hand_graph(HAND_CORDIS, request.param, tmp_path_factory.mktemp("hand-cordis"))


def test_hand_entity_consortia_by_hand(cordis: Graph) -> None:
    ke = _norm(entity_consortia(cordis, f"{ID}country/KE", EvidenceOptions(as_of="2024-06-30")))
    a = ID + "actor/"
    assert ke == [
        (f"{ID}project/cordis-1", 2022, sorted([
            (a + "kemri", f"{ID}country/KE", True, 100.5),
            (a + "pic-5", f"{ID}country/DE", False, 50.0),
            (a + "pic-6", f"{ID}country/UG", True, 40.0),
            (a + "unep", f"{ID}country/KE", False, 15.0)])),
        (f"{ID}project/cordis-3", None, sorted([(a + "kemri", f"{ID}country/KE", False, 0.0),
                                                (a + "pic-8", None, False, 0.0)]))]


@pytest.mark.parametrize("entity", ENTITIES)
def test_hand_entity_consortia_are_the_query_consortia(cordis: Graph, entity: str) -> None:
    for as_of in DATES:
        for options in (EvidenceOptions(as_of=as_of),
                        EvidenceOptions(as_of=as_of, programme="HORIZON.2"),
                        EvidenceOptions(as_of=as_of, field="Earth and related environmental "
                                        "sciences")):
            assert _norm(entity_consortia(cordis, entity, options)) == _whole(
                cordis, entity, options), (entity, options)


def _facets_by_query(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in run_sparql(graph, "evidence-project-facets", {}):
        out[str(row["project"])].append((str(row["facet"]), str(row["value"])))
    return dict(out)


def test_hand_project_facets_are_the_query_rows(cordis: Graph) -> None:
    facets = project_facets(cordis)
    assert facets[f"{ID}project/cordis-1"] == [
        ("field", "climatology"), ("field", "earth and related environmental sciences"),
        ("field", "natural sciences"), ("programme", "HORIZON.2.5")]
    assert facets == _facets_by_query(cordis)


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def hand(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return hand_graph(HAND, request.param, tmp_path_factory.mktemp("hand"))


def _countries(graph: Graph) -> list[str]:
    return sorted({str(r["a"]) for r in run_sparql(graph, "evidence-coauthorship", {})}
                  | {str(r["b"]) for r in run_sparql(graph, "evidence-coauthorship", {})}
                  | {f"{ID}country/XK"})


def _check_index(graph: Graph) -> None:
    for as_of in DATES:
        options = EvidenceOptions(as_of=as_of)
        index = coauthorship_index(graph, options)
        for country in _countries(graph):
            one = [r for r in coauthorship_rows(graph, country, options) if r[0] != r[1]]
            assert sorted(index.get(country, []), key=repr) == sorted(one, key=repr), \
                (country, as_of)
        assert set(index) <= set(_countries(graph))


def test_hand_coauthorship_index_is_each_country_rows(hand: Graph) -> None:
    _check_index(hand)
    ke = coauthorship_index(hand, EvidenceOptions(as_of="2024-06-30"))[f"{ID}country/KE"]
    assert sorted(r[3] for r in ke) == [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]  # not KE with itself


def _rows_whole(graph: Graph, entity: str, *, kind: str = "countries", layers: str = "all",
                counting: str = "full", since: int | None = None, by_year: bool = False,
                options: EvidenceOptions = NO_FILTERS,
                sources: PartnerSources | None = None) -> list[dict[str, Any]]:
    """:func:`partner_rows` from the whole graph's sources (the path before)."""
    found = partners(graph, entity, kind=kind, layers=layers, options=options,
                     sources=sources or PartnerSources(graph, options))
    return ranked_rows(found, lambda key: label_of(graph, URIRef(key)), counting=counting,
                       since=since, by_year=by_year)


KWARGS: list[dict[str, Any]] = [
    {}, {"by_year": True}, {"since": 2020}, {"counting": "fractional"},
    {"options": EvidenceOptions(as_of="2005-06-30")},
    {"options": EvidenceOptions(as_of="2021-12-31"), "by_year": True},
    {"kind": "organisations"}, {"kind": "organisations", "by_year": True},
    {"kind": "organisations", "options": EvidenceOptions(as_of="2005-06-30")},
    {"layers": "memberships"}, {"layers": "cordis"},
]


@pytest.mark.parametrize("kwargs", KWARGS)
def test_hand_entity_rows_are_the_whole_graph_rows(hand: Graph, cordis: Graph,
                                                   kwargs: dict[str, Any]) -> None:
    for graph in (hand, cordis):
        for entity in ENTITIES:
            assert partner_rows(graph, entity, **kwargs) == _rows_whole(
                graph, entity, **kwargs), entity
    assert any(partner_rows(graph, f"{ID}country/KE", **kwargs) for graph in (hand, cordis))


def test_entity_sources_refuse_another_entity(hand: Graph) -> None:
    sources = PartnerSources(hand, entity=f"{ID}country/KE")
    with pytest.raises(ValueError, match="read for"):
        sources.works_of(f"{ID}country/UG")


# ---- the real samples -------------------------------------------------------------------------




def _organisations(graph: Graph) -> list[str]:
    """A few organisations of the CORDIS sample, the ones in most projects first."""
    counts: dict[str, int] = defaultdict(int)
    for c in consortia(graph):
        for p in c.participants:
            counts[p.actor] += 1
    return sorted(counts, key=lambda a: (-counts[a], a))[:4]


def test_real_entity_consortia_are_the_query_consortia(real_samples: Graph) -> None:
    entities = [str(country_iri(c)) for c in ("KE", "UG", "DE", "FR", "ZA")]
    entities += _organisations(real_samples)
    for entity in entities:
        for options in (EvidenceOptions(), EvidenceOptions(as_of="2022-12-31"),
                        EvidenceOptions(programme="HORIZON.2")):
            assert _norm(entity_consortia(real_samples, entity, options)) == _whole(
                real_samples, entity, options), (entity, options)
    assert _norm(entity_consortia(real_samples, str(country_iri("KE")), EvidenceOptions()))


def test_real_facets_and_coauthorship_index(real_samples: Graph) -> None:
    facets = project_facets(real_samples)
    assert facets and facets == _facets_by_query(real_samples)
    _check_index(real_samples)


@pytest.mark.parametrize("kwargs", KWARGS[:9])
def test_real_entity_rows_are_the_whole_graph_rows(real_samples: Graph,
                                                   kwargs: dict[str, Any]) -> None:
    countries = [str(country_iri(c)) for c in ("KE", "UG", "DE")]
    for entity in countries + _organisations(real_samples)[:2]:
        if not _is_country(entity) and kwargs.get("kind") == "organisations":
            continue
        fast = partner_rows(real_samples, entity, **kwargs)
        assert fast == _rows_whole(real_samples, entity, **kwargs), entity
        assert fast or entity != str(country_iri("KE"))


def _by_partner_year(rows: list[dict[str, Any]], country: str) -> dict[tuple[str, Any], float]:
    out: dict[tuple[str, Any], float] = defaultdict(float)
    for r in rows:
        out[(r["b"] if r["a"] == country else r["a"], r["year"])] += r["works"]
    return dict(out)


def _check_layer(graph: Graph) -> None:
    """The profiles' sources with the report's OpenAlex layer give what the rows give."""
    for as_of in DATES:
        options = EvidenceOptions(as_of=as_of)
        with_layer = PartnerSources(graph, options,
                                    coauthorship=coauthorship_layer(graph, options))
        with_rows = PartnerSources(graph, options)
        for country in _countries(graph):
            assert _by_partner_year(with_layer.works_of(country), country) == \
                _by_partner_year(with_rows.works_of(country), country)
            for layers in ("openalex", "all"):
                assert _rows_whole(graph, country, layers=layers, options=options,
                                   sources=with_layer) == _rows_whole(
                    graph, country, layers=layers, options=options, sources=with_rows)


def test_hand_layer_works_are_the_rows_summed(hand: Graph) -> None:
    _check_layer(hand)


def test_real_layer_works_are_the_rows_summed(real_samples: Graph) -> None:
    _check_layer(real_samples)
