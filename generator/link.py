"""Stage 3, link: resolve every reference between content files and build the indexes pages
need (which handoffs a role gives and receives, which guides address it, where it acts).

All unknown references are reported at once, each at the line that makes it, with a
did-you-mean hint. Ids must be unique inside each list (checklist items, activities, terms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .errors import Problem, did_you_mean
from .load import KeyPath, SourceFile
from .model import (
    Activity,
    Category,
    Guide,
    Handoff,
    Phase,
    Playbook,
    Role,
    Seat,
    Source,
    Team,
    Term,
)
from .validate import Parsed, ValidContent

__all__ = [
    "CATEGORY_ORDER",
    "Citation",
    "LinkedPlaybook",
    "Participation",
    "link_content",
]

CATEGORY_ORDER: tuple[Category, ...] = ("business", "technical", "supporting")
Letter = Literal["R", "A", "C", "I"]


@dataclass(frozen=True)
class Participation:
    """A role's part in one activity of one phase."""

    phase: Phase
    activity: Activity
    letter: Letter


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
    origin: Mapping[tuple[str, str], str]
    gives: Mapping[str, tuple[Handoff, ...]]
    receives: Mapping[str, tuple[Handoff, ...]]
    handoffs_in: Mapping[str, tuple[Handoff, ...]]
    guides_for: Mapping[str, tuple[Guide, ...]]
    activities_of: Mapping[str, tuple[Participation, ...]]
    seats_for: Mapping[str, tuple[tuple[Team, Seat], ...]]
    cited_by: Mapping[str, tuple[Citation, ...]]

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

    def unique(self, source: SourceFile, at: KeyPath, items: Sequence[Any], what: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                where = source.locate((*at, index, "id"))
                self.problems.append(Problem(where, f"duplicate {what} id '{item.id}'"))
            seen.add(item.id)


def link_content(
    content: ValidContent,
    files_present: Mapping[str, Iterable[str]] | None = None,
    *,
    complete: bool = True,
) -> tuple[LinkedPlaybook | None, list[Problem]]:
    """Check every reference; return the linked playbook and any warnings, or the errors.

    ``files_present`` names, per folder, the ids of files that exist even if they failed to
    validate: a reference to one of them is not reported as unknown. When some files failed
    (``complete`` is false) only the references are checked; nothing is built.
    """
    present = files_present or {}
    check = _Checker()
    settings = content.playbook.entity
    role_ids = frozenset(
        {parsed.entity.id for parsed in content.roles} | set(present.get("roles", ()))
    )
    source_ids = [source.id for source in settings.sources]
    phase_ids = _check_phases(content, check, set(present.get("phases", ())))

    check.unique(content.playbook.source, ("sources",), settings.sources, "source")
    for parsed in content.roles:
        _check_role(parsed, role_ids, phase_ids, check)
    for parsed_phase in content.phases:
        _check_activities(parsed_phase, role_ids, check)
    for parsed_handoff in content.handoffs:
        _check_handoff(parsed_handoff, role_ids, phase_ids, check)
    for parsed_guide in content.guides:
        _check_guide(parsed_guide, role_ids, check)
    for parsed_team in content.teams:
        for index, seat in enumerate(parsed_team.entity.people):
            for n, role_id in enumerate(seat.covers):
                where: KeyPath = ("people", index, "covers", n)
                check.refer(parsed_team.source, where, role_id, role_ids, "role")
    if content.glossary:
        _check_glossary(content.glossary, role_ids, check)
    for parsed_entity in _entities(content):
        for index, source_id in enumerate(parsed_entity.entity.sources):
            check.refer(parsed_entity.source, ("sources", index), source_id, source_ids, "source")
    if check.problems or not complete:
        return None, check.problems
    linked = _build(content, phase_ids)
    return linked, _lonely_roles(content, linked)


def _entities(content: ValidContent) -> Iterable[Parsed[Any]]:
    yield from content.roles
    yield from content.phases
    yield from content.handoffs
    yield from content.guides
    yield from content.teams


def _check_phases(content: ValidContent, check: _Checker, present: set[str]) -> list[str]:
    settings = content.playbook
    files = {parsed.entity.id: parsed for parsed in content.phases}
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


def _check_role(
    parsed: Parsed[Role], role_ids: Collection[str], phase_ids: list[str], check: _Checker
) -> None:
    role, source = parsed.entity, parsed.source
    for phase_id in role.phases:
        check.refer(source, ("phases", phase_id), phase_id, phase_ids, "phase")
    for index, partner in enumerate(role.works_with):
        check.refer(source, ("works_with", index, "role"), partner.role, role_ids, "role")
    check.unique(source, ("onboarding",), role.onboarding, "checklist item")


def _check_activities(parsed: Parsed[Phase], role_ids: Collection[str], check: _Checker) -> None:
    source = parsed.source
    check.unique(source, ("activities",), parsed.entity.activities, "activity")
    for index, activity in enumerate(parsed.entity.activities):
        at: KeyPath = ("activities", index)
        check.refer(source, (*at, "accountable"), activity.accountable, role_ids, "role")
        for key in ("responsible", "consulted", "informed"):
            for n, role_id in enumerate(getattr(activity, key)):
                check.refer(source, (*at, key, n), role_id, role_ids, "role")


def _check_handoff(
    parsed: Parsed[Handoff], role_ids: Collection[str], phase_ids: list[str], check: _Checker
) -> None:
    handoff, source = parsed.entity, parsed.source
    check.refer(source, ("from",), handoff.from_role, role_ids, "role")
    check.refer(source, ("to",), handoff.to_role, role_ids, "role")
    check.refer(source, ("phase",), handoff.phase, phase_ids, "phase")
    if handoff.from_role == handoff.to_role:
        check.problems.append(
            Problem(source.locate(("to",)), "a handoff goes from one role to another role")
        )
    check.unique(source, ("done",), handoff.done, "checklist item")


def _check_guide(parsed: Parsed[Guide], role_ids: Collection[str], check: _Checker) -> None:
    guide, source = parsed.entity, parsed.source
    for index, role_id in enumerate(guide.audience):
        check.refer(source, ("audience", index), role_id, role_ids, "role")
    check.unique(source, ("sections",), guide.sections, "section")
    check.unique(source, ("checklists",), guide.checklists, "checklist")
    for index, checklist in enumerate(guide.checklists):
        check.unique(source, ("checklists", index, "items"), checklist.items, "checklist item")


def _check_glossary(glossary: Parsed[Any], role_ids: Collection[str], check: _Checker) -> None:
    check.unique(glossary.source, ("terms",), glossary.entity.terms, "term")
    for index, term in enumerate(glossary.entity.terms):
        for n, role_id in enumerate(term.related_roles):
            at = ("terms", index, "related_roles", n)
            check.refer(glossary.source, at, role_id, role_ids, "role")


def _lonely_roles(content: ValidContent, linked: LinkedPlaybook) -> list[Problem]:
    return [
        Problem(
            parsed.source.locate(("id",)),
            f"role '{parsed.entity.id}' gives and receives no handoff",
            severity="warning",
            hint="add a handoff under handoffs/ that names it in 'from' or 'to'",
        )
        for parsed in content.roles
        if not linked.handoffs_between(parsed.entity.id)
    ]


def _build(content: ValidContent, phase_ids: list[str]) -> LinkedPlaybook:
    phase_rank = {phase_id: n for n, phase_id in enumerate(phase_ids)}
    phases = {parsed.entity.id: parsed.entity for parsed in content.phases}
    roles = sorted(
        (parsed.entity for parsed in content.roles),
        key=lambda role: (CATEGORY_ORDER.index(role.category), role.title.casefold()),
    )
    handoffs = sorted(
        (parsed.entity for parsed in content.handoffs),
        key=lambda h: (phase_rank[h.phase], h.title.casefold()),
    )
    guides = sorted((p.entity for p in content.guides), key=lambda g: g.title.casefold())
    teams = sorted((p.entity for p in content.teams), key=lambda t: (len(t.people), t.title))
    terms = content.glossary.entity.terms if content.glossary else ()

    gives: dict[str, list[Handoff]] = defaultdict(list)
    receives: dict[str, list[Handoff]] = defaultdict(list)
    handoffs_in: dict[str, list[Handoff]] = defaultdict(list)
    for handoff in handoffs:
        gives[handoff.from_role].append(handoff)
        receives[handoff.to_role].append(handoff)
        handoffs_in[handoff.phase].append(handoff)
    guides_for: dict[str, list[Guide]] = defaultdict(list)
    for guide in guides:
        for role_id in dict.fromkeys(guide.audience):
            guides_for[role_id].append(guide)
    seats_for: dict[str, list[tuple[Team, Seat]]] = defaultdict(list)
    for team in teams:
        for seat in team.people:
            for role_id in dict.fromkeys(seat.covers):
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
        origin=_origins(content),
        gives=_freeze(gives),
        receives=_freeze(receives),
        handoffs_in=_freeze(handoffs_in),
        guides_for=_freeze(guides_for),
        activities_of=_freeze(_participations(phases[p] for p in phase_ids)),
        seats_for=_freeze(seats_for),
        cited_by=_freeze(_citations(content)),
    )


