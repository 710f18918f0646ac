"""The report's side-by-side section: a few countries' indicators next to each other (the
same rows as ``stigraph compare``, each with its source and date).

Which countries: with a focus country, it and up to four developing countries of its
sub-region (else its region) with the highest PageRank in the country network; without one,
the five developing countries with the highest PageRank (those of the key-actors table).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from stigraph.analytics.compare import compare
from stigraph.analytics.developing import developing_countries
from stigraph.errors import StigraphError
from stigraph.outputs.report.analysis import Context
from stigraph.outputs.report.model import Cell, Section, Table

__all__ = ["PEERS", "chosen_countries", "side_by_side"]

#: How many countries the section compares.
PEERS = 5


def chosen_countries(ctx: Context) -> list[str]:
    """The IRIs of the countries to compare (see the module docstring), best first."""
    developing = developing_countries(ctx.rdf, ctx.developing, as_of=ctx.as_of).members
    graph = ctx.projections["country-country"]
    rank: Mapping[Hashable, float] = ctx.pagerank.get("country-country", {})
    infos = ctx.inputs.latest_infos
    linked = sorted((c for c in developing if c in graph and graph.degree(c) > 0
                     and c in infos), key=lambda c: (-rank.get(c, 0.0), c))
    if not ctx.country:
        return linked[:PEERS]
    focus = infos.get(ctx.country)
    if focus is None:
        return [ctx.country]
    near = [c for c in linked if c != ctx.country and infos[c].subregion == focus.subregion]
    if not near:
        near = [c for c in linked if c != ctx.country and infos[c].region == focus.region]
    return [ctx.country, *near[: PEERS - 1]]


def side_by_side(ctx: Context) -> Section:
    """Countries side by side, each indicator with its source and date."""
    section = Section(id="compare", title="Countries side by side")
    iris = chosen_countries(ctx)
    infos = ctx.inputs.latest_infos
    if not iris:
        section.paragraphs = ["No developing country has a partner on this date; nothing to "
                              "compare."]
        return section
    codes = [infos[i].iso2 for i in iris]
    try:
        rows = compare(ctx.rdf, codes, as_of=ctx.as_of, inputs=ctx.inputs)
    except StigraphError as exc:
        section.paragraphs = [f"The comparison could not be made: {exc}"]
        return section
    names = [infos[i].label for i in iris]
    who = (f"{names[0]} next to the developing countries of its sub-region with the highest "
           "PageRank in the country network" if ctx.country else
           "The developing countries with the highest PageRank in the country network")
    section.paragraphs = [
        f"{who}: {', '.join(names)}. Every indicator is on {ctx.as_of} unless its date says "
        "otherwise, and names its source; the same table comes from `stigraph compare "
        + " ".join(codes) + f" --as-of {ctx.as_of}`.",
    ]
    table_rows: list[list[Cell]] = [
        [str(row["indicator"]), *[row[c] for c in codes], str(row["source"]),
         str(row["date"])] for row in rows if row["indicator"] != "name"]
    section.tables.append(Table(
        columns=["indicator", *names, "source", "date"], rows=table_rows,
        caption="Indicators side by side", csv="compare.csv",
        note="Memberships count actors, participations initiatives and projects; partner "
             "countries come from the country–country projection, co-authorship from "
             "OpenAlex when the graph includes it; gaps are against income-group peers."))
    return section
