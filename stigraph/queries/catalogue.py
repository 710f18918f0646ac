"""Named queries: one file per query in ``queries/sparql/`` (and ``queries/cypher/``).

A query file starts with header comment lines::

    # title: Who cooperates with an entity
    # description: Partners of an actor, initiative or country and what links them.
    # param: entity ref  an actor or initiative slug, a country code or an IRI
    # param: as_of date?  the date to look at (default: today)

Each ``param`` line names a query variable, its type (``ref``, ``area``, ``date``, ``text``,
``int``; ``?`` marks it optional) and its meaning. On rdflib's memory store values are bound
to the variables (``initBindings``); on Oxigraph the query runs in Oxigraph's own engine, tens
of times faster, with each value written into the text as one escaped term
(:mod:`stigraph.store.sparql_text`), which binds it in the same places.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor, SPARQLResult
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from stigraph import resources
from stigraph.errors import ParameterError, QueryError, UnknownCountryError
from stigraph.store import is_oxigraph
from stigraph.store.oxigraph import select
from stigraph.store.sparql_text import substitute
from stigraph.vocab.namespaces import (
    ID_BASE,
    PREFIXES,
    RDF,
    STIG,
    XSD,
    actor_iri,
    area_iri,
    country_iri,
    initiative_iri,
)

__all__ = ["NamedQuery", "Param", "load_queries", "resolve_reference", "run_sparql",
           "sparql_value"]

PARAM_TYPES = ("ref", "area", "date", "text", "int")
_COMMENT = {"sparql": "#", "cypher": "//"}
_SUFFIX = {"sparql": ".rq", "cypher": ".cypher"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path
    columns: tuple[str, ...] = field(default=())
    #: Columns holding a space-separated set (a GROUP_CONCAT, whose order SPARQL leaves open):
    #: their items are sorted, so every engine gives the same text.
    sets: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER = re.compile(r"^\s*(title|description|param|columns|sets):\s*(.*)$")


def parse_query_file(path: Path, kind: str = "sparql") -> NamedQuery:
    """Read one query file and its header; a missing title is an error naming the file."""
    text = path.read_text(encoding="utf-8")
    comment = _COMMENT[kind]
    fields: dict[str, str] = {}
    params: list[Param] = []
    columns: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith(comment):
            if line.strip():
                break
            continue
        match = _HEADER.match(line[len(comment):])
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1].rstrip("?") not in PARAM_TYPES:
                raise QueryError(f"{path}:{number}: a param line reads "
                                 f"'param: NAME TYPE meaning' with TYPE in {PARAM_TYPES}")
            params.append(Param(parts[0], parts[1].rstrip("?"), parts[1].endswith("?"),
                                parts[2] if len(parts) > 2 else ""))
        elif key == "columns":
            columns = tuple(value.split())
        elif key == "sets":
            sets = tuple(value.split())
        else:
            fields[key] = value.strip()
    if "title" not in fields:
        raise QueryError(f"{path}: the header has no '{comment} title:' line")
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""), tuple(params),
                      text, path, columns, sets)


def load_queries(kind: str = "sparql") -> dict[str, NamedQuery]:
    """All named queries of one kind, by name."""
    folder = resources.queries_dir() / kind
    return {p.stem: parse_query_file(p, kind)
            for p in sorted(folder.glob(f"*{_SUFFIX[kind]}"))}


def get_query(name: str, kind: str = "sparql") -> NamedQuery:
    queries = load_queries(kind)
    if name not in queries:
        raise QueryError(f"no {kind} query named {name!r}; known: {', '.join(sorted(queries))}"
                         f" (stigraph query --list)")
    return queries[name]


def resolve_reference(graph: Graph, text: str) -> URIRef:
    """A user's reference (``KE``, ``cern``, ``area:testbeds`` or a full IRI) as an IRI in graph."""
    text = text.strip()
    if text.startswith(("https://", "http://")):
        iri = URIRef(text)
        if (iri, None, None) not in graph and (None, None, iri) not in graph:
            raise ParameterError(f"{text} is not in the graph")
        return iri
    if text.startswith("area:"):
        return _resolve_area(graph, text[5:])
    if len(text) == 2 and text.isalpha():
        iri = country_iri(text.upper())
        if (iri, RDF.type, STIG.Country) not in graph:
            raise UnknownCountryError(f"unknown country code {text!r}: not an ISO 3166-1 alpha-2 "
                                      "code of a UN M49 country or area in the graph")
        return iri
    for candidate in (actor_iri(text), initiative_iri(text), URIRef(ID_BASE + text)):
        if (candidate, RDF.type, None) in graph:
            return candidate
    raise ParameterError(f"{text!r} is not a country code, actor or initiative slug in the graph "
                         "(try: stigraph query search-entities --param text=...)")


