"""Stage 4, plan: decide which pages exist, where they live, which template renders each, and
how the navigation groups them.

The navigation is planned, not dumped: roles are grouped by category and handoffs by phase,
so that no section grows into a long flat list (Material renders the whole navigation into
every page, so flat lists make large sites slow and heavy).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content.kinds import KINDS, PAGES, Kind, kind_named
from ..content.words import CATEGORY_ORDER, CATEGORY_TITLES, first_sentence
from .link import LinkedPlaybook

__all__ = ["NAV_SECTION_SIZE", "NavItem", "Page", "Plan", "chunked", "page_path", "plan_site"]

NAV_SECTION_SIZE = 50
CAREERS = "Careers"  # the tab of the skills matrix, interview guides and self-assessment

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
    """Where the page of an entity (or, without an id, the index of its kind) lives; ``kind``
    may also name a page of its own, such as ``"raci"``."""
    if kind in PAGES:
        return PAGES[kind].path
    return kind_named(kind).page(entity_id)


def plan_site(playbook: LinkedPlaybook) -> Plan:
    pages = [*_single_pages(playbook), *_index_pages(playbook), *_entity_pages(playbook)]
    return Plan(tuple(pages), _nav(playbook))


def _single_pages(playbook: LinkedPlaybook) -> list[Page]:
    """The pages of their own; one made from a file (the glossary) only when the file is
    there. The home page's description is the playbook's."""
    pages = []
    for key, single in PAGES.items():
        if single.kind and not playbook.has(single.kind):
            continue
        source = playbook.origin[(single.kind, single.kind)] if single.kind else None
        description = single.description or playbook.settings.description
        hide = ("navigation",) if key == "home" else ()
        pages.append(
            Page(
                single.path,
                single.template,
                single.title,
                description,
                {},
                source,
                single.search_boost,
                hide=hide,
            )
        )
    return pages


def _index_pages(playbook: LinkedPlaybook) -> list[Page]:
    return [
        Page(kind.page(), template, title, description)
        for kind in KINDS
        if kind.index and _made(playbook, kind)
        for template, title, description in [kind.index]
    ]


def _made(playbook: LinkedPlaybook, kind: Kind) -> bool:
    """Whether a kind's pages are made: a family of pages may need a file (the interview
    guides need the progression framework)."""
    return kind.requires is None or playbook.has(kind.requires)


def _entity_pages(playbook: LinkedPlaybook) -> list[Page]:
    return [
        Page(
            kind.page(entity.id),
            kind.template,
            kind.page_title(entity),
            first_sentence(playbook.plain(kind.page_description(entity))),
            {kind.variable: entity},
            playbook.origin[(source_kind.key, entity.id)],
            kind.search_boost,
            tags=kind.tags(playbook, entity) if kind.tags else (),
        )
        for kind in KINDS
        if kind.template and _made(playbook, kind)
        for source_kind in [kind_named(kind.pages_of or kind.key)]
        for entity in playbook.entities(source_kind.key).values()
    ]


def _nav(playbook: LinkedPlaybook) -> list[NavItem]:
    def section(key: str, *extra: NavItem) -> NavItem:
        kind = kind_named(key)
        return {str(kind.nav_title): [kind.page(), *extra, *_NAV_GROUPS[key](playbook, key)]}

    reference: list[NavItem] = [_single("tags"), _single("sources")]
    if playbook.has("glossary"):
        reference.insert(0, _single("glossary"))
    careers: list[NavItem] = []
    if playbook.has("progression"):
        careers = [{CAREERS: [_single("skills"), section("interviews"), section("assessments")]}]
    return [
        _single("home"),
        section("roles"),
        section("phases", _single("raci")),
        section("handoffs"),
        section("guides"),
        section("teams"),
        section("onboarding"),
        *careers,
        {"Reference": reference},
    ]


def _single(key: str) -> NavItem:
    return {PAGES[key].title: PAGES[key].path}


def _by_phase(playbook: LinkedPlaybook, key: str) -> list[NavItem]:
    """One section per phase, holding the handoffs made in it."""
    nav: list[NavItem] = []
    for phase in playbook.phases.values():
        in_phase = playbook.handoffs_in.get(phase.id, ())
        if in_phase:
            entries = [_entry(key, h.id, h.title) for h in in_phase]
            nav.append({html.escape(phase.title): chunked(entries)})
    return nav


def _by_category(playbook: LinkedPlaybook, kind: str) -> list[NavItem]:
    """One page per role, grouped by the role's category."""
    nav: list[NavItem] = []
    for category in CATEGORY_ORDER:
        members = playbook.roles_in(category)
        if members:
            entries = [_entry(kind, r.id, r.title) for r in members]
            nav.append({CATEGORY_TITLES[category]: chunked(entries)})
    return nav


def chunked(entries: list[NavItem]) -> list[NavItem]:
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


def _short(title: str) -> str:
    return title if len(title) <= 18 else title[:17].rstrip() + "…"


def _in_order(playbook: LinkedPlaybook, key: str) -> list[NavItem]:
    return [_entry(key, entity.id, entity.title) for entity in playbook.entities(key).values()]


def _nested(playbook: LinkedPlaybook, key: str) -> list[NavItem]:
    """A tab's own list of pages. Material always opens a tab's first level, so a long list is
    chunked one level down, where the closed sections are pruned from each page."""
    entries = _in_order(playbook, key)
    if len(entries) <= NAV_SECTION_SIZE:
        return entries
    return [{"All pages": chunked(entries)}]


# How each section of the navigation lists its pages.
_NAV_GROUPS: dict[str, Callable[[LinkedPlaybook, str], list[NavItem]]] = {
    "roles": _by_category,
    "phases": _in_order,
    "handoffs": _by_phase,
    "guides": _nested,
    "teams": _nested,
    "onboarding": _by_category,
    "interviews": _by_category,
    "assessments": _by_category,
}


def _entry(kind: str, entity_id: str, title: str) -> NavItem:
    # Themes print nav titles into HTML as they are, so a title from content is escaped here.
    return {html.escape(title): page_path(kind, entity_id)}
