"""The library function behind ``stigraph export``: one projection, decorated, to a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from stigraph.analytics import centrality
from stigraph.build.builder import GraphSource, open_graph
from stigraph.outputs import exports
from stigraph.outputs.facets import add_facets
from stigraph.outputs.report.analysis import decorated_projection
from stigraph.projection import networks as projection
from stigraph.projection.inputs import AnalysisInputs

__all__ = ["EXPORT_PROJECTIONS", "export_projection"]

EXPORT_PROJECTIONS = (*projection.PROJECTIONS, "cooperation")


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
    positions, clusters = exports.vosviewer_layout(graph, seed)
    step("Writing the VOSviewer map and network files")
    map_path, net_path = exports.write_vosviewer(graph, out, positions=positions,
                                                 clusters=clusters, measures=measures)
    return [map_path, net_path]
