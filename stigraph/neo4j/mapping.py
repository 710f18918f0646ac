"""RDF graph → property graph rows (nodes, relationships, prefix table).

The mapping, learned from neosemantics and rdflib-neo4j:

- Every IRI or blank node that is a subject, or the object of a predicate other than
  ``rdf:type``, becomes a node ``:Resource {uri}``. Blank nodes get a stable ``uri``,
  ``_:`` + a hash of their triples, so that reloading stays idempotent (two blank nodes with
  exactly the same triples become one node).
- Labels: ``Resource``, the local names of the node's ``rdf:type`` classes, and every
  stigraph superclass of those (``rdfs:subClassOf`` closure), PascalCase — so
  ``MATCH (:Actor)`` finds universities and foundations too.
- Literals become properties named by the predicate's local name in camelCase. ``xsd:date``
  and ``xsd:dateTime`` stay dates; ``xsd:gYear`` and ``xsd:gYearMonth`` stay ISO strings
  (``"2024"``, ``"2024-03"``: Neo4j has no partial dates, and ISO strings compare correctly
  as text); integers stay integers; decimals, doubles and floats become floats; booleans stay
  booleans; everything else is a string. English or untagged text is the property itself;
  other languages go to ``name_zh``, ``name_fr``… Several values become a sorted list (as
  strings when their types differ, because Neo4j lists hold one type).
- The asserted ``rdf:type`` IRIs (without the superclasses the labels add) are kept in the
  list property ``rdfTypes``.
- Every other triple becomes a relationship named by the predicate's local name in
  UPPER_SNAKE (``stig:memberOf`` → ``MEMBER_OF``) carrying ``predicate`` (the full IRI).
- Each n-ary ``stig:Membership``/``stig:Participation`` stays a node and is also a direct edge
  ``(member)-[:MEMBER_OF|PARTICIPATES_IN {membership, predicate, role, startDate, endDate,
  source}]->(organisation)``. The RDF graph's own direct ``stig:memberOf`` triple for the same
  pair is folded into that edge rather than written as a second relationship.
- Every node and relationship row carries ``rdfHash``, a digest of its labels and properties;
  the loader writes only rows whose hash changed, so a second load changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from stigraph.gcpause import paused_gc
from stigraph.store import store_of
from stigraph.vocab.namespaces import DCTERMS, PREFIXES, RDF, RDFS, STIG, XSD, iri_key

__all__ = [
    "HASH_PROPERTY",
    "KEY_MEMBERSHIP",
    "KEY_PREDICATE",
    "RESOURCE_LABEL",
    "TYPES_PROPERTY",
    "NodeRow",
    "PropertyGraph",
    "RelationshipRow",
    "label_name",
    "literal_value",
    "map_graph",
    "property_name",
    "relationship_type",
]

RESOURCE_LABEL = "Resource"
HASH_PROPERTY = "rdfHash"
KEY_PREDICATE = "predicate"
KEY_MEMBERSHIP = "membership"
TYPES_PROPERTY = "rdfTypes"
_RESERVED = {"uri", HASH_PROPERTY, TYPES_PROPERTY}

_NAME_CHARS = re.compile(r"[^0-9A-Za-z_]+")
_CAMEL_BOUNDARY_1 = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_BOUNDARY_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")

_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}
_INT_TYPES = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.nonPositiveInteger,
    XSD.unsignedInt,
    XSD.unsignedLong,
    XSD.unsignedShort,
    XSD.unsignedByte,
}


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/`` (``stig:memberOf`` -> ``memberOf``)."""
    name = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return name or "resource"


def _identifier(text: str) -> str:
    text = _NAME_CHARS.sub("_", text).strip("_") or "x"
    return f"_{text}" if text[0].isdigit() else text


@lru_cache(maxsize=4096)
def label_name(iri: str) -> str:
    """PascalCase label from a class IRI: ``stig:UNEntity`` -> ``UNEntity``."""
    name = _identifier(local_name(iri))
    return name[0].upper() + name[1:]


@lru_cache(maxsize=4096)
def relationship_type(iri: str) -> str:
    """UPPER_SNAKE relationship type: ``stig:headquarteredIn`` -> ``HEADQUARTERED_IN``."""
    name = _identifier(local_name(iri))
    name = _CAMEL_BOUNDARY_2.sub(r"\1_\2", _CAMEL_BOUNDARY_1.sub(r"\1_\2", name))
    return re.sub(r"_+", "_", name).upper()


