"""``Store.pairs`` reads every subject and object of a predicate as the text of the term (an
IRI, a blank node's id, a literal's lexical form). On Oxigraph it reads a TSV result: the
same text as each term's ``.value`` (the reading by ``quads_for_pattern`` it replaced), for
literals with escapes, languages and datatypes; on both stores the text the store's rdflib
view gives, but for a double, which oxrdflib's view writes as Python does (1500.0)."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from stigraph.store import open_store

DATA = r"""
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p "plain", "tab\there", "new\nline", "quote \" and \\ backslash", "é ünï 💡",
    "chat"@fr, "3.0"^^xsd:decimal, "12"^^xsd:integer, "1.5E3"^^xsd:double, true,
    "2016"^^xsd:gYear, "2016-01-02"^^xsd:date, "<not an iri>", "_:not a blank node",
    ex:b, _:x, <http://example.org/caf%C3%A9/é> .
_:x ex:p ex:a .
ex:c ex:q ex:b . ex:d ex:q ex:b . ex:e ex:q ex:a .
"""


def _quads(store: object, predicate: str) -> list[tuple[str, str]]:
    """The reading before: one Python object per quad, each term's ``.value``."""
    import pyoxigraph as ox

    native, name = store._native_store()  # type: ignore[attr-defined]
    return sorted((q.subject.value, q.object.value) for q in native.quads_for_pattern(
        None, ox.NamedNode(predicate), None, name))


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_pairs_are_the_terms_text(kind: str) -> None:
    store = open_store(kind)
    store.load_data(DATA.encode(), "turtle")
    for predicate in ("http://example.org/p", "http://example.org/q"):
        expected = sorted((str(s), str(o)) for s, _p, o in
                          store.graph.triples((None, URIRef(predicate), None)))
        found = sorted(store.pairs(predicate))
        double = ("1500", "1500.0", "1.5E3")
        assert [pair for pair in found if pair[1] not in double] == [
            pair for pair in expected if pair[1] not in double]
        if kind == "oxigraph":
            assert found == _quads(store, predicate)
    assert len(list(store.pairs("http://example.org/p"))) == 18
    assert sorted(store.pairs("http://example.org/q", "http://example.org/b")) == [
        ("http://example.org/c", "http://example.org/b"),
        ("http://example.org/d", "http://example.org/b")]
    assert list(store.pairs("http://example.org/none")) == []
