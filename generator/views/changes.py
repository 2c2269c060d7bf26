"""What changed, for readers: the content's history (:mod:`generator.pipeline.history`) as the
"What changed" page, its feed and the nav marks show it.

Changes are grouped by the calendar month of their commit (in UTC), newest month first; within
a month, one entry per entity, the most recently changed first, with every note of that month
and the subjects of the commits that made them. Months, not release tags: a playbook is
published from its main branch as it changes, and a fork tags on a rhythm of its own, if at
all. Everything that comes from the repository (notes naming ids, titles, commit subjects,
file names) is written through :func:`~generator.content.safety.markdown_text`, so it can
only show as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..content.kinds import kind_named
from ..content.safety import markdown_text
from ..pipeline.history import Change, History, merged, note_text
from ..pipeline.link import LinkedPlaybook
from ..pipeline.pages import FAMILIES, PAGES

__all__ = ["ChangeEntry", "ChangeMonth", "WhatChanged", "last_changed", "what_changed"]

NOTES_SHOWN = 8  # notes of one entry; the rest are counted
MESSAGES_SHOWN = 3
MESSAGE_LENGTH = 160


@dataclass(frozen=True)
class ChangeEntry:
    """One entity's changes within one month."""

    kind: str  # how readers name its kind: "role", "handoff"
    title: str  # plain text, as written in the content or the repository
    page: str | None  # its page (a path in the docs tree), None if it has none now
    date: dt.datetime  # its latest change in the month, in UTC
    notes: tuple[str, ...]
    more_notes: int
    messages: tuple[str, ...]  # commit subjects, as their authors wrote them
    commit: str  # the latest commit that changed it
    key: str  # kind key and id: one entity's entries share it

    @property
    def shown(self) -> dict[str, Any]:
        """Title, notes and messages as Markdown that can only show them: a commit subject
        that holds a brace is not prose, and no reference in it is followed."""
        return {
            "title": Markup(markdown_text(self.title, links=False)),
            "notes": [Markup(markdown_text(note, links=False)) for note in self.notes],
            "messages": [Markup(markdown_text(m, links=False)) for m in self.messages],
        }

    @property
    def day(self) -> str:
        return f"{self.date.day} {self.date:%B %Y}"

    @property
    def iso(self) -> str:
        return self.date.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def summary(self) -> str:
        """The entry in one line of plain text: what the feed gives as its title."""
        return f"{self.kind.capitalize()} {self.title}: {'; '.join(self.notes)}"


@dataclass(frozen=True)
class ChangeMonth:
    title: str  # "December 2026"
    anchor: str  # "2026-12"
    entries: tuple[ChangeEntry, ...]


@dataclass(frozen=True)
class WhatChanged:
    months: tuple[ChangeMonth, ...]
    problem: str | None
    partial: str | None

    @property
    def newest(self) -> str | None:
        if not self.months:
            return None
        return max(entry.iso for entry in self.months[0].entries)


def what_changed(playbook: LinkedPlaybook, history: History | None) -> WhatChanged:
    """The history as the page shows it."""
    if history is None:
        return WhatChanged((), "the history was not read.", None)
    groups: dict[str, dict[str, list[Change]]] = {}
    for change in history.changes:  # newest first
        when = _utc(change.date)
        month = groups.setdefault(f"{when:%Y-%m}", {})
        month.setdefault(f"{change.kind}/{change.entity}", []).append(change)
    months = []
    for anchor, entities in groups.items():
        entries = sorted(
            (_entry(playbook, changes) for changes in entities.values()),
            key=lambda entry: (-entry.date.timestamp(), entry.key),
        )
        title = f"{dt.datetime.strptime(anchor, '%Y-%m'):%B %Y}"
        months.append(ChangeMonth(title, anchor, tuple(entries)))
    months.sort(key=lambda month: month.anchor, reverse=True)
    return WhatChanged(tuple(months), history.problem, history.partial)


def last_changed(changes: WhatChanged) -> dict[str, str]:
    """The latest change of each page that has one (a path in the docs tree), as ISO time."""
    latest: dict[str, str] = {}
    for month in changes.months:
        for entry in month.entries:
            if entry.page and entry.iso > latest.get(entry.page, ""):
                latest[entry.page] = entry.iso
    if changes.newest:
        latest[PAGES["changes"].path] = changes.newest
    return dict(sorted(latest.items()))


def _entry(playbook: LinkedPlaybook, changes: list[Change]) -> ChangeEntry:
    latest = changes[0]
    found = merged(note for change in changes for note in change.notes)
    notes = [note_text(note) for note in found]
    if "added" in notes:  # added this month: its later edits are part of it
        notes = ["added"]
    messages = list(dict.fromkeys(_shortened(change.message) for change in changes))
    current = _current(playbook, latest.kind, latest.entity)
    title = getattr(current, "title", None) or latest.title
    return ChangeEntry(
        kind=_kind_name(latest.kind),
        title=str(title),
        page=_page(latest.kind, latest.entity) if current is not None else None,
        date=_utc(latest.date),
        notes=tuple(notes[:NOTES_SHOWN]),
        more_notes=max(0, len(notes) - NOTES_SHOWN),
        messages=tuple(m for m in messages[:MESSAGES_SHOWN] if m),
        commit=latest.commit,
        key=f"{latest.kind}/{latest.entity}",
    )


def _current(playbook: LinkedPlaybook, kind: str, entity: str) -> Any:
    """The entity as the playbook holds it now, if it still does."""
    try:
        found = kind_named(kind)
    except KeyError:
        return None
    if found.single_file:
        return playbook.settings if kind == "playbook" else (True if playbook.has(kind) else None)
    return playbook.entities(kind).get(entity)


def _page(kind: str, entity: str) -> str | None:
    for family in FAMILIES:
        if family.key == kind:
            return family.page(entity)
    for single in PAGES.values():
        if single.kind == kind:
            return single.path
    return None


def _kind_name(kind: str) -> str:
    try:
        return kind_named(kind).name
    except KeyError:
        return kind


def _shortened(message: str) -> str:
    message = " ".join(message.split())
    if len(message) <= MESSAGE_LENGTH:
        return message
    return message[: MESSAGE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _utc(when: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(when)
    except ValueError:
        parsed = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)
