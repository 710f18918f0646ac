"""The built graph kept between runs, so that ``query``, ``partners`` or ``recommend`` open
millions of triples in seconds instead of rebuilding them.

The kept graph is an on-disk Oxigraph store (:mod:`stigraph.store.persistent`) in a folder of
the cache, ``graphs/KEY``, named by the **key**: a SHA-256 over every input of the build
(:func:`source_key`) —

- stigraph's version and the versions of the store's libraries, which parse and store the
  triples and write the kept store's format (:func:`stigraph.store.persistent.library_versions`);
- the source of every module that makes triples: each file of the package except the parts
  that only read a graph (:data:`READING_PACKAGES`), by path and content (:func:`code_files`);
- every ontology file (vocabulary, roles, areas, shapes);
- every file of the seed folders — the project's seeds, each ``--seeds`` folder in its order, each
  ``--memberships`` file — and, with the shipped data, every file of ``data/`` (the extracts
  and their manifest), each by path and content;
- the options that change the triples (``default_data``, ``default_seeds``).

Changing any of them gives another key, so a stale graph is never opened: that is the whole
invalidation rule. ``--include`` files are not part of the key; they are loaded on a private
copy of the kept graph at every run.

Writing is safe with concurrent runs: a run builds into a staging folder beside the kept one
(``.PID-KEY-*.tmp``), under a lock file (:func:`stigraph.writing.folders.folder_lock`), and
renames it into place only when complete, with ``meta.json`` written last: a folder without
it is never opened. A run that finds the lock taken has built its own graph and goes on with
it without keeping it. Readers never write the kept store: each opens a RocksDB checkpoint of
it (hard links) that is deleted with its graph, or when the process ends. The staging folder
or copy of a run that was killed is deleted by the next run (the name carries its process id).

The cache is bounded: after keeping a graph, only the ``keep`` most recently used keys are
left (each open marks its key used); :func:`entries` lists them and :func:`clear` deletes
them (``stigraph cache list|clear``).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import stigraph
from stigraph import resources
from stigraph.errors import BackendError, OutputBusyError
from stigraph.store.base import Store
from stigraph.store.persistent import (
    finish_on_disk,
    library_versions,
    new_on_disk,
    open_copy,
    write_on_disk,
)
from stigraph.writing.folders import folder_lock, process_alive

__all__ = ["DEFAULT_KEEP", "READING_PACKAGES", "CacheEntry", "cache_key", "clear",
           "code_files", "entries", "keep_built", "keep_graph", "kept_graph", "reads_folder",
           "source_inputs", "source_key"]

#: Parts of the package that only read a built graph: not part of the key, so that changing
#: a report template or an analysis does not rebuild millions of triples. Everything else
#: (build, importers, store, vocab, dates, resources, ...) is.
READING_PACKAGES = ("analytics", "cli", "neo4j", "outputs", "projection", "queries",
                    "validate", "_data")

#: How many keys are kept unless told otherwise (each default graph takes about a GB).
DEFAULT_KEEP = 3

_META = "meta.json"
_USED = "used"
#: the folder of the values read from a kept graph (:mod:`stigraph.store.memo`)
_READS = "reads"


class _Source(Protocol):
    """What the key reads of a :class:`~stigraph.build.builder.GraphSource`."""

    @property
    def seed_dirs(self) -> tuple[Path, ...]: ...
    @property
    def membership_files(self) -> tuple[Path, ...]: ...
    @property
    def default_seeds(self) -> bool: ...
    @property
    def default_data(self) -> bool: ...


def code_files() -> list[Path]:
    """Every file of the package whose content is part of the key, in a stable order."""
    package = Path(stigraph.__file__).parent
    return sorted(p for p in package.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts and p.suffix != ".pyc"
                  and p.relative_to(package).parts[0] not in READING_PACKAGES)


def _hash_file(digest: Any, label: str, path: Path) -> None:
    digest.update(f"{label}\n".encode())
    with path.open("rb") as handle:
        digest.update(hashlib.file_digest(handle, "sha256").digest())


def cache_key(inputs: Iterable[Path], *, options: dict[str, Any] | None = None) -> str:
    """The SHA-256 (hex) of stigraph's version, its libraries' and its triple-making code,
    the ontology, ``options`` and each input file's path and content (in the given order)."""
    digest = hashlib.sha256()
    digest.update(f"stigraph {stigraph.__version__}\n".encode())
    digest.update(json.dumps({"libraries": library_versions(), **(options or {})},
                             sort_keys=True, default=str).encode() + b"\n")
    package = Path(stigraph.__file__).parent
    for path in code_files():
        _hash_file(digest, f"code {path.relative_to(package).as_posix()}", path)
    for path in sorted(resources.ontology_dir().glob("*.ttl")):
        _hash_file(digest, f"ontology {path.name}", path)
    seen: set[Path] = set()
    for path in (Path(p).resolve() for p in inputs):
        if path not in seen:
            seen.add(path)
            _hash_file(digest, f"input {path}", path)
    return digest.hexdigest()


