"""Commands on the graph itself: build, validate, query."""

from __future__ import annotations

import time
from pathlib import Path

import click

from stigraph.build.builder import build_graph
from stigraph.build.graphfile import write_graph_files
from stigraph.cli.neo4j import neo4j_options, settings_from_options
from stigraph.cli.options import (
    emit,
    format_option,
    graph_options,
    open_graph_from_options,
    reports_errors,
)
from stigraph.errors import ParameterError, ValidationError
from stigraph.queries.catalogue import get_query, load_queries, run_sparql
from stigraph.store import STORES, resolve_store
from stigraph.validate.shacl import ENGINES, SPARQL_ABOVE, validate_graph


@click.command()
@click.option("--seeds", "seed_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Extra seed folder (repeatable), read after the project's seeds/.")
@click.option("--include", multiple=True, type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Extra RDF file to add, e.g. importer output (repeatable).")
@click.option("--memberships", "membership_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra CSV file in the memberships format (repeatable), whatever its name.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the graph files.")
@click.option("--name", default="stigraph", show_default=True, help="Base name of the files.")
@click.option("--jsonld", is_flag=True, help="Also write JSON-LD.")
@click.option("--no-default-seeds", is_flag=True,
              help="Do not read the project's own seeds/ (only --seeds folders).")
@click.option("--store", type=click.Choice(STORES), default="auto", show_default=True,
              help="Embedded store: rdflib memory, Oxigraph (the 'fast' extra) or auto "
                     "(Oxigraph when installed).")
@format_option
@reports_errors
def build(seed_dirs: tuple[Path, ...], include: tuple[Path, ...],
          membership_files: tuple[Path, ...], out_dir: Path, name: str,
          jsonld: bool, no_default_seeds: bool, store: str, fmt: str) -> None:
    """Build the graph from the ontology and seeds; write Turtle and N-Triples; print counts.

    \b
    Example:
        stigraph build --out out --jsonld --format table
    """
    started = time.perf_counter()
    result = build_graph(seed_dirs, store=store, include=include,
                         default_seeds=not no_default_seeds, membership_files=membership_files)
    built = time.perf_counter() - started
    suffixes = [".ttl", ".nt", ".jsonld"] if jsonld else [".ttl", ".nt"]
    written = write_graph_files(result.graph, [out_dir / f"{name}{s}" for s in suffixes])
    counts = result.counts()
    emit([{"what": key, "count": value} for key, value in counts.items()], fmt)
    click.echo(f"built in {built:.2f} s on the {resolve_store(store)} store; wrote "
               + ", ".join(str(p) for p in written), err=True)


@click.command()
@graph_options
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="pyshacl (the reference), sparql (the shapes compiled to SPARQL on the "
              "graph's store: fast on large graphs) or auto (sparql from "
              f"{SPARQL_ABOVE:,} triples).")
@format_option
@reports_errors
def validate(graph_file: Path | None, seed_dirs: tuple[Path, ...], include: tuple[Path, ...],
             store: str, engine: str, fmt: str) -> None:
    """Check the graph against the SHACL shapes; exit 1 if it does not conform.

    Each violation names the focus node, the property path and the seed file and line it
    came from.

    \b
    Example:
        stigraph validate --seeds my-seeds/ --format table
    """
    result = open_graph_from_options(graph_file, seed_dirs, include, store)
    report = validate_graph(result.graph, result.origins, engine=engine)
    if report.violations:
        emit(report.as_rows(), fmt, ["origin", "focus", "path", "message", "value", "severity"])
    if not report.conforms:
        raise ValidationError(f"the graph does not conform: {len(report.violations)} "
                              "violation(s); fix the seed rows named above")
    click.echo(f"conforms: {len(result.graph)} triples checked against ontology/shapes.ttl",
               err=True)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ParameterError(f"--param {_shown(item)}: write --param name=value")
        bad = next((i for i, c in enumerate(item) if "\udc80" <= c <= "\udcff"), None)
        if bad is not None:  # bytes that were not UTF-8, kept by Python as surrogates
            raise ParameterError(
                f"--param {_shown(item)}: not valid UTF-8 (byte "
                f"0x{ord(item[bad]) - 0xDC00:02x}); check the encoding of the terminal or "
                "script that passed it")
        params[key.strip()] = value
    return params


def _shown(item: str) -> str:
    """``item`` for a message: undecodable bytes as ``\\xNN``."""
    text = item.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return f"'{text}'"


@click.command()
@click.argument("name", required=False)
@click.option("--param", "param_values", multiple=True, metavar="NAME=VALUE",
              help="A query parameter (repeatable).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded",
              show_default=True, help="Run on the embedded store or on Neo4j over Bolt.")
@graph_options
@neo4j_options
@format_option
@reports_errors
def query(name: str | None, param_values: tuple[str, ...], list_queries: bool,
          backend: str, graph_file: Path | None, seed_dirs: tuple[Path, ...],
          include: tuple[Path, ...], store: str, fmt: str, **neo4j: str | None) -> None:
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
    params = _parse_params(param_values)
    if backend == "neo4j":
        from stigraph.neo4j.cypher import run_cypher

        settings = settings_from_options(**neo4j)  # type: ignore[arg-type]
        emit(run_cypher(settings, name, params), fmt, get_query(name, "cypher").columns or None)
        return
    result = open_graph_from_options(graph_file, seed_dirs, include, store)
    emit(run_sparql(result.graph, name, params), fmt, get_query(name).columns or None)


COMMANDS = [build, validate, query]
