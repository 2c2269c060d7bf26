"""Stage 3, link: resolve every reference between content files and build the indexes pages
need (which handoffs a role gives and receives, which guides address it, where it acts).

All unknown references are reported at once, each at the line that makes it, with a
did-you-mean hint. Ids must be unique inside each list (checklist items, activities, terms).
"""

from __future__ import annotations

import functools
import typing
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from .errors import Problem, did_you_mean
from .kinds import KINDS, Kind, kind_named, walk_references
from .load import KeyPath, SourceFile
from .model import (
    Activity,
    Competency,
    Guide,
    Handoff,
    Level,
    Phase,
    Playbook,
    Raci,
    Role,
    Seat,
    Source,
    Team,
    Term,
)
from .validate import Parsed, ValidContent
from .words import CATEGORY_ORDER, RACI_FIELDS

__all__ = ["Citation", "LinkedPlaybook", "Participation", "link_content"]

E = TypeVar("E")


@dataclass(frozen=True)
class Participation:
    """A role's part in one activity of one phase."""

    phase: Phase
    activity: Activity
    letter: Raci


@dataclass(frozen=True)
class Citation:
    """A page that draws on a source."""

    kind: str
    id: str
    title: str


@dataclass(frozen=True)
class LinkedPlaybook:
    """The whole playbook with every reference resolved; what ``plan`` and templates read."""

    settings: Playbook
    roles: Mapping[str, Role]
    phases: Mapping[str, Phase]
    handoffs: Mapping[str, Handoff]
    guides: Mapping[str, Guide]
    teams: Mapping[str, Team]
    glossary: tuple[Term, ...]
    sources: Mapping[str, Source]
    levels: Mapping[str, Level]  # the level scale, lowest first
    competencies: Mapping[str, Competency]
    origin: Mapping[tuple[str, str], str]
    gives: Mapping[str, tuple[Handoff, ...]]
    receives: Mapping[str, tuple[Handoff, ...]]
    handoffs_in: Mapping[str, tuple[Handoff, ...]]
    guides_for: Mapping[str, tuple[Guide, ...]]
    activities_of: Mapping[str, tuple[Participation, ...]]
    seats_for: Mapping[str, tuple[tuple[Team, Seat], ...]]
    cited_by: Mapping[str, tuple[Citation, ...]]
    roles_needing: Mapping[str, tuple[Role, ...]]  # by competency id

    def has(self, key: str) -> bool:
        """Whether the single file of the kind ``key`` (``"glossary"``) is in the content."""
        return (key, key) in self.origin

    def entities(self, key: str) -> Mapping[str, Any]:
        """The entities of the kind whose key is ``key`` (``"roles"``), by id, in page order."""
        found: Mapping[str, Any] = getattr(self, key)
        return found

    def roles_in(self, category: str) -> list[Role]:
        return [role for role in self.roles.values() if role.category == category]

    def roles_not_covered(self, team: Team) -> list[Role]:
        covered = {role_id for seat in team.people for role_id in seat.covers}
        return [role for role in self.roles.values() if role.id not in covered]

    def handoffs_between(self, role_id: str) -> tuple[Handoff, ...]:
        return self.gives.get(role_id, ()) + self.receives.get(role_id, ())


