"""``stigraph cache list|clear``: the graphs kept between runs (:mod:`stigraph.build.cache`)."""

from __future__ import annotations

from pathlib import Path

import click

from stigraph.build.cache import clear, entries
from stigraph.cli.options import default_cache_dir, emit, format_option, reports_errors

_CACHE_DIR = click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path),
    help="The cache folder [default: $STIGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/stigraph, "
    "else ~/.cache/stigraph].")

_COLUMNS = ["key", "created", "used", "megabytes", "default_data", "files", "folder"]


@click.group("cache")
def cache_group() -> None:
    """The built graphs kept between runs: each keyed by a hash of every input of its build
    (code, libraries, ontology, seeds, shipped data), so a changed input builds anew."""


@cache_group.command("list")
@_CACHE_DIR
@format_option
@reports_errors
def list_command(cache_dir: Path | None, fmt: str) -> None:
    """List the kept graphs, most recently used first, with their size on disk.

    \b
    Example:
        stigraph cache list --format table
    """
    emit([e.as_row() for e in entries(cache_dir or default_cache_dir())], fmt, _COLUMNS)


@cache_group.command("clear")
@click.argument("keys", nargs=-1)
@_CACHE_DIR
@format_option
@reports_errors
def clear_command(keys: tuple[str, ...], cache_dir: Path | None, fmt: str) -> None:
    """Delete the kept graphs (only those whose key starts with one of KEYS when given);
    the next command builds its graph again.

    \b
    Example:
        stigraph cache clear
        stigraph cache clear 3f2a9c
    """
    gone = clear(cache_dir or default_cache_dir(), keys)
    emit([e.as_row() for e in gone], fmt, _COLUMNS)
    click.echo(f"deleted {len(gone)} kept graph(s), "
               f"{sum(e.bytes for e in gone) / 1e6:,.1f} MB", err=True)


COMMANDS = [cache_group]
