"""rdflib's own in-memory store: the reference engine, always installed."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor, SPARQLResult
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from stigraph.store.base import Cells, cell_value

__all__ = ["MemoryStore"]


@functools.lru_cache(maxsize=64)
def _prepared(text: str, prefixes: tuple[tuple[str, str], ...]) -> Query:
    """Parse a query once per process (callers run the same query many times)."""
    return prepareQuery(text, initNs={prefix: URIRef(ns) for prefix, ns in prefixes})


class MemoryStore:
    """rdflib's memory store; parameters are bound with ``initBindings``."""

    kind = "memory"

    def __init__(self, graph: Graph | None = None) -> None:
        self._graph = graph if graph is not None else Graph()

    @property
    def graph(self) -> Graph:
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)

    def select(self, text: str, bindings: Mapping[str, Identifier],
               prefixes: Mapping[str, str]) -> Cells:
        prepared = _prepared(text, tuple(sorted(prefixes.items())))
        result = SPARQLResult(SPARQLProcessor(self._graph).query(
            prepared, initBindings=dict(bindings)))
        variables = [str(v) for v in (result.vars or [])]
        return variables, [[cell_value(row[i]) for i in range(len(variables))]  # type: ignore[index]
                           for row in result]

    def shared_triples(self) -> Iterator[tuple[Node, Node, Node]]:
        # rdflib's memory store already hands out the terms it holds
        yield from self._graph

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        target = URIRef(obj) if obj is not None else None
        for s, _p, o in self._graph.triples((None, URIRef(predicate), target)):
            yield str(s), str(o)

    def about(self, subject: str) -> Iterator[tuple[str, str]]:
        for _s, p, o in self._graph.triples((URIRef(subject), None, None)):
            yield str(p), str(o)

    def load(self, path: Path, fmt: str) -> None:
        self._graph.parse(path, format=fmt)

    def load_data(self, data: bytes, fmt: str) -> None:
        self._graph.parse(data=data, format=fmt)

    def dump(self, destination: str, fmt: str) -> None:
        self._graph.serialize(destination=destination, format=fmt, encoding="utf-8")

    def plain_graph(self) -> Graph:
        return self._graph
