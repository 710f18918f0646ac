"""Named Cypher queries (``queries/cypher/NAME.cypher``) run over Bolt.

The files share the header format of the SPARQL ones (``// title:``, ``// param: NAME TYPE
meaning``, ``// columns:``) and, where the question is the same, the same names and
parameters. Values are checked by :mod:`stigraph.queries.params`, the same rules as for SPARQL,
with references (``cern``, ``KE``, ``area:testbeds`` or an IRI) looked up among the nodes in
Neo4j; values are always passed as parameters, never written into the query text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import neo4j

from stigraph.errors import QueryError
from stigraph.neo4j.connect import EXPECTED_FAULTS, connected, translate
from stigraph.neo4j.mapping import RESOURCE_LABEL, TYPES_PROPERTY
from stigraph.neo4j.settings import Neo4jSettings
from stigraph.queries.catalogue import NamedQuery, get_query
from stigraph.queries.params import Value, check_params

__all__ = ["cypher_parameter", "cypher_value", "run_cypher"]

_FIND = (
    f"MATCH (n:{RESOURCE_LABEL}) WHERE n.uri IN $uris "
    f"RETURN n.uri AS uri, labels(n) AS labels, n.{TYPES_PROPERTY} AS types"
)


def cypher_value(value: Any) -> Any:
    """A result cell as a plain Python value (Neo4j temporal values become ``datetime`` ones)."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [cypher_value(v) for v in value]
    return value


class _Neo4jResolver:
    """References looked up among the loaded nodes (their ``uri`` and labels)."""

    where = "the Neo4j graph (load it: stigraph load)"

    def __init__(self, session: Any) -> None:
        self._session = session

    def _find(self, uris: list[str]) -> dict[str, dict[str, Any]]:
        return {r["uri"]: r for r in self._session.run(_FIND, {"uris": uris}).data()}

    def exists(self, iri: str) -> bool:
        return iri in self._find([iri])

    def classes(self, iris: Iterable[str]) -> dict[str, frozenset[str]]:
        # a node that only ever was an object has no rdf:type, so no types property
        return {uri: frozenset(row["labels"]) for uri, row in self._find(list(iris)).items()
                if row.get("types")}

    def areas(self) -> list[str]:
        rows = self._session.run(
            f"MATCH (a:{RESOURCE_LABEL}:CooperationArea) RETURN a.uri AS uri").data()
        return [r["uri"] for r in rows]


def cypher_parameter(value: Value | None) -> Any:
    """A checked parameter value as a Cypher parameter (dates as ISO strings, as stored).

    >>> import datetime
    >>> cypher_parameter(Value("date", datetime.date(2021, 9, 24))), cypher_parameter(None)
    ('2021-09-24', None)
    """
    if value is None:
        return None
    if value.kind == "date":
        return str(value.data)
    return value.data


def _run(
    driver: Any, database: str, query: NamedQuery, params: Mapping[str, str]
) -> list[dict[str, Any]]:
    with driver.session(database=database) as session:
        checked = check_params(_Neo4jResolver(session), query, params)
        bound = {key: cypher_parameter(value) for key, value in checked.items()}
        result = session.run(query.text, bound)
        keys = list(result.keys())
        return [{k: cypher_value(record[k]) for k in keys} for record in result]


def run_cypher(
    driver_or_settings: neo4j.Driver | Neo4jSettings | Any,
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """Run the named Cypher query and return its rows as dicts.

    ``driver_or_settings`` is a driver (tests inject one) or :class:`Neo4jSettings`, in which
    case a driver is opened, checked and closed here. ``database`` defaults to the settings'
    database, or ``neo4j`` with a bare driver.
    """
    query = get_query(name, "cypher")
    settings = (
        driver_or_settings
        if isinstance(driver_or_settings, Neo4jSettings)
        else Neo4jSettings(database=database or "neo4j", uri="(the given driver)")
    )
    database = database or settings.database
    try:
        if isinstance(driver_or_settings, Neo4jSettings):
            with connected(settings) as driver:
                return _run(driver, database, query, params or {})
        return _run(driver_or_settings, database, query, params or {})
    except EXPECTED_FAULTS as exc:
        code = getattr(exc, "code", "") or ""
        if code.startswith("Neo.ClientError.Statement"):
            raise QueryError(f"{query.path}: query failed: {translate(exc, settings)}") from exc
        raise translate(exc, settings, f"running query {name!r}") from exc
