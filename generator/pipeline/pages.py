"""Part of stage 4, plan: the page families, in one table. For each family, the section its
pages live in, the kind of content whose entities get a page there, the templates of one
entity's page and of the index, how the navigation lists the pages, how search weighs them and
which tags they carry; and the pages of their own (home, RACI matrix, glossary).

The kinds of content (:mod:`generator.content.kinds`) say what content *is*; this table says
which pages are made of it. A kind may have one family of pages (roles), several (a role also
has an onboarding pack, an interview guide and a self-assessment sheet) or none (the
progression framework is shown on other pages). Adding a family of pages is a change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..content.model import Role
from ..content.words import CATEGORY_TITLES
from .link import LinkedPlaybook

__all__ = [
    "ALIAS_TAG",
    "COMPETENCY_TAG",
    "FAMILIES",
    "PAGES",
    "PageFamily",
    "SinglePage",
    "family_named",
]

# How the navigation lists a family's pages: grouped by role category, by lifecycle phase, in
# the kind's own order, or in its order one level down (a tab's long list).
NavGroups = Literal["by_category", "by_phase", "in_order", "nested"]


@dataclass(frozen=True)
class PageFamily:
    """A family of pages: one index page and one page per entity of a kind."""

    key: str  # how templates and references name it: link("onboarding", role.id)
    section: str  # its URL folder
    nav_title: str
    index: tuple[str, str, str]  # template, title, description
    template: str  # the template of one entity's page
    variable: str  # the name that template knows the entity by
    kind: str = ""  # the kind whose entities get a page here (default: the family's key)
    nav: NavGroups = "in_order"
    tab: str | None = None  # the navigation tab it shares with others, if any
    search_boost: float | None = None  # readers mostly look for roles and handoffs
    page_title: Callable[[Any], str] = field(default=lambda entity: entity.title)
    # Its page's description, of which the first sentence is used.
    page_description: Callable[[Any], str] = field(default=lambda entity: entity.summary)
    tags: Callable[[LinkedPlaybook, Any], tuple[str, ...]] | None = None
    requires: str | None = None  # the single-file kind without which no page is made
    skip_empty: bool = False  # no index page either while the kind has no entity
    # A file published beside each entity's page, for readers to download: the end of its
    # name after the entity's id, and its template.
    attachment: tuple[str, str] | None = None

    @property
    def source(self) -> str:
        """The key of the kind whose entities get a page here."""
        return self.kind or self.key

    def page(self, entity_id: str = "") -> str:
        """Where an entity's page (or, without an id, the family's index) lives."""
        return f"{self.section}/{entity_id or 'index'}.md"

    def attached(self, entity_id: str) -> str:
        """Where the file published beside an entity's page lives."""
        return f"{self.section}/{entity_id}{self.attachment[0] if self.attachment else ''}"


@dataclass(frozen=True)
class SinglePage:
    """A page of its own, not one per entity; made only when the file of its kind exists."""

    path: str
    template: str
    title: str
    description: str
    kind: str | None = None  # the single-file kind it is made from (and edited in)
    search_boost: float | None = None
    # Where the navigation lists it: at the top, in a family's section after its index (its
    # key), or in a tab of its own name; first there, or after the others.
    nav: str | None = None
    nav_first: bool = False
    setting: str | None = None  # the playbook.yml setting that turns it off, if any


# A role's other names, and the competencies it needs, are tags too, so search finds the role
# by them; mkdocs.yml makes tags with this prefix or suffix "shadow" tags, which search reads
# but pages and the tags index do not show.
ALIAS_TAG = "Also known as "
COMPETENCY_TAG = " (competency)"
CAREERS = "Careers"  # the tab of the skills matrix, interview guides and self-assessment
REFERENCE = "Reference"


def _role_tags(playbook: LinkedPlaybook, role: Role) -> tuple[str, ...]:
    leads = [
        phase.title
        for phase in playbook.phases.values()
        if phase.id in role.phases and role.phases[phase.id].raci in ("R", "A")
    ]
    aliases = [f"{ALIAS_TAG}{alias}" for alias in role.aliases]
    competencies = [
        f"{playbook.competencies[needed.id].title}{COMPETENCY_TAG}" for needed in role.competencies
    ]
    return (f"{CATEGORY_TITLES[role.category]} role", *leads, *aliases, *competencies)


