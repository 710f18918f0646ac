"""Named queries: one file per query in ``queries/sparql/`` (and ``queries/cypher/``).

A query file starts with header comment lines::

    # title: Who cooperates with an entity
    # description: Partners of an actor, initiative or country and what links them.
    # param: entity ref  an actor or initiative slug, a country code or an IRI
    # param: as_of date?  the date to look at (default: today)

Each ``param`` line names a query variable, its type (``ref``, ``area``, ``date``, ``text``,
``int``; ``?`` marks it optional) and its meaning. On rdflib's memory store values are bound
to the variables (``initBindings``); on Oxigraph the query runs in Oxigraph's own engine, tens
of times faster, with each value written into the text as one escaped term
(:mod:`stigraph.store.sparql_text`), which binds it in the same places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from stigraph import resources
from stigraph.errors import QueryError

__all__ = ["PARAM_TYPES", "NamedQuery", "Param", "get_query", "load_queries",
           "parse_query_file", "query_file"]

PARAM_TYPES = ("ref", "area", "date", "text", "int")
_COMMENT = {"sparql": "#", "cypher": "//"}
_SUFFIX = {"sparql": ".rq", "cypher": ".cypher"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path
    columns: tuple[str, ...] = field(default=())
    #: Columns holding a space-separated set (a GROUP_CONCAT, whose order SPARQL leaves open):
    #: their items are sorted, so every engine gives the same text.
    sets: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER = re.compile(r"^\s*(title|description|param|columns|sets):\s*(.*)$")


def parse_query_file(path: Path, kind: str = "sparql") -> NamedQuery:
    """Read one query file and its header; a missing title is an error naming the file."""
    text = path.read_text(encoding="utf-8")
    comment = _COMMENT[kind]
    fields: dict[str, str] = {}
    params: list[Param] = []
    columns: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith(comment):
            if line.strip():
                break
            continue
        match = _HEADER.match(line[len(comment):])
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1].rstrip("?") not in PARAM_TYPES:
                raise QueryError(f"{path}:{number}: a param line reads "
                                 f"'param: NAME TYPE meaning' with TYPE in {PARAM_TYPES}")
            params.append(Param(parts[0], parts[1].rstrip("?"), parts[1].endswith("?"),
                                parts[2] if len(parts) > 2 else ""))
        elif key == "columns":
            columns = tuple(value.split())
        elif key == "sets":
            sets = tuple(value.split())
        else:
            fields[key] = value.strip()
    if "title" not in fields:
        raise QueryError(f"{path}: the header has no '{comment} title:' line")
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""), tuple(params),
                      text, path, columns, sets)


def load_queries(kind: str = "sparql") -> dict[str, NamedQuery]:
    """All named queries of one kind, by name."""
    folder = resources.queries_dir() / kind
    return {p.stem: parse_query_file(p, kind)
            for p in sorted(folder.glob(f"*{_SUFFIX[kind]}"))}


def query_file(name: str, kind: str = "sparql") -> Path:
    """The file of the named query ``name`` (whether or not it exists)."""
    return resources.queries_dir() / kind / f"{name}{_SUFFIX[kind]}"


def get_query(name: str, kind: str = "sparql") -> NamedQuery:
    queries = load_queries(kind)
    if name not in queries:
        raise QueryError(f"no {kind} query named {name!r}; known: {', '.join(sorted(queries))}"
                         f" (stigraph query --list)")
    return queries[name]
