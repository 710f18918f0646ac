"""What the report's networks are built from, in words: the evidence layers each network
used, how they were combined and counted, and how the huge consortia weigh.

The sentences are read from the graphs' own ``G.graph`` attributes (set by
:class:`~stigraph.projection.inputs.AnalysisInputs`), so they say what was computed.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from stigraph.outputs.report.claims import graph_size, sentence, stated
from stigraph.outputs.report.model import Cell, Num, Sentence, Table

__all__ = ["CONSORTIA_CSV", "LAYER_WORDS", "actor_network_paragraph", "consortia_table",
           "country_network_paragraph"]

#: Layer name -> what one unit of it is.
LAYER_WORDS = {
    "cordis": "CORDIS projects both take part in",
    "openalex": "OpenAlex works co-authored by both",
    "gcf": "Green Climate Fund projects of which both are beneficiaries",
    "memberships": "organisations and programmes both are members of",
}

_COUNTING_WORDS = {
    "full": "full counting (a shared project counts once per pair)",
    "fractional": "fractional counting (each project spreads one unit over its "
                  "participants, one over the number of other participants per pair)",
    "association": "association strength (observed over expected co-occurrences)",
}

#: The consortium-size table's CSV file and its rows' names.
CONSORTIA_CSV = "organisation-consortia.csv"
_CLASSES = (("any size", ""), ("more than 50", "over_50"), ("more than 100", "over_100"))


def country_network_paragraph(g: nx.Graph) -> Sentence | None:
    """How the country network was built, or None when it is the membership projection."""
    layers = [name for name in str(g.graph.get("evidence") or "").split(",") if name]
    if not layers:
        return None
    parts = "; ".join(f"{name} ({LAYER_WORDS.get(name, name)})" for name in layers)
    counting = _COUNTING_WORDS.get(str(g.graph.get("counting", "full")), "")
    return sentence(
        f"The country network is built from the evidence layers {parts}, in {counting}. "
        "Each layer is divided by its strongest country pair and the quotients are summed, "
        "so projects, works and memberships weigh alike whatever their units "
        "(--evidence chooses the layers). It links ",
        graph_size("country-country", g, "edges"), " country pairs.")


def consortia_table(g: nx.Graph) -> Table | None:
    """The CORDIS consortia by size: projects and their share of organisation pairs."""
    info: dict[str, Any] = {k.removeprefix("consortia_"): v for k, v in g.graph.items()
                            if k.startswith("consortia_")}
    if not info:
        return None
    rows: list[list[Cell]] = []
    for label, key in _CLASSES:
        prefix = f"{key}_" if key else ""
        share = 1.0 if not key else float(info.get(f"{key}_pair_share", 0.0))
        rows.append([label, int(info.get(f"{prefix}projects", 0)), round(100 * share, 1)])
    return Table(columns=["participants", "projects", "share of organisation pairs (%)"],
                 rows=rows, csv=CONSORTIA_CSV,
                 caption="CORDIS projects of the date by consortium size, and the share of "
                         "the organisation pairs they make (full counting).")


def actor_network_paragraph(g: nx.Graph, consortia: Table | None) -> Sentence | None:
    """How the organisation network was built from CORDIS, or None without CORDIS."""
    layers = str(g.graph.get("evidence") or "").split(",")
    if "cordis" not in layers:
        return None
    counting = _COUNTING_WORDS.get(str(g.graph.get("counting")), "")
    curated = ("; curated relations and memberships (member of, partner of, funds, runs…) "
               "are a second layer, each layer divided by its strongest pair and the two "
               "summed" if "memberships" in layers else "")
    parts: list[str | Num | Sentence] = [
        f"Organisations are linked by the CORDIS projects they share, in {counting}{curated}. "
        "This network has ", graph_size("actor-actor", g, "nodes"), " nodes and ",
        graph_size("actor-actor", g, "edges"), " links."]
    if consortia is not None:
        def cell(column: str, row: str) -> Num:
            return stated(consortia, f"cell:{column}|participants={row}")
        share = "share of organisation pairs (%)"
        parts += [" Of ", cell("projects", "any size"), " projects, ",
                  cell("projects", "more than 50"), " have more than fifty participants and "
                  "make ", cell(share, "more than 50"), " % of the organisation pairs; ",
                  cell("projects", "more than 100"), " have more than a hundred and make ",
                  cell(share, "more than 100"), " %."]
    parts.append(" An organisation matched to a seed actor is one node under the seed's name, "
                 "its CORDIS PICs kept as the node's 'pic'.")
    return sentence(*parts)