def _with_data(source: _Source) -> bool:
    # as the builder reads it: the shipped data are matched to the project's own seeds
    return source.default_data and source.default_seeds


def source_inputs(source: _Source) -> list[Path]:
    """Every file a build of ``source`` may read (without its include files), in build
    order: each file of each seed folder (a superset of the seed tables), the membership
    files and, with the shipped data, every file of ``data/``. A folder or file that does not
    exist is left out; the build then names it in its error."""
    folders = ([resources.seeds_dir()] if source.default_seeds else []) + [
        Path(d) for d in source.seed_dirs]
    files = [p for folder in folders if folder.is_dir()
             for p in sorted(folder.iterdir()) if p.is_file()]
    files += [Path(p) for p in source.membership_files if Path(p).is_file()]
    if _with_data(source):  # the extracts and the manifest that describes them
        root = resources.shipped_data_dir()
        files += sorted(p for p in root.rglob("*") if p.is_file())
    return files


def source_key(source: _Source) -> str:
    """The key of the graph that ``source`` builds (:func:`cache_key` of its inputs)."""
    return cache_key(source_inputs(source), options={
        "default_data": _with_data(source), "default_seeds": source.default_seeds,
        "seed_dirs": [str(Path(d).resolve()) for d in source.seed_dirs],
        "membership_files": [str(Path(p).resolve()) for p in source.membership_files]})


def _graphs(cache_dir: Path) -> Path:
    return Path(cache_dir) / "graphs"


def _folder(cache_dir: Path, key: str) -> Path:
    return _graphs(cache_dir) / key[:32]


def _read_meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / _META).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def reads_folder(cache_dir: Path, key: str) -> Path:
    """Where the values read from the kept graph of ``key`` are kept
    (:mod:`stigraph.store.memo`); it goes with the graph."""
    return _folder(cache_dir, key) / _READS


def kept_graph(cache_dir: Path, key: str) -> tuple[Store, dict[str, Any]] | None:
    """A private copy of the kept graph for ``key`` and its metadata, or ``None``."""
    folder = _folder(cache_dir, key)
    meta = _read_meta(folder)
    if meta is None or meta.get("key") != key:
        return None
    graphs = _graphs(cache_dir)
    _remove_orphans(graphs)
    work = Path(tempfile.mkdtemp(prefix=f"open-{os.getpid()}-", dir=graphs))
    try:
        store = open_copy(folder / "store", work / "store")
    except BackendError:
        # deleted meanwhile (cleared, or evicted by another run): build it again
        shutil.rmtree(work, ignore_errors=True)
        return None
    # the copy goes with its graph (or at the latest when the process ends)
    weakref.finalize(store.graph, shutil.rmtree, work, ignore_errors=True)
    _mark_used(folder)
    return store, meta


