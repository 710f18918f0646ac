"""RDF → property graph mapping, checked against independent SPARQL counts (no server)."""

from __future__ import annotations

import datetime

import pytest
from bolt_helpers import SAMPLE, expected_counts, sample_graph
from rdflib import BNode, Graph, Literal, URIRef

from stigraph.neo4j.mapping import (
    NodeRow,
    label_name,
    literal_value,
    map_graph,
    property_name,
    relationship_type,
)
from stigraph.vocab.namespaces import RDF, STIG, XSD, actor_iri, country_iri


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (str(STIG.memberOf), "MEMBER_OF"),
        (str(STIG.headquarteredIn), "HEADQUARTERED_IN"),
        (str(STIG.partOfProgramme), "PART_OF_PROGRAMME"),
        ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "SUB_CLASS_OF"),
        ("http://example.org/hasURLValue", "HAS_URL_VALUE"),
    ],
)
def test_relationship_types_are_upper_snake(iri: str, expected: str) -> None:
    assert relationship_type(iri) == expected


def test_labels_and_properties_are_pascal_and_camel_case() -> None:
    assert label_name(str(STIG.UNEntity)) == "UNEntity"
    assert label_name("http://example.org/ns#fundingBody") == "FundingBody"
    assert property_name("http://www.w3.org/2004/02/skos/core#prefLabel") == "prefLabel"
    assert property_name("http://example.org/Acronym") == "acronym"
    assert property_name("http://example.org/uri") == "uri_"  # never overwrites the key


def test_literal_values_keep_their_types() -> None:
    assert literal_value(Literal("2020-01-02", datatype=XSD.date)) == datetime.date(2020, 1, 2)
    assert literal_value(Literal("2016", datatype=XSD.gYear)) == "2016"
    assert literal_value(Literal("2017-06", datatype=XSD.gYearMonth)) == "2017-06"
    assert literal_value(Literal("12.5", datatype=XSD.decimal)) == 12.5
    assert literal_value(Literal("7", datatype=XSD.integer)) == 7
    assert literal_value(Literal("true", datatype=XSD.boolean)) is True
    assert literal_value(Literal("not a date", datatype=XSD.date)) == "not a date"


def _node(graph_rows: list[NodeRow], uri: str) -> NodeRow:
    return next(n for n in graph_rows if n.uri == uri)


def test_labels_include_stigraph_superclasses_and_languages_split() -> None:
    pg = map_graph(sample_graph())
    cern = _node(pg.nodes, str(actor_iri("cern")))
    assert set(cern.labels) == {
        "Resource",
        "Actor",
        "IntergovernmentalOrganisation",
        "ResearchOrganisation",
    }
    assert cern.properties["label"] == "CERN"
    assert cern.properties["label_zh"] == "欧洲核子研究组织"
    assert cern.properties["foundingDate"] == datetime.date(1954, 9, 29)
    gates = _node(pg.nodes, str(actor_iri("gates")))
    assert {"Foundation", "Fund", "Actor"} <= set(gates.labels)
    assert gates.properties["rdfTypes"] == [str(STIG.Foundation)]


def test_counts_match_an_independent_sparql_count() -> None:
    graph = sample_graph()
    pg = map_graph(graph)
    assert (len(pg.nodes), len(pg.relationships)) == expected_counts(graph)


def test_membership_edges_carry_role_dates_and_sources() -> None:
    pg = map_graph(sample_graph())
    edges = {(r.source, r.type, r.target): r for r in pg.relationships}
    ch = edges[(str(country_iri("CH")), "MEMBER_OF", str(actor_iri("cern")))]
    assert ch.key_name == "membership"
    assert ch.properties["role"] == "member"
    assert ch.properties["startDate"] == datetime.date(1954, 9, 29)
    assert len(ch.properties["source"]) == 2
    # the direct stig:memberOf triple is folded into this edge, not written twice
    assert (
        sum(
            1
            for r in pg.relationships
            if (r.source, r.type, r.target) == (ch.source, ch.type, ch.target)
        )
        == 1
    )


def test_blank_node_ids_are_stable_across_parses() -> None:
    first = {n.uri for n in map_graph(Graph().parse(SAMPLE)).nodes if n.uri.startswith("_:")}
    second = {n.uri for n in map_graph(Graph().parse(SAMPLE)).nodes if n.uri.startswith("_:")}
    assert first and first == second


def test_multi_valued_literals_become_sorted_single_typed_lists() -> None:
    graph = Graph()
    node = URIRef("https://w3id.org/stigraph/id/actor/x")
    graph.add((node, RDF.type, STIG.Actor))
    graph.add((node, STIG.acronym, Literal("B")))
    graph.add((node, STIG.acronym, Literal("A")))
    graph.add((node, STIG.value, Literal(3)))
    graph.add((node, STIG.value, Literal("three")))
    graph.add((node, STIG.about, BNode()))
    props = _node(map_graph(graph).nodes, str(node)).properties
    assert props["acronym"] == ["A", "B"]
    assert props["value"] == ["3", "three"]


def test_oxigraph_store_maps_to_the_same_rows() -> None:
    """The native read of the Oxigraph store gives exactly the rows of rdflib's store."""
    pytest.importorskip("oxrdflib")
    from stigraph.build.builder import build_graph

    memory = map_graph(build_graph(store="memory").graph)
    oxigraph = map_graph(build_graph(store="oxigraph").graph)
    assert oxigraph.nodes == memory.nodes
    assert oxigraph.relationships == memory.relationships
    assert len(memory.nodes) > 1000 and oxigraph.prefixes == memory.prefixes
