"""The package's structure holds: no import cycle, one store seam, packages import only down
the pipeline (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "stigraph"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """stigraph modules that ``path`` imports, at module level or inside functions
    (``from package import submodule`` imports the submodule, not the package's names)."""
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stigraph"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("stigraph"))
    return found


def _graph() -> nx.DiGraph:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(path, set(modules)):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_no_import_cycle_between_modules() -> None:
    cycles = list(nx.simple_cycles(_graph()))
    assert cycles == [], f"import cycles: {cycles[:5]}"


def test_only_the_store_package_knows_the_oxigraph_libraries() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "store"):
            continue
        text = path.read_text("utf-8")
        if any(word in text for word in ("pyoxigraph", "oxrdflib", "OxigraphStore")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


#: Which top-level parts of the package each may import (the pipeline, top to bottom).
ALLOWED = {
    "writing": {"errors"},
    "vocab": {"errors", "resources", "store"},
    "store": {"errors", "vocab", "writing"},
    # the default build imports the shipped data through the importers; the cache worker
    # reads ahead, from its copy in memory, what the projections and validation read first
    # (stigraph.build.read_ahead), which imports nothing of the build back
    "build": {"errors", "resources", "vocab", "store", "dates", "writing", "importers",
              "projection", "validate"},
    "validate": {"errors", "resources", "vocab", "store"},
    "queries": {"errors", "resources", "vocab", "store", "dates"},
    "importers": {"errors", "resources", "vocab", "store", "writing"},
    "projection": {"errors", "vocab", "store", "queries", "dates"},
    "analytics": {"errors", "vocab", "store", "queries", "projection", "dates"},
    # GDS analytics return the analytics' records; the loader pauses the collector
    "neo4j": {"errors", "vocab", "store", "queries", "gcpause", "dates", "analytics",
              "projection"},
}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_down_the_pipeline(package: str) -> None:
    graph = _graph()
    wrong = set()
    for module in graph:
        if not module.startswith(f"stigraph.{package}"):
            continue
        for target in graph.successors(module):
            if target == "stigraph":  # the root package holds only __version__
                continue
            part = target.split(".")[1]
            if part != package and part not in ALLOWED[package]:
                wrong.add(f"{module} -> {target}")
    assert wrong == set()


def test_architecture_page_names_every_module() -> None:
    page = (PACKAGE.parent / "docs" / "ARCHITECTURE.md").read_text("utf-8")
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py" and path.parent != PACKAGE:
            name = f"{path.parent.name}/"
        elif path.name == "__init__.py":
            continue
        else:
            name = path.name
        if f"`{name}`" not in page and f"**`{name}`**" not in page:
            missing.append(str(path.relative_to(PACKAGE)))
    assert missing == [], "docs/ARCHITECTURE.md does not name: " + ", ".join(missing)


def test_no_function_is_too_complex() -> None:
    """Cyclomatic complexity (radon's measure) of at most 15 for every function and method:
    a long orchestrator is split into named steps instead."""
    from radon.complexity import cc_visit

    too_complex = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for block in cc_visit(path.read_text("utf-8")):
            if block.complexity > 15:
                too_complex.append(f"{path.relative_to(PACKAGE)}:{block.lineno} "
                                   f"{block.fullname} ({block.complexity})")
    assert too_complex == []
