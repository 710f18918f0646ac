"""Dates: as users write them (one syntax for every option and query parameter), and as
sources give them (at their own precision), with the one rule for when a dated fact counts.

A date is written ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. As the date to look at the graph on
(``--as-of``, ``as_of=``), a month or a year means its last day: ``--as-of 2020`` is the graph
at the end of 2020, after everything that happened in 2020.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from stigraph.errors import ParameterError

__all__ = ["Interval", "Validity", "as_of_date", "interval_of", "parse_user_date", "validity"]


def parse_user_date(text: str | datetime.date, *, what: str = "date") -> datetime.date:
    """``YYYY-MM-DD``, or the last day of ``YYYY-MM`` or ``YYYY``.

    >>> parse_user_date("2020"), parse_user_date("2024-02"), parse_user_date("2021-06-30")
    (datetime.date(2020, 12, 31), datetime.date(2024, 2, 29), datetime.date(2021, 6, 30))
    """
    if isinstance(text, datetime.date):
        return text
    value = text.strip()
    try:
        if len(value) == 4 and value.isdigit():
            return datetime.date(int(value), 12, 31)
        if len(value) == 7 and value[4] == "-":
            year, month = int(value[:4]), int(value[5:])
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(f"{what} {text!r} is not a date; write YYYY-MM-DD, YYYY-MM or "
                             "YYYY") from None


def as_of_date(text: str | datetime.date | None) -> str | None:
    """A user's ``--as-of`` value as ``YYYY-MM-DD`` (``None`` stays ``None``: today).

    >>> as_of_date("2020"), as_of_date("2021-06-30"), as_of_date(None)
    ('2020-12-31', '2021-06-30', None)
    """
    if text is None or text == "":
        return None
    return parse_user_date(text, what="as-of date").isoformat()


@dataclass(frozen=True)
class Interval:
    """The days a date of some precision may stand for: ``2021`` is 2021-01-01 to 2021-12-31."""

    first: datetime.date
    last: datetime.date


def interval_of(text: str) -> Interval:
    """The interval of an ISO date at its own precision (year, month or day; a time is cut).

    >>> interval_of("2021")
    Interval(first=datetime.date(2021, 1, 1), last=datetime.date(2021, 12, 31))
    >>> interval_of("2024-02").last, interval_of("2021-09-24").first
    (datetime.date(2024, 2, 29), datetime.date(2021, 9, 24))
    """
    value = text.strip()[:10]
    if len(value) == 4 and value.isdigit():
        return Interval(datetime.date(int(value), 1, 1), datetime.date(int(value), 12, 31))
    if len(value) == 7 and value[4] == "-":
        year, month = int(value[:4]), int(value[5:])
        return Interval(datetime.date(year, month, 1),
                        datetime.date(year, month, calendar.monthrange(year, month)[1]))
    day = datetime.date.fromisoformat(value)
    return Interval(day, day)


@dataclass(frozen=True)
class Validity:
    """When a fact holds, as far as its dates say.

    ``certain_from``/``certain_to``: the first and last day on which the fact certainly holds
    (started, decided and not ended, at the precision of its dates); ``possible_from`` /
    ``possible_to``: the first and last day on which it may hold. ``None`` is unbounded.
    """

    certain_from: datetime.date | None = None
    certain_to: datetime.date | None = None
    possible_from: datetime.date | None = None
    possible_to: datetime.date | None = None

    def status(self, day: datetime.date) -> str:
        """``valid`` (certainly holds on ``day``), ``uncertain`` (may hold) or ``out``.

        >>> v = validity(start="2021", end="2023-06")
        >>> v.status(datetime.date(2021, 6, 1)), v.status(datetime.date(2022, 1, 1))
        ('uncertain', 'valid')
        >>> v.status(datetime.date(2023, 6, 15)), v.status(datetime.date(2023, 7, 1))
        ('uncertain', 'out')
        """
        if _within(day, self.certain_from, self.certain_to):
            return "valid"
        if _within(day, self.possible_from, self.possible_to):
            return "uncertain"
        return "out"


def _within(day: datetime.date, first: datetime.date | None, last: datetime.date | None) -> bool:
    return (first is None or first <= day) and (last is None or day <= last)


def _latest(days: list[datetime.date]) -> datetime.date | None:
    return max(days) if days else None


def _earliest(days: list[datetime.date]) -> datetime.date | None:
    return min(days) if days else None


def validity(*, start: str | None = None, end: str | None = None, decided: str | None = None,
             lifetime_start: str | None = None, lifetime_end: str | None = None) -> Validity:
    """The one rule for when a dated fact counts (issue: "time is data").

    A fact counts on a day only if it had certainly started, been decided and its
    organisation existed by then, and had certainly not ended nor outlived its organisation:
    a start of ``2021`` counts from 2021-12-31, an end of ``2021`` until 2021-01-01, a
    retroactive association decided on 2021-09-24 from that day although it applies from
    2021-01-01. A fact without a start date counts from its organisation's own start
    (``lifetime_start``); one without an end until the organisation's end.

    >>> v = validity(start="2021-01-01", decided="2021-09-24", lifetime_start="2021-01-01")
    >>> v.certain_from, v.possible_from
    (datetime.date(2021, 9, 24), datetime.date(2021, 9, 24))
    >>> validity(lifetime_start="1954", lifetime_end="2014").certain_to
    datetime.date(2014, 1, 1)
    """
    starts = [interval_of(d) for d in (start or lifetime_start, decided, lifetime_start) if d]
    ends = [interval_of(d) for d in (end, lifetime_end) if d]
    return Validity(
        certain_from=_latest([i.last for i in starts]),
        certain_to=_earliest([i.first for i in ends]),
        possible_from=_latest([i.first for i in starts]),
        possible_to=_earliest([i.last for i in ends]),
    )
