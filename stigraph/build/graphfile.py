"""Built graph files and their check files: written together, checked when loaded.

``stigraph build`` writes each graph file (``stigraph.ttl``, ``.nt``, ``.jsonld``) with a
check file beside it, ``stigraph.ttl.check.json``: the triple count and the SHA-256 of the
file's bytes. A graph file cut short, even exactly at a line boundary (where it still
parses), or changed afterwards no longer matches, and :func:`check_graph_file` says so
before it is used with ``--graph``. A graph file without a check file loads as before.

All files of one build are written under temporary names and renamed into place together,
with a lock against a second build into the same files (:mod:`stigraph.writing.folders`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from stigraph import __version__
from stigraph.errors import OntologyError
from stigraph.store import store_of
from stigraph.store.files import write_graph
from stigraph.writing.folders import replace_files

__all__ = ["CHECK_SUFFIX", "check_file", "check_graph_file", "check_triples",
           "write_graph_files"]

CHECK_SUFFIX = ".check.json"


def check_file(path: Path) -> Path:
    """Where the check file of the graph file ``path`` is."""
    return path.with_name(path.name + CHECK_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_graph_files(graph: Graph, targets: Sequence[Path]) -> list[Path]:
    """Write ``graph`` to each of ``targets`` (format from the suffix) with its check file."""
    triples = len(store_of(graph))
    paths = [p for target in targets for p in (target, check_file(target))]
    graph_files = set(targets)
    staged_graphs: dict[Path, Path] = {}

    def write(staged: Path, target: Path) -> None:
        if target in graph_files:
            write_graph(graph, staged)
            staged_graphs[target] = staged
            return
        source = staged_graphs[target.with_name(target.name.removesuffix(CHECK_SUFFIX))]
        record = {"file": target.name.removesuffix(CHECK_SUFFIX),
                  "triples": triples, "sha256": _sha256(source), "bytes": source.stat().st_size,
                  "written_by": f"stigraph {__version__}"}
        staged.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

    replace_files(paths, write)
    return list(targets)


def _record(path: Path) -> dict[str, object] | None:
    side = check_file(path)
    if not side.is_file():
        return None
    try:
        record = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OntologyError(f"{side}: cannot read this check file of {path.name} ({exc}); "
                            "rebuild the graph (stigraph build) or delete it") from exc
    return record if isinstance(record, dict) else None


def check_graph_file(path: Path) -> int | None:
    """Raise :class:`OntologyError` if ``path`` does not match its check file.

    Returns the triple count the check file promises (``None`` without a check file).
    """
    record = _record(path)
    if record is None:
        return None
    side = check_file(path)
    size = path.stat().st_size
    if record.get("sha256") != _sha256(path):
        raise OntologyError(
            f"{path}: does not match its check file {side.name} ({size:,} bytes, "
            f"{record.get('bytes', '?'):,} when built, with {record.get('triples', '?'):,} "
            "triples): it was cut short or changed after the build; rebuild it (stigraph "
            f"build) or delete {side.name} to load it as it is")
    triples = record.get("triples")
    return triples if isinstance(triples, int) else None


def check_triples(path: Path, expected: int | None, found: int) -> None:
    """After parsing: the file gave as many triples as its check file says."""
    if expected is not None and expected != found:
        raise OntologyError(
            f"{path}: parsed into {found:,} triples, its check file {check_file(path).name} "
            f"says {expected:,}; rebuild it (stigraph build) or delete the check file")
