"""The report's work beside its main line: Oxigraph's work on a second thread, the drawing in
forked processes.

On the default graph (5 million triples) the report is a few minutes of work on a 2-core
machine, and most of it is in Python, which one process runs on one core at a time. Two
kinds of work need nothing more from the main line once they can start, and run beside it:

- :class:`Background`: the SHACL checks and the Turtle file of the graph run in Oxigraph's
  engine, which releases the interpreter lock, so a thread of the same process gives them
  the second core.
- :class:`Forked`: each projection's GraphML, network pages and Gephi/VOSviewer files are
  Python work on the projection already computed (layouts, HTML, XML: about 80 s on the
  default graph). A child forked as soon as the projection is done inherits it without
  copying or pickling it (its memory is the parent's, shared until written) and writes its
  files into the report's staging folder while the parent goes on projecting and then
  computes the sections. (At a lower priority, so that the parent's sections came first,
  the children were left too little time: the default report took 119 s instead of 112 s.)
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from rdflib import Graph

from stigraph.errors import StigraphError
from stigraph.store import store_of

__all__ = ["Background", "Forked", "can_fork"]

T = TypeVar("T")


class Background:
    """Work that only reads the built graph and runs in Oxigraph's engine — the SHACL checks
    and the Turtle file of the graph — on a second thread while the analysis runs in Python.

    Oxigraph releases the interpreter lock while it evaluates a query or writes a file, so
    on the default graph these 50 s of work go to the machine's second core instead of
    adding to the report's time. On rdflib's memory store they would hold the lock and gain
    nothing, so there each task runs at once, in order. :meth:`close` waits for everything
    started (also when the report fails: nothing may write into the report's staging folder
    after it is removed).
    """

    def __init__(self, graph: Graph) -> None:
        self._pool = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-background")
                      if store_of(graph).kind == "oxigraph" else None)
        self.seconds: dict[str, float] = {}

    def submit(self, name: str, work: Callable[[], Any]) -> Future[Any]:
        def timed() -> Any:
            start = time.perf_counter()
            try:
                return work()
            finally:
                self.seconds[name] = round(time.perf_counter() - start, 3)

        if self._pool is not None:
            return self._pool.submit(timed)
        done: Future[Any] = Future()
        try:
            done.set_result(timed())
        except Exception as exc:  # delivered by result(), as from the pool
            done.set_exception(exc)
        return done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def can_fork() -> bool:
    """Whether the drawing may fork: on Linux. (Windows cannot fork; macOS can, but system
    libraries there are not safe in a forked child of a process with threads.)"""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class Forked(Generic[T]):
    """``work()`` in a forked child process; :meth:`result` waits for its value (pickled back
    through a pipe) or raises its error.

    The child must only compute in Python and write files: it must not touch the graph's
    store (Oxigraph's threads do not survive a fork) nor the progress display (another
    thread may hold its lock). Python's cyclic garbage collector is frozen around the fork,
    so the child does not walk — and so copy — every page of the parent's objects. Where
    the platform cannot fork, the work runs at once in this process. :meth:`close` stops a
    child still running (the report failed: nothing may write into its staging folder after
    it is removed).
    """

    def __init__(self, work: Callable[[], T], *, what: str) -> None:
        self.what = what
        self.seconds = 0.0
        self._value: tuple[bool, Any] | None = None
        self._process: Any = None
        start = time.perf_counter()
        if not can_fork():
            try:
                self._value = (True, work())
            except Exception as exc:  # delivered by result(), as from the child
                self._value = (False, exc)
            self.seconds = round(time.perf_counter() - start, 3)
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        gc.freeze()
        try:
            self._process = context.Process(target=_run_child, args=(work, send),
                                            name=f"stigraph {what}", daemon=True)
            self._process.start()
        finally:
            gc.unfreeze()
        send.close()

    def result(self) -> T:
        """The work's value; its error raised here, as it was raised there."""
        if self._value is None:
            try:
                done, value, self.seconds = self._receive.recv()
            except EOFError:
                self._process.join()
                raise StigraphError(
                    f"the process writing {self.what} ended without a result (exit code "
                    f"{self._process.exitcode}); it may have run out of memory: run the "
                    "report again, or with --no-networks") from None
            self._value = (done, value)
            self._process.join()
        done, value = self._value
        if not done:
            raise value
        result: T = value
        return result

    def close(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
        if self._process is not None:
            self._process.join()


def _run_child(work: Callable[[], Any], send: Any) -> None:
    """In the child: send ``(True, value, seconds)`` or ``(False, the error, seconds)``: the
    time the work took, which the parent reports as the child's step."""
    gc.freeze()  # the parent's objects stay where they are: no collection walks them
    start = time.perf_counter()
    try:
        message: tuple[bool, Any] = (True, work())
    except BaseException as exc:  # every error goes back to the parent
        message = (False, _sendable(exc))
    send.send((*message, round(time.perf_counter() - start, 3)))
    send.close()


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a StigraphError with its message and trace."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return StigraphError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    return exc