def _resolve_area(graph: Graph, slug: str) -> URIRef:
    iri = area_iri(slug)
    if (iri, RDF.type, STIG.CooperationArea) not in graph:
        known = sorted(str(a).rsplit("/", 1)[-1]
                       for a in graph.subjects(RDF.type, STIG.CooperationArea))
        raise ParameterError(f"unknown cooperation area {slug!r}; known: {', '.join(known)}")
    return iri


def _bind(graph: Graph, param: Param, value: str) -> Identifier:
    if param.type == "ref":
        return resolve_reference(graph, value)
    if param.type == "area":
        return _resolve_area(graph, value.removeprefix("area:"))
    if param.type == "date":
        try:
            return Literal(datetime.date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise ParameterError(
                f"{param.name}={value!r} is not a date; write YYYY-MM-DD") from None
    if param.type == "int":
        try:
            return Literal(int(value))
        except ValueError:
            raise ParameterError(f"{param.name}={value!r} is not a whole number") from None
    return Literal(value)


def bind_params(
    graph: Graph, query: NamedQuery, params: dict[str, str]
) -> dict[str, Identifier]:
    """Check and convert the user's parameters; optional dates default to today."""
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {known}")
    bindings: dict[str, Identifier] = {}
    for param in query.params:
        if param.name in params:
            bindings[param.name] = _bind(graph, param, params[param.name])
        elif param.type == "date":
            bindings[param.name] = Literal(datetime.date.today().isoformat(), datatype=XSD.date)
        elif not param.optional:
            raise ParameterError(f"query {query.name!r} needs --param {param.name}=… "
                                 f"({param.description})")
    return bindings


def sparql_value(node: Node | None) -> Any:
    """A result cell as a plain Python value: IRIs and text as str, numbers as int/float."""
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, bool | int | float | str):
            return value
        if node.datatype in (XSD.decimal, XSD.double, XSD.float):
            return float(node)
        return str(node)
    return str(node)


_NAMESPACES = {prefix: URIRef(ns) for prefix, ns in PREFIXES.items()}


@functools.lru_cache(maxsize=64)
def _prepared(path: Path, text: str) -> Query:
    """Parse a query once per process (callers run the same query many times)."""
    try:
        return prepareQuery(text, initNs=_NAMESPACES)
    except Exception as exc:  # a broken query file is a project bug, but name the file
        raise QueryError(f"{path}: the query does not parse: {exc}") from exc


def run_sparql(
    graph: Graph, name: str, params: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Run the named SPARQL query on ``graph`` and return its rows as dicts."""
    query = get_query(name, "sparql")
    bindings = bind_params(graph, query, params or {})
    try:
        if is_oxigraph(graph):
            variables, cells = select(graph, substitute(query.text, bindings), PREFIXES,
                                      sparql_value)
        else:
            prepared = _prepared(query.path, query.text)
            result = SPARQLResult(SPARQLProcessor(graph).query(prepared, initBindings=bindings))
            variables = [str(v) for v in (result.vars or [])]
            cells = [[sparql_value(row[i]) for i in range(len(variables))]  # type: ignore[index]
                     for row in result]
    except Exception as exc:  # a broken query file is a project bug, but name the file
        raise QueryError(f"{query.path}: query failed: {exc}") from exc
    rows = [dict(zip(variables, row, strict=True)) for row in cells]
    for row in rows:
        for column in query.sets:
            if isinstance(row.get(column), str):
                row[column] = " ".join(sorted(row[column].split()))
    return rows
