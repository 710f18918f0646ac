"""Neo4j as a second home for the graph: map RDF to a property graph, load it over Bolt, and
run named Cypher queries.

The pieces, one responsibility each:

- :mod:`stigraph.neo4j.settings` — frozen connection and load settings (never read from the
  environment here; the CLI does that).
- :mod:`stigraph.neo4j.connect` — driver creation and the translation of driver faults into
  :class:`stigraph.errors.Neo4jError` messages that name the setting to fix.
- :mod:`stigraph.neo4j.mapping` — RDF graph → node and relationship rows.
- :mod:`stigraph.neo4j.loader` — batched, idempotent writes with a summary from the server's
  counters.
- :mod:`stigraph.neo4j.cypher` — the named Cypher query runner.
"""

from __future__ import annotations

from stigraph.neo4j.settings import LoadOptions, Neo4jSettings

__all__ = ["LoadOptions", "Neo4jSettings"]
