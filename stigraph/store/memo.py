"""What readers compute from a kept graph, kept on disk beside it for the next run.

A kept graph (:mod:`stigraph.build.cache`) opens in a second, but the first thing most
commands do with it is read the same facts again: the memberships and their bounds, the
reified statements, the labels, the countries (14 s on the default graph of 5 million
triples, for ``recommend --country KE`` more than half its time). Those reads depend only on
the triples, which a kept graph's key fixes, and on the code that reads them. So the builder
marks a graph it opened from the cache with its folder (:func:`remember_in`), and readers ask
:func:`remembered` for a value by name: computed and written to ``FOLDER/reads/`` the first
time, loaded from there after (a pickle of plain strings, tuples and dicts: 0.3 s for the
facts and statements).

The file of a value is named by a SHA-256 over its name, the source of the code that computes
it (the modules the caller names: change the reading code and the value is computed again),
stigraph's and Python's versions. A graph that was not marked (a fresh build, a graph file,
a kept graph with ``--include`` files added: its triples are no longer the key's) computes
every value each time, as before. Files are written atomically; one that cannot be read (cut
short, from another Python) is computed again; a cache that cannot be written only costs the
time. The folder keeps the :data:`KEEP` most recently used values (each date's values are
values of their own).

The pickles are the user's own cache, written by stigraph and read only from the cache folder
of the graph it opened — the same trust as the kept store beside them.

>>> from rdflib import Graph
>>> remembered(Graph(), "answer", lambda: 42, code=())
42
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import sys
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import stigraph
from stigraph.writing.atomic import atomic_open

__all__ = ["KEEP", "forget", "keep_file", "kept_file", "kept_value", "memo_folder",
           "remember_in", "remembered"]

T = TypeVar("T")

#: How many values a kept graph's folder holds at most (the least recently used go first).
KEEP = 64

#: id(graph) -> (a weak reference to the graph, its reads folder): by identity, as
#: :func:`stigraph.store.store_of` explains (rdflib graphs compare by name).
_FOLDERS: dict[int, tuple[weakref.ref[Any], Path]] = {}


def remember_in(graph: Any, folder: Path) -> None:
    """Mark ``graph`` as a kept graph whose triples will not change while it is open: the
    values read from it are kept in ``folder``."""
    key = id(graph)
    _FOLDERS[key] = (weakref.ref(graph, lambda _ref: _FOLDERS.pop(key, None)), Path(folder))


def forget(graph: Any) -> None:
    """Stop keeping values of ``graph`` (its triples are about to change)."""
    _FOLDERS.pop(id(graph), None)


def memo_folder(graph: Any) -> Path | None:
    """The folder where values of ``graph`` are kept, or ``None`` when they are not."""
    found = _FOLDERS.get(id(graph))
    if found is None or found[0]() is not graph:
        return None
    return found[1]


def _digest(name: str, code: Iterable[ModuleType | Path]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{name}\nstigraph {stigraph.__version__}\npython {sys.version}\n"
                  f"pickle {pickle.HIGHEST_PROTOCOL}\n".encode())
    for item in code:
        path = Path(item.__file__ or "") if isinstance(item, ModuleType) else Path(item)
        digest.update(f"code {path.name}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:80]


def remembered(graph: Any, name: str, compute: Callable[[], T], *,
               code: Iterable[ModuleType | Path]) -> T:
    """The value ``name`` of ``graph``: ``compute()``, kept beside a kept graph.

    ``name`` must say everything the value depends on besides the triples and ``code`` (a
    date: ``uncertain-2025-12-31``); ``code``: the modules (or files) whose source computes
    it, so that a change to them computes it again.
    """
    folder = memo_folder(graph)
    if folder is None:
        return compute()
    return kept_value(folder, name, compute, code=code)


def kept_value(folder: Path, name: str, compute: Callable[[], T], *,
               code: Iterable[ModuleType | Path]) -> T:
    """``compute()``, kept in ``folder`` as ``name`` (with the digest of ``code``): loaded
    when it is there, else computed and written. ``name`` must say everything else the value
    depends on (a hash of the input files, when they are not a kept graph's)."""
    path = folder / f"{_safe_name(name)}.{_digest(name, code)}.pickle"
    try:
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
    except Exception:  # missing, cut short or unreadable: computed anew
        pass
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used
        return value
    value = compute()
    with contextlib.suppress(OSError):  # a read-only or full cache: only the time is lost
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_open(path, "wb", encoding=None) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        _evict(folder)
    return value


def kept_file(graph: Any, name: str, target: Path, write: Callable[[Path], Any], *,
              code: Iterable[ModuleType | Path]) -> Path:
    """The file ``write(target)`` writes from ``graph``, kept beside a kept graph like a
    value: copied from there when it is kept (atomically), else written and a copy kept."""
    folder = memo_folder(graph)
    if folder is None:
        write(target)
        return target
    kept = _file_path(folder, name, code)
    if kept.is_file():
        _copy(kept, target)
        with contextlib.suppress(OSError):
            os.utime(kept)
        return target
    write(target)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _copy(target, kept)
        _evict(folder)
    return target


def keep_file(graph: Any, name: str, write: Callable[[Path], Any], *,
              code: Iterable[ModuleType | Path]) -> None:
    """Write the file :func:`kept_file` would keep for ``graph`` now, straight into the kept
    folder (``write(path)`` writes it atomically), unless it is there or ``graph`` is not
    kept: a read ahead (:mod:`stigraph.build.read_ahead`)."""
    folder = memo_folder(graph)
    if folder is None:
        return
    kept = _file_path(folder, name, code)
    if not kept.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write(kept)
        _evict(folder)


def _file_path(folder: Path, name: str, code: Iterable[ModuleType | Path]) -> Path:
    return folder / f"{_safe_name(name)}.{_digest(name, code)}.file"


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as handle, atomic_open(target, "wb", encoding=None) as out:
        shutil.copyfileobj(handle, out, 1 << 20)


def _evict(folder: Path) -> None:
    values = sorted([*folder.glob("*.pickle"), *folder.glob("*.file")],
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in values[KEEP:]:
        with contextlib.suppress(OSError):
            stale.unlink()
