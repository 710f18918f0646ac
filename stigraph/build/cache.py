"""The built default graph kept between runs, so that ``query``, ``partners`` or ``recommend``
open millions of triples in a second instead of rebuilding them.

The kept graph is an on-disk Oxigraph store (:mod:`stigraph.store.persistent`) in a folder of
the cache named by the **key**: a SHA-256 over every input of the build — stigraph's version,
the source of the modules that build it (``build``, ``importers``, ``store``, ``vocab``,
``dates``), every ontology file, every seed file read (the project's seeds, ``--seeds``
folders, ``--memberships`` files) and every shipped data file, each by path and content.
Changing any of them gives another key, so a stale graph is never opened: that is the whole
invalidation rule. ``--include`` files are not part of the key; they are loaded on a private
copy of the kept graph at every run.

Writing is safe with concurrent runs: a run builds into a temporary folder beside the kept
one, under a lock file (:func:`stigraph.writing.folders.folder_lock`), and renames it into
place only when complete (with ``meta.json`` last, which marks it complete); a run that finds
the lock taken builds its graph privately without keeping it. Readers never write the kept
store: each opens a RocksDB checkpoint of it (hard links) that is deleted when the process ends.
A copy left by a run that was killed is deleted by the next run. Old keys are left in place;
delete the cache folder to reclaim the space.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import stigraph
from stigraph import resources
from stigraph.errors import OutputBusyError
from stigraph.store.base import Store
from stigraph.store.persistent import create_on_disk, finish, open_copy
from stigraph.writing.folders import folder_lock, process_alive

__all__ = ["CODE_PACKAGES", "cache_key", "keep_graph", "kept_graph"]

#: Packages whose source is part of the key: what turns the inputs into triples.
CODE_PACKAGES = ("build", "importers", "store", "vocab")

_META = "meta.json"


def cache_key(inputs: Iterable[Path], *, options: dict[str, Any] | None = None) -> str:
    """The SHA-256 (hex) of stigraph's version and build code, ``options`` and each input
    file's path and content."""
    digest = hashlib.sha256()
    digest.update(f"stigraph {stigraph.__version__}\n".encode())
    digest.update(json.dumps(options or {}, sort_keys=True).encode() + b"\n")
    package = Path(stigraph.__file__).parent
    code = sorted(p for name in CODE_PACKAGES for p in (package / name).rglob("*.py"))
    code.append(package / "dates.py")
    files = sorted({Path(p).resolve() for p in inputs})
    for path in [*code, *files]:
        digest.update(f"{path.name if path in code else path}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    # The ontology and queries are read through resources; the ontology is an input
    for path in sorted(resources.ontology_dir().glob("*.ttl")):
        digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _folder(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "graphs" / key[:32]


def kept_graph(cache_dir: Path, key: str) -> tuple[Store, dict[str, Any]] | None:
    """A private copy of the kept graph for ``key`` and its metadata, or ``None``."""
    folder = _folder(cache_dir, key)
    meta_file = folder / _META
    if not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text("utf-8"))
    if meta.get("key") != key:
        return None
    _remove_orphans(Path(cache_dir) / "graphs")
    work = Path(tempfile.mkdtemp(prefix=f"open-{os.getpid()}-", dir=Path(cache_dir) / "graphs"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    store = open_copy(folder / "store", work / "store")
    return store, meta


def _remove_orphans(graphs: Path) -> None:
    """Delete the private copies of runs that ended without cleaning up (killed)."""
    for folder in graphs.glob("open-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def keep_graph(cache_dir: Path, key: str, source: Store, meta: dict[str, Any]) -> bool:
    """Keep ``source``'s triples as the graph for ``key``; ``False`` when another run is
    writing it (this run then does not keep its graph)."""
    folder = _folder(cache_dir, key)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with folder_lock(folder):
            if (folder / _META).is_file():
                return True  # another run kept it meanwhile
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp",
                                            dir=folder.parent))
            try:
                dump = staging / "graph.nt"
                source.dump(str(dump), "nt")
                kept = create_on_disk(staging / "store")
                kept.load(dump, "nt")
                finish(kept)
                del kept
                dump.unlink()
                (staging / _META).write_text(json.dumps({**meta, "key": key}, indent=1),
                                             "utf-8")
                if folder.exists():  # a half-kept folder of a run that was killed
                    shutil.rmtree(folder)
                os.replace(staging, folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except (OutputBusyError, OSError):
        # busy, or the cache cannot be written (full disk, read-only, permissions): the run
        # goes on with the graph it built; keeping it is an optimisation, never a failure
        return False
    return True