def _mark_used(folder: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only cache still serves its graphs
        (folder / _USED).write_text(f"{time.time()}\n", "ascii")


def _remove_orphans(graphs: Path) -> None:
    """Delete the private copies and staging folders of runs that ended without cleaning up
    (killed): their names carry the process id."""
    for folder in [*graphs.glob("open-*-*"), *graphs.glob(".*-*.tmp")]:
        pid = folder.name.lstrip(".").split("-")[1 if folder.name.startswith("open-") else 0]
        if folder.is_dir() and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def keep_graph(cache_dir: Path, key: str, source: Store, meta: dict[str, Any], *,
               keep: int = DEFAULT_KEEP) -> bool:
    """Keep ``source``'s triples as the graph for ``key``, then only the ``keep`` most
    recently used keys; ``False`` when another run is writing it (this run then does not
    keep its graph) or the cache cannot be written."""
    return _keep_as(cache_dir, key, keep, _copied(source, meta))


def keep_built(cache_dir: Path, key: str, build: Callable[[Store], dict[str, Any]], *,
               keep: int = DEFAULT_KEEP,
               read_ahead: Callable[[Store, Path], Any] | None = None) -> bool:
    """Keep the graph ``build(store)`` writes into a new store on disk as the graph for
    ``key`` (``build`` returns its metadata), then only the ``keep`` most recently used keys:
    the graph is built where it is kept, with no copy from a store in memory.
    ``read_ahead(store, reads)``: fills the folder of the values read from the graph
    (:func:`reads_folder`) once it is built, while its store is compacted. ``False`` when
    another run is writing that key or the cache cannot be written (nothing is built then:
    the caller builds its own graph); ``True`` also when another run kept it meanwhile."""
    return _keep_as(cache_dir, key, keep, _built(build, read_ahead))


def _keep_as(cache_dir: Path, key: str, keep: int,
             fill: Callable[[Path], dict[str, Any]]) -> bool:
    folder = _folder(cache_dir, key)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(folder.parent)
        with folder_lock(folder):
            if _read_meta(folder) is None:  # else another run kept it meanwhile
                _write(folder, key, fill)
        _evict(Path(cache_dir), keep, spare=folder)
    except (OutputBusyError, OSError):
        # busy, or the cache cannot be written (full disk, read-only, permissions): the run
        # goes on with a graph of its own; keeping it is an optimisation, never a failure
        return False
    return True


def _copied(source: Store, meta: dict[str, Any]) -> Callable[[Path], dict[str, Any]]:
    """A filling of a kept folder's store: ``source``'s triples copied into it."""
    def fill(store_dir: Path) -> dict[str, Any]:
        write_on_disk(source, store_dir)
        return meta
    return fill


def _built(build: Callable[[Store], dict[str, Any]],
           read_ahead: Callable[[Store, Path], Any] | None) -> Callable[[Path], dict[str, Any]]:
    """A filling of a kept folder's store: a graph built straight into it."""
    def fill(store_dir: Path) -> dict[str, Any]:
        store = new_on_disk(store_dir)
        meta = build(store)
        if read_ahead is None:
            finish_on_disk(store)
        else:  # both in Oxigraph's engine, mostly without Python's lock
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stigraph-finish") as one:
                finished = one.submit(finish_on_disk, store)
                read_ahead(store, store_dir.parent / _READS)
                finished.result()
        del store  # closed (with the graph's cycles collected) before the folder is renamed
        gc.collect()
        return meta
    return fill


def _write(folder: Path, key: str, fill: Callable[[Path], dict[str, Any]]) -> None:
    """Fill a staging folder's store (``fill`` returns the metadata), then rename it into
    place."""
    staging = Path(tempfile.mkdtemp(prefix=f".{os.getpid()}-{folder.name}-", suffix=".tmp",
                                    dir=folder.parent))
    try:
        meta = fill(staging / "store")
        _mark_used(staging)
        # last: the mark of a complete folder
        (staging / _META).write_text(json.dumps({**meta, "key": key, "created": time.time()},
                                                indent=1), "utf-8")
        if _read_meta(folder) is not None:  # kept by another run after all: theirs stays
            shutil.rmtree(staging, ignore_errors=True)
            return
        if folder.exists():  # a folder without meta.json (of an older version): never used
            _remove(folder)
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@dataclass(frozen=True)
class CacheEntry:
    """One kept graph: its key, folder, size on disk and when it was made and last used."""

    key: str
    folder: Path
    bytes: int
    created: float
    used: float
    default_data: bool
    files: int

    def as_row(self) -> dict[str, object]:
        return {"key": self.key[:16], "created": _when(self.created), "used": _when(self.used),
                "megabytes": round(self.bytes / 1e6, 1), "default_data": self.default_data,
                "files": self.files, "folder": str(self.folder)}


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def entries(cache_dir: Path) -> list[CacheEntry]:
    """The complete kept graphs of ``cache_dir``, most recently used first."""
    graphs = _graphs(cache_dir)
    found = []
    for folder in sorted(graphs.iterdir()) if graphs.is_dir() else []:
        if not folder.is_dir() or folder.name.startswith((".", "open-")):
            continue  # staging folders and the private copies of runs
        meta = _read_meta(folder)
        if meta is None:
            continue
        try:
            used = float((folder / _USED).read_text("ascii"))
        except (OSError, ValueError):
            used = float(meta.get("created", 0))
        found.append(CacheEntry(
            key=str(meta["key"]), folder=folder, bytes=_size(folder),
            created=float(meta.get("created", 0)), used=used,
            default_data=bool(meta.get("default_data", False)),
            files=len(meta.get("files", []))))
    return sorted(found, key=lambda e: (-e.used, e.key))


def _remove(folder: Path) -> None:
    """Delete a kept folder: renamed aside first, so no run sees it half deleted."""
    aside = folder.with_name(f".{os.getpid()}-{folder.name}-gone.tmp")
    os.replace(folder, aside)
    shutil.rmtree(aside, ignore_errors=True)


def _evict(cache_dir: Path, keep: int, *, spare: Path) -> None:
    for entry in entries(cache_dir)[max(keep, 1):]:
        if entry.folder != spare:
            _remove(entry.folder)


def clear(cache_dir: Path, keys: Sequence[str] = ()) -> list[CacheEntry]:
    """Delete the kept graphs of ``cache_dir`` (only those whose key starts with one of
    ``keys`` when given), and the leftovers of killed runs; returns those deleted."""
    gone = [e for e in entries(cache_dir)
            if not keys or any(e.key.startswith(k) for k in keys)]
    for entry in gone:
        _remove(entry.folder)
    if _graphs(cache_dir).is_dir():
        _remove_orphans(_graphs(cache_dir))
    return gone