def _participations(phases: Iterable[Phase]) -> dict[str, list[Participation]]:
    found: dict[str, list[Participation]] = defaultdict(list)
    for phase in phases:
        for activity in phase.activities:
            letters: list[tuple[str, Letter]] = [(activity.accountable, "A")]
            letters += [(r, "R") for r in activity.responsible]
            letters += [(r, "C") for r in activity.consulted]
            letters += [(r, "I") for r in activity.informed]
            for role_id, letter in dict(reversed(letters)).items():
                found[role_id].append(Participation(phase, activity, letter))
    return found


def _citations(content: ValidContent) -> dict[str, list[Citation]]:
    cited: dict[str, list[Citation]] = defaultdict(list)
    for parsed in _entities(content):
        kind = parsed.source.relative.split("/")[0]
        for source_id in dict.fromkeys(parsed.entity.sources):
            cited[source_id].append(Citation(kind, parsed.entity.id, parsed.entity.title))
    for citations in cited.values():
        citations.sort(key=lambda c: (c.kind, c.title.casefold()))
    return cited


def _origins(content: ValidContent) -> dict[tuple[str, str], str]:
    origin = {
        (parsed.source.relative.split("/")[0], parsed.entity.id): parsed.source.path
        for parsed in _entities(content)
    }
    origin[("playbook", "playbook")] = content.playbook.source.path
    if content.glossary:
        origin[("glossary", "glossary")] = content.glossary.source.path
    return origin


def _freeze(index: Mapping[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {key: tuple(values) for key, values in sorted(index.items())}
