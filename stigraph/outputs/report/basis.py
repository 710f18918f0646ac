"""What the report's networks are built from, in words: the evidence layers each network
used, how they were combined and counted, and how the huge consortia weigh.

The sentences are read from the graphs' own ``G.graph`` attributes (set by
:class:`~stigraph.projection.inputs.AnalysisInputs`), so they say what was computed.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from stigraph.outputs.report.render import format_number

__all__ = ["LAYER_WORDS", "actor_network_paragraph", "country_network_paragraph"]

#: Layer name -> what one unit of it is.
LAYER_WORDS = {
    "cordis": "CORDIS projects both take part in",
    "openalex": "OpenAlex works co-authored by both",
    "gcf": "Green Climate Fund projects of which both are beneficiaries",
    "memberships": "organisations and programmes both are members of",
}

_COUNTING_WORDS = {
    "full": "full counting (a shared project counts once per pair)",
    "fractional": "fractional counting (each project spreads one unit over its n "
                  "participants, 1/(n-1) per pair)",
    "association": "association strength (observed over expected co-occurrences)",
}


def country_network_paragraph(g: nx.Graph) -> str | None:
    """How the country network was built, or None when it is the membership projection."""
    layers = [name for name in str(g.graph.get("evidence") or "").split(",") if name]
    if not layers:
        return None
    parts = "; ".join(f"{name} ({LAYER_WORDS.get(name, name)})" for name in layers)
    counting = _COUNTING_WORDS.get(str(g.graph.get("counting", "full")), "")
    return (f"The country network is built from the evidence layers {parts}, in {counting}. "
            "Each layer is divided by its strongest country pair and the quotients are summed, "
            "so projects, works and memberships weigh alike whatever their units "
            f"(--evidence chooses the layers). It links {format_number(g.number_of_edges())} "
            "country pairs.")


def actor_network_paragraph(g: nx.Graph) -> str | None:
    """How the organisation network was built from CORDIS, or None without CORDIS."""
    layers = str(g.graph.get("evidence") or "").split(",")
    if "cordis" not in layers:
        return None
    info: dict[str, Any] = {k.removeprefix("consortia_"): v for k, v in g.graph.items()
                            if k.startswith("consortia_")}
    counting = _COUNTING_WORDS.get(str(g.graph.get("counting")), "")
    curated = ("; curated relations and memberships (member of, partner of, funds, runs…) "
               "are a second layer, each layer divided by its strongest pair and the two "
               "summed" if "memberships" in layers else "")
    return (f"Organisations are linked by the CORDIS projects they share, in {counting}"
            f"{curated}. This network has {format_number(g.number_of_nodes())} nodes and "
            f"{format_number(g.number_of_edges())} links. Of "
            f"{format_number(info.get('projects', 0))} projects, "
            f"{format_number(info.get('over_50_projects', 0))} have more than 50 participants "
            f"and make {100 * float(info.get('over_50_pair_share', 0.0)):.1f} % of the "
            f"organisation pairs; {format_number(info.get('over_100_projects', 0))} have more "
            f"than 100 (the largest {format_number(info.get('largest', 0))}) and make "
            f"{100 * float(info.get('over_100_pair_share', 0.0)):.1f} %. An organisation "
            "matched to a seed actor is one node under the seed's name, its CORDIS PICs kept "
            "as the node's 'pic'.")
