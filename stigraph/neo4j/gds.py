"""Centrality and communities computed in Neo4j by the Graph Data Science library (GDS).

``stigraph centrality --backend neo4j`` and ``stigraph communities --backend neo4j`` run here.
The projection is the one the NetworkX path analyses (:func:`stigraph.projection.project`:
the same nodes, edges and weights), anchored on the loaded graph: every node must be a
``(:Resource {uri})`` of the database (``stigraph load`` first). It becomes an in-memory GDS
graph through a Cypher projection (``gds.graph.project`` as an aggregation over the loaded
nodes, the edges and their weights given as parameters), undirected, with the properties
``weight`` (a strength) and ``distance = 1 / weight``. The algorithms then run in the server,
and the rows have the columns of :mod:`stigraph.analytics.centrality` and
:mod:`stigraph.analytics.communities`.

How the figures relate to NetworkX's (the test compares them on the seed graph):

- ``degree`` and ``strength``: ``gds.degree`` unweighted and weighted; equal.
- ``pagerank``: ``gds.pageRank`` on ``weight``, damping 0.85, scaled to sum 1 (``L1Norm``).
  On the seed graph the values equal NetworkX's within 1e-6, isolated countries included.
- ``betweenness``: ``gds.betweenness`` on ``distance`` (GDS reads the weight as a cost, as
  the NetworkX path does with ``1 / weight``), normalised as NetworkX's by
  ``(n - 1)(n - 2) / 2`` (GDS counts each unordered pair once on an undirected graph). On
  the seed graph the values equal NetworkX's to 1e-12. ``--sample K`` becomes GDS's
  ``samplingSize`` (other sources than NetworkX's sample, so other estimates).
- ``eigenvector``: ``gds.eigenvector`` **unweighted** (the 0/1 adjacency), unit Euclidean
  norm (``L2Norm``), by power iteration. GDS's weighted variant divides each node's weights
  by their sum (the leading eigenvector of the random walk's transition matrix), which on an
  undirected graph is just each node's strength, normalised: not NetworkX's weighted
  adjacency eigenvector, and no information beyond ``strength``. The unweighted one is a real
  eigenvector centrality; it equals NetworkX's on the same 0/1 adjacency, and orders nodes
  close to, not the same as, the weighted NetworkX column (see the test).
- ``closeness``: ``gds.closeness`` with the Wasserman–Faust formula counts hops (GDS's
  closeness has no weights); NetworkX's uses ``1 / weight`` distances. Not compared.
- communities: ``gds.louvain`` on ``weight`` (``gds.leiden`` with ``gamma`` when the
  resolution is not 1; that path is not compared by the tests), one thread so that a run is
  repeatable; the modularity is computed
  by NetworkX on GDS's partition, the same formula as for its own. Louvain is a heuristic:
  the two implementations find different partitions of close modularity.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from stigraph.analytics import api
from stigraph.analytics.centrality import MEASURES, measure_rows, rank
from stigraph.analytics.communities import CommunityResult, community_rows, ordered_communities
from stigraph.analytics.records import CentralityRow
from stigraph.errors import Neo4jError
from stigraph.neo4j.connect import connected, neo4j_errors
from stigraph.neo4j.mapping import RESOURCE_LABEL
from stigraph.neo4j.settings import Neo4jSettings
from stigraph.projection.inputs import AnalysisInputs

__all__ = ["BACKENDS", "centrality", "centrality_report", "communities", "communities_report",
           "gds_graph", "report_function"]

BACKENDS = ("networkx", "neo4j")

_MISSING = (
    f"UNWIND $uris AS uri OPTIONAL MATCH (n:{RESOURCE_LABEL} {{uri: uri}}) "
    "WITH uri, n WHERE n IS NULL RETURN count(uri) AS missing, collect(uri)[..3] AS examples"
)
# Isolated nodes are rows without a target (the aggregation projects the source alone).
_PROJECT = (
    f"UNWIND $edges AS e MATCH (a:{RESOURCE_LABEL} {{uri: e[0]}}) "
    f"OPTIONAL MATCH (b:{RESOURCE_LABEL} {{uri: e[1]}}) "
    "WITH gds.graph.project($name, a, b, "
    "  {relationshipProperties: CASE WHEN b IS NULL THEN null "
    "                           ELSE {weight: e[2], distance: e[3]} END}, "
    "  {undirectedRelationshipTypes: ['*']}) AS g "
    "RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships"
)
_DROP = "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName"


def _run(session: Any, statement: str, **params: Any) -> list[Any]:
    return list(session.run(statement, params))


@contextmanager
def gds_graph(session: Any, G: nx.Graph, *, weight: str = "weight") -> Iterator[str]:
    """Project ``G`` (its nodes must be loaded) into GDS; yield its name; drop it after."""
    uris = [str(v) for v in G]
    record = _run(session, _MISSING, uris=uris)[0]
    if record["missing"]:
        raise Neo4jError(
            f"{record['missing']} of the {len(uris)} nodes of the projection are not in the "
            f"database (e.g. {', '.join(record['examples'])}): run `stigraph load` with the "
            "same graph first")
    edges: list[list[Any]] = []
    for u, v, data in G.edges(data=True):
        w = float(data.get(weight, 1.0))
        edges.append([str(u), str(v), w, 1.0 / w])
    edges += [[str(v), None, 0.0, 0.0] for v in G if G.degree(v) == 0]
    name = f"stigraph-{uuid.uuid4().hex}"
    projected = _run(session, _PROJECT, name=name, edges=edges)[0]
    if projected["nodes"] != len(uris) or projected["relationships"] != 2 * G.number_of_edges():
        _run(session, _DROP, name=name)
        raise Neo4jError(f"GDS projected {projected['nodes']} nodes and "
                         f"{projected['relationships']} relationships instead of {len(uris)} "
                         f"and {2 * G.number_of_edges()}")
    try:
        yield name
    finally:
        _run(session, _DROP, name=name)


def _stream(session: Any, procedure: str, name: str, config: dict[str, Any]) -> dict[str, float]:
    statement = (f"CALL {procedure}($name, $config) YIELD nodeId, score "
                 "RETURN gds.util.asNode(nodeId).uri AS uri, score")
    return {r["uri"]: float(r["score"]) for r in session.run(statement, name=name, config=config)}


def _measure(session: Any, name: str, measure: str, n: int, k: int | None,
             seed: int) -> dict[str, float]:
    if measure == "degree":
        return _stream(session, "gds.degree.stream", name, {})
    if measure == "strength":
        return _stream(session, "gds.degree.stream", name, {"relationshipWeightProperty": "weight"})
    if measure == "pagerank":
        return _stream(session, "gds.pageRank.stream", name, {
            "relationshipWeightProperty": "weight", "dampingFactor": 0.85,
            "maxIterations": 1000, "tolerance": 1e-10, "scaler": "L1Norm"})
    if measure == "eigenvector":
        # unweighted: see the module notes
        return _stream(session, "gds.eigenvector.stream", name, {
            "maxIterations": 1000, "tolerance": 1e-10, "scaler": "L2Norm"})
    if measure == "closeness":
        return _stream(session, "gds.closeness.stream", name, {"useWassermanFaust": True})
    config: dict[str, Any] = {"relationshipWeightProperty": "distance", "concurrency": 1}
    if k is not None and k < n:
        config.update(samplingSize=k, samplingSeed=seed)
    raw = _stream(session, "gds.betweenness.stream", name, config)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    if k is not None and k < n:
        scale *= n / k
    return {v: b * scale for v, b in raw.items()}


def centrality(session: Any, G: nx.Graph, *, k: int | None = None, seed: int = 0,
               weight: str = "weight") -> list[dict[str, Any]]:
    """The rows of :func:`stigraph.analytics.centrality.centrality`, computed by GDS."""
    if G.number_of_nodes() == 0:
        return []
    values: dict[str, dict[str, float]] = {}
    with gds_graph(session, G, weight=weight) as name:
        for measure in MEASURES:
            values[measure] = _measure(session, name, measure, G.number_of_nodes(), k, seed)
    rows = measure_rows(G, MEASURES, lambda m, v: values[m].get(str(v), 0.0))
    return rank(rows, by="pagerank")


def communities(session: Any, G: nx.Graph, *, resolution: float = 1.0, seed: int = 0,
                weight: str = "weight") -> CommunityResult:
    """The result of :func:`stigraph.analytics.communities.communities`, found by GDS.

    ``seed`` is recorded but not used: GDS's Louvain takes no random seed (one thread makes
    it deterministic).
    """
    if G.number_of_nodes() == 0:
        return CommunityResult(seed=seed)
    if resolution == 1.0:
        procedure, config = "gds.louvain.stream", {"relationshipWeightProperty": "weight",
                                                   "concurrency": 1}
    else:
        procedure, config = "gds.leiden.stream", {"relationshipWeightProperty": "weight",
                                                  "gamma": resolution, "randomSeed": seed,
                                                  "concurrency": 1}
    with gds_graph(session, G, weight=weight) as name:
        statement = (f"CALL {procedure}($name, $config) YIELD nodeId, communityId "
                     "RETURN gds.util.asNode(nodeId).uri AS uri, communityId")
        found = {r["uri"]: int(r["communityId"])
                 for r in session.run(statement, name=name, config=config)}
    parts: dict[int, list[Any]] = {}
    for v in G:
        parts.setdefault(found[str(v)], []).append(v)
    ordered = ordered_communities(parts.values())
    modularity = (float(nx.community.modularity(G, ordered, weight=weight,
                                                resolution=resolution))
                  if G.number_of_edges() else 0.0)
    rows = community_rows(G, ordered, weight)
    return CommunityResult(nodes=rows, sizes=[len(p) for p in ordered], modularity=modularity,
                           seed=seed)


@contextmanager
def _session(settings: Neo4jSettings) -> Iterator[Any]:
    with (
        connected(settings) as driver,
        neo4j_errors(settings, "running GDS"),
        driver.session(database=settings.database) as session,
    ):
        try:
            session.run("RETURN gds.version() AS v").consume()
        except Exception as exc:
            code = getattr(exc, "code", "") or ""
            if "UnknownFunction" in code or "Syntax" in code:
                raise Neo4jError(
                    f"the Graph Data Science library is not installed on {settings.uri} "
                    "(`make neo4j-up` starts a server with it; or add the GDS plugin)") from exc
            raise
        yield session


def centrality_report(inputs: AnalysisInputs, *, settings: Neo4jSettings,
                      projection: str = "country-country", group: str | None = None,
                      by: str = "pagerank", k: int | None = None, seed: int = 0,
                      top: int | None = None) -> list[CentralityRow]:
    """:func:`stigraph.analytics.api.centrality_report`, the measures computed by GDS."""
    G = inputs.projection(projection)
    with _session(settings) as session:
        rows = centrality(session, G, k=k, seed=seed)
    ranked = rank(rows, by=by, within=api.group_nodes(inputs, group))
    return [CentralityRow.from_row(r) for r in (ranked[:top] if top else ranked)]


def communities_report(inputs: AnalysisInputs, *, settings: Neo4jSettings,
                       projection: str = "country-country", seed: int = 0,
                       resolution: float = 1.0, summary: bool = False) -> list[dict[str, Any]]:
    """:func:`stigraph.analytics.api.communities_report`, the partition found by GDS."""
    G = inputs.projection(projection)
    with _session(settings) as session:
        result = communities(session, G, resolution=resolution, seed=seed)
    return result.summary() if summary else result.nodes


def report_function(networkx_report: Callable[..., Any], backend: str,
                    neo4j: dict[str, Any]) -> Callable[..., Any]:
    """The CLI's switch: ``networkx_report`` itself, or its GDS twin bound to the connection
    options (``neo4j``: the ``--uri/--user/--password/--database`` values)."""
    if backend == "networkx":
        return networkx_report
    settings = Neo4jSettings(uri=neo4j["neo4j_uri"], user=neo4j["neo4j_user"],
                             password=neo4j["neo4j_password"], database=neo4j["neo4j_database"])
    twins: dict[Callable[..., Any], Callable[..., Any]] = {
        api.centrality_report: centrality_report, api.communities_report: communities_report}
    twin = twins[networkx_report]

    def run(inputs: AnalysisInputs, **kwargs: Any) -> Any:
        return twin(inputs, settings=settings, **kwargs)

    return run


def backend_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--backend networkx|neo4j`` and the connection options (as ``stigraph load``'s, with
    their ``NEO4J_*`` variables) for an analytics command; the values arrive as
    ``backend`` and ``neo4j_uri``/``neo4j_user``/``neo4j_password``/``neo4j_database``."""
    import click

    options = [
        click.option("--backend", type=click.Choice(BACKENDS), default="networkx",
                     show_default=True, help="Compute with NetworkX here, or with GDS in the "
                     "Neo4j server (after `stigraph load` of the same graph)."),
        click.option("--uri", "neo4j_uri", envvar="NEO4J_URI", show_envvar=True,
                     default="bolt://localhost:7687", show_default=True,
                     help="Bolt URI of the Neo4j server (--backend neo4j)."),
        click.option("--user", "neo4j_user", envvar="NEO4J_USER", show_envvar=True,
                     default="neo4j", show_default=True, help="Neo4j user name."),
        click.option("--password", "neo4j_password", envvar="NEO4J_PASSWORD",
                     show_envvar=True, default=None,
                     help="Neo4j password (prefer the environment variable)."),
        click.option("--database", "neo4j_database", envvar="NEO4J_DATABASE",
                     show_envvar=True, default="neo4j", show_default=True,
                     help="Neo4j database name."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
