"""Run a named SPARQL query on the embedded store: parameters checked once
(:mod:`stigraph.queries.params`), rendered as RDF terms, and run by the store's own engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from stigraph.errors import QueryError
from stigraph.queries.catalogue import get_query
from stigraph.queries.params import GraphResolver, Value, check_params, resolve_reference
from stigraph.store import store_of
from stigraph.vocab.namespaces import PREFIXES, XSD

__all__ = ["resolve_in_graph", "run_sparql", "sparql_term"]


def sparql_term(value: Value) -> Identifier:
    """A checked parameter value as the RDF term the query's variable is bound to.

    >>> import datetime
    >>> sparql_term(Value("date", datetime.date(2021, 9, 24)))
    rdflib.term.Literal('2021-09-24', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    """
    if value.kind == "iri":
        return URIRef(str(value.data))
    if value.kind == "date":
        return Literal(str(value.data), datatype=XSD.date)
    return Literal(value.data)


def run_sparql(graph: Graph, name: str,
               params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Run the named SPARQL query on ``graph`` and return its rows as dicts."""
    query = get_query(name, "sparql")
    checked = check_params(GraphResolver(graph), query, params or {})
    bindings = {key: sparql_term(value) for key, value in checked.items() if value is not None}
    try:
        variables, cells = store_of(graph).select(query.text, bindings, PREFIXES)
    except Exception as exc:  # a broken query file is a project bug, but name the file
        raise QueryError(f"{query.path}: query failed: {exc}") from exc
    rows = [dict(zip(variables, row, strict=True)) for row in cells]
    for row in rows:
        for column in query.sets:
            if isinstance(row.get(column), str):
                row[column] = " ".join(sorted(row[column].split()))
    return rows


def resolve_in_graph(graph: Graph, text: str) -> URIRef:
    """A user's reference (``KE``, ``cern``, ``area:…`` or an IRI) as an IRI in ``graph``."""
    return URIRef(resolve_reference(GraphResolver(graph), text))
