"""Neo4j commands: ``load`` pushes the graph over Bolt. Shared connection options live here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from stigraph.build.builder import GraphSource, open_graph
from stigraph.cli.options import emit, format_option, graph_source, reports_errors
from stigraph.neo4j.settings import DEFAULT_BATCH_SIZE, LoadOptions, Neo4jSettings

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["COMMANDS", "load", "neo4j_options", "settings_from_options"]


def neo4j_options(func: F) -> F:
    """``--uri/--user/--password/--database`` with their ``NEO4J_*`` environment variables."""
    options = [
        click.option("--uri", "neo4j_uri", envvar="NEO4J_URI", show_envvar=True,
                     default="bolt://localhost:7687", show_default=True,
                     help="Bolt URI of the Neo4j server."),
        click.option("--user", "neo4j_user", envvar="NEO4J_USER", show_envvar=True,
                     default="neo4j", show_default=True, help="Neo4j user name."),
        click.option("--password", "neo4j_password", envvar="NEO4J_PASSWORD", show_envvar=True,
                     default=None, help="Neo4j password (prefer the environment variable)."),
        click.option("--database", "neo4j_database", envvar="NEO4J_DATABASE", show_envvar=True,
                     default="neo4j", show_default=True, help="Neo4j database name."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def settings_from_options(neo4j_uri: str, neo4j_user: str, neo4j_password: str | None,
                          neo4j_database: str) -> Neo4jSettings:
    return Neo4jSettings(uri=neo4j_uri, user=neo4j_user, password=neo4j_password,
                         database=neo4j_database)


@click.command()
@graph_source
@neo4j_options
@click.option("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Rows per transaction.")
@click.option("--wipe", is_flag=True,
              help="Delete stigraph's data (:Resource nodes, the prefix table) first.")
@click.option("--dry-run", is_flag=True, help="Map the graph and print counts; send nothing.")
@format_option
@reports_errors
def load(source: GraphSource, neo4j_uri: str, neo4j_user: str, neo4j_password: str | None,
         neo4j_database: str, batch_size: int, wipe: bool, dry_run: bool, fmt: str) -> None:
    """Load the graph into Neo4j over Bolt: batched, idempotent, with a summary.

    Nodes become :Resource {uri} with labels from their classes; relationships keep the
    predicate IRI; memberships are nodes and direct edges. A second load changes nothing.

    \b
    Example:
        export NEO4J_PASSWORD=...   # see docker-compose.yml
        stigraph load --dry-run --format table
        stigraph load --uri bolt://localhost:7687 --format table
    """
    from stigraph.neo4j.connect import connected
    from stigraph.neo4j.loader import load_graph
    from stigraph.neo4j.mapping import map_graph

    settings = settings_from_options(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    options = LoadOptions(batch_size=batch_size, wipe=wipe, dry_run=dry_run)
    graph = map_graph(open_graph(source).graph)
    if dry_run:
        summary = load_graph(None, graph, settings=settings, options=options)
    else:
        total = len(graph.nodes) + len(graph.relationships)
        bar = click.progressbar(length=total, label="Loading", file=sys.stderr)
        with connected(settings) as driver, bar:
            summary = load_graph(driver, graph, settings=settings, options=options,
                                 progress=bar.update)
    emit([summary.as_row()], fmt)


COMMANDS = [load]
