"""Review dates and intervals: when an entity was last reviewed, how often it must be, and when
it falls due. Dates are data written in the entity's file (``reviewed: 2026-12-05``), never a
file's time, so a change of layout is not a review.

A duration is a whole number and a unit: ``90 days``, ``6 weeks``, ``12 months``, ``1 year``.
Months and years count calendar months: due 12 months after 31 January is 31 January of the
next year; one month after 31 January is the last day of February.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = [
    "DATE_PATTERN",
    "DURATION_PATTERN",
    "ReviewState",
    "add_duration",
    "parse_date",
]

DURATION_PATTERN = r"^[1-9][0-9]{0,3} (?:day|week|month|year)s?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DAYS = {"day": 1, "week": 7}


def parse_date(text: str) -> dt.date:
    """The date ``text`` writes as YYYY-MM-DD; a ValueError that says why it is not one."""
    if not re.fullmatch(DATE_PATTERN, text):
        raise ValueError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-05")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a date: {exc}") from None


def add_duration(start: dt.date, duration: str) -> dt.date:
    """The day ``duration`` (one that matches :data:`DURATION_PATTERN`) after ``start``."""
    amount_text, unit = duration.split()
    amount, unit = int(amount_text), unit.removesuffix("s")
    if unit in _DAYS:
        return start + dt.timedelta(days=amount * _DAYS[unit])
    months = amount * (12 if unit == "year" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


@dataclass(frozen=True)
class ReviewState:
    """What a page says of its entity's ownership and review."""

    owner: str | None  # a role id or a declared team's name
    owner_is_role: bool
    reviewed: dt.date | None
    interval: str | None  # the duration that applies to it, if any
    due: dt.date | None  # when the next review falls due
    overdue: bool
