"""Every checklist of the playbook as data, for ``playbook export`` and ``playbook checklist``.

A checklist's ``key`` is the one the site's pages store ticks under, so an exported item can be
matched with what a reader ticked in the browser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .link import LinkedPlaybook
from .model import WHEN_ORDER, ChecklistItem, Guide, GuideChecklist, Handoff, Role, When
from .plan import page_path

__all__ = [
    "Checklist",
    "OnboardingPack",
    "all_checklists",
    "due_date",
    "onboarding_pack",
    "plain_text",
]

# Working days after the start date by which each group is due (the start date is day 0).
DUE_AFTER_WORKING_DAYS: dict[When, int] = {"first-day": 0, "first-week": 4, "first-month": 19}

_LINK = re.compile(r"\[((?:\\.|[^\]])*)\]\([^)]*\)")


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


@dataclass(frozen=True)
class OnboardingPack:
    role: Role
    groups: tuple[tuple[When, tuple[Checklist, ...]], ...]
    handoffs: Checklist


def all_checklists(playbook: LinkedPlaybook) -> Iterator[Checklist]:
    """Onboarding checklists by role, then definitions of done, then guide checklists."""
    for role in playbook.roles.values():
        yield from _onboarding(role)
    for handoff in playbook.handoffs.values():
        yield Checklist(
            key=f"handoffs/{handoff.id}/done",
            title=f"Definition of done: {handoff.title}",
            kind="handoff",
            page=page_path("handoffs", handoff.id),
            items=handoff.done,
            owner=handoff.id,
            role=handoff.to_role,
        )
    for guide in playbook.guides.values():
        for checklist in guide.checklists:
            yield Checklist(
                key=_guide_key(guide, checklist),
                title=f"{guide.title}: {checklist.title}",
                kind="guide",
                page=page_path("guides", guide.id),
                items=checklist.items,
                owner=guide.id,
            )


def onboarding_pack(playbook: LinkedPlaybook, role_id: str) -> OnboardingPack:
    """What a new person in ``role_id`` works through, grouped by when it is due."""
    role = playbook.roles[role_id]
    own = {checklist.when: checklist for checklist in _onboarding(role)}
    groups = []
    for when in WHEN_ORDER:
        lists = [own[when]] if when in own else []
        for guide in playbook.guides_for.get(role_id, ()):
            for checklist in guide.checklists:
                items = tuple(item for item in checklist.items if item.when == when)
                if items:
                    key, page = _guide_key(guide, checklist), page_path("guides", guide.id)
                    lists.append(
                        Checklist(key, guide.title, "guide", page, items, guide.id, when=when)
                    )
        groups.append((when, tuple(lists)))
    return OnboardingPack(role, tuple(groups), _handoffs_to_learn(playbook, role))


def _guide_key(guide: Guide, checklist: GuideChecklist) -> str:
    """The key a guide's checklist stores ticks under: the same on the guide page, in a pack
    and in exports, so a tick made in one place shows in the others."""
    return f"guides/{guide.id}/{checklist.id}"


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


def _onboarding(role: Role) -> Iterator[Checklist]:
    for when in WHEN_ORDER:
        items = tuple(item for item in role.onboarding if item.when == when)
        if items:
            yield Checklist(
                key=f"roles/{role.id}/onboarding/{when}",
                title=f"{role.title} onboarding",
                kind="onboarding",
                page=page_path("roles", role.id),
                items=items,
                owner=role.id,
                role=role.id,
                when=when,
            )


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
        key=f"onboarding/{role.id}/handoffs",
        title="Handoffs to learn",
        kind="onboarding",
        page=page_path("onboarding", role.id),
        items=tuple(items),
        owner=role.id,
        role=role.id,
        when="first-month",
    )
