"""The kinds of content, in one table: for each kind, where its files live, which model reads
them, which schema editors use, where its pages go and how they are found, and every place in
it that names another entity by id.

The stages read their facts about kinds from here and from nowhere else: ``validate`` (file
places and models), ``schema`` (schema files), ``link`` (references to check and the reverse
indexes), ``layers`` (references to drop when a fork removes an entity), ``plan`` (sections,
templates, navigation titles, search weights and tags) and ``checklists`` (the keys ticks are
stored under). Adding a kind, or a field that refers to another entity, is a change here.

A reference path is written as the YAML keys that lead to the id: ``activities[*].accountable``
is the accountable role of every activity, ``phases{}`` the keys of the ``phases`` mapping.
A reference names an entity of a kind, or an item that a single file defines in a list (a
source of the playbook, a level or a competency of the progression framework).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from .model import Glossary, Guide, Handoff, Phase, Playbook, Progression, Role, Team
from .words import CATEGORY_TITLES

if TYPE_CHECKING:
    from .link import LinkedPlaybook

__all__ = [
    "KINDS",
    "PAGES",
    "Kind",
    "Reference",
    "SinglePage",
    "kind_named",
    "kind_of_entity",
    "kind_of_file",
    "walk_references",
]

KeyPath = tuple[str | int, ...]

# What a fork's removal of the entity a reference names does to the reference:
#   value  - the id leaves its list (or its key leaves the mapping);
#   item   - the list item holding the reference goes with it;
#   entity - the whole entity that holds it goes;
#   refuse - nothing is dropped: the fork is told to reassign it first.
Removal = Literal["value", "item", "entity", "refuse"]


@dataclass(frozen=True)
class Reference:
    """One place in an entity that names another entity by id."""

    path: str
    target: str  # the name of the kind it names, or of an item a single file defines
    removal: Removal = "value"
    # An emptied list or mapping takes the list item that holds it along (a seat that covers
    # no role, a competency described at no level).
    drop_empty: bool = False
    # The playbook's phase order is checked against the phase files by link's own rule.
    checked: bool = True
    # The id names an item of a list of the same entity (an activity of the same phase).
    within: str | None = None

    @functools.cached_property
    def steps(self) -> tuple[str, ...]:
        return _steps(self.path)


@dataclass(frozen=True)
class Kind:
    """What one kind of content is, and everything the stages need to know about it."""

    name: str  # how messages name one: "unknown role 'x'"
    key: str  # its folder under content/ (or file stem) and how templates name it in link()
    mention: str | None  # how prose names one: {role:data-scientist}
    model: type[BaseModel] | None  # None for pages made from another kind's entities
    schema: str | None = None  # the JSON Schema file editors use
    single_file: bool = False  # content/<key>.yml instead of content/<key>/<id>.yml
    references: tuple[Reference, ...] = ()
    # The items a single file defines for others to name: (what they are, the list's key).
    defines: tuple[tuple[str, str], ...] = ()
    # The single-file kind without which these pages are not made (a page family's source).
    requires: str | None = None
    # Its pages: the URL folder, the template of one entity's page, the index page.
    section: str | None = None
    template: str | None = None
    index: tuple[str, str, str] | None = None  # template, title, description
    nav_title: str | None = None
    search_boost: float | None = None  # readers mostly look for roles and handoffs
    pages_of: str | None = None  # the kind whose entities get a page here (default: itself)
    variable: str = ""  # the name its page template knows the entity by
    page_title: Callable[[Any], str] = field(default=lambda entity: entity.title)
    # Its page's description, of which the first sentence is used.
    page_description: Callable[[Any], str] = field(default=lambda entity: entity.summary)
    tags: Callable[[LinkedPlaybook, Any], tuple[str, ...]] | None = None

    def page(self, entity_id: str = "") -> str:
        """Where an entity's page (or, without an id, the index of the kind) lives."""
        return f"{self.section}/{entity_id or 'index'}.md"

    def checklist_key(self, entity_id: str, *parts: str) -> str:
        """The key a checklist's ticks are stored under in the browser; exports carry it too,
        so a tick made on one page shows wherever the same checklist appears."""
        return "/".join((self.key, entity_id, *parts))


# A role's other names, and the competencies it needs, are tags too, so search finds the role
# by them; mkdocs.yml makes tags with this prefix or suffix "shadow" tags, which search reads
# but pages and the tags index do not show.
ALIAS_TAG = "Also known as "
COMPETENCY_TAG = " (competency)"


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


SOURCES = Reference("sources[*]", "source")

