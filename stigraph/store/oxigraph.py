"""Run a SELECT on the Oxigraph store in Oxigraph's own engine and read plain Python values.

Going through rdflib (``Graph.query``) turns every cell into an rdflib term first; on a large
result (a projection of the Horizon Europe graph: 800,000 cells) building those terms took as
long as the query itself. Here cells of the common types become Python values straight from
Oxigraph's terms; any other cell goes through rdflib exactly as before, so the values are the
same either way (a test compares every named query on both stores).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from stigraph.store import native_oxigraph
from stigraph.vocab.namespaces import XSD

__all__ = ["select"]

_STRING = str(XSD.string)
_INTEGER = str(XSD.integer)
_FLOATS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}


def select(graph: Graph, text: str, prefixes: Mapping[str, str],
           slow_value: Callable[[Node | None], Any]) -> tuple[list[str], list[list[Any]]]:
    """Variables and rows of the SELECT ``text`` on ``graph``'s Oxigraph store.

    ``slow_value`` converts an rdflib term (the fallback for uncommon literal types).
    """
    import pyoxigraph as ox

    store, default_graph = native_oxigraph(graph)
    result = store.query(text, prefixes=dict(prefixes), default_graph=default_graph)
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
            return slow_value(Literal(term.value, datatype=URIRef(datatype)))
        if isinstance(term, ox.Literal):
            return slow_value(Literal(term.value, lang=term.language))
        raise ValueError(f"unexpected result term {term!r}")

    return variables, [[value(cell) for cell in solution] for solution in result]
