"""The kinds of content, in one registry: for each kind, where its files live, which model reads
them, which schema editors use, how its entities are ordered, and every place in it that names
another entity by id. What content *is*, not which pages show it: the page families are a
table of the plan stage (:mod:`generator.pipeline.pages`).

The stages read their facts about kinds from here and from nowhere else: ``validate`` (file
places and models), ``schema`` (schema files), ``link`` (references to check, the order of
entities and the reverse indexes), ``layers`` (references to drop when a fork removes an
entity) and ``checklists`` (the keys ticks are stored under). Adding a kind, or a field that
refers to another entity, is a change here; giving it pages is one entry in the page families.

A reference path is written as the YAML keys that lead to the id: ``activities[*].accountable``
is the accountable role of every activity, ``phases{}`` the keys of the ``phases`` mapping.
A reference names an entity of a kind, or an item that a file defines in a list (a source of
the playbook, a level or a competency of the progression framework, a phase's decision).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from .keypaths import steps_of, walk_references
from .model import Artefact, Glossary, Guide, Handoff, Phase, Playbook, Progression, Role, Team
from .words import CATEGORY_ORDER

__all__ = [
    "KINDS",
    "Kind",
    "Reference",
    "checklist_key",
    "folder_kinds",
    "kind_named",
    "kind_of_entity",
    "kind_of_file",
    "walk_references",
]

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
    # The emptied list or mapping nearest the ids takes what holds it along (a seat that
    # covers no role, a competency described at no level, a handoff that hands nothing over).
    drop_empty: bool = False
    # The playbook's phase order is checked against the phase files by link's own rule.
    checked: bool = True
    # The id names an item of a list of the same entity (an activity of the same phase).
    within: str | None = None

    @functools.cached_property
    def steps(self) -> tuple[str, ...]:
        return steps_of(self.path)


@dataclass(frozen=True)
class Kind:
    """What one kind of content is, and everything the stages need to know about it."""

    name: str  # how messages name one: "unknown role 'x'"
    key: str  # its folder under content/ (or file stem) and how templates name it in link()
    mention: str | None  # how prose names one: {role:data-scientist}
    model: type[BaseModel]
    schema: str | None = None  # the JSON Schema file editors use
    single_file: bool = False  # content/<key>.yml instead of content/<key>/<id>.yml
    references: tuple[Reference, ...] = ()
    # The items its files define in a list for others to name: (what they are, the list's
    # key). A ``within`` reference names one of the same file; any other, one of any file.
    defines: tuple[tuple[str, str], ...] = ()
    # How the entities of a folder kind are ordered on pages and in the navigation, given
    # the playbook's phase order as ranks (None: by title).
    order: Callable[[Any, Mapping[str, int]], Any] | None = None

    def checklist_key(self, entity_id: str, *parts: str) -> str:
        return checklist_key(self.key, entity_id, *parts)


def checklist_key(key: str, entity_id: str, *parts: str) -> str:
    """The key a checklist's ticks are stored under in the browser; exports carry it too, so a
    tick made on one page shows wherever the same checklist appears."""
    return "/".join((key, entity_id, *parts))


SOURCES = Reference("sources[*]", "source")
# An owner is a role or a team the playbook declares: link checks it against both. The
# reference lets a fork's removal or merge of a role reach the owners that name it.
OWNER = Reference("owner", "role", checked=False)

# The registry: every stage reads the kinds from this list, at the time it runs.
KINDS: list[Kind] = [
    Kind(
        "playbook",
        "playbook",
        None,
        Playbook,
        "playbook.schema.json",
        single_file=True,
        references=(
            Reference("phases[*]", "phase", checked=False),
            Reference("rules[*].artefacts[*]", "artefact", drop_empty=True),
            Reference("rules[*].decided_by[*]", "role", drop_empty=True),
        ),
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
            OWNER,
        ),
        order=lambda role, ranks: (CATEGORY_ORDER.index(role.category), role.title.casefold()),
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
            Reference("activities[*].produces[*]", "artefact"),
            Reference("decisions[*].by", "role", "refuse"),
            Reference("decisions[*].activity", "activity", within="activities"),
            Reference("decisions[*].consulted[*]", "role"),
            Reference("decisions[*].rests_on[*]", "artefact"),
            Reference("decisions[*].approves[*]", "artefact"),
            Reference("decisions[*].escalates_to", "decision"),
            Reference("artefacts[*].artefact", "artefact", "item"),
            SOURCES,
            OWNER,
        ),
        defines=(("activity", "activities"), ("decision", "decisions")),
        order=lambda phase, ranks: ranks.get(phase.id, len(ranks)),
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
            # a handoff left with nothing to hand over goes, and says so
            Reference("artefacts[*].artefact", "artefact", "item", drop_empty=True),
            SOURCES,
            OWNER,
        ),
        order=lambda handoff, ranks: (
            ranks.get(handoff.phase, len(ranks)),
            handoff.title.casefold(),
        ),
    ),
    Kind(
        "guide",
        "guides",
        "guide",
        Guide,
        "guide.schema.json",
        references=(Reference("audience[*]", "role"), SOURCES, OWNER),
    ),
    Kind(
        "team shape",
        "teams",
        "team",
        Team,
        "team.schema.json",
        references=(
            Reference("people[*].covers[*]", "role", drop_empty=True),
            SOURCES,
            OWNER,
        ),
        order=lambda team, ranks: (len(team.people), team.title),
    ),
    Kind(
        "artefact",
        "artefacts",
        "artefact",
        Artefact,
        "artefact.schema.json",
        references=(
            Reference("produced_by", "role", "refuse"),
            Reference("reviewed_by[*]", "role"),
            SOURCES,
            OWNER,
        ),
    ),
]


def _by(attribute: str, value: Any) -> Kind | None:
    return next((kind for kind in KINDS if getattr(kind, attribute) == value), None)


def kind_named(key: str) -> Kind:
    """The kind whose folder (or single file's stem) is ``key``: ``"roles"``, ``"playbook"``."""
    kind = _by("key", key)
    if kind is None:
        raise KeyError(key)
    return kind


def kind_of_entity(entity: BaseModel) -> Kind:
    """The kind whose model ``entity`` is."""
    kind = _by("model", type(entity))
    if kind is None:
        raise KeyError(type(entity).__name__)
    return kind


def folder_kinds() -> list[Kind]:
    """The kinds of one file per entity, in a folder of their own."""
    return [kind for kind in KINDS if not kind.single_file]


def kind_of_file(relative: str) -> Kind | None:
    """The kind of the content file at ``relative`` (a path inside content/), if it has one."""
    parts = relative.split("/")
    if len(parts) == 1 and parts[0].endswith(".yml"):
        kind = _by("key", parts[0].removesuffix(".yml"))
        return kind if kind and kind.single_file else None
    if len(parts) == 2:
        kind = _by("key", parts[0])
        return kind if kind and not kind.single_file else None
    return None


def target_kind(reference: Reference) -> Kind | None:
    """The kind a reference names (None for the playbook's sources, which are not a kind)."""
    return _by("name", reference.target)
