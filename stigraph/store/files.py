"""RDF files on any store: the format from the suffix, parsing with errors naming the file,
and writing atomically (a temporary file renamed into place)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from stigraph.errors import InputError, ParameterError
from stigraph.store import store_of
from stigraph.store.memo import keep_file, kept_file
from stigraph.writing.atomic import readable_mode

__all__ = ["FORMATS_BY_SUFFIX", "format_for", "keep_turtle", "parse_rdf_file", "write_graph",
           "write_turtle"]

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
    store = store_of(graph)
    try:
        store.load(path, fmt)
    except UnicodeDecodeError as exc:
        raise error(f"{path}: is not UTF-8 ({exc.reason} at byte {exc.start}); re-save it "
                    "as UTF-8") from exc
    except Exception as exc:  # rdflib raises many parser-specific exception types
        # Oxigraph's own errors name the line; rdflib's N-Triples parser's do not
        line = _nt_error_line(path) if fmt == "nt" and store.kind == "memory" else None
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
        store_of(graph).dump(tmp, fmt)
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


#: The name of the Turtle file kept beside a kept graph (:mod:`stigraph.store.memo`); its code
#: is this module.
_TURTLE = "turtle"


def _turtle_writer(graph: Graph) -> Callable[[Path], Path]:
    return lambda target: write_graph(graph, target, "turtle")


def write_turtle(graph: Graph, path: Path) -> Path:
    """``graph`` as Turtle at ``path``; a kept graph's file is kept beside it, so the next
    run copies it (a few seconds) instead of writing it (half a minute on the default
    graph read from disk)."""
    return kept_file(graph, _TURTLE, path, _turtle_writer(graph), code=(Path(__file__),))


def keep_turtle(graph: Graph) -> None:
    """Write the Turtle file :func:`write_turtle` keeps for a kept graph now (a read ahead)."""
    keep_file(graph, _TURTLE, _turtle_writer(graph), code=(Path(__file__),))
