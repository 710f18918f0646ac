"""SHACL validation of a built graph, with each violation traced to its seed file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from stigraph import resources
from stigraph.errors import OntologyError, ParameterError
from stigraph.store import store_of
from stigraph.store.files import parse_rdf_file
from stigraph.store.memo import remembered
from stigraph.vocab.namespaces import SH, STIG

__all__ = ["ENGINES", "SPARQL_ABOVE", "ValidationReport", "Violation", "kept_validation",
           "validate_graph", "validation_code"]

#: ``auto`` picks pyshacl (the reference) for small graphs and the SPARQL compilation of the
#: shapes (:mod:`stigraph.validate.sparql_engine`) for graphs of ``SPARQL_ABOVE`` triples or more.
ENGINES = ("auto", "pyshacl", "sparql")
SPARQL_ABOVE = 200_000


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the seed row it came from when known."""

    focus: str
    path: str
    message: str
    severity: str
    value: str
    origin: str
    #: the SHACL constraint component, e.g. ``MinCountConstraintComponent``
    constraint: str = ""

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


def validation_code() -> tuple[Path, ...]:
    """The files whose content a validation report depends on besides the graph: this
    module, the SPARQL compilation of the shapes and the shapes (a kept graph's validation
    is kept beside it under their hash: :mod:`stigraph.store.memo`)."""
    from stigraph.validate import sparql_engine

    return (Path(__file__), Path(sparql_engine.__file__), resources.shapes_file())


def kept_validation(graph: Graph, origins: dict[Node, str] | None = None, *,
                    engine: str = "auto") -> ValidationReport:
    """:func:`validate_graph` with the project's shapes, kept beside a kept graph (a minute
    of CPU on the default graph, once per graph and version of the shapes and this code)."""
    return remembered(graph, f"validation-{engine}",
                      lambda: validate_graph(graph, origins, engine=engine),
                      code=validation_code())


def validate_graph(graph: Graph, origins: dict[Node, str] | None = None, *,
                   engine: str = "auto", shapes: Graph | None = None) -> ValidationReport:
    """Validate ``graph`` against ``ontology/shapes.ttl``.

    ``origins`` maps nodes to ``file:line`` (from :class:`~stigraph.build.builder.BuildResult`);
    without it the ``stig:seedFile`` recorded on the node is used. ``engine``: ``pyshacl``
    (the reference implementation, on rdflib's memory store), ``sparql`` (the shapes compiled
    to SPARQL and run on the graph's own store: Oxigraph's engine on the Oxigraph store; much
    faster on large graphs) or ``auto`` (pyshacl below :data:`SPARQL_ABOVE` triples).
    ``shapes``: another shapes graph instead of the project's (tests).
    """
    if engine not in ENGINES:
        raise ParameterError(f"unknown validation engine {engine!r}; use one of "
                             f"{', '.join(ENGINES)}")
    if shapes is None:
        shapes = Graph()
        parse_rdf_file(shapes, resources.shapes_file(), error=OntologyError)
    if engine == "auto":
        engine = "sparql" if len(store_of(graph)) >= SPARQL_ABOVE else "pyshacl"
    if engine == "sparql":
        violations = _validate_sparql(graph, shapes, origins)
        # as pyshacl with allow_warnings: only sh:Violation results break conformance
        conforms = not any(v.severity == "Violation" for v in violations)
    else:
        conforms, violations = _validate_pyshacl(graph, shapes, origins)
    violations.sort(key=lambda v: (v.origin, v.focus, v.path, v.message, v.constraint, v.value))
    return ValidationReport(conforms=conforms, violations=violations)


def _origin(graph: Graph, origins: dict[Node, str] | None, focus: Node | None) -> str:
    origin = (origins or {}).get(focus) if focus is not None else None
    if origin is None and focus is not None:
        origin = _text(graph.value(focus, STIG.seedFile))
    return origin or ""


def _validate_sparql(graph: Graph, shapes: Graph,
                     origins: dict[Node, str] | None) -> list[Violation]:
    from stigraph.validate.sparql_engine import compile_shapes, run_checks

    findings = run_checks(graph, compile_shapes(shapes, graph))
    return [Violation(
        focus=_text(f.focus),
        path=_text(f.check.path),
        message=f.check.message,
        severity=f.check.severity,
        value=_text(f.value),
        origin=_origin(graph, origins, f.focus),
        constraint=f.check.constraint,
    ) for f in findings]


def _validate_pyshacl(graph: Graph, shapes: Graph,
                      origins: dict[Node, str] | None) -> tuple[bool, list[Violation]]:
    from pyshacl import validate  # slow to import; only needed here

    # pyshacl works on rdflib's own store, with rdflib's literal forms
    data = store_of(graph).plain_graph()
    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none",
                             allow_warnings=True, advanced=True)
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        violations.append(Violation(
            focus=_text(focus),
            path=_text(results.value(result, SH.resultPath)),
            message=_text(results.value(result, SH.resultMessage)),
            severity=_text(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            value=_text(results.value(result, SH.value)),
            origin=_origin(graph, origins, focus),
            constraint=_text(results.value(result, SH.sourceConstraintComponent))
            .rsplit("#", 1)[-1],
        ))
    return bool(conforms), violations
