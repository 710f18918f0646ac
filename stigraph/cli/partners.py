"""``stigraph partners``: who cooperates with a country or organisation, from evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from stigraph.build.builder import GraphSource, open_graph
from stigraph.cli.options import (
    DATE,
    emit,
    format_option,
    graph_source,
    out_option,
    reports_errors,
)
from stigraph.outputs.tables import write_rows
from stigraph.projection.evidence import COUNTINGS, KINDS, LAYERS, EvidenceOptions
from stigraph.projection.partners import COLUMNS, YEAR_COLUMNS, partner_rows, resolve_entity


@click.command()
@click.argument("entity")
@graph_source
@click.option("--as-of", "as_of", type=DATE,
              help="Count only what started by this date (YYYY-MM-DD; YYYY-MM or YYYY: its "
              "last day); memberships valid on it. Default: today.")
@click.option("--since", type=int, metavar="YEAR",
              help="Count only cooperation from this year on (memberships: on the date).")
@click.option("--source", "layer", type=click.Choice(("all", *LAYERS)), default="all",
              show_default=True, help="Evidence layer to read.")
@click.option("--counting", type=click.Choice(COUNTINGS), default="full", show_default=True,
              help="How CORDIS and GCF projects count in the combined weight: once per pair "
              "(full) or one unit spread over the participants (fractional).")
@click.option("--kind", type=click.Choice(KINDS), default="countries", show_default=True,
              help="Partner countries or partner organisations.")
@click.option("--programme", metavar="CODE",
              help="Only CORDIS projects of this programme part or its parts (e.g. "
              "HORIZON.2.5, HORIZON.1).")
@click.option("--field", "field_label", metavar="LABEL",
              help="Only CORDIS projects in this EuroSciVoc field (any level, e.g. "
              "'climatology').")
@click.option("--top", type=int, metavar="N", help="Only the N strongest partners.")
@click.option("--by-year", is_flag=True, help="One row per partner and year: the time series.")
@format_option
@out_option("the partner rows, in --format")
@reports_errors
def partners(entity: str, source: GraphSource, as_of: dt.date | None, since: int | None,
             layer: str, counting: str, kind: str, programme: str | None,
             field_label: str | None, top: int | None, by_year: bool, fmt: str,
             out: Path | None) -> None:
    """The partners of ENTITY (a country code, actor slug, CORDIS PIC or IRI), ranked.

    Columns: projects (shared CORDIS projects), projects_fractional, works (OpenAlex
    co-authored works), gcf_projects (GCF projects both are beneficiaries of),
    shared_memberships (organisations both belong to on the date), weight (each layer divided
    by its largest value among the partners, summed), first_year, last_year.

    \b
    Example:
        stigraph import cordis data/cordis_horizon_europe --out he.nt
        stigraph partners KE --include he.nt --source cordis --top 5 --format table
    """
    graph = open_graph(source).graph
    iri = resolve_entity(graph, entity)
    options = EvidenceOptions(as_of=as_of.isoformat() if as_of else None,
                              programme=programme, field=field_label)
    rows = partner_rows(graph, iri, kind=kind, layers=layer, counting=counting, since=since,
                        top=top, by_year=by_year, options=options)
    columns = YEAR_COLUMNS if by_year else COLUMNS
    if out is not None:
        write_rows(out, rows, fmt, columns)
        click.echo(f"wrote {len(rows)} partners of {iri} to {out}", err=True)
    else:
        emit(rows, fmt, columns)


COMMANDS = [partners]
