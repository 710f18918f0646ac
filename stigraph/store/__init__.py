"""The embedded stores (rdflib memory or Oxigraph) and reading/writing RDF files atomically."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

from rdflib import Graph

from stigraph.errors import BackendError, InputError, ParameterError
from stigraph.outputs.tables import readable_mode

__all__ = ["FORMATS_BY_SUFFIX", "STORES", "copy_into", "format_for", "is_oxigraph",
           "native_format", "native_oxigraph", "new_graph", "parse_rdf_file", "resolve_store",
           "write_graph"]

STORES = ("auto", "memory", "oxigraph")

#: File suffix -> rdflib format name.
FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".nq": "nquads",
}


def resolve_store(store: str) -> str:
    """``auto``: Oxigraph when installed (its SPARQL engine is many times faster), else rdflib."""
    if store != "auto":
        return store
    return "oxigraph" if importlib.util.find_spec("oxrdflib") is not None else "memory"


def new_graph(store: str = "memory") -> Graph:
    """An empty graph on the chosen embedded store.

    ``memory`` is rdflib's own store; ``oxigraph`` is the Rust Oxigraph store through the
    oxrdflib plugin (``pip install stigraph[fast]``), much faster on large graphs; ``auto`` is
    Oxigraph when installed.
    """
    store = resolve_store(store)
    if store == "memory":
        return Graph()
    if store == "oxigraph":
        try:
            import oxrdflib  # noqa: F401  (registers the "Oxigraph" store plugin)
        except ImportError as exc:
            raise BackendError(
                "the oxigraph store needs the optional 'fast' extra: pip install 'stigraph[fast]'"
            ) from exc
        return Graph(store="Oxigraph")
    raise ParameterError(f"unknown store {store!r}; use one of {', '.join(STORES)}")


def format_for(path: Path) -> str:
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        raise ParameterError(
            f"{path}: cannot tell the RDF format from the suffix {path.suffix!r}; use one of "
            f"{', '.join(sorted(FORMATS_BY_SUFFIX))}"
        ) from None


def parse_rdf_file(graph: Graph, path: Path, *, error: type[InputError] = InputError) -> None:
    """Parse ``path`` into ``graph``; a syntax error becomes ``error`` naming file and line."""
    if not path.is_file():
        raise error(f"{path}: no such file")
    fmt = format_for(path)
    if fmt == "json-ld":
        from stigraph.store.jsonld import refuse_remote_contexts

        refuse_remote_contexts(path, error)
    # Oxigraph's bulk loader skips its transaction log: several times faster on big files.
    try:
        if is_oxigraph(graph):
            graph.parse(path, format=native_format(graph, fmt), transactional=False)
        else:
            graph.parse(path, format=fmt)
    except UnicodeDecodeError as exc:
        raise error(f"{path}: is not UTF-8 ({exc.reason} at byte {exc.start}); re-save it "
                    "as UTF-8") from exc
    except Exception as exc:  # rdflib raises many parser-specific exception types
        line = _nt_error_line(path) if fmt == "nt" and not is_oxigraph(graph) else None
        where = f"{path}:{line}" if line else str(path)
        raise error(f"{where}: not valid {fmt}: {_first_line(exc)}") from exc


def _nt_error_line(path: Path) -> int | None:
    """The first line of an N-Triples file rdflib cannot parse (its error has no line)."""
    from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

    class Discard:  # rdflib's default sink prints every triple
        def triple(self, *terms: object) -> None:
            return None

    parser = W3CNTriplesParser(Discard())  # type: ignore[arg-type]
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            try:
                parser.parsestring(text)
            except Exception:  # the parser's ParseError and whatever a bad line raises
                return number
    return None


def is_oxigraph(graph: Graph) -> bool:
    return type(graph.store).__name__ == "OxigraphStore"


def native_oxigraph(graph: Graph) -> tuple[Any, Any]:
    """The ``pyoxigraph.Store`` behind an Oxigraph-backed graph and the name of the graph in
    it, for reading it without building rdflib terms (the SPARQL engine, the Neo4j mapping)."""
    from oxrdflib._converter import to_ox  # the plugin's own naming of the graph's quads

    return graph.store._inner, to_ox(graph.identifier)  # type: ignore[attr-defined]


def native_format(graph: Graph, fmt: str) -> str:
    """On the Oxigraph store, Oxigraph's own (Rust) parser or serialiser for ``fmt``."""
    if is_oxigraph(graph) and fmt in ("turtle", "nt", "json-ld", "xml", "nquads"):
        return "ox-" + fmt
    return fmt


def copy_into(source: Graph, store: str) -> Graph:
    """The triples of ``source`` in a new graph on ``store`` (bulk, through N-Triples)."""
    target = new_graph(store)
    for prefix, namespace in source.namespaces():
        target.bind(prefix, namespace, override=True)
    data = source.serialize(format="nt", encoding="utf-8")
    target.parse(data=data, format=native_format(target, "nt"))
    return target


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:400]


def write_graph(graph: Graph, path: Path | str, fmt: str | None = None) -> Path:
    """Serialise ``graph`` to ``path`` atomically (temp file, then rename)."""
    target = Path(path)
    fmt = fmt or format_for(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, readable_mode())
    try:
        graph.serialize(destination=tmp, format=native_format(graph, fmt), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is None:  # a failed write (a full disk): name the file being written
            exc.filename = str(target)
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
