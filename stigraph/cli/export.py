"""``stigraph export``: a projection as GEXF (Gephi), VOSviewer files or GraphML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from stigraph.build.builder import GraphSource
from stigraph.cli.evidence import chosen_evidence, evidence_options
from stigraph.cli.options import DATE, graph_source, out_option, reports_errors
from stigraph.cli.progress import Progress
from stigraph.outputs.exports import EXPORT_FORMATS
from stigraph.projection.networks import PROJECTIONS


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="gexf (GEXF 1.3 for Gephi, dated links for its timeline), vosviewer (map "
              "and network files: OUT_map.txt, OUT_network.txt) or graphml.")
@click.option("--projection", "name", type=click.Choice([*PROJECTIONS, "cooperation"]),
              default="country-country", show_default=True,
              help="Which network: countries, actors, countries and organisations, or all "
              "links (cooperation).")
@out_option("the export (for vosviewer: the stem of the two files)", required=True)
@click.option("--as-of", "as_of", type=DATE,
              help="Look at the graph on this date (YYYY-MM-DD; YYYY-MM or YYYY: its last "
              "day). Default: today.")
@click.option("--seed", type=int, default=42, show_default=True,
              help="Seed of PageRank's tie order, the communities and the layout.")
@graph_source
@evidence_options
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@reports_errors
def export(fmt: str, name: str, out: Path, as_of: dt.date | None, seed: int,
           source: GraphSource, quiet: bool) -> None:
    """Export a projection for Gephi (GEXF), VOSviewer or any GraphML tool.

    \b
    Examples:
        stigraph export --format gexf --projection country-country --out out/countries.gexf
        stigraph export --format vosviewer --projection actor-actor --out out/actors
        stigraph export --format graphml --projection cooperation --out out/all.graphml
    """
    from stigraph.outputs.export_view import export_projection

    with Progress(quiet=quiet) as bar:
        evidence, counting = chosen_evidence()
        paths = export_projection(source, name, fmt, out, as_of=as_of, seed=seed, progress=bar,
                                  evidence=evidence, counting=counting)
    for path in paths:
        click.echo(str(path.resolve()))


COMMANDS = [export]
