"""The SPARQL validator (stigraph.validate.sparql_engine) finds what pyshacl finds.

pyshacl is the reference: on the seed graph, the mini world and graphs broken on purpose (one
or more faults per constraint kind the shapes use), both engines must report the same set of
(focus, path, constraint component, value) results, on rdflib's memory store and on Oxigraph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph

from stigraph import resources
from stigraph.build.builder import BuildResult
from stigraph.cli import main
from stigraph.errors import OntologyError, ParameterError
from stigraph.store import copy_into, write_graph
from stigraph.validate.shacl import ValidationReport, Violation, validate_graph
from stigraph.vocab.namespaces import SH

MINI_SEEDS = Path(__file__).resolve().parent / "fixtures" / "mini-seeds"

PREFIXES = """\
@prefix sh:     <http://www.w3.org/ns/shacl#> .
@prefix stig:   <https://w3id.org/stigraph/ontology/> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix actor:  <https://w3id.org/stigraph/id/actor/> .
@prefix country: <https://w3id.org/stigraph/id/country/> .
@prefix ex:     <https://example.org/> .
"""

# Faults against the project's shapes, one block per constraint kind (comments name it).
BROKEN = PREFIXES + """
# ActorShape, targeted through a subclass (University): missing label and source (minCount),
# label an IRI (nodeKind at property level), url a literal (nodeKind), two headquarters
# (maxCount) of which one is not a country (class), an area that is not one (class).
actor:broken-uni a stig:University ; rdfs:label ex:not-a-literal ;
    stig:provenance stig:Curated ; schema:url "https://uni.example" ;
    stig:headquarteredIn country:KE , actor:broken-uni ; stig:addressesArea country:KE .

# A blank-node actor (node-level nodeKind), with provenance outside the list (in).
[] a stig:Actor ; rdfs:label "Anonymous" ; dct:source ex:src ; stig:provenance stig:Guessed .

# InitiativeShape: dates of the wrong type or ill-typed (sh:or of datatypes), two end dates
# (maxCount), active in a literal (class with a literal value).
<https://w3id.org/stigraph/id/initiative/broken-prog> a stig:Programme ;
    rdfs:label "Broken programme" ; dct:source ex:src ; stig:provenance stig:Curated ;
    stig:startDate "2020" ; stig:endDate "soon"^^xsd:date , "2031"^^xsd:gYear ;
    stig:activeIn "Kenya" .

# MembershipShape: no role (minCount), two members (maxCount), a member that is neither a
# country, an actor nor an initiative (sh:or of classes), amount an integer and an ill-typed
# decimal (datatype), lower-case currency (pattern), a good start date (no result).
ex:m1 a stig:Membership ; dct:source ex:src ; stig:provenance stig:Curated ;
    stig:member country:KE , ex:nobody ; stig:organisation actor:broken-uni ;
    stig:amount 5 , "lots"^^xsd:decimal ; stig:currency "eur" ;
    stig:startDate "2020-05"^^xsd:gYearMonth .
# A membership in a country (sh:or of classes on stig:organisation), currency a blank node.
ex:m2 a stig:Membership ; dct:source ex:src ; stig:provenance stig:Imported ;
    stig:member actor:broken-uni ; stig:organisation country:KE ; stig:role ex:no-role ;
    stig:currency [ ] .

# CountryShape: bad ISO codes (pattern), two alpha-3 codes (maxCount), no label (minCount).
<https://w3id.org/stigraph/id/country/XX> a stig:Country ; stig:iso2 "xxx" ;
    stig:iso3 "XXX" , "XXY" ; stig:m49 "12" .

# CountryGroupShape: unknown kind (in over literals), a member that is not a country (class).
<https://w3id.org/stigraph/id/group/broken> a stig:CountryGroup ; rdfs:label "Broken" ;
    dct:source ex:src ; stig:groupKind "continent" ; skos:member actor:broken-uni .

# StatementShape: an asserted statement without source (node-level sh:or with sh:hasValue),
# two subjects (maxCount), no object (minCount); a predicted one without source (conforms).
ex:st1 a rdf:Statement ; stig:provenance stig:Curated ; rdf:subject country:KE , country:FR ;
    rdf:predicate stig:partnerOf .
ex:st2 a stig:PredictedLink ; stig:provenance stig:Predicted ; rdf:subject country:KE ;
    rdf:predicate stig:recommendedLink ; rdf:object country:FR .

# FigureShape: value a string (datatype), year a date (datatype), no measure (minCount).
ex:fig a stig:Figure ; dct:source ex:src ; stig:about country:KE ; stig:value "many" ;
    stig:year "2020-01-01"^^xsd:date .

