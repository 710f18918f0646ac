"""The library function behind ``stigraph export``: one projection, decorated, to a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stigraph.analytics import centrality
from stigraph.build.builder import GraphSource, open_graph
from stigraph.outputs import exports, netview
from stigraph.outputs.facets import add_facets
from stigraph.outputs.report.analysis import decorated_projection
from stigraph.projection import networks as projection
from stigraph.projection.inputs import AnalysisInputs

__all__ = ["EXPORT_PROJECTIONS", "LAYOUT_UP_TO", "export_projection"]

EXPORT_PROJECTIONS = (*projection.PROJECTIONS, "cooperation")

#: VOSviewer files get precomputed x, y up to this many nodes (above, VOSviewer lays it out).
LAYOUT_UP_TO = 5000


def export_projection(
    source: GraphSource,
    name: str,
    fmt: str,
    out: Path | str,
    *,
    as_of: dt.date | None = None,
    seed: int = 42,
    progress: Callable[[str], object] | None = None,
    evidence: str | None = None,
    counting: str | None = None,
) -> list[Path]:
    """Write projection ``name`` (or ``cooperation``) on ``as_of`` as ``fmt``; the files.

    ``evidence``/``counting`` as ``--evidence``/``--counting``: the country and organisation
    networks are the ones the analytics read (:class:`~stigraph.projection.inputs.AnalysisInputs`).
    """
    exports.check_format(fmt)
    step = progress or (lambda _step: None)
    step("Opening the graph")
    result = open_graph(source)
    date = (as_of or dt.date.today()).isoformat()
    step(f"Projecting {name}")
    inputs = AnalysisInputs(result.graph, as_of=date, evidence=evidence, counting=counting)
    graph = add_facets(decorated_projection(result.graph, name, as_of=date, inputs=inputs),
                       result.graph)
    description = (f"stigraph {name} projection as of {date}; nodes carry class, code, region "
                   "and income group, links their relation, dates and sources.")
    if fmt == "graphml":
        step("Writing GraphML")
        return [exports.write_graphml(graph, out)]
    step(f"PageRank and degree of {graph.number_of_nodes():,} nodes")
    rows = centrality.centrality(graph, measures=["pagerank", "degree"], seed=seed)
    measures = {"PageRank": {r["node"]: float(r["pagerank"]) for r in rows},
                "degree": {r["node"]: float(r["degree"]) for r in rows}}
    if fmt == "gexf":
        step("Writing GEXF")
        return [exports.write_gexf(graph, out, measures=measures, description=description)]
    step("Communities and layout")
    positions, clusters = _vosviewer_layout(graph, seed)
    step("Writing the VOSviewer map and network files")
    map_path, net_path = exports.write_vosviewer(graph, out, positions=positions,
                                                 clusters=clusters, measures=measures)
    return [map_path, net_path]


def _vosviewer_layout(graph: Any, seed: int) -> tuple[dict[Any, tuple[float, float]] | None,
                                                      dict[Any, int]]:
    """Clusters (communities) and, up to LAYOUT_UP_TO nodes, x and y for VOSviewer."""
    linked = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    clusters = netview.communities(linked, seed)
    positions = (netview.community_layout(linked, clusters, seed=seed)
                 if linked.number_of_nodes() <= LAYOUT_UP_TO else None)
    if positions is not None:
        # isolates in a row below the map, where VOSviewer shows them apart
        low = min((y for _, y in positions.values()), default=0.0) - 200.0
        for i, node in enumerate(sorted((n for n in graph if n not in positions), key=str)):
            positions[node] = (60.0 * i, low)
    lone = max(clusters.values(), default=-1) + 1
    for node in graph:
        clusters.setdefault(node, lone)
    return positions, clusters