# In the order of the navigation.
FAMILIES: list[PageFamily] = [
    PageFamily(
        "roles",
        "roles",
        "Roles",
        (
            "roles.md.j2",
            "Roles",
            "Every role in the team, grouped by category, with what each one does.",
        ),
        "role.md.j2",
        "role",
        nav="by_category",
        search_boost=2.0,
        tags=_role_tags,
    ),
    PageFamily(
        "phases",
        "lifecycle",
        "Lifecycle",
        (
            "lifecycle.md.j2",
            "Lifecycle",
            "The phases of the machine-learning lifecycle and who is involved in each.",
        ),
        "phase.md.j2",
        "phase",
        search_boost=1.5,
        tags=lambda playbook, phase: (phase.title,),
    ),
    PageFamily(
        "handoffs",
        "handoffs",
        "Handoffs",
        (
            "handoffs.md.j2",
            "Handoffs",
            "Every handoff between roles, by lifecycle phase, with its definition of done.",
        ),
        "handoff.md.j2",
        "handoff",
        nav="by_phase",
        search_boost=1.5,
        tags=lambda playbook, handoff: (playbook.phases[handoff.phase].title,),
    ),
    PageFamily(
        "artefacts",
        "artefacts",
        "Artefacts",
        (
            "artefacts.md.j2",
            "Artefacts",
            "What the team's documents and records contain, who produces and approves each, "
            "and a template to start from.",
        ),
        "artefact.md.j2",
        "artefact",
        search_boost=1.5,
        skip_empty=True,
        # Not .md: a page of the site would be built from it; the link saves it as .md.
        attachment=(".template.txt", "artefact-template.md.j2"),
    ),
    PageFamily(
        "guides",
        "guides",
        "Ways of working",
        ("guides.md.j2", "Ways of working", "How the team works together day to day."),
        "guide.md.j2",
        "guide",
        nav="nested",
        search_boost=1.5,  # where "how do we…" and regulations are answered
    ),
    PageFamily(
        "teams",
        "teams",
        "Team shapes",
        (
            "teams.md.j2",
            "Team shapes",
            "Who covers which role in a small, a growing and a large team.",
        ),
        "team.md.j2",
        "team",
        nav="nested",
    ),
    PageFamily(
        "onboarding",
        "onboarding",
        "Onboarding",
        (
            "packs.md.j2",
            "Onboarding",
            "An onboarding pack per role, to tick in the browser or print.",
        ),
        "onboarding.md.j2",
        "role",
        kind="roles",
        nav="by_category",
        page_title=lambda role: f"Onboarding: {role.title}",
        page_description=lambda role: (
            f"The onboarding pack of a new {role.title}: checklists for the first day, week "
            "and month, and the handoffs to learn."
        ),
    ),
    PageFamily(
        "interviews",
        "careers/interviews",
        "Interview guides",
        (
            "interviews.md.j2",
            "Interview guides",
            "How to interview for each role: what to assess, questions and exercises, and "
            "what a strong answer looks like.",
        ),
        "interview.md.j2",
        "role",
        kind="roles",
        nav="by_category",
        tab=CAREERS,
        page_title=lambda role: f"Interview guide: {role.title}",
        page_description=lambda role: (
            f"How to interview for the {role.title} role: what to assess, questions and "
            "exercises per competency, and what a strong answer looks like."
        ),
        requires="progression",
    ),
    PageFamily(
        "assessments",
        "careers/self-assessment",
        "Self-assessment",
        (
            "assessments.md.j2",
            "Self-assessment",
            "A sheet per role to print: every competency, level by level, to mark and discuss.",
        ),
        "assessment.md.j2",
        "role",
        kind="roles",
        nav="by_category",
        tab=CAREERS,
        # Every sheet repeats its role page's expectations: searches should land on the role.
        search_boost=0.5,
        page_title=lambda role: f"Self-assessment: {role.title}",
        page_description=lambda role: (
            f"Self-assessment for the {role.title} role: each competency level by level, to "
            "mark, bring evidence for and discuss with a manager."
        ),
        requires="progression",
    ),
]


# In the order their pages are made (and searched, where scores tie).
PAGES = {
    "home": SinglePage("index.md", "home.md.j2", "Home", "", "playbook"),
    "raci": SinglePage(
        "lifecycle/raci.md",
        "raci.md.j2",
        "RACI matrix",
        "Who is responsible, accountable, consulted and informed in every activity.",
        nav="phases",
    ),
    "decisions": SinglePage(
        "lifecycle/decisions.md",
        "decisions.md.j2",
        "Decision rights",
        "Every decision across the lifecycle: who takes it, who is heard, what it rests on, "
        "who may override it and what happens on no.",
        search_boost=1.5,
        nav="phases",
    ),
    "tags": SinglePage(
        "tags.md",
        "tags.md.j2",
        "Tags",
        "Pages by lifecycle phase and by role category.",
        nav=REFERENCE,
    ),
    "sources": SinglePage(
        "sources.md",
        "sources.md.j2",
        "Sources",
        "The documents this playbook draws on.",
        "playbook",
        nav=REFERENCE,
    ),
    "skills": SinglePage(
        "careers/skills-matrix.md",
        "skills.md.j2",
        "Skills matrix",
        "Which competencies each role needs and from which level, with the level scale.",
        "progression",
        nav=CAREERS,
    ),
    "glossary": SinglePage(
        "glossary.md",
        "glossary.md.j2",
        "Glossary",
        "The terms a newcomer to the team meets.",
        "glossary",
        search_boost=2.0,  # a term a reader types finds its own definition first
        nav=REFERENCE,
        nav_first=True,
    ),
    "changes": SinglePage(
        "what-changed.md",
        "changes.md.j2",
        "What changed",
        "What changed in the playbook, month by month, newest first, with a feed to follow.",
        nav=REFERENCE,
        setting="what_changed",
    ),
}


def family_named(key: str) -> PageFamily:
    """The page family whose key is ``key``: ``"roles"``, ``"onboarding"``."""
    return next(family for family in FAMILIES if family.key == key)