# CooperationAreaShape and RecommendationShape: minCount, and class on a recommendation.
ex:area a stig:CooperationArea .
ex:rec a stig:Recommendation ; dct:source ex:src ; stig:addressesArea ex:nowhere .
"""

# Shapes for the constructs the project's shapes do not use yet but the compiler supports.
EXTRA_SHAPES = PREFIXES + """
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:nodeKind sh:BlankNodeOrIRI ;
    sh:property [ sh:path ex:tag ; sh:minCount 2 ; sh:maxCount 3 ;
        sh:pattern "^ab" ; sh:flags "i" ] ;
    sh:property [ sh:path ex:colour ; sh:in ( "red" "green" ) ; sh:datatype xsd:string ] ;
    sh:property [ sh:path ex:kind ; sh:hasValue ex:Good ] ;
    sh:property [ sh:path ex:name ; sh:datatype rdf:langString ; sh:severity sh:Warning ] ;
    sh:property [ sh:path ex:count ; sh:datatype xsd:integer ; sh:nodeKind sh:IRIOrLiteral ] ;
    sh:property [ sh:path ex:off ; sh:minCount 1 ; sh:deactivated true ] ;
    sh:property [ sh:path ex:link ; sh:class ex:Thing , ex:Marked ;
        sh:hasValue ex:t1 , ex:leaf-1 ] ;
    sh:property [ sh:path ex:via ; sh:or ( [ sh:class ex:Marked ] [ sh:class ex:Leaf ] ) ] ;
    sh:or ( [ sh:path ex:a ; sh:minCount 2 ; sh:maxCount 2 ]
            [ sh:path ex:b ; sh:minCount 1 ; sh:class ex:Thing ; sh:nodeKind sh:IRI ] ) .

ex:LeafShape a sh:NodeShape ;
    sh:targetClass ex:Leaf ;
    sh:class ex:Thing ;
    sh:or ( [ sh:nodeKind sh:BlankNode ] [ sh:pattern "leaf-[0-9]+$" ] ) .

ex:CodeShape a sh:PropertyShape ;
    sh:targetClass ex:Thing ;
    sh:path ex:code ; sh:maxCount 1 ; sh:nodeKind sh:Literal ;
    sh:message "one literal code" .
"""

EXTRA_DATA = PREFIXES + """
ex:SubThing rdfs:subClassOf ex:Thing .
ex:t1 a ex:Thing , ex:Marked ; ex:link ex:t1 , ex:leaf-1 , ex:t2 ; ex:via ex:t1 , ex:t2 ;
    ex:tag "ABc" , "abd" ; ex:colour "red" ; ex:kind ex:Good ;
    ex:name "n"@en ; ex:count 3 ; ex:a 1 , 2 ; ex:code "c" .
ex:t2 a ex:SubThing ; ex:tag "x" ; ex:colour "blue" , "green"@en ; ex:kind ex:Bad ;
    ex:name "plain" ; ex:count "3" , ex:three ; ex:a 1 ; ex:b ex:t1 ; ex:code "c" , "d" .
ex:t3 a ex:Thing ; ex:link ex:t1 , "t1" ; ex:via ex:leaf-x , "leaf" ;
    ex:tag "ab1" , "ab2" , "ab3" , "ab4" ; ex:kind ex:Good , ex:Bad ;
    ex:b "t1" ; ex:code ex:c .
ex:t4 a ex:Thing ; ex:tag "ab" , "AB" ; ex:kind ex:Good ; ex:b ex:nothing .
[] a ex:Thing ; ex:tag "ab" , "abab" ; ex:kind ex:Good ; ex:a 1 , 2 .
ex:leaf-1 a ex:Leaf , ex:SubThing ; ex:tag "ab" , "ab2" ; ex:kind ex:Good ; ex:a 1 , 2 .
ex:leaf-x a ex:Leaf .
"""


def _keys(report: ValidationReport) -> set[tuple[str, str, str, str, str]]:
    return {(v.focus, v.path, v.constraint, v.value, v.severity) for v in report.violations}


def _same(graph: Graph, origins: dict | None = None,
          shapes: Graph | None = None) -> set[tuple[str, str, str, str, str]]:
    """Both engines' results on ``graph``; asserts they agree and returns them."""
    reference = validate_graph(graph, origins, engine="pyshacl", shapes=shapes)
    compiled = validate_graph(graph, origins, engine="sparql", shapes=shapes)
    assert _keys(compiled) == _keys(reference)
    assert compiled.conforms == reference.conforms
    # Where a shape has its own sh:message, both report it, with the same seed row.
    messages = {str(m) for m in (shapes or _project_shapes()).objects(None, SH.message)}
    by_key = {(v.focus, v.path, v.constraint, v.value): (v.message, v.origin)
              for v in compiled.violations}
    for v in reference.violations:
        if v.message in messages:
            assert by_key[(v.focus, v.path, v.constraint, v.value)] == (v.message, v.origin)
    return _keys(reference)


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def _project_shapes() -> Graph:
    return Graph().parse(resources.shapes_file())


def _broken(build: BuildResult) -> Graph:
    graph = Graph()
    for triple in build.graph:
        graph.add(triple)
    graph.parse(data=BROKEN, format="turtle")
    return graph


def test_seed_graph_both_engines_agree(seed_build: BuildResult) -> None:
    assert _same(seed_build.graph, seed_build.origins) == set()


def test_mini_world_both_engines_agree(mini_build: BuildResult) -> None:
    assert _same(mini_build.graph, mini_build.origins) == set()


