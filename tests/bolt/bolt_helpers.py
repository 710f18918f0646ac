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


def expected_counts(graph: Graph) -> tuple[int, int]:
    """Nodes and relationships the load should create, counted from the RDF with SPARQL.

    Independent of the mapping: every non-literal term is a node; every object triple but
    rdf:type is a relationship, except a direct memberOf/participatesIn that a membership node
    describes (folded into the membership edge), plus one edge per membership node.
    """
    nodes = graph.query("""
        SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {
          { ?n ?p ?o } UNION { ?s ?p ?n FILTER(!isLiteral(?n) && ?p != rdf:type) } }""")
    triples = graph.query("""
        SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o FILTER(!isLiteral(?o) && ?p != rdf:type) }""")
    memberships = graph.query("""
        PREFIX stig: <https://w3id.org/stigraph/ontology/>
        SELECT (COUNT(DISTINCT ?m) AS ?c) WHERE {
          ?m a/rdfs:subClassOf* stig:Membership ; stig:member ?x ; stig:organisation ?y }""")
    folded = graph.query("""
        PREFIX stig: <https://w3id.org/stigraph/ontology/>
        SELECT (COUNT(*) AS ?c) WHERE {
          { SELECT DISTINCT ?x ?p ?y WHERE {
              ?m a/rdfs:subClassOf* stig:Membership ; stig:member ?x ; stig:organisation ?y .
              ?x ?p ?y FILTER(?p IN (stig:memberOf, stig:participatesIn)) } } }""")

    def first(result: Any) -> int:
        return int(next(iter(result))[0])

    return first(nodes), first(triples) - first(folded) + first(memberships)
