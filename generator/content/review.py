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
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

__all__ = [
    "DATE_PATTERN",
    "DURATION_PATTERN",
    "ReviewState",
    "add_duration",
    "parse_date",
    "with_keys",
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


def add_duration(start: dt.date, duration: str) -> dt.date | None:
    """The day ``duration`` (one that matches :data:`DURATION_PATTERN`) after ``start``; None
    when that day is past the calendar's last (9999-12-31), so it never comes."""
    amount_text, unit = duration.split()
    amount, unit = int(amount_text), unit.removesuffix("s")
    try:
        if unit in _DAYS:
            return start + dt.timedelta(days=amount * _DAYS[unit])
        months = amount * (12 if unit == "year" else 1)
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        day = min(start.day, calendar.monthrange(year, month + 1)[1])
        return dt.date(year, month + 1, day)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class ReviewState:
    """What a page says of its entity's ownership and review."""

    owner: str | None  # a role id or a declared team's name
    owner_is_role: bool
    reviewed: dt.date | None
    interval: str | None  # the duration that applies to it, if any
    due: dt.date | None  # when the next review falls due
    overdue: bool


def with_keys(text: str, values: Mapping[str, str]) -> str | None:
    """``text`` (a content file's YAML) with each top-level key of ``values`` set to its value,
    every other byte as it was: a key there has its value replaced on its own line (a comment
    after it stays), a key not there goes on a line of its own after ``id:`` (at the end of a
    file without one). None when the file is not written so that this can be done (a mapping
    written in braces, say)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    after_id = next((n + 1 for n, line in enumerate(lines) if _key_line("id", line)), None)
    for key, value in values.items():
        shown = _scalar(value)
        at = next((n for n, line in enumerate(lines) if _key_line(key, line)), None)
        if at is None:
            if after_id is None:  # an overlay's file may leave the id out: add at the end
                after_id = len(lines)
            if after_id and not lines[after_id - 1].endswith(("\n", "\r")):
                lines[after_id - 1] += newline
            lines.insert(after_id, f"{key}: {shown}{newline}")
            after_id += 1
            continue
        found = _key_line(key, lines[at])
        assert found is not None
        ending = lines[at][len(lines[at].rstrip("\r\n")) :]
        lines[at] = f"{found.group('key')}{shown}{found.group('comment') or ''}{ending}"
        while at + 1 < len(lines) and lines[at + 1][:1] in (" ", "\t"):
            del lines[at + 1]  # the rest of a value written over several lines
    edited = "".join(lines)
    return edited if _same_but(text, edited, values) else None


# A value on one line: quoted (a '#' inside is part of it), or plain (where '#' begins a comment
# only after a space or tab).
_VALUE = r"""(?:"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\r\n]|'')*'|(?:[^#\r\n]|(?<![ \t])#)*?)"""


def _key_line(key: str, line: str) -> re.Match[str] | None:
    return re.match(
        rf"(?P<key>{re.escape(key)}[ \t]*:[ \t]*)(?P<value>{_VALUE})"
        r"(?P<comment>[ \t]+#[^\r\n]*)?[\r\n]*$",
        line,
    )


def _scalar(value: str) -> str:
    """``value`` as YAML reads it back as the same text: plain where it can be, else quoted."""
    try:
        plain = yaml.safe_load(value) == value and not re.search(r"[#:]|^\s|\s$", value)
    except yaml.YAMLError:
        plain = False
    return value if plain or re.fullmatch(DATE_PATTERN, value) else json.dumps(value)


def _same_but(before: str, after: str, values: Mapping[str, str]) -> bool:
    """Whether ``after`` holds what ``before`` does, with ``values`` set (checked, so that an
    edit never changes a file in a way it did not mean to)."""
    try:
        old, new = yaml.load(before, Loader=_TextLoader), yaml.load(after, Loader=_TextLoader)
    except yaml.YAMLError:
        return False
    return isinstance(old, dict) and isinstance(new, dict) and new == {**old, **values}


class _TextLoader(yaml.SafeLoader):
    """Reads dates as the text they are written as, as the content loader does."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_TextLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
