"""Named Cypher queries (``queries/cypher/NAME.cypher``) run over Bolt.

The files share the header format of the SPARQL ones (``// title:``, ``// param: NAME TYPE
meaning``, ``// columns:``) and, where the question is the same, the same names and
parameters. References (``cern``, ``KE``, ``area:testbeds`` or an IRI) are resolved against
the nodes in Neo4j by the same rules as :func:`stigraph.queries.resolve_reference`; values are
always passed as parameters.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import neo4j

from stigraph.errors import ParameterError, QueryError, UnknownCountryError
from stigraph.neo4j.connect import EXPECTED_FAULTS, connected, translate
from stigraph.neo4j.mapping import RESOURCE_LABEL, TYPES_PROPERTY
from stigraph.neo4j.settings import Neo4jSettings
from stigraph.queries.catalogue import NamedQuery, Param, get_query
from stigraph.vocab.namespaces import ID_BASE, actor_iri, area_iri, country_iri, initiative_iri

__all__ = ["cypher_value", "resolve_reference", "run_cypher"]

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


def _find(session: Any, uris: list[str]) -> dict[str, dict[str, Any]]:
    return {r["uri"]: r for r in session.run(_FIND, {"uris": uris}).data()}


def resolve_reference(session: Any, text: str, *, area: bool = False) -> str:
    """A user's reference as the ``uri`` of a node in Neo4j, or a :class:`ParameterError`."""
    text = text.strip()
    if area or text.startswith("area:"):
        slug = text.removeprefix("area:")
        iri = str(area_iri(slug))
        found = _find(session, [iri]).get(iri)
        if not found or "CooperationArea" not in found["labels"]:
            rows = session.run(
                f"MATCH (a:{RESOURCE_LABEL}:CooperationArea) RETURN a.uri AS uri ORDER BY uri"
            ).data()
            known = ", ".join(r["uri"].rsplit("/", 1)[-1] for r in rows)
            raise ParameterError(f"unknown cooperation area {slug!r}; known: {known}")
        return iri
    if text.startswith(("https://", "http://")):
        if text not in _find(session, [text]):
            raise ParameterError(f"{text} is not in the Neo4j graph (load it: stigraph load)")
        return text
    if len(text) == 2 and text.isalpha():
        iri = str(country_iri(text.upper()))
        found = _find(session, [iri]).get(iri)
        if not found or "Country" not in found["labels"]:
            raise UnknownCountryError(
                f"unknown country code {text!r}: not an ISO 3166-1 alpha-2 code of a UN M49 "
                "country or area in the Neo4j graph"
            )
        return iri
    candidates = [str(actor_iri(text)), str(initiative_iri(text)), ID_BASE + text]
    found_all = _find(session, candidates)
    for candidate in candidates:
        if found_all.get(candidate, {}).get("types"):
            return candidate
    raise ParameterError(
        f"{text!r} is not a country code, actor or initiative slug in the Neo4j graph "
        "(try: stigraph query search-entities --param text=...)"
    )


def _bind(session: Any, param: Param, value: str) -> Any:
    if param.type in ("ref", "area"):
        return resolve_reference(session, value, area=param.type == "area")
    if param.type == "date":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ParameterError(
                f"{param.name}={value!r} is not a date; write YYYY-MM-DD"
            ) from None
    if param.type == "int":
        try:
            return int(value)
        except ValueError:
            raise ParameterError(f"{param.name}={value!r} is not a whole number") from None
    return value


def bind_params(session: Any, query: NamedQuery, params: Mapping[str, str]) -> dict[str, Any]:
    """Check and convert parameters; dates are ISO strings (default today), optional ones null."""
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; its parameters: {known}"
        )
    bound: dict[str, Any] = {}
    for param in query.params:
        if param.name in params:
            bound[param.name] = _bind(session, param, params[param.name])
        elif param.type == "date":
            bound[param.name] = datetime.date.today().isoformat()
        elif param.optional:
            bound[param.name] = None
        else:
            raise ParameterError(
                f"query {query.name!r} needs --param {param.name}=… ({param.description})"
            )
    return bound


def _run(
    driver: Any, database: str, query: NamedQuery, params: Mapping[str, str]
) -> list[dict[str, Any]]:
    with driver.session(database=database) as session:
        bound = bind_params(session, query, params)
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
