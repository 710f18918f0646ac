"""CLI commands, one module per topic. Add a module's commands to ``_MODULES`` to register them."""

from __future__ import annotations

import importlib

import click

# Each listed module defines COMMANDS: a list of click commands or groups.
_MODULES = [
    "stigraph.commands.graph",
    "stigraph.commands.imports",
    "stigraph.commands.neo4j",
    "stigraph.commands.report",
    "stigraph.commands.analytics",
]


def all_commands() -> list[click.Command]:
    commands: list[click.Command] = []
    for name in _MODULES:
        commands.extend(importlib.import_module(name).COMMANDS)
    return commands
