"""SHACL validation of a built graph, with each violation traced to its seed file and line."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.term import Node

from stigraph import resources
from stigraph.errors import OntologyError
from stigraph.namespaces import SH, STIG, XSD
from stigraph.store import is_oxigraph, parse_rdf_file

__all__ = ["ValidationReport", "Violation", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the seed row it came from when known."""

    focus: str
    path: str
    message: str
    severity: str
    value: str
    origin: str

    def describe(self) -> str:
        where = self.origin or "(no seed row: imported or from a Turtle file)"
        value = f" (value {self.value})" if self.value else ""
        return f"{where}: {self.focus} {self.path}: {self.message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def as_rows(self) -> list[dict[str, str]]:
        return [v.__dict__ for v in self.violations]


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def validate_graph(graph: Graph, origins: dict[Node, str] | None = None) -> ValidationReport:
    """Validate ``graph`` against ``ontology/shapes.ttl``.

    ``origins`` maps nodes to ``file:line`` (from :class:`~stigraph.build.BuildResult`);
    without it the ``stig:seedFile`` recorded on the node is used.
    """
    from pyshacl import validate  # slow to import; only needed here

    shapes = Graph()
    parse_rdf_file(shapes, resources.shapes_file(), error=OntologyError)
    data = graph
    if is_oxigraph(graph):
        # pyshacl works on rdflib's own store; copy the triples into one. Oxigraph returns
        # plain strings typed xsd:string, which rdflib would not find equal to the shapes'
        # untyped literals (sh:in), so they go back to plain literals.
        data = Graph()
        for s, p, o in graph:
            if isinstance(o, Literal) and o.datatype == XSD.string:
                o = Literal(str(o))
            data.add((s, p, o))
    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none",
                                    allow_warnings=True, advanced=True)
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        origin = (origins or {}).get(focus) if focus is not None else None
        if origin is None and focus is not None:
            origin = _text(graph.value(focus, STIG.seedFile))
        violations.append(Violation(
            focus=_text(focus),
            path=_text(results.value(result, SH.resultPath)),
            message=_text(results.value(result, SH.resultMessage)),
            severity=_text(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            value=_text(results.value(result, SH.value)),
            origin=origin or "",
        ))
    violations.sort(key=lambda v: (v.origin, v.focus, v.path, v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations)
