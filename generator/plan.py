"""Stage 4, plan: decide which pages exist, where they live, which template renders each, and
how the navigation groups them.

The navigation is planned, not dumped: roles are grouped by category and handoffs by phase,
so that no section grows into a long flat list (Material renders the whole navigation into
every page, so flat lists make large sites slow and heavy).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .link import CATEGORY_ORDER, LinkedPlaybook

__all__ = ["NavItem", "Page", "Plan", "first_sentence", "page_path", "plan_site"]

SECTIONS = {
    "roles": "roles",
    "phases": "lifecycle",
    "handoffs": "handoffs",
    "guides": "guides",
    "teams": "teams",
    "onboarding": "onboarding",
}
NAV_SECTION_SIZE = 50
# Readers mostly search for a role or a handoff; those pages rank first.
# (An onboarding pack repeats its role's checklist, so it must not outrank the role page.)
SEARCH_BOOST = {"roles": 2.0, "handoffs": 1.5, "phases": 1.5}
# A role's other names are tags too, so search finds the role by them; mkdocs.yml makes tags
# with this prefix "shadow" tags, which search reads but pages and the tags index do not show.
ALIAS_TAG = "Also known as "
SINGLE_PAGES = {
    "home": "index.md",
    "glossary": "glossary.md",
    "sources": "sources.md",
    "raci": "lifecycle/raci.md",
    "tags": "tags.md",
}
CATEGORY_TITLES = {"business": "Business", "technical": "Technical", "supporting": "Supporting"}

# MkDocs' nav format: a page path, or {title: path}, or {title: [children]}.
NavItem = str | dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One page to render: its path in the docs tree, its template and what it shows."""

    path: str
    template: str
    title: str
    description: str
    context: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    search_boost: float | None = None
    hide: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    pages: tuple[Page, ...]
    nav: list[NavItem]


def page_path(kind: str, entity_id: str = "") -> str:
    """Where the page of an entity (or, without an id, the index of its kind) lives."""
    if kind in SINGLE_PAGES:
        return SINGLE_PAGES[kind]
    folder = SECTIONS[kind]
    return f"{folder}/{entity_id or 'index'}.md"


def plan_site(playbook: LinkedPlaybook) -> Plan:
    pages = [*_index_pages(playbook), *_entity_pages(playbook)]
    return Plan(tuple(pages), _nav(playbook))


def _index_pages(playbook: LinkedPlaybook) -> list[Page]:
    settings = playbook.settings
    origin = playbook.origin
    pages = [
        Page(
            "index.md",
            "home.md.j2",
            "Home",
            settings.description,
            {},
            origin[("playbook", "playbook")],
            hide=("navigation",),
        ),
        Page(
            page_path("roles"),
            "roles.md.j2",
            "Roles",
            "Every role in the team, grouped by category, with what each one does.",
        ),
        Page(
            page_path("phases"),
            "lifecycle.md.j2",
            "Lifecycle",
            "The phases of the machine-learning lifecycle and who is involved in each.",
        ),
        Page(
            page_path("handoffs"),
            "handoffs.md.j2",
            "Handoffs",
            "Every handoff between roles, by lifecycle phase, with its definition of done.",
        ),
        Page(
            page_path("raci"),
            "raci.md.j2",
            "RACI matrix",
            "Who is responsible, accountable, consulted and informed in every activity.",
        ),
        Page(
            page_path("tags"),
            "tags.md.j2",
            "Tags",
            "Pages by lifecycle phase and by role category.",
        ),
        Page(
            page_path("guides"),
            "guides.md.j2",
            "Ways of working",
            "How the team works together day to day.",
        ),
        Page(
            page_path("teams"),
            "teams.md.j2",
            "Team shapes",
            "Who covers which role in a small, a growing and a large team.",
        ),
        Page(
            page_path("onboarding"),
            "packs.md.j2",
            "Onboarding",
            "An onboarding pack per role, to tick in the browser or print.",
        ),
        Page(
            page_path("sources"),
            "sources.md.j2",
            "Sources",
            "The documents this playbook draws on.",
            {},
            origin[("playbook", "playbook")],
        ),
    ]
    if playbook.glossary:
        pages.append(
            Page(
                page_path("glossary"),
                "glossary.md.j2",
                "Glossary",
                "The terms a newcomer to the team meets.",
                {},
                origin[("glossary", "glossary")],
            )
        )
    return pages