@lru_cache(maxsize=4096)
def property_name(iri: str) -> str:
    """camelCase property name: ``skos:prefLabel`` -> ``prefLabel``; never ``uri``/``rdfHash``."""
    name = _identifier(local_name(iri))
    name = name[0].lower() + name[1:]
    return f"{name}_" if name in _RESERVED else name


def literal_value(lit: Literal) -> Any:
    """The Neo4j value of an RDF literal (see the module docstring for the rules)."""
    dt = lit.datatype
    if dt in (XSD.date, XSD.dateTime):
        value = lit.toPython()
        if isinstance(value, date | datetime):
            return value
        return str(lit)
    if dt in _INT_TYPES:
        try:
            return int(lit)
        except ValueError:
            return str(lit)
    if dt in _FLOAT_TYPES:
        try:
            return float(lit)
        except ValueError:
            return str(lit)
    if dt == XSD.boolean:
        return str(lit).strip().lower() in ("true", "1")
    return str(lit)


def _lang_suffix(lang: str | None) -> str:
    if not lang or lang.lower() == "en" or lang.lower().startswith("en-"):
        return ""
    return "_" + _NAME_CHARS.sub("_", lang.lower())


def _sort_key(value: Any) -> tuple[str, str]:
    return (type(value).__name__, value.isoformat() if isinstance(value, date) else str(value))


def _collapse(values: list[Any]) -> Any:
    """One value stays a scalar; several become a sorted, duplicate-free, single-typed list."""
    unique: dict[tuple[str, str], Any] = {_sort_key(v): v for v in values}
    ordered = [unique[k] for k in sorted(unique)]
    if len(ordered) == 1:
        return ordered[0]
    if len({type(v) for v in ordered}) > 1:
        ordered = sorted({v.isoformat() if isinstance(v, date) else str(v) for v in ordered})
    return ordered


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _digest(*parts: Any) -> str:
    text = json.dumps([_jsonable(p) for p in parts], sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1024)
def _type_digest(rel_type: str) -> str:
    """The hash of a relationship without properties (most of them): one per type."""
    return _digest(rel_type, {})


@dataclass(frozen=True)
class NodeRow:
    uri: str
    labels: tuple[str, ...]
    properties: Mapping[str, Any]

    def row(self) -> dict[str, Any]:
        """The parameter row for the loader: ``uri``, ``hash`` and ``props``.

        ``props`` holds neither ``uri`` nor the hash: the loader sets those two from the row,
        so no value is sent twice (packing parameters is a large part of a load's client time).
        """
        digest = _digest(list(self.labels), dict(self.properties))
        return {"uri": self.uri, "hash": digest, "props": dict(self.properties)}


@dataclass(frozen=True)
class RelationshipRow:
    source: str
    target: str
    type: str
    key_name: str  # "predicate" for plain triples, "membership" for n-ary memberships
    key: str
    properties: Mapping[str, Any]

    def row(self) -> dict[str, Any]:
        """``source``, ``target``, ``key``, ``hash`` and ``props`` (without the key and hash)."""
        if self.properties:
            digest = _digest(self.type, dict(self.properties))
        else:
            digest = _type_digest(self.type)
        props = {k: v for k, v in self.properties.items() if k != self.key_name}
        return {
            "source": self.source,
            "target": self.target,
            "key": self.key,
            "hash": digest,
            "props": props,
        }


@dataclass
class PropertyGraph:
    """Nodes, relationships and the prefix table, ready for the loader."""

    nodes: list[NodeRow] = field(default_factory=list)
    relationships: list[RelationshipRow] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)

    def node_groups(self) -> dict[tuple[str, ...], list[NodeRow]]:
        """Nodes by label set (one Cypher text per label set), in a stable order."""
        groups: dict[tuple[str, ...], list[NodeRow]] = defaultdict(list)
        for node in self.nodes:
            groups[node.labels].append(node)
        return {k: groups[k] for k in sorted(groups)}

    def relationship_groups(self) -> dict[tuple[str, str], list[RelationshipRow]]:
        """Relationships by (type, key name), in a stable order."""
        groups: dict[tuple[str, str], list[RelationshipRow]] = defaultdict(list)
        for rel in self.relationships:
            groups[(rel.type, rel.key_name)].append(rel)
        return {k: groups[k] for k in sorted(groups)}

    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes), "relationships": len(self.relationships)}


