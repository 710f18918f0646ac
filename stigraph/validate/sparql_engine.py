"""SHACL validation compiled to SPARQL, for graphs too large for pyshacl.

The shapes in ``ontology/shapes.ttl`` use a small part of SHACL Core. This module compiles
exactly that part into SPARQL ``SELECT`` queries, one per constraint, that return the
violating focus nodes (and value nodes). They run on whatever store the graph is on: on the
Oxigraph store ``graph.query`` goes to Oxigraph's own engine, so a 1.5 million triple graph is
checked in seconds instead of minutes.

Supported:

- targets: ``sh:targetClass`` (instances of the class and of its subclasses, from the
  ``rdfs:subClassOf`` axioms in the data graph, which holds the ontology);
- ``sh:property`` with an IRI ``sh:path`` (no complex paths);
- ``sh:minCount``, ``sh:maxCount``, ``sh:hasValue``;
- per value node: ``sh:class`` (subclasses included), ``sh:datatype`` (with a lexical check
  for the common XSD types, as pyshacl rejects ill-typed literals), ``sh:nodeKind``,
  ``sh:pattern`` (with ``sh:flags``), ``sh:in``, ``sh:hasValue`` and ``sh:or`` of those;
- node-level constraints of the same kinds on the focus node, including a node-level ``sh:or``
  of property shapes (as in ``shape:StatementShape``);
- ``sh:message``, ``sh:severity``, ``sh:deactivated``; annotations (``sh:name``,
  ``sh:description``, ``sh:order``, ``sh:group``) are ignored.

Anything else in the ``sh:`` namespace (``sh:node``, ``sh:and``, ``sh:not``, ``sh:closed``,
``sh:minLength``, path expressions, other targets, SPARQL constraints…) raises
:class:`~stigraph.errors.OntologyError` naming the shape, so a shape is never silently
skipped. pyshacl (``validate_graph(..., engine="pyshacl")``) stays the reference; the tests
compare both engines constraint by constraint.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from stigraph.errors import OntologyError
from stigraph.vocab.namespaces import RDF, RDFS, SH, XSD

__all__ = ["Check", "Finding", "compile_shapes", "run_checks"]

# Predicates that carry no constraint.
_ANNOTATIONS = frozenset({SH.name, SH.description, SH.order, SH.group, SH.defaultValue})
# Constraints on a value node (or, at node level, on the focus node itself).
_VALUE_TESTS = frozenset({SH.datatype, SH.nodeKind, SH["class"], SH.pattern, SH["in"],
                          SH.hasValue, SH["or"]})
_SHAPE_META = frozenset({SH.message, SH.severity, SH.deactivated, SH.flags})
_PROPERTY_ONLY = frozenset({SH.path, SH.minCount, SH.maxCount})
_NODE_ONLY = frozenset({SH.targetClass, SH.property})

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}

# Lexical forms of the datatypes whose ill-typed literals pyshacl reports (rdflib marks them
# ill-typed); other datatypes are checked by datatype IRI only, as pyshacl does.
_TZ = "(Z|[+-][0-9]{2}:[0-9]{2})?"
_LEXICAL = {
    XSD.date: f"^-?[0-9]{{4,}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}$",
    XSD.gYear: f"^-?[0-9]{{4,}}{_TZ}$",
    XSD.gYearMonth: f"^-?[0-9]{{4,}}-(0[1-9]|1[0-2]){_TZ}$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.integer: "^[+-]?[0-9]+$",
    XSD.boolean: "^(true|false|1|0)$",
    XSD.dateTime: (f"^-?[0-9]{{4,}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                   f"T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?{_TZ}$"),
}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows are ``?f`` (and ``?v``) of violations."""

    shape: str
    query: str
    path: URIRef | None
    constraint: str
    message: str
    severity: str
    #: where the result's ``sh:value`` comes from: ``"v"`` (the query's second column),
    #: ``"f"`` (the focus node: node-level constraints) or ``""`` (none: counts, hasValue)
    value: str


@dataclass(frozen=True)
class Finding:
    """One violation found by a :class:`Check`."""

    check: Check
    focus: Node
    value: Node | None


