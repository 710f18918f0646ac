"""The ``stigraph`` command line: a thin click layer over the library.

Each command parses options (shared ones from :mod:`stigraph.cli.options`), calls one library
function and prints. Commands live one module per topic; each module exposes ``COMMANDS`` and
is listed in :data:`_MODULES`. Command modules import :mod:`stigraph.cli.options`, never this
module, so there is no import cycle.
"""

from __future__ import annotations

import importlib

import click

from stigraph import __version__

__all__ = ["main"]

# Each listed module defines COMMANDS: a list of click commands or groups.
_MODULES = [
    "stigraph.cli.graph",
    "stigraph.cli.imports",
    "stigraph.cli.neo4j",
    "stigraph.cli.report",
    "stigraph.cli.analytics",
    "stigraph.cli.export",
    "stigraph.cli.compare",
    "stigraph.cli.model",
    "stigraph.cli.partners",
    "stigraph.cli.cache",
]


def version_text() -> str:
    """``stigraph VERSION`` and, per shipped data file (data/MANIFEST.csv), its rows and the
    SHA-256 of the source file it was cut from: the data version this installation carries."""
    import csv

    from stigraph.resources import shipped_data_dir

    lines = [f"stigraph {__version__}"]
    manifest = shipped_data_dir() / "MANIFEST.csv"
    if not manifest.is_file():
        return lines[0] + "\nshipped data: none (no data/MANIFEST.csv)"
    lines.append("shipped data (data/MANIFEST.csv; source = SHA-256 of the file it was cut from):")
    with manifest.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lines.append(f"  {row['file']}: {int(row['rows']):,} rows, "
                         f"source {row['source_file']} sha256 {row['source_sha256'][:12]}")
    return "\n".join(lines)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version,
              help="Show the version and the shipped data versions, then exit.")
def main() -> None:
    """stigraph: a knowledge graph of international STI cooperation.

    \b
    Example:
        stigraph build --out out
        stigraph query cooperation-partners --param entity=cern --format table
    """


def _register_commands() -> None:
    for name in _MODULES:
        for command in importlib.import_module(name).COMMANDS:
            main.add_command(command)


_register_commands()
