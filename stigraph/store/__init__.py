"""The embedded RDF stores behind one seam.

A :class:`~stigraph.store.base.Store` is rdflib's memory store
(:class:`~stigraph.store.memory.MemoryStore`) or Oxigraph
(:class:`~stigraph.store.oxigraph.OxigraphStore`). Code outside this package opens one with
:func:`open_store`, or asks :func:`store_of` for the store behind an rdflib graph it was handed,
and then only calls the protocol: it never imports pyoxigraph or oxrdflib and never asks
which store it has. RDF files are read and written through :mod:`stigraph.store.files`.
"""

from __future__ import annotations

import importlib.util

from rdflib import Graph

from stigraph.errors import ParameterError
from stigraph.store.base import Cells, Store, cell_value
from stigraph.store.memory import MemoryStore
from stigraph.store.oxigraph import OxigraphStore, backs

__all__ = ["STORES", "Cells", "Store", "cell_value", "copy_store", "new_graph", "open_store",
           "resolve_store", "store_of"]

STORES = ("auto", "memory", "oxigraph")



def resolve_store(store: str) -> str:
    """``auto``: Oxigraph when installed (its SPARQL engine is many times faster), else rdflib."""
    if store == "auto":
        return "oxigraph" if importlib.util.find_spec("oxrdflib") is not None else "memory"
    if store not in STORES:
        raise ParameterError(f"unknown store {store!r}; use one of {', '.join(STORES)}")
    return store


def open_store(kind: str = "memory") -> Store:
    """An empty store: ``memory`` (rdflib), ``oxigraph`` (the ``oxigraph`` extra) or ``auto``
    (Oxigraph when installed)."""
    return OxigraphStore() if resolve_store(kind) == "oxigraph" else MemoryStore()


def new_graph(kind: str = "memory") -> Graph:
    """The rdflib view of a new, empty store."""
    return open_store(kind).graph


def store_of(graph: Graph) -> Store:
    """The store behind ``graph`` (any rdflib graph), as a new wrapper of it.

    The wrappers hold nothing but the graph, so none is remembered: a registry keyed by the
    graph would match rdflib graphs by *equality*, which is by name, and every kept graph
    (:mod:`stigraph.store.persistent`) has the same name, so a second kept graph was read,
    counted, dumped and given its date bounds through the first one's store; a weak registry
    whose values hold their keys also kept every graph of a process alive.
    """
    return OxigraphStore(graph) if backs(graph) else MemoryStore(graph)


def copy_store(source: Graph, kind: str, *, into: Store | None = None) -> Store:
    """The triples and prefixes of ``source`` in a new store of ``kind`` (bulk, through
    N-Triples), or added to the store ``into`` (an empty store on disk, to keep)."""
    target = into if into is not None else open_store(kind)
    for prefix, namespace in source.namespaces():
        target.graph.bind(prefix, namespace, override=True)
    target.load_data(source.serialize(format="nt", encoding="utf-8"), "nt")
    return target