KINDS: tuple[Kind, ...] = (
    Kind(
        "playbook",
        "playbook",
        None,
        Playbook,
        "playbook.schema.json",
        single_file=True,
        references=(Reference("phases[*]", "phase", checked=False),),
        defines=(("source", "sources"),),
    ),
    Kind(
        "progression framework",
        "progression",
        None,
        Progression,
        "progression.schema.json",
        single_file=True,
        defines=(("level", "levels"), ("competency", "competencies")),
    ),
    Kind(
        "glossary",
        "glossary",
        None,
        Glossary,
        "glossary.schema.json",
        single_file=True,
        references=(Reference("terms[*].related_roles[*]", "role"),),
    ),
    Kind(
        "role",
        "roles",
        "role",
        Role,
        "role.schema.json",
        references=(
            Reference("phases{}", "phase"),
            Reference("works_with[*].role", "role", "item"),
            SOURCES,
            Reference("competencies[*].id", "competency", "item"),
            Reference("competencies[*].levels{}", "level", drop_empty=True),
            Reference("interview.questions[*].competency", "competency", "item"),
            Reference("interview.questions[*].handoff", "handoff"),
        ),
        section="roles",
        variable="role",
        template="role.md.j2",
        index=(
            "roles.md.j2",
            "Roles",
            "Every role in the team, grouped by category, with what each one does.",
        ),
        nav_title="Roles",
        search_boost=2.0,
        tags=_role_tags,
    ),
    Kind(
        "phase",
        "phases",
        "phase",
        Phase,
        "phase.schema.json",
        references=(
            Reference("activities[*].accountable", "role", "refuse"),
            Reference("activities[*].responsible[*]", "role"),
            Reference("activities[*].consulted[*]", "role"),
            Reference("activities[*].informed[*]", "role"),
            Reference("decisions[*].by", "role", "refuse"),
            Reference("decisions[*].activity", "activity", within="activities"),
            SOURCES,
        ),
        section="lifecycle",
        variable="phase",
        template="phase.md.j2",
        index=(
            "lifecycle.md.j2",
            "Lifecycle",
            "The phases of the machine-learning lifecycle and who is involved in each.",
        ),
        nav_title="Lifecycle",
        search_boost=1.5,
        tags=lambda playbook, phase: (phase.title,),
    ),
    Kind(
        "handoff",
        "handoffs",
        "handoff",
        Handoff,
        "handoff.schema.json",
        references=(
            Reference("from", "role", "entity"),
            Reference("to", "role", "entity"),
            Reference("phase", "phase", "entity"),
            SOURCES,
        ),
        section="handoffs",
        variable="handoff",
        template="handoff.md.j2",
        index=(
            "handoffs.md.j2",
            "Handoffs",
            "Every handoff between roles, by lifecycle phase, with its definition of done.",
        ),
        nav_title="Handoffs",
        search_boost=1.5,
        tags=lambda playbook, handoff: (playbook.phases[handoff.phase].title,),
    ),
    Kind(
        "guide",
        "guides",
        "guide",
        Guide,
        "guide.schema.json",
        references=(Reference("audience[*]", "role"), SOURCES),
        section="guides",
        variable="guide",
        template="guide.md.j2",
        index=("guides.md.j2", "Ways of working", "How the team works together day to day."),
        nav_title="Ways of working",
        search_boost=1.5,  # where "how do we…" and regulations are answered
    ),
    Kind(
        "team shape",
        "teams",
        "team",
        Team,
        "team.schema.json",
        references=(Reference("people[*].covers[*]", "role", drop_empty=True), SOURCES),
        section="teams",
        variable="team",
        template="team.md.j2",
        index=(
            "teams.md.j2",
            "Team shapes",
            "Who covers which role in a small, a growing and a large team.",
        ),
        nav_title="Team shapes",
    ),
    Kind(
        "onboarding pack",
        "onboarding",
        None,
        None,
        section="onboarding",
        template="onboarding.md.j2",
        index=(
            "packs.md.j2",
            "Onboarding",
            "An onboarding pack per role, to tick in the browser or print.",
        ),
        nav_title="Onboarding",
        pages_of="roles",
        variable="role",
        page_title=lambda role: f"Onboarding: {role.title}",
        page_description=lambda role: (
            f"The onboarding pack of a new {role.title}: checklists for the first day, week "
            "and month, and the handoffs to learn."
        ),
    ),
    Kind(
        "interview guide",
        "interviews",
        None,
        None,
        section="careers/interviews",
        template="interview.md.j2",
        index=(
            "interviews.md.j2",
            "Interview guides",
            "How to interview for each role: what to assess, questions and exercises, and "
            "what a strong answer looks like.",
        ),
        nav_title="Interview guides",
        pages_of="roles",
        variable="role",
        page_title=lambda role: f"Interview guide: {role.title}",
        page_description=lambda role: (
            f"How to interview for the {role.title} role: what to assess, questions and "
            "exercises per competency, and what a strong answer looks like."
        ),
        requires="progression",
    ),
    Kind(
        "self-assessment sheet",
        "assessments",
        None,
        None,
        section="careers/self-assessment",
        template="assessment.md.j2",
        index=(
            "assessments.md.j2",
            "Self-assessment",
            "A sheet per role to print: every competency, level by level, to mark and discuss.",
        ),
        nav_title="Self-assessment",
        # Every sheet repeats its role page's expectations: searches should land on the role.
        search_boost=0.5,
        pages_of="roles",
        variable="role",
        page_title=lambda role: f"Self-assessment: {role.title}",
        page_description=lambda role: (
            f"Self-assessment for the {role.title} role: each competency level by level, to "
            "mark, bring evidence for and discuss with a manager."
        ),
        requires="progression",
    ),
)


