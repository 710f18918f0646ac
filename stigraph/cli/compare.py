"""``stigraph compare``: countries' indicators side by side, each with its source and date."""

from __future__ import annotations

import datetime as dt

import click

from stigraph.build.builder import GraphSource, open_graph
from stigraph.cli.options import DATE, emit, format_option, graph_source, reports_errors


@click.command()
@click.argument("countries", nargs=-1, required=True, metavar="ISO2...")
@click.option("--as-of", "as_of", type=DATE,
              help="Look at the graph on this date (YYYY-MM-DD; YYYY-MM or YYYY: its last "
              "day). Default: today.")
@graph_source
@format_option
@reports_errors
def compare(countries: tuple[str, ...], as_of: dt.date | None, source: GraphSource,
            fmt: str) -> None:
    """Put countries side by side: groups, memberships, participations, partners,
    co-authorship and gaps by area, one row per indicator with its source and date.

    \b
    Examples:
        stigraph compare KE NG GH --format table
        stigraph compare KE NG --as-of 2020 --format csv > ke-ng.csv
    """
    from stigraph.analytics.compare import compare as compare_countries

    date = (as_of or dt.date.today()).isoformat()
    rows = compare_countries(open_graph(source).graph, countries, as_of=date)
    columns = ["indicator", *[c for c in rows[0] if c not in
                              ("indicator", "source", "date", "meaning")], "source", "date"]
    emit(rows, fmt, columns, sheet="compare")


COMMANDS = [compare]