class _Checker:
    """Collects reference problems, each located in the file that makes the reference."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def refer(
        self, source: SourceFile, at: KeyPath, value: str, known: Collection[str], what: str
    ) -> None:
        """``known`` is a set (or a mapping) of ids: one lookup per reference, however many."""
        if value not in known:
            hint = did_you_mean(value, known)
            self.problems.append(Problem(source.locate(at), f"unknown {what} '{value}'", hint=hint))

    def unique(self, parsed: Parsed[Any]) -> None:
        """Ids are unique inside every list of items that have one (checklists, activities…)."""
        model: type[BaseModel] = type(parsed.entity)
        for steps, noun in _id_lists(model):
            for at, items in _lists_at(parsed.entity, steps):
                seen: set[str] = set()
                for index, item in enumerate(items):
                    if item.id in seen:
                        where = parsed.source.locate((*at, index, "id"))
                        self.problems.append(Problem(where, f"duplicate {noun} id '{item.id}'"))
                    seen.add(item.id)


def link_content(
    content: ValidContent,
    files_present: Mapping[str, Iterable[str]] | None = None,
    *,
    complete: bool = True,
) -> tuple[LinkedPlaybook | None, list[Problem]]:
    """Check every reference; return the linked playbook and any warnings, or the errors.

    ``files_present`` names, per folder, the ids of files that exist even if they failed to
    validate (and, by its key, each single file there is): a reference to one of them, or to
    an item of a single file that failed, is not reported as unknown. When some files failed
    (``complete`` is false) only the references are checked; nothing is built.
    """
    present = files_present or {}
    check = _Checker()
    phase_ids = _check_phases(content, check, set(present.get("phases", ())))
    known: dict[str, Collection[str]] = {
        kind.name: frozenset({p.entity.id for p in content.entities(kind.key)})
        | set(present.get(kind.key, ()))
        for kind in KINDS
        if kind.model and not kind.single_file
    }
    known["phase"] = phase_ids  # a phase exists for the others once it is in the order
    known.update(_defined_items(content))
    unsure = _items_of_failed_files(content, present)
    for kind, parsed in _every_file(content):
        check.unique(parsed)
        for reference in kind.references:
            if reference.checked and reference.target not in unsure:
                for at, value in walk_references(parsed.entity, reference.steps):
                    check.refer(parsed.source, at, value, known[reference.target], reference.target)
    for parsed_handoff in content.entities("handoffs"):
        handoff = parsed_handoff.entity
        if handoff.from_role == handoff.to_role:
            where = parsed_handoff.source.locate(("to",))
            check.problems.append(Problem(where, "a handoff goes from one role to another role"))
    if check.problems or not complete:
        return None, check.problems
    linked = _build(content, phase_ids)
    return linked, _lonely_roles(content, linked)


def _defined_items(content: ValidContent) -> dict[str, frozenset[str]]:
    """The ids of the items single files define for others to name (sources, levels…)."""
    return {
        target: frozenset(
            value
            for parsed in content.entities(kind.key)
            for _, value in walk_references(parsed.entity, (key, "*", "id"))
        )
        for kind in KINDS
        for target, key in kind.defines
    }


def _items_of_failed_files(content: ValidContent, present: Mapping[str, Iterable[str]]) -> set[str]:
    """What the single files that are there but failed to validate define: which ids exist
    is not known until they are fixed."""
    return {
        target
        for kind in KINDS
        if kind.key in present and not content.entities(kind.key)
        for target, _ in kind.defines
    }


def _every_file(content: ValidContent) -> Iterator[tuple[Kind, Parsed[Any]]]:
    for kind in KINDS:
        if kind.model is not None:
            for parsed in content.entities(kind.key):
                yield kind, parsed


@functools.cache
def _id_lists(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The paths, by YAML key, to every list of items with an id in ``model``, and the noun
    that names such an item."""
    found: list[tuple[tuple[str, ...], str]] = []
    for name, info in model.model_fields.items():
        args = typing.get_args(info.annotation)
        item = args[0] if typing.get_origin(info.annotation) is tuple and args else None
        if isinstance(item, type) and issubclass(item, BaseModel) and "id" in item.model_fields:
            key = info.alias or name
            found.append(((key,), getattr(item, "noun", "item")))
            found += [((key, "*", *steps), noun) for steps, noun in _id_lists(item)]
    return tuple(found)


def _lists_at(
    node: Any, steps: tuple[str, ...], at: KeyPath = ()
) -> Iterator[tuple[KeyPath, Sequence[Any]]]:
    if not steps:
        yield at, node
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        for index, item in enumerate(node):
            yield from _lists_at(item, rest, (*at, index))
    else:
        for name, info in type(node).model_fields.items():
            if step in (name, info.alias):
                yield from _lists_at(getattr(node, name), rest, (*at, step))


def _check_phases(content: ValidContent, check: _Checker, present: set[str]) -> list[str]:
    """The phase order in playbook.yml names each phase file once, and every phase file."""
    settings = content.playbook
    files = {parsed.entity.id: parsed for parsed in content.entities("phases")}
    for index, phase_id in enumerate(settings.entity.phases):
        if phase_id not in files and phase_id not in present:
            check.problems.append(
                Problem(
                    settings.source.locate(("phases", index)),
                    f"phase '{phase_id}' has no file phases/{phase_id}.yml",
                    hint=did_you_mean(phase_id, [*files, *present]),
                )
            )
    for phase_id, parsed in files.items():
        if phase_id not in settings.entity.phases:
            check.problems.append(
                Problem(
                    parsed.source.locate(("id",)),
                    f"phase '{phase_id}' is not in the phase order of playbook.yml",
                    hint="add it to 'phases' in playbook.yml",
                )
            )
    if len(set(settings.entity.phases)) != len(settings.entity.phases):
        check.problems.append(
            Problem(settings.source.locate(("phases",)), "a phase is listed twice in 'phases'")
        )
    return list(settings.entity.phases)


def _lonely_roles(content: ValidContent, linked: LinkedPlaybook) -> list[Problem]:
    return [
        Problem(
            parsed.source.locate(("id",)),
            f"role '{parsed.entity.id}' gives and receives no handoff",
            severity="warning",
            hint="add a handoff under handoffs/ that names it in 'from' or 'to'",
        )
        for parsed in content.entities("roles")
        if not linked.handoffs_between(parsed.entity.id)
    ]