@dataclass(frozen=True)
class SinglePage:
    """A page of its own, not one per entity; made only when the file of its kind exists."""

    path: str
    template: str
    title: str
    description: str
    kind: str | None = None  # the single-file kind it is made from (and edited in)
    search_boost: float | None = None


PAGES = {
    "home": SinglePage("index.md", "home.md.j2", "Home", "", "playbook"),
    "raci": SinglePage(
        "lifecycle/raci.md",
        "raci.md.j2",
        "RACI matrix",
        "Who is responsible, accountable, consulted and informed in every activity.",
    ),
    "tags": SinglePage(
        "tags.md", "tags.md.j2", "Tags", "Pages by lifecycle phase and by role category."
    ),
    "sources": SinglePage(
        "sources.md",
        "sources.md.j2",
        "Sources",
        "The documents this playbook draws on.",
        "playbook",
    ),
    "skills": SinglePage(
        "careers/skills-matrix.md",
        "skills.md.j2",
        "Skills matrix",
        "Which competencies each role needs and from which level, with the level scale.",
        "progression",
    ),
    "glossary": SinglePage(
        "glossary.md",
        "glossary.md.j2",
        "Glossary",
        "The terms a newcomer to the team meets.",
        "glossary",
        search_boost=2.0,  # a term a reader types finds its own definition first
    ),
}

_BY_KEY = {kind.key: kind for kind in KINDS}
_BY_NAME = {kind.name: kind for kind in KINDS}
_BY_MODEL = {kind.model: kind for kind in KINDS if kind.model}


def kind_named(key: str) -> Kind:
    """The kind whose folder (or single file's stem) is ``key``: ``"roles"``, ``"playbook"``."""
    return _BY_KEY[key]


def kind_of_entity(entity: BaseModel) -> Kind:
    """The kind whose model ``entity`` is."""
    return _BY_MODEL[type(entity)]


def kind_of_file(relative: str) -> Kind | None:
    """The kind of the content file at ``relative`` (a path inside content/), if it has one."""
    parts = relative.split("/")
    if len(parts) == 1 and parts[0].endswith(".yml"):
        kind = _BY_KEY.get(parts[0].removesuffix(".yml"))
        return kind if kind and kind.single_file else None
    if len(parts) == 2:
        kind = _BY_KEY.get(parts[0])
        return kind if kind and kind.model and not kind.single_file else None
    return None


def target_kind(reference: Reference) -> Kind | None:
    """The kind a reference names (None for the playbook's sources, which are not a kind)."""
    return _BY_NAME.get(reference.target)


def walk_references(
    node: Any, steps: tuple[str, ...], at: KeyPath = ()
) -> Iterator[tuple[KeyPath, str]]:
    """Every id found along ``steps`` below ``node``, with the YAML key path that leads to it.

    ``node`` may be plain data as loaded or a content model: a model's fields are reached by
    their YAML names (``from`` finds ``Handoff.from_role``)."""
    if not steps:
        if isinstance(node, str):
            yield at, node
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(node, list | tuple):
            for n, item in enumerate(node):
                yield from walk_references(item, rest, (*at, n))
    elif step == "{}":
        if isinstance(node, dict):
            for key in node:
                yield (*at, key), key
    else:
        child = _child(node, step)
        if child is not None:
            yield from walk_references(child, rest, (*at, step))


def _child(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, BaseModel):
        return getattr(node, _field_names(type(node)).get(key, key), None)
    return None


@functools.cache
def _field_names(model: type[BaseModel]) -> dict[str, str]:
    """A model's field names by the names YAML gives them (a field's alias, or its name)."""
    names = {name: name for name in model.model_fields}
    names.update((info.alias, name) for name, info in model.model_fields.items() if info.alias)
    return names


def _steps(path: str) -> tuple[str, ...]:
    steps: list[str] = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name.endswith("{}"):
            steps += [name.removesuffix("{}"), "{}"]
            continue
        steps.append(name)
        if rest:
            steps.append("*")
    return tuple(steps)
