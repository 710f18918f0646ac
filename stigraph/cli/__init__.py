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
    "stigraph.cli.model",
    "stigraph.cli.partners",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stigraph")
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
