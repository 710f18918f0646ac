"""Query parameters, typed and checked once for every backend.

A named query declares its parameters (``# param: NAME TYPE meaning``, see
:mod:`stigraph.queries.catalogue`). :func:`check_params` turns the user's text values into
:class:`Value` records by the same rules whatever runs the query:

- ``ref``: a country code (``KE``), an actor or initiative slug (``cern``), ``area:SLUG`` or a
  full IRI, resolved to an IRI that the graph holds;
- ``area``: a cooperation-area slug (``testbeds``);
- ``date``: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (:func:`stigraph.dates.parse_user_date`;
  a missing date is today);
- ``int``: a whole number; ``text``: any text.

Whether a reference exists is asked of a :class:`Resolver`: the RDF graph for SPARQL
(:class:`GraphResolver`), the loaded nodes for Cypher (:mod:`stigraph.neo4j.cypher`). The
backends then only render the checked values in their own terms.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, URIRef

from stigraph.dates import parse_user_date
from stigraph.errors import ParameterError, UnknownCountryError
from stigraph.queries.catalogue import NamedQuery, Param
from stigraph.vocab.namespaces import (
    ID_BASE,
    RDF,
    STIG,
    actor_iri,
    area_iri,
    country_iri,
    initiative_iri,
)

__all__ = ["GraphResolver", "Resolver", "Value", "check_params", "resolve_reference"]

#: A checked value: an IRI (``kind="iri"``), a date, a whole number or a text.
ValueData = str | int | datetime.date


@dataclass(frozen=True)
class Value:
    """A checked parameter value: ``kind`` is ``iri``, ``date``, ``int`` or ``text``."""

    kind: str
    data: ValueData


class Resolver(Protocol):
    """What reference resolution asks of a backend."""

    #: Where the references were looked up, for messages ("the graph", "the Neo4j graph").
    where: str

    def exists(self, iri: str) -> bool:
        """Whether ``iri`` occurs at all."""

    def classes(self, iris: Iterable[str]) -> Mapping[str, frozenset[str]]:
        """For each of ``iris`` that has types, the local names of its classes."""

    def areas(self) -> list[str]:
        """The IRIs of every cooperation area."""


class GraphResolver:
    """References looked up in an rdflib graph."""

    where = "the graph"

    def __init__(self, graph: Graph) -> None:
        self._graph = graph

    def exists(self, iri: str) -> bool:
        node = URIRef(iri)
        return (node, None, None) in self._graph or (None, None, node) in self._graph

    def classes(self, iris: Iterable[str]) -> dict[str, frozenset[str]]:
        found = {}
        for iri in iris:
            names = frozenset(str(t).rsplit("/", 1)[-1]
                              for t in self._graph.objects(URIRef(iri), RDF.type))
            if names:
                found[iri] = names
        return found

    def areas(self) -> list[str]:
        return [str(a) for a in self._graph.subjects(RDF.type, STIG.CooperationArea)]


def _area(resolver: Resolver, slug: str) -> str:
    iri = str(area_iri(slug))
    if "CooperationArea" not in resolver.classes([iri]).get(iri, frozenset()):
        known = ", ".join(sorted(a.rsplit("/", 1)[-1] for a in resolver.areas()))
        raise ParameterError(f"unknown cooperation area {slug!r}; known: {known}")
    return iri


def resolve_reference(resolver: Resolver, text: str) -> str:
    """A user's reference (``KE``, ``cern``, ``area:testbeds`` or a full IRI) as an IRI."""
    text = text.strip()
    if text.startswith(("https://", "http://")):
        if not resolver.exists(text):
            raise ParameterError(f"{text} is not in {resolver.where}")
        return text
    if text.startswith("area:"):
        return _area(resolver, text[5:])
    if len(text) == 2 and text.isalpha():
        iri = str(country_iri(text.upper()))
        if "Country" not in resolver.classes([iri]).get(iri, frozenset()):
            raise UnknownCountryError(f"unknown country code {text!r}: not an ISO 3166-1 "
                                      f"alpha-2 code of a UN M49 country or area in "
                                      f"{resolver.where}")
        return iri
    candidates = [str(actor_iri(text)), str(initiative_iri(text)), ID_BASE + text]
    typed = resolver.classes(candidates)
    for candidate in candidates:
        if candidate in typed:
            return candidate
    raise ParameterError(f"{text!r} is not a country code, actor or initiative slug in "
                         f"{resolver.where} (try: stigraph query search-entities "
                         "--param text=...)")


def _check(resolver: Resolver, param: Param, text: str) -> Value:
    if param.type == "ref":
        return Value("iri", resolve_reference(resolver, text))
    if param.type == "area":
        return Value("iri", _area(resolver, text.removeprefix("area:")))
    if param.type == "date":
        return Value("date", parse_user_date(text, what=param.name))
    if param.type == "int":
        try:
            return Value("int", int(text))
        except ValueError:
            raise ParameterError(f"{param.name}={text!r} is not a whole number") from None
    return Value("text", text)


def check_params(resolver: Resolver, query: NamedQuery,
                 params: Mapping[str, str]) -> dict[str, Value | None]:
    """Every declared parameter of ``query``, checked; ``None`` for an optional one not given.

    Unknown names and missing required values are errors; a missing date is today.
    """
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {known}")
    checked: dict[str, Value | None] = {}
    for param in query.params:
        if param.name in params:
            checked[param.name] = _check(resolver, param, params[param.name])
        elif param.type == "date":
            checked[param.name] = Value("date", datetime.date.today())
        elif param.optional:
            checked[param.name] = None
        else:
            raise ParameterError(f"query {query.name!r} needs --param {param.name}=… "
                                 f"({param.description})")
    return checked