def superclass_closure(schema: Graph) -> dict[Node, set[Node]]:
    """Every class's superclasses (transitive, excluding itself) from ``rdfs:subClassOf``."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in schema.subject_objects(RDFS.subClassOf):
        if sub != sup:
            direct[sub].add(sup)
    closure: dict[Node, set[Node]] = {}
    for cls in list(direct):
        seen: set[Node] = set()
        stack = list(direct[cls])
        while stack:
            sup = stack.pop()
            if sup in seen or sup == cls:
                continue
            seen.add(sup)
            stack.extend(direct.get(sup, ()))
        closure[cls] = seen
    return closure


class _BlankNodeIds:
    """Stable ids for blank nodes: ``_:`` + a hash of their triples (nested blank nodes too)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.cache: dict[BNode, str] = {}

    def __call__(self, node: BNode) -> str:
        if node not in self.cache:
            self.cache[node] = (
                "_:" + hashlib.sha1(self._signature(node, frozenset()).encode()).hexdigest()
            )
        return self.cache[node]

    def _term(self, term: Node, seen: frozenset[BNode]) -> str:
        if isinstance(term, BNode):
            return "[" + self._signature(term, seen) + "]" if term not in seen else "[cycle]"
        return term.n3()

    def _signature(self, node: BNode, seen: frozenset[BNode]) -> str:
        seen = seen | {node}
        lines = sorted(
            f"{p.n3()} {self._term(o, seen)}" for p, o in self.graph.predicate_objects(node)
        )
        if not lines:  # only ever an object: describe it by where it is used
            lines = sorted(
                f"^{p.n3()} {self._term(s, seen)}" for s, p in self.graph.subject_predicates(node)
            )
        return " ; ".join(lines)


# Terms used per resource in the mapping loop, made once (a namespace attribute builds a new
# URIRef at every access: over a million times for the Horizon Europe graph).
_MEMBER, _ORGANISATION, _ROLE = STIG.member, STIG.organisation, STIG.role
_START, _END, _SOURCE = STIG.startDate, STIG.endDate, DCTERMS.source
_MEMBERSHIP, _PARTICIPATION = STIG.Membership, STIG.Participation
_MEMBER_OF, _PARTICIPATES_IN = STIG.memberOf, STIG.participatesIn
_MEMBERSHIP_PREDICATES = frozenset({_MEMBER, _ORGANISATION, _ROLE, _START, _END, _SOURCE})


