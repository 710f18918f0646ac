"""Parameter values written into SPARQL text for Oxigraph's engine: one term, whatever the value."""

from __future__ import annotations

import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef

from stigraph.errors import ParameterError
from stigraph.store.sparql_text import sparql_term, substitute

pyoxigraph = pytest.importorskip("pyoxigraph")

HOSTILE = ['") } #', "a\\\" . ?s ?p ?o", 'line\nbreak """', "tab\tand 'quote'", "émoji ☃ \\u0022"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_one_literal(text: str) -> None:
    # the value comes back unchanged from Oxigraph: it was parsed as exactly one literal
    query = substitute("SELECT ?v WHERE { BIND(?x AS ?v) }", {"x": Literal(text)})
    rows = list(pyoxigraph.Store().query(query))
    assert [row["v"].value for row in rows] == [text]


def test_strings_iris_and_comments_are_left_alone() -> None:
    text = ('SELECT ?s { ?s <http://e/p?x=1> "?x" ; <http://e/q> \'?x\' ; <http://e/r> """a\n?x"""'
            ' . FILTER(?x) } # ?x')
    out = substitute(text, {"x": Literal(True)})
    assert out.count("?x") == 5  # in the IRI, the three strings and the comment
    assert 'FILTER("true"^^<http://www.w3.org/2001/XMLSchema#boolean>)' in out


def test_only_whole_variable_names() -> None:
    assert substitute("?x ?xy $x", {"x": Literal(1)}).split() == [
        sparql_term(Literal(1)), "?xy", sparql_term(Literal(1))]


def test_bound_of_a_given_parameter_is_true() -> None:
    assert substitute("FILTER(BOUND( ?a ) || bound(?b) || unbound(?a))", {"a": Literal(1)}) == \
        f'FILTER(true || bound(?b) || unbound({sparql_term(Literal(1))}))'


def test_terms() -> None:
    assert sparql_term(Literal("2020-01-01", datatype=XSD.date)) == \
        '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert sparql_term(Literal("Kenia", lang="de")) == '"Kenia"@de'
    with pytest.raises(ParameterError, match="not a valid IRI"):
        sparql_term(URIRef("http://e/a> . ?s ?p <http://e/b"))
    with pytest.raises(ParameterError, match="blank node"):
        sparql_term(BNode())


def test_same_answers_as_rdflib_binding_in_nested_groups() -> None:
    # a parameter tested in a nested group's FILTER: VALUES after the fact would differ
    g = Graph()
    for i in range(5):
        g.add((URIRef(f"http://e/{i}"), URIRef("http://e/v"), Literal(i)))
    query = ("SELECT ?s WHERE { { ?s <http://e/v> ?v . FILTER(?v < ?lim) } UNION "
             "{ BIND(<http://e/none> AS ?s) FILTER(!BOUND(?lim)) } } ORDER BY ?s")
    bound = {"lim": Literal(3)}
    expected = [str(r[0]) for r in g.query(query, initBindings=bound)]
    store = pyoxigraph.Store()
    for s, p, o in g:
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(str(s)), pyoxigraph.NamedNode(str(p)),
                                  pyoxigraph.Literal(str(o), datatype=pyoxigraph.NamedNode(
                                      str(XSD.integer)))))
    got = [row["s"].value for row in store.query(substitute(query, bound))]
    assert got == expected == ["http://e/0", "http://e/1", "http://e/2"]
