"""Shared helpers for the Neo4j tests: the sample graph and graph dumps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from stigraph import resources

SAMPLE = Path(__file__).resolve().parent / "sample.ttl"


def sample_graph() -> Graph:
    """The ontology plus the hand-made sample instances."""
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path)
    graph.parse(SAMPLE)
    return graph


def dump(driver: Any, database: str) -> tuple[list[Any], list[Any]]:
    """Every stigraph node and relationship with labels and properties, sorted."""
    with driver.session(database=database) as session:
        nodes = session.run(
            "MATCH (n:Resource) RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props"
        ).data()
        rels = session.run(
            "MATCH (a:Resource)-[r]->(b:Resource) "
            "RETURN a.uri AS a, type(r) AS t, properties(r) AS props, b.uri AS b"
        ).data()
    node_rows = sorted((n["uri"], sorted(n["labels"]), _plain(n["props"])) for n in nodes)
    rel_rows = sorted((r["a"], r["t"], r["b"], _plain(r["props"])) for r in rels)
    return node_rows, rel_rows


def _plain(props: dict[str, Any]) -> str:
    return repr(sorted((k, repr(v)) for k, v in props.items()))