class _Compiler:
    def __init__(self, shapes: Graph, data: Graph) -> None:
        self.sg = shapes
        self.data = data
        self._closure: dict[URIRef, list[URIRef]] = {}
        self._counter = itertools.count()

    # -- helpers ---------------------------------------------------------------------------

    def name(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return node.n3(self.sg.namespace_manager)
        path = self.sg.value(node, SH.path)
        if isinstance(path, URIRef):
            return f"[sh:path {path.n3(self.sg.namespace_manager)}]"
        return f"blank node {node.n3()}"

    def fresh(self, stem: str) -> str:
        return f"?{stem}{next(self._counter)}"

    def subclasses(self, cls: URIRef) -> list[URIRef]:
        """``cls`` and every class below it (``rdfs:subClassOf*`` in the data graph)."""
        if cls not in self._closure:
            seen = {cls}
            todo = [cls]
            while todo:
                for sub in self.data.subjects(RDFS.subClassOf, todo.pop()):
                    if isinstance(sub, URIRef) and sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            self._closure[cls] = sorted(seen)
        return self._closure[cls]

    def single(self, shape: Node, predicate: URIRef, where: str) -> Node:
        values = list(self.sg.objects(shape, predicate))
        if len(values) != 1:
            raise OntologyError(f"shape {where}: expected one {predicate.n3()}, found "
                                f"{len(values)}; the SPARQL validator cannot compile it")
        return values[0]

    def count(self, shape: Node, predicate: URIRef, where: str) -> int:
        value = self.single(shape, predicate, where)
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise OntologyError(f"shape {where}: {predicate.n3()} must be an integer")
        return int(value.toPython())

    def items(self, node: Node, where: str) -> list[Node]:
        try:
            return list(Collection(self.sg, node))
        except Exception as exc:  # a malformed RDF list
            raise OntologyError(f"shape {where}: not a well-formed RDF list") from exc

    def check_predicates(self, shape: Node, allowed: frozenset[URIRef], where: str) -> None:
        for predicate in set(self.sg.predicates(shape, None)):
            if predicate in _ANNOTATIONS or not str(predicate).startswith(str(SH)):
                continue
            if predicate not in allowed:
                raise OntologyError(
                    f"shape {where}: {predicate.n3(self.sg.namespace_manager)} is not supported "
                    "by the SPARQL validator (stigraph/shacl_sparql.py); validate with "
                    "--engine pyshacl or extend the compiler")

    def message(self, shape: Node, default: str) -> str:
        messages = sorted(str(m) for m in self.sg.objects(shape, SH.message))
        return messages[0] if messages else default

    def severity(self, shape: Node) -> str:
        value = self.sg.value(shape, SH.severity)
        return "Violation" if value is None else str(value).rsplit("#", 1)[-1]

    def deactivated(self, shape: Node) -> bool:
        value = self.sg.value(shape, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def path(self, shape: Node, where: str) -> URIRef:
        path = self.single(shape, SH.path, where)
        if not isinstance(path, URIRef):
            raise OntologyError(f"shape {where}: only IRI paths are supported by the SPARQL "
                                "validator, not path expressions")
        return path

    # -- boolean tests ---------------------------------------------------------------------

    def value_tests(self, shape: Node, var: str,
                    where: str) -> Iterator[tuple[str, str, str, Node, Node]]:
        """``(constraint, expression, default message, predicate, object)`` for each
        value-node constraint of ``shape``."""
        for predicate, obj in sorted(self.sg.predicate_objects(shape), key=str):
            if predicate not in _VALUE_TESTS:
                continue
            yield (*self.value_test(shape, predicate, obj, var, where), predicate, obj)

    def value_test(self, shape: Node, predicate: Node, obj: Node, var: str,
                   where: str) -> tuple[str, str, str]:
        """(constraint name, SPARQL test on ``var``, message) of one value constraint."""
        tests: dict[Node, Callable[[Node, Node, str, str], tuple[str, str, str]]] = {
            SH.datatype: self._datatype_test, SH.nodeKind: self._node_kind_test,
            SH["class"]: self._class_test, SH.pattern: self._pattern_test,
            SH["in"]: self._in_test, SH.hasValue: self._has_value_test, SH["or"]: self._or_test,
        }
        return tests[predicate](shape, obj, var, where)

    def _datatype_test(self, shape: Node, obj: Node, var: str,
                       where: str) -> tuple[str, str, str]:
        if not isinstance(obj, URIRef):
            raise OntologyError(f"shape {where}: sh:datatype must be an IRI")
        return ("Datatype", self.datatype(obj, var),
                f"Value is not Literal with datatype {obj.n3(self.sg.namespace_manager)}")

    def _node_kind_test(self, shape: Node, obj: Node, var: str,
                        where: str) -> tuple[str, str, str]:
        if not isinstance(obj, URIRef) or obj not in _NODE_KINDS:
            raise OntologyError(f"shape {where}: unknown sh:nodeKind {obj}")
        return ("NodeKind", _NODE_KINDS[obj].format(v=var),
                f"Value is not of Node Kind {obj.n3(self.sg.namespace_manager)}")

    def _class_test(self, shape: Node, obj: Node, var: str, where: str) -> tuple[str, str, str]:
        if not isinstance(obj, URIRef):
            raise OntologyError(f"shape {where}: sh:class must be an IRI")
        t = self.fresh("t")
        classes = " ".join(c.n3() for c in self.subclasses(obj))
        return ("Class", f"EXISTS {{ VALUES {t} {{ {classes} }} {var} {RDF.type.n3()} {t} }}",
                f"Value does not have class {obj.n3(self.sg.namespace_manager)}")

    def _pattern_test(self, shape: Node, obj: Node, var: str,
                      where: str) -> tuple[str, str, str]:
        flags = self.sg.value(shape, SH.flags)
        args = f"STR({var}), {_literal(obj)}" + (f", {_literal(flags)}" if flags else "")
        return ("Pattern", f"(!isBlank({var}) && REGEX({args}))",
                f"Value does not match pattern '{obj}'")

    def _in_test(self, shape: Node, obj: Node, var: str, where: str) -> tuple[str, str, str]:
        members = self.items(obj, where)
        tests = " || ".join(f"sameTerm({var}, {_term(m, where)})" for m in members)
        return ("In", f"({tests or 'false'})",
                "Value not in list " + ", ".join(map(str, members)))

    def _has_value_test(self, shape: Node, obj: Node, var: str,
                        where: str) -> tuple[str, str, str]:
        return "HasValue", f"sameTerm({var}, {_term(obj, where)})", f"Value is not {obj}"

    def _or_test(self, shape: Node, obj: Node, var: str, where: str) -> tuple[str, str, str]:
        message = "Node does not conform to one or more shapes in sh:or"
        union = self.class_union(SH["or"], obj, where)
        if union:  # sh:or of sh:class: one lookup over the union of the classes
            t = self.fresh("t")
            return ("Or", f"EXISTS {{ VALUES {t} {{ {union} }} {var} {RDF.type.n3()} {t} }}",
                    message)
        alternatives = [self.shape_test(member, var, f"{where} sh:or {i + 1}")
                        for i, member in enumerate(self.items(obj, where))]
        return "Or", "(" + (" || ".join(alternatives) or "false") + ")", message

    def class_union(self, predicate: Node, obj: Node, where: str) -> str:
        """For ``sh:class C`` or ``sh:or`` of ``sh:class`` only: the classes (subclasses
        included) a value must be an instance of, as SPARQL terms; else ``""``."""
        if predicate == SH["class"] and isinstance(obj, URIRef):
            classes: list[URIRef | None] = [obj]
        elif predicate == SH["or"]:
            classes = [self.only_class(member) for member in self.items(obj, where)]
        else:
            return ""
        if not classes or not all(classes):
            return ""
        return " ".join(sorted({c.n3() for cls in classes if cls for c in self.subclasses(cls)}))

    def only_class(self, shape: Node) -> URIRef | None:
        """The class of a shape that is nothing but ``[ sh:class C ]``, else None."""
        constraints = [(p, o) for p, o in self.sg.predicate_objects(shape)
                       if str(p).startswith(str(SH)) and p not in _ANNOTATIONS]
        if len(constraints) == 1 and constraints[0][0] == SH["class"] \
                and isinstance(constraints[0][1], URIRef):
            return constraints[0][1]
        return None

    def datatype(self, datatype: URIRef, var: str) -> str:
        if datatype == RDF.langString:
            return f"(isLiteral({var}) && LANG({var}) != \"\")"
        test = f"(isLiteral({var}) && sameTerm(DATATYPE({var}), {datatype.n3()})"
        if datatype in _LEXICAL:
            test += f" && REGEX(STR({var}), {_literal(_LEXICAL[datatype])})"
        return test + ")"

    def shape_test(self, shape: Node, var: str, where: str) -> str:
        """A boolean expression: does ``var`` conform to ``shape`` (inside sh:or)?"""
        if (shape, SH.path, None) in self.sg:
            return self.property_test(shape, var, where)
        self.check_predicates(shape, _VALUE_TESTS | _SHAPE_META, where)
        tests = [expr for _, expr, *_ in self.value_tests(shape, var, where)]
        return "(" + (" && ".join(tests) or "true") + ")"

    def property_test(self, shape: Node, focus: str, where: str) -> str:
        self.check_predicates(shape, _VALUE_TESTS | _SHAPE_META | _PROPERTY_ONLY, where)
        path = self.path(shape, where).n3()
        tests = []
        if (shape, SH.minCount, None) in self.sg:
            n = self.count(shape, SH.minCount, where)
            if n > 0:
                tests.append(f"EXISTS {{ {self.distinct_values(focus, path, n, where)} }}")
        if (shape, SH.maxCount, None) in self.sg:
            n = self.count(shape, SH.maxCount, where)
            tests.append(f"NOT EXISTS {{ {self.distinct_values(focus, path, n + 1, where)} }}")
        x = self.fresh("x")
        value_tests = []
        for constraint, expr, _, _, obj in self.value_tests(shape, x, where):
            if constraint == "HasValue":  # at property level: one of the values is it
                value = _term(obj, where)
                tests.append(f"EXISTS {{ {focus} {path} {value} }}")
            else:
                value_tests.append(expr)
        if value_tests:
            every = " && ".join(value_tests)
            tests.append(f"NOT EXISTS {{ {focus} {path} {x} FILTER(!({every})) }}")
        return "(" + (" && ".join(tests) or "true") + ")"

    def distinct_values(self, focus: str, path: str, n: int, where: str) -> str:
        if n > 4:
            raise OntologyError(f"shape {where}: counts above 3 inside sh:or are not supported "
                                "by the SPARQL validator")
        names = [self.fresh("c") for _ in range(n)]
        pattern = " ".join(f"{focus} {path} {x} ." for x in names)
        distinct = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        return pattern + (f" FILTER({' && '.join(distinct)})" if distinct else "")

    # -- top-level checks ------------------------------------------------------------------

    def compile(self) -> list[Check]:
        targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
        shapes = sorted({s for t in targets for s in self.sg.subjects(t, None)}
                        | set(self.sg.subjects(RDF.type, SH.NodeShape)), key=str)
        checks: list[Check] = []
        for shape in shapes:
            focus = self.focus(shape, targets)
            if focus is not None:
                checks.extend(self.shape_checks(shape, focus))
        return checks

    def focus(self, shape: Node, targets: set[URIRef]) -> str | None:
        """The SPARQL pattern binding ``?f`` to the shape's focus nodes; None for a shape
        that is deactivated or only used through references."""
        where = self.name(shape)
        if (shape, RDF.type, RDFS.Class) in self.sg:
            raise OntologyError(f"shape {where}: implicit class targets are not supported "
                                "by the SPARQL validator")
        if self.deactivated(shape):
            return None
        classes = list(self.sg.objects(shape, SH.targetClass))
        if not classes:
            if any((shape, t, None) in self.sg for t in targets):
                raise OntologyError(f"shape {where}: only sh:targetClass targets are "
                                    "supported by the SPARQL validator")
            return None
        if any(not isinstance(c, URIRef) for c in classes):
            raise OntologyError(f"shape {where}: sh:targetClass must be an IRI")
        values = " ".join(c.n3() for cls in classes
                          for c in self.subclasses(cls))  # type: ignore[arg-type]
        return f"VALUES ?t {{ {values} }} ?f {RDF.type.n3()} ?t ."

    def shape_checks(self, shape: Node, focus: str) -> list[Check]:
        where = self.name(shape)
        if (shape, SH.path, None) in self.sg:  # a property shape with its own target
            return self.property_checks(shape, focus, where)
        self.check_predicates(shape, _VALUE_TESTS | _SHAPE_META | _NODE_ONLY
                              | {SH.targetClass}, where)
        checks = [self.check(shape, where,
                             f"SELECT DISTINCT ?f WHERE {{ {focus} FILTER(!{expr}) }}",
                             None, constraint, default, value="f")
                  for constraint, expr, default, *_ in self.value_tests(shape, "?f", where)]
        for prop in sorted(self.sg.objects(shape, SH.property), key=str):
            checks.extend(self.property_checks(prop, focus, f"{where} {self.name(prop)}"))
        return checks

    def check(self, shape: Node, where: str, query: str, path: URIRef | None, constraint: str,
              default: str, *, value: str) -> Check:
        return Check(shape=where, query=query, path=path,
                     constraint=f"{constraint}ConstraintComponent",
                     message=self.message(shape, default), severity=self.severity(shape),
                     value=value)

    def property_checks(self, shape: Node, focus: str, where: str) -> list[Check]:
        if self.deactivated(shape):
            return []
        self.check_predicates(shape, _VALUE_TESTS | _SHAPE_META | _PROPERTY_ONLY
                              | {SH.targetClass}, where)
        path = self.path(shape, where)
        p = path.n3()
        shown = path.n3(self.sg.namespace_manager)
        checks = []
        n = self.count(shape, SH.minCount, where) if (shape, SH.minCount, None) in self.sg else 0
        if n > 0:
            if n == 1:
                query = f"SELECT DISTINCT ?f WHERE {{ {focus} FILTER NOT EXISTS {{ ?f {p} ?x }} }}"
            else:
                query = (f"SELECT ?f WHERE {{ {focus} OPTIONAL {{ ?f {p} ?x }} }} GROUP BY ?f "
                         f"HAVING (COUNT(DISTINCT ?x) < {n})")
            checks.append(self.check(shape, where, query, path, "MinCount",
                                     f"Less than {n} values on {shown}", value=""))
        if (shape, SH.maxCount, None) in self.sg:
            n = self.count(shape, SH.maxCount, where)
            query = (f"SELECT ?f WHERE {{ {focus} ?f {p} ?x }} GROUP BY ?f "
                     f"HAVING (COUNT(DISTINCT ?x) > {n})")
            checks.append(self.check(shape, where, query, path, "MaxCount",
                                     f"More than {n} values on {shown}", value=""))
        for constraint, expr, default, predicate, obj in self.value_tests(shape, "?v", where):
            if constraint == "HasValue":
                value = _term(obj, where)
                query = (f"SELECT DISTINCT ?f WHERE {{ {focus} "
                         f"FILTER NOT EXISTS {{ ?f {p} {value} }} }}")
                checks.append(self.check(shape, where, query, path, constraint,
                                         f"Missing expected value {value}", value=""))
                continue
            union = self.class_union(predicate, obj, where)
            if union:  # an anti-join: much faster than a FILTER NOT EXISTS per value
                query = (f"SELECT DISTINCT ?f ?v WHERE {{ {{ {focus} ?f {p} ?v }} MINUS "
                         f"{{ VALUES ?c {{ {union} }} ?v {RDF.type.n3()} ?c }} }}")
            else:
                query = f"SELECT DISTINCT ?f ?v WHERE {{ {focus} ?f {p} ?v FILTER(!{expr}) }}"
            checks.append(self.check(shape, where, query, path, constraint, default,
                                     value="v"))
        return checks


def _term(node: Node | None, where: str) -> str:
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise OntologyError(f"shape {where}: blank nodes as values (sh:in, sh:hasValue) are not "
                        "supported by the SPARQL validator")


def _literal(node: Node | str) -> str:
    return Literal(str(node)).n3()


def compile_shapes(shapes: Graph, data: Graph) -> list[Check]:
    """The SPARQL checks for ``shapes``; class hierarchies are read from ``data``.

    Raises :class:`~stigraph.errors.OntologyError` naming the shape for any SHACL construct
    outside the supported subset.
    """
    return _Compiler(shapes, data).compile()


def run_checks(graph: Graph, checks: list[Check]) -> list[Finding]:
    """Run each check on ``graph`` (on its own store's SPARQL engine)."""
    findings = []
    for check in checks:
        rows: Any = graph.query(check.query)
        for row in rows:
            value = {"v": row[1] if len(row) > 1 else None, "f": row[0]}.get(check.value)
            findings.append(Finding(check=check, focus=row[0], value=value))
    return findings

