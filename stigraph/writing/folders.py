"""Output folders written whole: a lock per target, and a report folder swapped in at the end.

- :func:`folder_lock` — one run at a time writes a target: a lock file beside it
  (``.NAME.lock``, holding the writer's process id) is created exclusively; a second run gets
  :class:`~stigraph.errors.OutputBusyError` naming the other run, and a lock left by a run
  that no longer exists is taken over.
- :func:`replaced_folder` — the run writes into a fresh temporary folder beside the target;
  only when it has finished is the previous folder moved aside, the new one renamed into its
  place and the old one deleted. An interrupted run leaves the previous folder as it was.
- :func:`replace_files` — several files of one run (``.ttl``, ``.nt``, ``.jsonld``) written
  under temporary names and renamed into place together at the end.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from stigraph.errors import OutputBusyError

__all__ = ["folder_lock", "process_alive", "replace_files", "replaced_folder"]


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def process_alive(pid: int) -> bool:
    """Whether a process of that id runs (a lock's holder, a reader's copy)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text(encoding="ascii").strip() or 0) or None
    except (OSError, ValueError):
        return None


def _create_lock(lock: Path) -> None:
    """Create ``lock`` holding this process's id, or raise :class:`FileExistsError`.

    The id is written to a file of this process first and linked into place, so the lock is
    never seen empty: a second run that read an empty lock (created, its id not yet written)
    took it for a dead run's and took it over, and two runs then wrote the same target.
    """
    own = lock.with_name(f"{lock.name}.{os.getpid()}.tmp")
    own.write_text(f"{os.getpid()}\n", encoding="ascii")
    try:
        os.link(own, lock)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        # a file system without hard links: create it exclusively, then write the id
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{os.getpid()}\n")
    finally:
        own.unlink(missing_ok=True)


@contextmanager
def folder_lock(target: Path | str) -> Iterator[Path]:
    """Hold the lock on ``target`` (a folder or a file) for the block; refuse if another run
    has it."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock_path(path)
    for _attempt in range(2):
        try:
            _create_lock(lock)
        except FileExistsError:
            pid = _holder(lock)
            if pid is not None and pid != os.getpid() and process_alive(pid):
                raise OutputBusyError(
                    f"{path}: another stigraph run (process {pid}) is writing it; wait for it "
                    f"to finish or write somewhere else (if no run is going on, delete {lock})"
                ) from None
            lock.unlink(missing_ok=True)  # left by a run that no longer exists
            continue
        except OSError as exc:  # the folder cannot be written: say so of the target
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        break
    else:
        raise OutputBusyError(f"{path}: cannot take the lock {lock}; delete it and retry")
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


@contextmanager
def replaced_folder(target: Path | str) -> Iterator[Path]:
    """A temporary folder beside ``target`` to write into; swapped in for ``target`` at the end.

    The previous ``target`` stays untouched until the block succeeds; on any failure the
    temporary folder is removed. Holds :func:`folder_lock` on ``target`` throughout.
    """
    final = Path(target)
    if final.exists() and not final.is_dir():
        raise OSError(20, "Not a directory", str(final))  # ENOTDIR, reported by the CLI
    with folder_lock(final):
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".new",
                                        dir=final.parent))
        os.chmod(staging, 0o777 & ~_umask())
        try:
            yield staging
            _swap(staging, final)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise _named(exc, lambda p: final / p.relative_to(staging)
                         if p.is_relative_to(staging) else p) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _named(exc: OSError, rename: Callable[[Path], Path]) -> OSError:
    """``exc`` with its paths as the user named them (not the temporary ones)."""
    names = [None if f is None else str(rename(Path(f)))
             for f in (exc.filename, exc.filename2)]
    if names[0] is not None and names[0] == names[1]:
        names[1] = None
    if names[0] is None:
        return exc
    if names[1] is None:
        return OSError(exc.errno, exc.strerror, names[0])
    return OSError(exc.errno, exc.strerror, names[0], None, names[1])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, final: Path) -> None:
    if not final.exists():
        os.replace(staging, final)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".old", dir=final.parent))
    os.rmdir(old)
    os.replace(final, old)
    try:
        os.replace(staging, final)
    except BaseException:
        os.replace(old, final)  # put the previous folder back
        raise
    shutil.rmtree(old, ignore_errors=True)


def replace_files(targets: Sequence[Path], write: Callable[[Path, Path], object]) -> list[Path]:
    """Write each of ``targets`` with ``write(staged, target)`` under a temporary name, then
    rename them all into place; on a failure none of them is replaced.

    The staged name keeps the suffix (``.stigraph.ttl.XXXX.ttl``) so writers that pick the
    format from it still work. Holds :func:`folder_lock` on the first target.
    """
    if not targets:
        return []
    staged: list[tuple[Path, Path]] = []
    with folder_lock(targets[0]):
        try:
            for target in targets:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix,
                                            dir=target.parent)
                os.close(fd)
                staged.append((Path(name), target))
                write(Path(name), target)
            for tmp, target in staged:
                os.replace(tmp, target)
        except OSError as exc:
            names = {tmp: target for tmp, target in staged}
            raise _named(exc, lambda p: names.get(p, p)) from exc
        finally:
            for tmp, _target in staged:
                tmp.unlink(missing_ok=True)
    return list(targets)
