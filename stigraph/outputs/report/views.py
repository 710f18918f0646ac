"""One network page: the library function behind ``stigraph viz``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from stigraph.analytics import centrality
from stigraph.build.builder import GraphSource, open_graph
from stigraph.outputs import aggregate
from stigraph.outputs import network as viz
from stigraph.outputs.facets import add_facets
from stigraph.outputs.report.analysis import decorated_projection
from stigraph.projection import networks as projection
from stigraph.projection.inputs import AnalysisInputs

__all__ = ["VIEWS", "network_page"]

#: View name -> (projection, title).
VIEWS = {
    "country": ("country-country", "Countries linked by the organisations they share"),
    "actor": ("actor-actor", "Actors and initiatives: relations and shared memberships"),
    "bipartite": ("country-organisation",
                  "Countries and the organisations and initiatives they take part in"),
    "cooperation": ("cooperation", "Countries, organisations and initiatives: all links"),
}


def network_page(
    view: str,
    path: Path | str,
    source: GraphSource,
    *,
    ego: str | None = None,
    depth: int = 1,
    size_by: str | None = "pagerank",
    as_of: dt.date | None = None,
    seed: int = 42,
    progress: Callable[..., object] | None = None,
    evidence: str | None = None,
    counting: str | None = None,
) -> viz.NetworkPage:
    """Open the graph, project it (``view``), optionally cut the ego network, write the page.

    ``evidence`` and ``counting`` as ``--evidence``/``--counting`` give them: the country and
    actor networks are built from these evidence layers (default: every layer the graph has;
    :class:`~stigraph.projection.inputs.AnalysisInputs`).

    ``progress(step)`` is called as each step starts (opening the graph, projecting,
    centrality, layout, writing), and ``progress(step, done, total)`` for the group pages of
    a network too large to draw node by node.
    """
    step = progress or (lambda _step: None)
    name, title = VIEWS[view]
    step("Opening the graph")
    result = open_graph(source)
    date = (as_of or dt.date.today()).isoformat()
    step(f"Projecting {name} with link sources and facets")
    inputs = AnalysisInputs(result.graph, as_of=date, evidence=evidence, counting=counting)
    graph = add_facets(decorated_projection(result.graph, name, as_of=date, inputs=inputs),
                       result.graph)
    if ego is not None:
        graph = viz.ego_graph(graph, ego, depth=depth)
        centre = graph.graph["ego"]
        title = f"{viz.node_label(graph, centre)}: {depth} step(s) out — {title.lower()}"
    sizes = None
    if size_by:
        step(f"Computing {size_by} on {graph.number_of_nodes():,} nodes")
        sizes = {r["node"]: float(r[size_by])
                 for r in centrality.centrality(graph, measures=[size_by], seed=seed)}
    step(f"Backbone, communities and layout of {graph.number_of_nodes():,} nodes")
    countries, labels = aggregate.headquarters(result.graph)
    return aggregate.write_network_pages(
        graph, Path(path), title=title,
        description=f"stigraph, graph as of {date} ({projection.as_of_date(date)}). "
                    "Hover for details and sources.",
        countries=countries, country_labels=labels, size_by=sizes, size_name=size_by or "",
        seed=seed, progress=progress)[0]
