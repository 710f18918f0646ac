"""Progress on stderr for long work: a live counter on a terminal, one line per step otherwise.

Library functions take a plain callback, ``progress(what, done, total)`` (:data:`Callback`):
``what`` names the step ("Reading CORDIS organisations"), ``done`` counts what is done so far
(rows read, batches written, pages drawn, sections done) and ``total`` is the count to reach,
or None when unknown. They call it as often as they like; :class:`Progress` decides what to
show:

- on a terminal, one line redrawn in place at most every ``interval`` seconds:
  ``Reading CORDIS organisations  [#######-----]  12,000/21,000  3.2 s``;
- when stderr is not a terminal (a log, a pipe, CI), nothing while a step runs and one line
  when it ends: ``Reading CORDIS organisations: 21,000/21,000 (5.1 s)``;
- with ``quiet``, nothing at all.

A step ends when the next one starts or when :meth:`Progress.close` is called (the class is a
context manager).

>>> import io
>>> log = io.StringIO()
>>> ticks = iter(range(100))
>>> with Progress(stream=log, clock=lambda: float(next(ticks))) as progress:
...     for n in range(1, 4):
...         progress("Reading rows", n, 3)
...     progress("Writing batches", 2)
>>> print(log.getvalue(), end="")
Reading rows: 3/3 (3.0 s)
Writing batches: 2 (1.0 s)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

__all__ = ["Callback", "Progress", "silent"]

#: ``progress(what, done, total)``: what the step is, how much is done, of how much (or None).
Callback = Callable[[str, int, "int | None"], None]

_BAR = 24


def silent(what: str, done: int = 0, total: int | None = None) -> None:
    """A callback that shows nothing (the default of library functions)."""


class Progress:
    """A :data:`Callback` that shows progress on ``stream`` (default: stderr)."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None,
                 interval: float = 0.1, clock: Callable[[], float] = time.monotonic,
                 tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.interval = interval
        self.clock = clock
        isatty = getattr(self.stream, "isatty", None)
        self.tty = tty if tty is not None else bool(isatty and isatty())
        self._what: str | None = None
        self._done = 0
        self._total: int | None = None
        self._started = 0.0
        self._drawn = float("-inf")
        self._width = 0

    def __call__(self, what: str, done: int = 0, total: int | None = None) -> None:
        if self.quiet:
            return
        now = self.clock()
        if what != self._what:
            self._finish(now)
            self._what, self._started, self._drawn = what, now, float("-inf")
        self._done, self._total = done, total
        if self.tty and (now - self._drawn >= self.interval or (total and done >= total)):
            self._draw(now)

    def _count(self) -> str:
        if self._total is None:
            return f"{self._done:,}"
        return f"{self._done:,}/{self._total:,}"

    def _draw(self, now: float) -> None:
        self._drawn = now
        text = f"{self._what}  "
        if self._total:
            filled = min(_BAR, int(_BAR * self._done / self._total))
            text += f"[{'#' * filled}{'-' * (_BAR - filled)}]  "
        text += f"{self._count()}  {now - self._started:.1f} s"
        pad = " " * max(self._width - len(text), 0)
        self._width = len(text)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()

    def _finish(self, now: float) -> None:
        if self._what is None:
            return
        seconds = now - self._started
        if self.tty:
            self._draw(now)
            self.stream.write("\n")
        else:
            count = f"{self._count()} " if self._done or self._total else ""
            self.stream.write(f"{self._what}: {count}({seconds:.1f} s)\n")
        self.stream.flush()
        self._what = None
        self._width = 0

    def close(self) -> None:
        """End the current step (print its final line)."""
        if not self.quiet:
            self._finish(self.clock())

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
