"""Dates as users write them: one syntax for every option and query parameter.

A date is written ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. As the date to look at the graph on
(``--as-of``, ``as_of=``), a month or a year means its last day: ``--as-of 2020`` is the graph
at the end of 2020, after everything that happened in 2020.
"""

from __future__ import annotations

import calendar
import datetime

from stigraph.errors import ParameterError

__all__ = ["as_of_date", "parse_user_date"]


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
