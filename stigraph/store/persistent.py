"""Stores kept on disk: an Oxigraph (RocksDB) folder written once and opened again later.

The built default graph is kept this way between runs (:mod:`stigraph.build.cache`).
A kept store is never written after it is complete: each run opens a private copy, a RocksDB
checkpoint (:func:`open_copy`; its table files are hard links, so the copy takes milliseconds
whatever the size), so that what a run adds (predicted links, ``--include`` files) stays in
that run, and two runs can read the same kept store at the same time.

Only Oxigraph keeps a store on disk; rdflib's memory store has no such form
(:func:`can_persist`).
"""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

from rdflib import URIRef

from stigraph.errors import BackendError
from stigraph.store.base import Store
from stigraph.store.oxigraph import OxigraphStore

__all__ = ["can_persist", "finish_on_disk", "library_versions", "new_on_disk", "open_copy",
           "viewed_as_kept", "write_on_disk"]

#: The name of the graph inside every kept store.
_GRAPH_NAME = URIRef("urn:stigraph:kept-graph")


#: The libraries that parse, store and write the triples (and the kept store's format).
_LIBRARIES = ("rdflib", "pyoxigraph", "oxrdflib")


def library_versions() -> dict[str, str]:
    """The installed version of each library behind the stores (``absent`` if not installed):
    part of a kept graph's key, as a new version may read or store triples differently."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def can_persist() -> bool:
    """Whether a store can be kept on disk here (the ``fast``/``oxigraph`` extra installed)."""
    return importlib.util.find_spec("oxrdflib") is not None


def _on_disk(folder: Path) -> Store:
    if not can_persist():
        raise BackendError("keeping a graph on disk needs the optional 'oxigraph' extra: "
                           "pip install 'stigraph[oxigraph]'")
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore as Plugin
    from rdflib import Graph

    try:
        native = ox.Store(str(folder))
    except OSError as exc:
        raise BackendError(f"{folder}: cannot open the graph store kept there ({exc})") from exc
    # a fixed graph name: rdflib names each new graph with a fresh blank node, under which a
    # reopened store would find none of its triples
    return OxigraphStore(Graph(store=Plugin(store=native), identifier=_GRAPH_NAME))


def new_on_disk(folder: Path | str) -> Store:
    """A new, empty store on disk in ``folder`` (created; it must not hold a store yet), to
    build a graph straight into it; :func:`finish_on_disk` when complete."""
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise BackendError(f"{target}: is not empty; a new on-disk store needs an empty folder")
    target.mkdir(parents=True, exist_ok=True)
    return _on_disk(target)


def finish_on_disk(store: Store) -> None:
    """Write everything of a store made by :func:`new_on_disk` to its files, compacted."""
    native, _name = store._native_store()  # type: ignore[attr-defined]
    native.flush()
    native.optimize()


def viewed_as_kept(store: Store) -> Store:
    """The triples of the Oxigraph store ``store`` through a new rdflib graph, as a kept store
    opens (:func:`_on_disk`): only rdflib's own prefixes bound, so that what is written from
    it (a Turtle file) is what the kept store would write."""
    from oxrdflib import OxigraphStore as Plugin
    from rdflib import Graph

    if not isinstance(store, OxigraphStore):
        raise BackendError("only an Oxigraph store can stand in for a kept store")
    native, _name = store._native_store()
    return OxigraphStore(Graph(store=Plugin(store=native), identifier=store.graph.identifier))


def write_on_disk(source: Store, folder: Path | str) -> None:
    """Write the triples of the Oxigraph store ``source`` into a new store kept in ``folder``
    (created; it must not hold a store yet), complete and closed.

    The quads go from one native store to the other (renamed into the kept graph's name),
    blank nodes included as they are: no N-Triples file is written and parsed again, which
    took a quarter longer on the default graph (5.1 million triples: 60 s against 78 s).
    """
    import pyoxigraph as ox

    if not isinstance(source, OxigraphStore):
        raise BackendError("only an Oxigraph store can be kept on disk (--store oxigraph)")
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise BackendError(f"{target}: is not empty; a new on-disk store needs an empty folder")
    native, name = source._native_store()
    kept = ox.Store(str(target))
    graph = ox.NamedNode(str(_GRAPH_NAME))
    kept.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, graph)
                     for q in native.quads_for_pattern(None, None, None, name))
    kept.flush()
    kept.optimize()
    del kept


def open_copy(kept: Path | str, copy: Path | str) -> Store:
    """A private, writable copy (in the empty folder ``copy``) of the kept store ``kept``."""
    import pyoxigraph as ox

    source, target = Path(kept), Path(copy)
    if target.exists():
        raise BackendError(f"{target}: already exists; a store copy needs a new folder")
    try:
        ox.Store.read_only(str(source)).backup(str(target))
    except OSError as exc:
        raise BackendError(f"{source}: cannot open the kept graph store ({exc}); delete the "
                           "folder to rebuild it") from exc
    return _on_disk(target)
