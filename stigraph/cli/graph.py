"""Commands on the graph itself: build, validate, query."""

from __future__ import annotations

import time
from pathlib import Path

import click

from stigraph.build.builder import GraphSource, open_graph
from stigraph.build.graphfile import write_graph_files
from stigraph.cli.neo4j import neo4j_options, settings_from_options
from stigraph.cli.options import (
    KEY_VALUE,
    emit,
    format_option,
    graph_source,
    out_option,
    reports_errors,
)
from stigraph.errors import ValidationError
from stigraph.queries.catalogue import get_query, load_queries
from stigraph.queries.sparql import run_sparql
from stigraph.store import resolve_store, store_of
from stigraph.validate.shacl import ENGINES, SPARQL_ABOVE, kept_validation


@click.command()
@graph_source
@out_option("the graph files NAME.ttl and NAME.nt (and NAME.jsonld)", folder=True,
            default=Path("out"))
@click.option("--name", default="stigraph", show_default=True, help="Base name of the files.")
@click.option("--jsonld", is_flag=True, help="Also write JSON-LD.")
@format_option
@reports_errors
def build(source: GraphSource, out: Path, name: str, jsonld: bool, fmt: str) -> None:
    """Build the graph from the ontology and seeds; write Turtle and N-Triples; print counts.

    \b
    Example:
        stigraph build --out out --jsonld --format table
    """
    started = time.perf_counter()
    result = open_graph(source)
    built = time.perf_counter() - started
    suffixes = [".ttl", ".nt", ".jsonld"] if jsonld else [".ttl", ".nt"]
    written = write_graph_files(result.graph, [out / f"{name}{s}" for s in suffixes])
    counts = result.counts()
    emit([{"what": key, "count": value} for key, value in counts.items()], fmt)
    issues = result.lifetimes.issues
    if issues:
        click.echo(f"Warning: {len(issues)} of {result.lifetimes.facts:,} dated facts are dated "
                   "outside their organisation's lifetime (they count only within it), e.g.:",
                   err=True)
        for issue in issues[:5]:
            click.echo(f"  {issue.node}: {issue.problem}", err=True)
    click.echo(f"built in {built:.2f} s on the {resolve_store(source.store)} store; wrote "
               + ", ".join(str(p) for p in written), err=True)


@click.command()
@graph_source
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="pyshacl (the reference), sparql (the shapes compiled to SPARQL on the "
              "graph's store: fast on large graphs) or auto (sparql from "
              f"{SPARQL_ABOVE:,} triples).")
@format_option
@reports_errors
def validate(source: GraphSource, engine: str, fmt: str) -> None:
    """Check the graph against the SHACL shapes; exit 1 if it does not conform.

    Each violation names the focus node, the property path and the seed file and line it
    came from.

    \b
    Example:
        stigraph validate --seeds my-seeds/ --format table
    """
    result = open_graph(source)
    # a kept graph's report is kept beside it, by engine (stigraph.store.memo)
    report = kept_validation(result.graph, result.origins, engine=engine)
    if report.violations:
        emit(report.as_rows(), fmt, ["origin", "focus", "path", "message", "value", "severity"])
    if not report.conforms:
        raise ValidationError(f"the graph does not conform: {len(report.violations)} "
                              "violation(s); fix the seed rows named above")
    click.echo(f"conforms: {len(store_of(result.graph))} triples checked against "
               "ontology/shapes.ttl", err=True)


@click.command()
@click.argument("name", required=False)
@click.option("--param", "param_values", multiple=True, type=KEY_VALUE,
              help="A query parameter (repeatable); dates as YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded",
              show_default=True, help="Run on the embedded store or on Neo4j over Bolt.")
@graph_source
@neo4j_options
@format_option
@reports_errors
def query(name: str | None, param_values: tuple[tuple[str, str], ...], list_queries: bool,
          backend: str, source: GraphSource, fmt: str, **neo4j: str | None) -> None:
    """Run a named query (queries/sparql/NAME.rq) with bound parameters.

    \b
    Examples:
        stigraph query --list --format table
        stigraph query members --param organisation=cern --param as_of=2000-01-01
        stigraph query cooperation-partners --param entity=KE --format csv
    """
    if list_queries or not name:
        emit([{"name": q.name, "title": q.title,
               "params": " ".join(p.name + ("?" if p.optional or p.type == "date" else "")
                                  for p in q.params)}
              for q in load_queries("sparql").values()], fmt)
        return
    params = dict(param_values)
    if backend == "neo4j":
        from stigraph.neo4j.cypher import run_cypher

        settings = settings_from_options(**neo4j)  # type: ignore[arg-type]
        emit(run_cypher(settings, name, params), fmt, get_query(name, "cypher").columns or None)
        return
    result = open_graph(source)
    emit(run_sparql(result.graph, name, params), fmt, get_query(name).columns or None)


COMMANDS = [build, validate, query]