def triples_of(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of ``graph``, each distinct term one object (see
    :meth:`stigraph.store.Store.shared_triples`), so set and dict lookups match by identity."""
    return store_of(graph).shared_triples()


def _ref(term: Node, bnode_id: _BlankNodeIds) -> str:
    return bnode_id(term) if isinstance(term, BNode) else str(term)


def _is_resource(term: Node) -> bool:
    return isinstance(term, URIRef | BNode)


def map_graph(
    graph: Graph,
    *,
    schema: Graph | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> PropertyGraph:
    """Map ``graph`` to property-graph rows.

    ``schema`` holds the ``rdfs:subClassOf`` axioms for the label closure (default: ``graph``
    itself, which contains the ontology after ``stigraph build``). ``prefixes`` is the prefix
    table stored in Neo4j (default: :data:`stigraph.vocab.namespaces.PREFIXES`).
    """
    with paused_gc():
        return _map_graph(graph, schema=schema, prefixes=prefixes)


@dataclass
class _Scan:
    """What one pass over the triples gathers for the mapping."""

    types: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    literals: dict[Node, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    edges: set[tuple[Node, URIRef, Node]] = field(default_factory=set)
    resources: set[Node] = field(default_factory=set)
    # The objects of the membership predicates, gathered in the same single pass over the
    # graph: asking the store per membership node (graph.objects) was most of the mapping
    # time on the Oxigraph store.
    membership_values: dict[Node, dict[Node, list[Node]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))


def _scan(graph: Graph) -> _Scan:
    scan = _Scan()
    types, literals, edges, resources = scan.types, scan.literals, scan.edges, scan.resources
    membership_values = scan.membership_values
    rdf_type = RDF.type
    for s, p, o in triples_of(graph):
        resources.add(s)
        if p in _MEMBERSHIP_PREDICATES:
            membership_values[s][p].append(o)
        if p == rdf_type:
            types[s].add(o)
        elif isinstance(o, Literal):
            literals[s][property_name(str(p)) + _lang_suffix(o.language)].append(literal_value(o))
        else:
            resources.add(o)
            edges.add((s, cast(URIRef, p), o))  # a predicate is always an IRI
    return scan


def _membership_properties(direct: URIRef, values: Mapping[Node, list[Node]],
                           bnode_id: _BlankNodeIds) -> dict[str, Any]:
    props: dict[str, Any] = {KEY_PREDICATE: str(direct)}
    roles = [iri_key(str(r)) if _is_resource(r) else str(r) for r in values.get(_ROLE, [])]
    if roles:
        props["role"] = _collapse(roles)
    for pred, name in ((_START, "startDate"), (_END, "endDate")):
        dates = [literal_value(v) for v in values.get(pred, []) if isinstance(v, Literal)]
        if dates:
            props[name] = _collapse(dates)
    sources = [_ref(v, bnode_id) for v in values.get(_SOURCE, [])]
    if sources:
        props["source"] = _collapse(sources)
    return props


def _membership_relationships(
    scan: _Scan, all_types: Callable[[Node], set[Node]], bnode_id: _BlankNodeIds
) -> tuple[list[RelationshipRow], set[tuple[Node, URIRef, Node]]]:
    """N-ary memberships: a direct edge per membership node, and the RDF direct triples that
    the edges stand for (folded into them, not loaded twice)."""
    relationships: list[RelationshipRow] = []
    folded: set[tuple[Node, URIRef, Node]] = set()
    for node in scan.resources:
        node_types = all_types(node)
        if _MEMBERSHIP not in node_types:
            continue
        values = scan.membership_values.get(node, {})
        members = values.get(_MEMBER, [])
        organisations = values.get(_ORGANISATION, [])
        if len(members) != 1 or len(organisations) != 1:
            continue  # malformed: SHACL validation reports it; the node itself is still loaded
        member, organisation = members[0], organisations[0]
        direct = _PARTICIPATES_IN if _PARTICIPATION in node_types else _MEMBER_OF
        relationships.append(RelationshipRow(
            source=_ref(member, bnode_id), target=_ref(organisation, bnode_id),
            type=relationship_type(str(direct)), key_name=KEY_MEMBERSHIP,
            key=_ref(node, bnode_id),
            properties=_membership_properties(direct, values, bnode_id)))
        folded.add((member, direct, organisation))
    return relationships, folded


def _node_rows(scan: _Scan, closure: Mapping[Node, set[Node]],
               bnode_id: _BlankNodeIds) -> list[NodeRow]:
    stig = str(STIG)
    nodes: list[NodeRow] = []
    for node in scan.resources:
        labels = {RESOURCE_LABEL}
        for t in scan.types.get(node, ()):
            labels.add(label_name(str(t)))
            labels.update(
                label_name(str(sup)) for sup in closure.get(t, ()) if str(sup).startswith(stig)
            )
        props = {name: _collapse(values) for name, values in scan.literals.get(node, {}).items()}
        if node in scan.types:
            props[TYPES_PROPERTY] = sorted(str(t) for t in scan.types[node])
        nodes.append(
            NodeRow(uri=_ref(node, bnode_id), labels=tuple(sorted(labels)), properties=props)
        )
    nodes.sort(key=lambda n: n.uri)
    return nodes


def _map_graph(
    graph: Graph,
    *,
    schema: Graph | None,
    prefixes: Mapping[str, str] | None,
) -> PropertyGraph:
    closure = superclass_closure(schema if schema is not None else graph)
    bnode_id = _BlankNodeIds(graph)
    scan = _scan(graph)

    def all_types(node: Node) -> set[Node]:
        found = set(scan.types.get(node, ()))
        for t in list(found):
            found |= closure.get(t, set())
        return found

    relationships, folded = _membership_relationships(scan, all_types, bnode_id)
    relationships.extend(
        RelationshipRow(source=_ref(s, bnode_id), target=_ref(o, bnode_id),
                        type=relationship_type(str(p)), key_name=KEY_PREDICATE, key=str(p),
                        properties={})
        for s, p, o in scan.edges if (s, p, o) not in folded)
    relationships.sort(key=lambda r: (r.type, r.source, r.target, r.key))

    table = dict(PREFIXES if prefixes is None else prefixes)
    return PropertyGraph(nodes=_node_rows(scan, closure, bnode_id), relationships=relationships,
                         prefixes=dict(sorted(table.items())))
