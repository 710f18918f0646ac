"""The Oxigraph store (Rust, through the oxrdflib plugin): the fast engine for large graphs.

SELECTs run in Oxigraph's own SPARQL engine, not rdflib's reading Oxigraph's triples. Its
pre-binding of parameters only takes projected variables, so each parameter is written into
the text as one escaped term (:mod:`stigraph.store.sparql_text`). Cells of the common types
become Python values straight from Oxigraph's terms; on a large result (a projection of the
Horizon Europe graph: 800,000 cells) building rdflib terms first took as long as the query.
Any other cell goes through rdflib, so the values are the same as on the memory store (a test
compares every named query on both).

This module and :mod:`stigraph.store` are the only places that import pyoxigraph or
oxrdflib, and the only ones that reach into oxrdflib's internals (the native store behind the
rdflib graph, and its term converters), pinned by the ``oxigraph`` extra's bounds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from stigraph.errors import BackendError
from stigraph.store.base import Cells, cell_value
from stigraph.store.memo import forget, remembered
from stigraph.store.sparql_text import substitute, tsv_text
from stigraph.vocab.namespaces import XSD

__all__ = ["OxigraphStore", "backs"]

_STRING = str(XSD.string)
_INTEGER = str(XSD.integer)
_FLOATS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
#: rdflib formats that Oxigraph parses and writes itself ("ox-" + name in oxrdflib).
_NATIVE_FORMATS = frozenset({"turtle", "nt", "json-ld", "xml", "nquads"})


def backs(graph: Graph) -> bool:
    """Whether ``graph`` is an rdflib view of an Oxigraph store."""
    return type(graph.store).__module__.startswith("oxrdflib")


def _native(fmt: str) -> str:
    return "ox-" + fmt if fmt in _NATIVE_FORMATS else fmt


class OxigraphStore:
    """Oxigraph behind an rdflib graph (``Graph(store="Oxigraph")``)."""

    kind = "oxigraph"

    def __init__(self, graph: Graph | None = None) -> None:
        if graph is None:
            try:
                import oxrdflib  # noqa: F401  (registers the "Oxigraph" store plugin)
            except ImportError as exc:
                raise BackendError("the oxigraph store needs the optional 'oxigraph' extra: "
                                   "pip install 'stigraph[oxigraph]'") from exc
            graph = Graph(store="Oxigraph")
        self._graph = graph

    @property
    def graph(self) -> Graph:
        return self._graph

    def __len__(self) -> int:
        # rdflib's len() on oxrdflib counts distinct triples over every graph of the store
        # (11 s on 5 million triples); the triples of one graph are distinct already, and a
        # plain count in Oxigraph's engine takes under a second.
        # a kept graph's count is kept beside it (:mod:`stigraph.store.memo`): the report
        # asks several times, a second each on the default graph
        return remembered(self._graph, "triples", self._count, code=(Path(__file__),))

    def _count(self) -> int:
        store, name = self._native_store()
        result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=name)
        return int(next(iter(result))[0].value)

    def _native_store(self) -> tuple[Any, Any]:
        """The ``pyoxigraph.Store`` behind the graph and the graph's name in it."""
        from oxrdflib._converter import to_ox  # the plugin's own naming of the graph's quads

        return self._graph.store._inner, to_ox(self._graph.identifier)  # type: ignore[attr-defined]

    def select(self, text: str, bindings: Mapping[str, Identifier],
               prefixes: Mapping[str, str]) -> Cells:
        import pyoxigraph as ox

        store, default_graph = self._native_store()
        result = store.query(substitute(text, bindings), prefixes=dict(prefixes),
                             default_graph=default_graph)
        variables = [v.value for v in result.variables]

        def value(term: Any) -> Any:
            if term is None:
                return None
            if isinstance(term, ox.NamedNode | ox.BlankNode):
                return term.value
            if isinstance(term, ox.Literal) and not term.language:
                datatype = term.datatype.value
                try:
                    if datatype == _STRING:
                        return term.value
                    if datatype == _INTEGER:
                        return int(term.value)
                    if datatype in _FLOATS:
                        return float(term.value)
                except ValueError:  # an ill-formed number: rdflib's reading decides
                    pass
                return cell_value(Literal(term.value, datatype=URIRef(datatype)))
            if isinstance(term, ox.Literal):
                return cell_value(Literal(term.value, lang=term.language))
            raise ValueError(f"unexpected result term {term!r}")

        return variables, [[value(cell) for cell in solution] for solution in result]

    def shared_triples(self) -> Iterator[tuple[Node, Node, Node]]:
        # Through rdflib, Oxigraph's store builds new rdflib terms for every triple (a third
        # of the Neo4j mapping time on the Horizon Europe graph); here a term seen before is
        # the same object, which also lets set and dict lookups match it by identity.
        from oxrdflib._converter import from_ox

        store, name = self._native_store()
        made: dict[Any, Any] = {}

        def term(x: Any) -> Any:
            found = made.get(x)
            if found is None:
                found = made[x] = from_ox(x)
            return found

        for quad in store.quads_for_pattern(None, None, None, name):
            yield term(quad.subject), term(quad.predicate), term(quad.object)

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        # One triple pattern in Oxigraph's engine, its solutions written as TSV there and read
        # here: a third faster than a Python object per quad and term (quads_for_pattern),
        # which the projections' scans of the default graph's 265,000 statements spent most
        # of their time on. Each term is read back as the text its .value gives.
        import pyoxigraph as ox

        store, name = self._native_store()
        pattern = ox.NamedNode(predicate)
        if obj is not None:
            target = ox.NamedNode(obj)
            text = f"SELECT ?s WHERE {{ ?s {pattern} {target} }}"
        else:
            text = f"SELECT ?s ?o WHERE {{ ?s {pattern} ?o }}"
        result = store.query(text, default_graph=name)
        tsv = result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
        lines = tsv.split("\n")
        del tsv
        if obj is not None:
            for line in lines[1:]:
                if line:
                    yield tsv_text(line), obj
            return
        for line in lines[1:]:
            if line:
                subject, _tab, value = line.partition("\t")
                yield tsv_text(subject), tsv_text(value)

    def about(self, subject: str) -> Iterator[tuple[str, str]]:
        import pyoxigraph as ox

        store, name = self._native_store()
        for quad in store.quads_for_pattern(ox.NamedNode(subject), None, None, name):
            yield quad.predicate.value, quad.object.value

    def load(self, path: Path, fmt: str) -> None:
        forget(self._graph)  # other triples: what was read from it no longer holds
        # the bulk loader skips the transaction log: several times faster on big files
        self._graph.parse(path, format=_native(fmt), transactional=False)

    def load_data(self, data: bytes, fmt: str) -> None:
        forget(self._graph)
        self._graph.parse(data=data, format=_native(fmt), transactional=False)

    def dump(self, destination: str, fmt: str) -> None:
        self._graph.serialize(destination=destination, format=_native(fmt), encoding="utf-8")

    def plain_graph(self) -> Graph:
        # Oxigraph returns plain strings typed xsd:string, which rdflib would not find equal
        # to untyped literals (the shapes' sh:in), so they go back to plain literals.
        data = Graph()
        for s, p, o in self._graph:
            if isinstance(o, Literal) and o.datatype == XSD.string:
                o = Literal(str(o))
            data.add((s, p, o))
        return data