def test_broken_graph_every_constraint_kind(mini_build: BuildResult) -> None:
    found = _same(_broken(mini_build))
    kinds = {constraint for _, _, constraint, _, _ in found}
    assert kinds == {f"{k}ConstraintComponent" for k in (
        "MinCount", "MaxCount", "Class", "Datatype", "NodeKind", "Pattern", "In", "Or")}
    # Spot checks against the comments in BROKEN (independent of either engine's output).
    focus = {(_local(f), _local(p), c.removesuffix("ConstraintComponent"))
             for f, p, c, _, _ in found}
    assert ("broken-uni", "label", "NodeKind") in focus
    assert ("broken-uni", "headquarteredIn", "MaxCount") in focus
    assert ("m1", "amount", "Datatype") in focus
    assert ("st1", "", "Or") in focus
    assert not any(f.endswith("/st2") for f, *_ in found)  # predicted: no source needed


def test_broken_graph_on_oxigraph_matches_memory(mini_build: BuildResult) -> None:
    pytest.importorskip("oxrdflib")
    memory = _broken(mini_build)
    oxigraph = copy_into(memory, "oxigraph")
    on_memory = validate_graph(memory, engine="sparql").violations
    on_oxigraph = validate_graph(oxigraph, engine="sparql").violations

    def named(graph: Graph, violations: list[Violation]) -> set[tuple[str, ...]]:
        blank = {str(n) for n in graph.all_nodes() if isinstance(n, BNode)}  # renamed by copy
        return {(v.focus, v.path, v.constraint, v.value) for v in violations
                if v.focus not in blank and v.value not in blank}

    assert named(oxigraph, on_oxigraph) == named(memory, on_memory)
    assert len(on_oxigraph) == len(on_memory)
    # and pyshacl on the Oxigraph graph agrees with the compiled queries on it
    _same(oxigraph)


def test_constructs_beyond_the_project_shapes() -> None:
    shapes = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    found = _same(data, shapes=shapes)
    kinds = {constraint for _, _, constraint, _, _ in found}
    assert kinds == {f"{k}ConstraintComponent" for k in (
        "MinCount", "MaxCount", "Class", "Datatype", "NodeKind", "Pattern", "In", "Or",
        "HasValue")}
    assert any(severity == "Warning" for *_, severity in found)
    assert not any(p.endswith("/off") for _, p, *_ in found)  # deactivated


@pytest.mark.parametrize("construct", [
    "sh:node ex:Other",
    "sh:minLength 3",
    "sh:and ( [ sh:nodeKind sh:IRI ] )",
    "sh:not [ sh:nodeKind sh:IRI ]",
    "sh:closed true",
    "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ]",
    "sh:property [ sh:path ex:p ; sh:lessThan ex:q ]",
    "sh:property [ sh:path ex:p ; sh:or ( [ sh:xone ( ) ] ) ]",
])
def test_unsupported_constructs_fail_loudly(construct: str) -> None:
    shapes = Graph().parse(data=PREFIXES + f"ex:BadShape a sh:NodeShape ; "
                           f"sh:targetClass ex:Thing ; {construct} .", format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    with pytest.raises(OntologyError, match="ex:BadShape"):
        validate_graph(data, engine="sparql", shapes=shapes)


def test_other_targets_fail_loudly() -> None:
    shapes = Graph().parse(data=PREFIXES + "ex:NodeTarget a sh:NodeShape ; "
                           "sh:targetNode ex:t1 ; sh:nodeKind sh:IRI .", format="turtle")
    with pytest.raises(OntologyError, match=r"ex:NodeTarget.*targetClass"):
        validate_graph(Graph(), engine="sparql", shapes=shapes)


def test_unknown_engine(mini_build: BuildResult) -> None:
    with pytest.raises(ParameterError, match="engine"):
        validate_graph(mini_build.graph, engine="fast")


def test_auto_engine_switches_on_size(mini_build: BuildResult,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import stigraph.validate.shacl
    import stigraph.validate.sparql_engine

    broken = _broken(mini_build)
    calls: list[int] = []
    real = stigraph.validate.sparql_engine.run_checks
    monkeypatch.setattr(stigraph.validate.sparql_engine, "run_checks",
                        lambda g, c: calls.append(1) or real(g, c))
    validate_graph(broken)  # small: pyshacl
    assert calls == []
    monkeypatch.setattr(stigraph.validate.shacl, "SPARQL_ABOVE", len(broken))
    validate_graph(broken)
    assert calls == [1]


def test_validate_cli_engine_option(tmp_path: Path, mini_build: BuildResult) -> None:
    graph_file = write_graph(_broken(mini_build), tmp_path / "broken.nt")
    runner = CliRunner()
    outputs = []
    for engine in ("pyshacl", "sparql"):
        result = runner.invoke(main, ["validate", "--graph", str(graph_file), "--engine", engine,
                                      "--format", "csv"])
        assert result.exit_code == 1, result.output
        outputs.append(result.output)
    assert "does not conform" in outputs[1]
    assert runner.invoke(main, ["validate", "--engine", "nope"]).exit_code == 2
