"""Every checklist of the playbook as data, for ``playbook export`` and ``playbook checklist``.

A checklist's ``key`` is the one the site's pages store ticks under, so an exported item can be
matched with what a reader ticked in the browser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..content.kinds import checklist_key, kind_named
from ..content.model import ChecklistItem, Guide, Handoff, OnboardingItem, Role, When
from ..content.words import WHEN_ORDER, WHEN_TITLES
from ..pipeline.link import LinkedPlaybook
from ..pipeline.plan import page_path

__all__ = [
    "Checklist",
    "NewHire",
    "OnboardingPack",
    "all_checklists",
    "checklists_of",
    "due_date",
    "long_date",
    "markdown_line",
    "onboarding_pack",
    "plain_text",
    "sheet_fields",
    "written_out",
    "written_out_pack",
]

# Working days after the start date by which each group is due (the start date is day 0).
DUE_AFTER_WORKING_DAYS: dict[When, int] = {
    "first-day": 0,
    "first-week": 4,
    "first-month": 19,
    "first-90-days": 63,
}

# A link's text and target; no two ways to read a character, and neither part runs past the
# next bracket or parenthesis (but one pair in the target, as in .../Python_(language)), so a
# text of many backslashes, brackets or parentheses is read in linear time.
_LINK = re.compile(r"\[((?:\\.|[^\]\\\[])*)\]\((?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class Checklist:
    key: str
    title: str
    kind: str  # onboarding, handoff or guide
    page: str  # the page it is shown on, relative to the site root
    items: tuple[ChecklistItem, ...]
    owner: str  # the id of the role, handoff or guide it belongs to
    role: str | None = None
    when: When | None = None
    id: str = ""  # its anchor on its page
    name: str = ""  # its heading on its page


@dataclass(frozen=True)
class NewHire:
    """The person an onboarding sheet is for; blank fields print as lines to fill in."""

    name: str = ""
    start: dt.date | None = None
    buddy: str = ""
    manager: str = ""
    team: str = ""


def sheet_fields(role: Role, person: NewHire | None = None) -> list[tuple[str, str]]:
    """The labelled fields at the top of an onboarding pack, on screen, on paper and on a
    personalised sheet, with what is known of them."""
    person = person or NewHire()
    start = long_date(person.start) if person.start else ""
    return [
        ("Name", person.name),
        ("Role", role.title),
        ("Start date", start),
        ("Buddy", person.buddy),
        ("Manager", person.manager),
        ("Team", person.team),
    ]


def long_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class OnboardingPack:
    role: Role
    groups: tuple[tuple[When, tuple[Checklist, ...]], ...]
    handoffs: Checklist


def all_checklists(playbook: LinkedPlaybook) -> Iterator[Checklist]:
    """Onboarding checklists by role, then definitions of done, then guide checklists."""
    for key in ("roles", "handoffs", "guides"):
        for entity in playbook.entities(key).values():
            yield from checklists_of(key, entity)


def checklists_of(key: str, entity: Any) -> list[Checklist]:
    """The checklists an entity's own page shows, with the keys their ticks are stored under:
    a role's onboarding by when it falls, a handoff's definition of done, a guide's lists."""
    kind = kind_named(key)
    page = page_path(key, entity.id)
    if isinstance(entity, Role):
        return [
            Checklist(
                kind.checklist_key(entity.id, "onboarding", when),
                f"{entity.title} onboarding",
                "onboarding",
                page,
                items,
                entity.id,
                role=entity.id,
                when=when,
                id=when,
                name=WHEN_TITLES[when],
            )
            for when, items in _by_when(entity.onboarding)
        ]
    if isinstance(entity, Handoff):
        return [
            Checklist(
                kind.checklist_key(entity.id, "done"),
                f"Definition of done: {entity.title}",
                "handoff",
                page,
                entity.done,
                entity.id,
                role=entity.to_role,
                id="done",
                name="Definition of done",
            )
        ]
    if isinstance(entity, Guide):
        return [
            Checklist(
                kind.checklist_key(entity.id, checklist.id),
                f"{entity.title}: {checklist.title}",
                "guide",
                page,
                checklist.items,
                entity.id,
                id=checklist.id,
                name=checklist.title,
            )
            for checklist in entity.checklists
        ]
    return []


