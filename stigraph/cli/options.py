"""The CLI's one option layer: output format, graph source, error reporting.

Every command module imports its shared options from here (never from :mod:`stigraph.cli`,
which imports the command modules): library errors
(:class:`stigraph.errors.StigraphError`) become a message and a non-zero exit code.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from stigraph.build.builder import GraphSource
from stigraph.build.cache import DEFAULT_KEEP
from stigraph.dates import parse_user_date
from stigraph.errors import ParameterError, StigraphError, ValidationError
from stigraph.outputs.tables import FORMATS, Row, render
from stigraph.store import STORES

F = TypeVar("F", bound=Callable[..., Any])


#: What ``--format`` offers: the text formats, and xlsx (binary: redirect stdout to a file).
CLI_FORMATS = (*FORMATS, "xlsx")


def _remember_iri(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta["stigraph.iri"] = value
    return value


def format_option(func: F) -> F:
    """The shared ``--format`` option (json, csv, table or xlsx) and ``--iri`` (full IRIs in
    the table instead of codes; JSON, CSV and xlsx always carry full IRIs)."""
    func = click.option(
        "--iri", is_flag=True, expose_value=False, callback=_remember_iri,
        help="In --format table, show full IRIs rather than codes (KE, cern).",
    )(func)
    return click.option(
        "--format", "fmt", type=click.Choice(CLI_FORMATS), default="json", show_default=True,
        help="Output format: json, csv, table (for reading: codes and labels, long text "
             "wrapped, nothing a user copies is cut) or xlsx (a workbook on stdout: "
             "> out.xlsx).",
    )(func)


class DateType(click.ParamType):
    """A date option: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (a month or year: its last day)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_user_date(str(value), what=f"--{param.name if param else 'date'}")
        except ParameterError as exc:
            self.fail(str(exc), param, ctx)


class KeyValueType(click.ParamType):
    """A ``NAME=VALUE`` option value, as a ``(name, value)`` pair."""

    name = "name=value"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        item = str(value)
        shown = item.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            self.fail(f"'{shown}': write NAME=VALUE", param, ctx)
        bad = next((i for i, c in enumerate(item) if "\udc80" <= c <= "\udcff"), None)
        if bad is not None:  # bytes that were not UTF-8, kept by Python as surrogates
            self.fail(f"'{shown}': not valid UTF-8 (byte 0x{ord(item[bad]) - 0xDC00:02x}); "
                      "check the encoding of the terminal or script that passed it", param, ctx)
        return key.strip(), text


DATE = DateType()
KEY_VALUE = KeyValueType()

_SOURCE_FIELDS = ("graph_file", "seed_dirs", "include", "membership_files",
                  "no_default_seeds", "store", "default_data", "cache", "cache_dir",
                  "cache_keep")


