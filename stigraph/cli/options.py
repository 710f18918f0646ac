"""The CLI's one option layer: output format, graph source, error reporting.

Every command module imports its shared options from here (never from :mod:`stigraph.cli`,
which imports the command modules): library errors
(:class:`stigraph.errors.StigraphError`) become a message and a non-zero exit code.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from stigraph.build.builder import BuildResult, open_graph
from stigraph.errors import StigraphError, ValidationError
from stigraph.outputs.tables import FORMATS, Row, render
from stigraph.store import STORES

F = TypeVar("F", bound=Callable[..., Any])


def format_option(func: F) -> F:
    """The shared ``--format`` option: json (default), csv or table."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
        help="Output format.",
    )(func)


def graph_options(func: F) -> F:
    """Where the graph comes from: a built file (``--graph``) or a fresh build from the seeds."""
    options = [
        click.option("--graph", "graph_file", type=click.Path(exists=True, dir_okay=False,
                     path_type=Path), help="Use a built graph file (.ttl/.nt/.jsonld) instead "
                     "of building from the seeds."),
        click.option("--seeds", "seed_dirs", multiple=True, type=click.Path(
                     exists=True, file_okay=False, path_type=Path),
                     help="Extra seed folder (repeatable), read after the project's seeds/."),
        click.option("--include", multiple=True, type=click.Path(exists=True, dir_okay=False,
                     path_type=Path), help="Extra RDF file to add, e.g. importer output "
                     "(repeatable)."),
        click.option("--store", type=click.Choice(STORES), default="auto", show_default=True,
                     help="Embedded store: rdflib memory, Oxigraph (the 'fast' extra) or auto "
                     "(Oxigraph when installed)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def open_graph_from_options(graph_file: Path | None, seed_dirs: Sequence[Path],
                            include: Sequence[Path], store: str) -> BuildResult:
    """The graph that the options of :func:`graph_options` describe."""
    return open_graph(graph_file, seed_dirs=seed_dirs, include=include, store=store)


def emit(rows: Sequence[Row], fmt: str, columns: Sequence[str] | None = None) -> None:
    click.echo(render(rows, fmt, columns))


def reports_errors(func: F) -> F:
    """Turn library errors into a clean message and exit code (1 for invalid data, 2 otherwise)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except StigraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]