def _entity_pages(playbook: LinkedPlaybook) -> list[Page]:
    kinds: list[tuple[str, Mapping[str, Any], str]] = [
        ("roles", playbook.roles, "role"),
        ("phases", playbook.phases, "phase"),
        ("handoffs", playbook.handoffs, "handoff"),
        ("guides", playbook.guides, "guide"),
        ("teams", playbook.teams, "team"),
    ]
    return [
        Page(
            page_path(kind, entity.id),
            f"{name}.md.j2",
            entity.title,
            first_sentence(entity.summary),
            {name: entity},
            playbook.origin[(kind, entity.id)],
            SEARCH_BOOST.get(kind),
            tags=_tags(playbook, kind, entity),
        )
        for kind, entities, name in kinds
        for entity in entities.values()
    ] + [
        Page(
            page_path("onboarding", role.id),
            "onboarding.md.j2",
            f"Onboarding: {role.title}",
            f"The onboarding pack of a new {role.title}: checklists for the first day, week "
            "and month, and the handoffs to learn.",
            {"role": role},
            playbook.origin[("roles", role.id)],
        )
        for role in playbook.roles.values()
    ]


def _nav(playbook: LinkedPlaybook) -> list[NavItem]:
    handoffs: list[NavItem] = [page_path("handoffs")]
    for phase in playbook.phases.values():
        in_phase = playbook.handoffs_in.get(phase.id, ())
        if in_phase:
            entries = [_entry("handoffs", h.id, h.title) for h in in_phase]
            handoffs.append({html.escape(phase.title): _chunked(entries)})
    nav: list[NavItem] = [
        {"Home": "index.md"},
        {"Roles": _by_category(playbook, "roles")},
        {
            "Lifecycle": [
                page_path("phases"),
                {"RACI matrix": page_path("raci")},
                *_entries("phases", playbook.phases),
            ]
        },
        {"Handoffs": handoffs},
        {"Ways of working": [page_path("guides"), *_nested(_entries("guides", playbook.guides))]},
        {"Team shapes": [page_path("teams"), *_nested(_entries("teams", playbook.teams))]},
        {"Onboarding": _by_category(playbook, "onboarding")},
    ]
    reference: list[NavItem] = [{"Tags": page_path("tags")}, {"Sources": page_path("sources")}]
    if playbook.glossary:
        reference.insert(0, {"Glossary": page_path("glossary")})
    nav.append({"Reference": reference})
    return nav


def _tags(playbook: LinkedPlaybook, kind: str, entity: Any) -> tuple[str, ...]:
    """Tags by role category and lifecycle phase (Material's tags plugin lists them)."""
    if kind == "roles":
        leads = [p.title for p in playbook.phases.values() if _leads(entity, p.id)]
        aliases = [f"{ALIAS_TAG}{alias}" for alias in entity.aliases]
        return (f"{CATEGORY_TITLES[entity.category]} role", *leads, *aliases)
    if kind == "phases":
        return (entity.title,)
    if kind == "handoffs":
        return (playbook.phases[entity.phase].title,)
    return ()


def _leads(role: Any, phase_id: str) -> bool:
    return phase_id in role.phases and role.phases[phase_id].raci in ("R", "A")


def _by_category(playbook: LinkedPlaybook, kind: str) -> list[NavItem]:
    """The index of ``kind`` and one page per role, grouped by the role's category."""
    nav: list[NavItem] = [page_path(kind)]
    for category in CATEGORY_ORDER:
        members = playbook.roles_in(category)
        if members:
            entries = [_entry(kind, r.id, r.title) for r in members]
            nav.append({CATEGORY_TITLES[category]: _chunked(entries)})
    return nav


def _chunked(entries: list[NavItem]) -> list[NavItem]:
    """Long lists become sections of at most NAV_SECTION_SIZE pages, named by their first and
    last titles. Material renders the navigation into every page, pruned to the open section,
    so this keeps each page's share of navigation small however large the playbook grows."""
    if len(entries) <= NAV_SECTION_SIZE:
        return entries
    sections: list[NavItem] = []
    for start in range(0, len(entries), NAV_SECTION_SIZE):
        part = entries[start : start + NAV_SECTION_SIZE]
        first, last = (next(iter(entry)) for entry in (part[0], part[-1]))
        sections.append({f"{_short(first)} – {_short(last)}": part})
    return sections


def _nested(entries: list[NavItem]) -> list[NavItem]:
    """A tab's own list of pages. Material always opens a tab's first level, so a long list is
    chunked one level down, where the closed sections are pruned from each page."""
    if len(entries) <= NAV_SECTION_SIZE:
        return entries
    return [{"All pages": _chunked(entries)}]


def _short(title: str) -> str:
    return title if len(title) <= 18 else title[:17].rstrip() + "…"


def _entries(kind: str, entities: Mapping[str, Any]) -> list[NavItem]:
    return [_entry(kind, entity.id, entity.title) for entity in entities.values()]


def _entry(kind: str, entity_id: str, title: str) -> NavItem:
    # Themes print nav titles into HTML as they are, so a title from content is escaped here.
    return {html.escape(title): page_path(kind, entity_id)}


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of ``text`` as plain text, for descriptions and summaries."""
    plain = re.sub(r"[*_`]", "", " ".join(text.split()))
    match = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