def _build(content: ValidContent, phase_ids: list[str]) -> LinkedPlaybook:
    phase_rank = {phase_id: n for n, phase_id in enumerate(phase_ids)}
    phases = {parsed.entity.id: parsed.entity for parsed in content.entities("phases")}
    roles = sorted(
        (parsed.entity for parsed in content.entities("roles")),
        key=lambda role: (CATEGORY_ORDER.index(role.category), role.title.casefold()),
    )
    handoffs = sorted(
        (parsed.entity for parsed in content.entities("handoffs")),
        key=lambda h: (phase_rank[h.phase], h.title.casefold()),
    )
    guides = sorted(
        (p.entity for p in content.entities("guides")), key=lambda g: g.title.casefold()
    )
    teams = sorted(
        (p.entity for p in content.entities("teams")), key=lambda t: (len(t.people), t.title)
    )
    terms = content.glossary.entity.terms if content.glossary else ()
    progression = content.entities("progression")
    levels = progression[0].entity.levels if progression else ()
    competencies = progression[0].entity.competencies if progression else ()
    seats_for: dict[str, list[tuple[Team, Seat]]] = defaultdict(list)
    for team, at, role_id in _named_by(teams, "teams", "people[*].covers[*]"):
        seat = team.people[int(at[1])]
        if (team, seat) not in seats_for[role_id]:
            seats_for[role_id].append((team, seat))

    return LinkedPlaybook(
        settings=content.playbook.entity,
        roles={role.id: role for role in roles},
        phases={phase_id: phases[phase_id] for phase_id in phase_ids},
        handoffs={handoff.id: handoff for handoff in handoffs},
        guides={guide.id: guide for guide in guides},
        teams={team.id: team for team in teams},
        glossary=tuple(sorted(terms, key=lambda term: term.term.casefold())),
        sources={source.id: source for source in content.playbook.entity.sources},
        levels={level.id: level for level in levels},
        competencies={competency.id: competency for competency in competencies},
        origin=_origins(content),
        gives=_index(handoffs, "handoffs", "from"),
        receives=_index(handoffs, "handoffs", "to"),
        handoffs_in=_index(handoffs, "handoffs", "phase"),
        guides_for=_index(guides, "guides", "audience[*]"),
        activities_of=_freeze(_participations(phases[p] for p in phase_ids)),
        seats_for=_freeze(seats_for),
        cited_by=_freeze(_citations(content)),
        roles_needing=_index(roles, "roles", "competencies[*].id"),
    )


def _named_by(entities: Iterable[E], kind_key: str, path: str) -> Iterator[tuple[E, KeyPath, str]]:
    """Each id that ``entities`` name at ``path``, one of their kind's reference paths."""
    reference = next(r for r in kind_named(kind_key).references if r.path == path)
    for entity in entities:
        for at, value in walk_references(entity, reference.steps):
            yield entity, at, value


def _index(entities: Iterable[E], kind_key: str, path: str) -> dict[str, tuple[E, ...]]:
    """For every id named at ``path``, the entities that name it, each once, in their order."""
    found: dict[str, list[E]] = defaultdict(list)
    for entity, _, value in _named_by(entities, kind_key, path):
        if not found[value] or found[value][-1] is not entity:
            found[value].append(entity)
    return _freeze(found)


def _participations(phases: Iterable[Phase]) -> dict[str, list[Participation]]:
    found: dict[str, list[Participation]] = defaultdict(list)
    for phase in phases:
        for activity in phase.activities:
            letters: dict[str, Raci] = {}
            for steps, letter in _raci_paths():
                for _, role_id in walk_references(activity, steps):
                    letters.setdefault(role_id, letter)
            for role_id, letter in letters.items():
                found[role_id].append(Participation(phase, activity, letter))
    return found


@functools.cache
def _raci_paths() -> list[tuple[tuple[str, ...], Raci]]:
    """The reference paths inside an activity, with the letter each gives, the most decisive
    first: a role named twice in one activity takes the stronger letter."""
    paths = [
        (reference.steps[2:], RACI_FIELDS[reference.steps[2]])
        for reference in kind_named("phases").references
        if reference.steps[:2] == ("activities", "*")
    ]
    precedence = list(RACI_FIELDS.values())
    return sorted(paths, key=lambda found: precedence.index(found[1]))


def _citations(content: ValidContent) -> dict[str, list[Citation]]:
    cited: dict[str, list[Citation]] = defaultdict(list)
    for kind, parsed in content.all_entities():
        for source_id in dict.fromkeys(parsed.entity.sources):
            cited[source_id].append(Citation(kind.key, parsed.entity.id, parsed.entity.title))
    for citations in cited.values():
        citations.sort(key=lambda c: (c.kind, c.title.casefold()))
    return cited


def _origins(content: ValidContent) -> dict[tuple[str, str], str]:
    """The file each entity comes from, by (kind, id); a single file's id is its kind's key."""
    return {
        (kind.key, getattr(parsed.entity, "id", kind.key)): parsed.source.path
        for kind, parsed in _every_file(content)
    }


def _freeze(index: Mapping[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {key: tuple(values) for key, values in sorted(index.items())}
