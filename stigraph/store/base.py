"""The ``Store`` protocol: what the rest of stigraph needs from an embedded RDF store.

Every store keeps its triples behind an rdflib :class:`~rdflib.Graph` view (``store.graph``),
which libraries that want rdflib (pyshacl, the builder's small lookups) use as it is. The
operations where stores differ in speed by orders of magnitude go through the protocol
instead, and each implementation does them its own fastest way:

- :meth:`Store.select` runs a SELECT with bound parameters and returns plain Python cells;
- :meth:`Store.shared_triples` reads every triple with each distinct term made once;
- :meth:`Store.pairs` reads the subjects and objects of one predicate as plain text (a
  triple-pattern scan: the projections read memberships this way instead of SPARQL joins);
- :meth:`Store.about` reads the predicates and objects of one IRI subject the same way;
- :meth:`Store.load` / :meth:`Store.load_data` bulk-load RDF text;
- :meth:`Store.dump` serialises;
- :meth:`Store.plain_graph` gives an rdflib memory copy with rdflib's own literal forms.

Only :mod:`stigraph.store` knows which implementation it has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph, Literal
from rdflib.term import Identifier, Node

from stigraph.vocab.namespaces import XSD

__all__ = ["Cells", "Store", "cell_value"]

#: The variables of a SELECT and its rows of plain Python values.
Cells = tuple[list[str], list[list[Any]]]


class Store(Protocol):
    """An embedded RDF store behind an rdflib graph view."""

    #: ``memory`` or ``oxigraph``: what ``--store`` names it.
    kind: str

    @property
    def graph(self) -> Graph:
        """The triples as an rdflib graph, for code and libraries that need one."""

    def __len__(self) -> int:
        """The number of triples."""

    def select(self, text: str, bindings: Mapping[str, Identifier],
               prefixes: Mapping[str, str]) -> Cells:
        """Run the SELECT ``text`` with each variable of ``bindings`` bound to its term
        (wherever it occurs, as rdflib's ``initBindings`` does) and read cells with
        :func:`cell_value`. A query that fails raises; the caller names the file."""

    def shared_triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every triple as rdflib terms, a term seen before being the same object."""

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        """``(subject, object)`` of every triple with the IRI ``predicate`` (and the IRI
        ``obj`` as object, when given), as text: an IRI, a blank node's id or a literal's
        lexical form."""

    def about(self, subject: str) -> Iterator[tuple[str, str]]:
        """``(predicate, object)`` of every triple with the IRI ``subject``, the object as
        text as :meth:`pairs` gives it."""

    def load(self, path: Path, fmt: str) -> None:
        """Bulk-load the RDF file ``path`` in rdflib format ``fmt``."""

    def load_data(self, data: bytes, fmt: str) -> None:
        """Bulk-load RDF text in rdflib format ``fmt``."""

    def dump(self, destination: str, fmt: str) -> None:
        """Serialise every triple to the file ``destination`` in rdflib format ``fmt``."""

    def plain_graph(self) -> Graph:
        """The triples in rdflib's memory store, literals in rdflib's own forms."""


def cell_value(node: Node | None) -> Any:
    """A result cell as a plain Python value: IRIs and text as str, numbers as int/float.

    >>> cell_value(Literal(3)), cell_value(Literal("3.5", datatype=XSD.decimal)), cell_value(None)
    (3, 3.5, None)
    """
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, str):  # a Literal is a str too (rdflib keeps gYear as one)
            return str(value)
        if isinstance(value, bool | int | float):
            return value
        if node.datatype in (XSD.decimal, XSD.double, XSD.float):
            return float(node)
        return str(node)
    return str(node)
