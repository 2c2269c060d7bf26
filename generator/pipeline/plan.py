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

from ..content.words import CATEGORY_ORDER, CATEGORY_TITLES, first_sentence
from .link import LinkedPlaybook
from .pages import FAMILIES, PAGES, NavGroups, PageFamily, SinglePage, family_named

__all__ = [
    "HAND_WRITTEN",
    "NAV_SECTION_SIZE",
    "NavItem",
    "Page",
    "Plan",
    "chunked",
    "page_path",
    "plan_site",
    "with_hand_written",
]

NAV_SECTION_SIZE = 50
HAND_WRITTEN = "About"  # the navigation section of a project's hand-written pages

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
    """Where the page of an entity (or, without an id, the index of its family) lives; ``kind``
    names a page family (``"roles"``, ``"onboarding"``) or a page of its own (``"raci"``)."""
    if kind in PAGES:
        return PAGES[kind].path
    return family_named(kind).page(entity_id)


def plan_site(playbook: LinkedPlaybook) -> Plan:
    pages = [*_single_pages(playbook), *_index_pages(playbook), *_entity_pages(playbook)]
    return Plan(tuple(pages), _nav(playbook))


def _single_pages(playbook: LinkedPlaybook) -> list[Page]:
    """The pages of their own; one made from a file (the glossary) only when the file is
    there. The home page's description is the playbook's."""
    pages = []
    for key, single in PAGES.items():
        if not _single_made(playbook, single):
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


def _single_made(playbook: LinkedPlaybook, single: SinglePage) -> bool:
    if single.setting and not getattr(playbook.settings, single.setting):
        return False
    return not single.kind or playbook.has(single.kind)


def _index_pages(playbook: LinkedPlaybook) -> list[Page]:
    return [Page(family.page(), *family.index) for family in FAMILIES if _made(playbook, family)]


def _made(playbook: LinkedPlaybook, family: PageFamily) -> bool:
    """Whether a family's pages are made: a family may need a file (the interview guides
    need the progression framework), or an entity to show."""
    if family.skip_empty and not playbook.entities(family.source):
        return False
    return family.requires is None or playbook.has(family.requires)


def _entity_pages(playbook: LinkedPlaybook) -> list[Page]:
    return [
        Page(
            family.page(entity.id),
            family.template,
            family.page_title(entity),
            first_sentence(playbook.plain(family.page_description(entity))),
            {family.variable: entity},
            playbook.origin[(family.source, entity.id)],
            family.search_boost,
            tags=family.tags(playbook, entity) if family.tags else (),
        )
        for family in FAMILIES
        if _made(playbook, family)
        for entity in playbook.entities(family.source).values()
    ] + [
        Page(
            family.attached(entity.id),
            family.attachment[1],
            family.page_title(entity),
            "",
            {family.variable: entity},
            playbook.origin[(family.source, entity.id)],
        )
        for family in FAMILIES
        if family.attachment and _made(playbook, family)
        for entity in playbook.entities(family.source).values()
    ]


def _nav(playbook: LinkedPlaybook) -> list[NavItem]:
    """The home page, each family's section in the table's order (a section ends with the
    pages of their own placed in it), then the tabs that families and pages share."""
    placed: dict[str | None, list[NavItem]] = {}
    for key, single in sorted(PAGES.items(), key=lambda entry: not entry[1].nav_first):
        if _single_made(playbook, single):
            placed.setdefault(single.nav, []).append(_single(key))
    top: list[NavItem] = list(placed.pop(None, []))
    tabs: dict[str, list[NavItem]] = {}
    for family in FAMILIES:
        if not _made(playbook, family):
            continue
        extra = placed.pop(family.key, [])
        listed = _NAV_GROUPS[family.nav](playbook, family.key)
        section = {family.nav_title: [family.page(), *extra, *listed]}
        if family.tab:
            tabs.setdefault(family.tab, placed.pop(family.tab, [])).append(section)
        else:
            top.append(section)
    tabs.update((str(title), items) for title, items in placed.items())  # only single pages
    return [*top, *({title: items} for title, items in tabs.items())]


def with_hand_written(nav: list[NavItem], pages: list[str], section: str) -> list[NavItem]:
    """The planned navigation, with a project's hand-written pages in a section of their own
    at the end."""
    return [*nav, {section: sorted(pages)}] if pages else list(nav)


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
    entities = playbook.entities(family_named(key).source).values()
    return [_entry(key, entity.id, entity.title) for entity in entities]


def _nested(playbook: LinkedPlaybook, key: str) -> list[NavItem]:
    """A tab's own list of pages. Material always opens a tab's first level, so a long list is
    chunked one level down, where the closed sections are pruned from each page."""
    entries = _in_order(playbook, key)
    if len(entries) <= NAV_SECTION_SIZE:
        return entries
    return [{"All pages": chunked(entries)}]


# How each section of the navigation lists its pages.
_NAV_GROUPS: dict[NavGroups, Callable[[LinkedPlaybook, str], list[NavItem]]] = {
    "by_category": _by_category,
    "by_phase": _by_phase,
    "in_order": _in_order,
    "nested": _nested,
}


def _entry(kind: str, entity_id: str, title: str) -> NavItem:
    # Themes print nav titles into HTML as they are, so a title from content is escaped here.
    return {html.escape(title): page_path(kind, entity_id)}