def onboarding_pack(playbook: LinkedPlaybook, role_id: str) -> OnboardingPack:
    """What a new person in ``role_id`` works through, grouped by when it is due: the role's
    own checklist, then the items of the guides written for it that fall due then."""
    role = playbook.roles[role_id]
    own = {checklist.when: checklist for checklist in checklists_of("roles", role)}
    guide_lists = [
        (guide, checklist)
        for guide in playbook.guides_for.get(role_id, ())
        for checklist in checklists_of("guides", guide)
    ]
    groups = []
    for when in WHEN_ORDER:
        lists = [own[when]] if when in own else []
        for guide, checklist in guide_lists:
            items = tuple(item for item in checklist.items if item.when == when)
            if items:
                lists.append(replace(checklist, title=guide.title, items=items, when=when))
        groups.append((when, tuple(lists)))
    return OnboardingPack(role, tuple(groups), _handoffs_to_learn(playbook, role))


def written_out(playbook: LinkedPlaybook, checklist: Checklist) -> Checklist:
    """``checklist`` with every reference in prose written out as plain text: for paper, a
    spreadsheet or a tracker, where a link to the site's pages would not work."""
    items = tuple(
        item.model_copy(
            update={
                "text": playbook.plain(item.text),
                "details": playbook.plain(item.details) if item.details else None,
            }
        )
        for item in checklist.items
    )
    return replace(checklist, title=playbook.plain(checklist.title), items=items)


def written_out_pack(playbook: LinkedPlaybook, pack: OnboardingPack) -> OnboardingPack:
    groups = tuple(
        (when, tuple(written_out(playbook, c) for c in lists)) for when, lists in pack.groups
    )
    return OnboardingPack(pack.role, groups, written_out(playbook, pack.handoffs))


def due_date(start: dt.date, when: When) -> dt.date:
    """The day a group of items is due: counted in working days (Monday to Friday) from the
    start date, or from the Monday after it when it falls on a weekend."""
    day, left = start, DUE_AFTER_WORKING_DAYS[when]
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def plain_text(markdown: str) -> str:
    """Checklist text without Markdown links, for trackers and paper."""
    return _LINK.sub(lambda match: match.group(1).replace("\\[", "[").replace("\\]", "]"), markdown)


def markdown_line(text: str) -> str:
    """Text for one line of Markdown pasted into a tracker: every line break a space, so that no
    text starts a second item or ticks a box, and ``<`` and ``>`` as entities, so that no HTML
    passes."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")


def _by_when(
    items: tuple[OnboardingItem, ...],
) -> Iterator[tuple[When, tuple[OnboardingItem, ...]]]:
    for when in WHEN_ORDER:
        found = tuple(item for item in items if item.when == when)
        if found:
            yield when, found


def _handoffs_to_learn(playbook: LinkedPlaybook, role: Role) -> Checklist:
    def linked(handoff: Handoff) -> str:
        # relative to the onboarding pack's page; plain_text() drops it for other uses
        title = handoff.title.replace("[", r"\[").replace("]", r"\]")
        return f"*[{title}](../{page_path('handoffs', handoff.id)})*"

    items = [
        # built here, not read from content: no need to validate (the id may pass 80 characters)
        ChecklistItem.model_construct(
            id=f"receive-{h.id}",
            text=f"Receive {linked(h)} from the {playbook.roles[h.from_role].title} "
            f"({playbook.phases[h.phase].title})",
        )
        for h in playbook.receives.get(role.id, ())
    ] + [
        ChecklistItem.model_construct(
            id=f"give-{h.id}",
            text=f"Hand over {linked(h)} to the {playbook.roles[h.to_role].title} "
            f"({playbook.phases[h.phase].title})",
        )
        for h in playbook.gives.get(role.id, ())
    ]

    return Checklist(
        key=checklist_key("onboarding", role.id, "handoffs"),
        title="Handoffs to learn",
        kind="onboarding",
        page=page_path("onboarding", role.id),
        items=tuple(items),
        owner=role.id,
        role=role.id,
        when="first-month",
    )