def default_cache_dir() -> Path:
    """The user cache folder: ``$STIGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/stigraph``, else
    ``~/.cache/stigraph`` (the environment is read here, in the CLI, never in the library)."""
    import os

    if os.environ.get("STIGRAPH_CACHE_DIR"):
        return Path(os.environ["STIGRAPH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stigraph"


def graph_source(func: F) -> F:
    """The graph-source options of every command that reads a graph, passed to the command
    as one ``source`` (:class:`~stigraph.build.builder.GraphSource`)."""
    options = [
        click.option("--graph", "graph_file", type=click.Path(exists=True, dir_okay=False,
                     path_type=Path), help="Use a built graph file (.ttl/.nt/.jsonld) instead "
                     "of building from the seeds."),
        click.option("--seeds", "seed_dirs", multiple=True, type=click.Path(
                     exists=True, file_okay=False, path_type=Path),
                     help="Extra seed folder (repeatable), read after the project's seeds/."),
        click.option("--no-default-seeds", is_flag=True,
                     help="Read only the --seeds folders, not the project's own seeds/."),
        click.option("--memberships", "membership_files", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Extra CSV file in the memberships format (repeatable), whatever "
                     "its name."),
        click.option("--include", multiple=True, type=click.Path(exists=True, dir_okay=False,
                     path_type=Path), help="Extra RDF file to add, e.g. importer output "
                     "(repeatable)."),
        click.option("--store", type=click.Choice(STORES), default="auto", show_default=True,
                     help="Embedded store: rdflib memory, Oxigraph (the 'oxigraph' extra) or "
                     "auto (Oxigraph when installed)."),
        click.option("--default-data/--no-default-data", default=True,
                     envvar="STIGRAPH_DEFAULT_DATA", show_default=True,
                     help="Add the shipped real data (Horizon Europe, OpenAlex co-authorship, "
                     "GCF, COW IGO: 5.1 million triples) to the project's seeds; "
                     "--no-default-data (or STIGRAPH_DEFAULT_DATA=0) builds the seeds alone."),
        click.option("--cache/--no-cache", default=True, envvar="STIGRAPH_CACHE",
                     show_default=True, help="Reuse the graph kept by an earlier run while "
                     "its inputs are unchanged, and keep the graph built now (--no-cache or "
                     "STIGRAPH_CACHE=0: build now, keep nothing). See `stigraph cache`."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Where built graphs are kept between runs [default: "
                     "$STIGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/stigraph, else "
                     "~/.cache/stigraph]."),
        click.option("--cache-keep", type=click.IntRange(min=1), default=DEFAULT_KEEP,
                     envvar="STIGRAPH_CACHE_KEEP", show_default=True,
                     help="How many kept graphs (the most recently used) the cache holds."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _SOURCE_FIELDS}
        kwargs["source"] = GraphSource(
            graph_file=values["graph_file"], seed_dirs=tuple(values["seed_dirs"]),
            include=tuple(values["include"]), membership_files=tuple(values["membership_files"]),
            default_seeds=not values["no_default_seeds"], store=values["store"],
            default_data=values["default_data"],
            cache_dir=(values["cache_dir"] or default_cache_dir()) if values["cache"] else None,
            cache_keep=values["cache_keep"])
        return func(*args, **kwargs)

    command: Any = wrapper
    for option in reversed(options):
        command = option(command)
    return command


def out_option(what: str, *, folder: bool = False, required: bool = False,
               default: Path | None = None) -> Callable[[F], F]:
    """``--out``: the path of what the command writes, a file or, for commands that write
    several files, a folder; ``what`` says which in the help."""
    kind = "Folder" if folder else "File"
    return click.option(
        "--out", "out", type=click.Path(file_okay=not folder, dir_okay=folder, path_type=Path),
        required=required, default=default, show_default=default is not None,
        help=f"{kind} to write: {what}.")


def emit(rows: Sequence[Row], fmt: str, columns: Sequence[str] | None = None, *,
         sheet: str = "rows") -> None:
    """Print ``rows`` in ``fmt``; xlsx goes to stdout as bytes (refused on a terminal)."""
    if fmt == "xlsx":
        from stigraph.outputs.xlsx import workbook_bytes

        stream = sys.stdout.buffer
        if sys.stdout.isatty():
            raise ParameterError("--format xlsx writes a binary workbook: redirect stdout to "
                                 "a file (> rows.xlsx)")
        cols = list(columns) if columns else list(dict.fromkeys(k for r in rows for k in r))
        stream.write(workbook_bytes({sheet: (cols, list(rows))}))
        stream.flush()
        return
    ctx = click.get_current_context(silent=True)
    iri = bool(ctx and ctx.find_root().meta.get("stigraph.iri")) or bool(
        ctx and ctx.meta.get("stigraph.iri"))
    click.echo(render(rows, fmt, columns, iri=iri))


#: What to do about an OS error, by errno.
_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space or write somewhere else (--out)",
    errno.EDQUOT: "the disk quota is used up: free some space or write somewhere else (--out)",
    errno.EACCES: "permission denied: choose a folder you can write (--out) or fix its "
                  "permissions",
    errno.EPERM: "not permitted: choose a folder you can write (--out)",
    errno.EROFS: "the file system is read-only: write somewhere else (--out)",
    errno.EISDIR: "that path is a folder: give a file name",
    errno.ENOTDIR: "a part of that path is a file, not a folder: give another path",
    errno.ENOENT: "the path or its folder does not exist and cannot be created there",
    errno.EEXIST: "something is already at that path and cannot be replaced",
    errno.ENAMETOOLONG: "the path is too long: give a shorter one",
}

#: Exit code after Ctrl-C (128 + SIGINT), as shells use.
INTERRUPTED = 130


def os_error_message(exc: OSError) -> str:
    """One line for an OS error: the path(s), what went wrong and what to do."""
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    # a rename of a temporary file over the target: the target is what the user named
    named = [p for p in paths if not (Path(p).name.startswith(".") and p.endswith(".tmp"))]
    paths = named or paths
    where = " -> ".join(paths) if paths else "a file"
    reason = exc.strerror or str(exc) or type(exc).__name__
    hint = _OS_HINTS.get(exc.errno or 0, "check the path and try again")
    return f"cannot use {where}: {reason} ({hint})"


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from or while handling, nearest first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 20:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _interrupted(exc: BaseException) -> None:
    """Report a Ctrl-C (also one a driver turned into another error while cleaning up)."""
    chain = _chain(exc)
    told = next((e for e in chain if isinstance(e, StigraphError)), None)
    click.echo(f"Error: {told}" if told is not None else "Error: interrupted (Ctrl-C); "
               "nothing was half-written: rerun the command to do the work", err=True)
    sys.exit(INTERRUPTED)


def reports_errors(func: F) -> F:
    """Turn library errors into a clean message and exit code (1 for invalid data, 2 otherwise).

    An OS error (an unwritable folder, a full disk, an output path that is a folder) becomes a
    message naming the path and what to do; Ctrl-C exits with 130 and, when the library said
    how far it got (a Neo4j load), that.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except StigraphError as exc:
            if any(isinstance(e, KeyboardInterrupt) for e in _chain(exc)):
                _interrupted(exc)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:
            if any(isinstance(e, KeyboardInterrupt) for e in _chain(exc)):
                _interrupted(exc)
            click.echo(f"Error: {os_error_message(exc)}", err=True)
            sys.exit(2)
        except (KeyboardInterrupt, BufferError) as exc:
            if not any(isinstance(e, KeyboardInterrupt) for e in _chain(exc)):
                raise
            _interrupted(exc)

    return wrapper  # type: ignore[return-value]
