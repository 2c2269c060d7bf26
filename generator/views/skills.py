"""Roles' growth paths and the skills matrix, as data: what the role, skills matrix, interview
guide and self-assessment pages show, and what ``playbook export --skills`` writes.

The level from which a role needs a competency is written nowhere: it is the lowest level of
the scale at which the role's file describes the competency, so it cannot disagree with the
expectations themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Competency, InterviewQuestion, Level, Role
from ..pipeline.link import LinkedPlaybook

__all__ = [
    "Comparison",
    "Skill",
    "assessment_fields",
    "growth_path",
    "level_comparison",
    "level_numbers",
    "needed_by",
    "questions_by_competency",
    "role_skills",
    "skills_matrix",
]


@dataclass(frozen=True)
class Skill:
    """A competency of one role: the level from which the role needs it, and what each level
    of the scale expects of it, lowest first."""

    competency: Competency
    needed_from: Level
    expectations: tuple[tuple[Level, str], ...]


def role_skills(playbook: LinkedPlaybook, role: Role) -> tuple[Skill, ...]:
    """The competencies ``role`` needs, in the order its file gives them."""
    skills = []
    for needed in role.competencies:
        expectations = tuple(
            (level, needed.levels[level.id])
            for level in playbook.levels.values()
            if level.id in needed.levels
        )
        competency = playbook.competencies[needed.id]
        skills.append(Skill(competency, expectations[0][0], expectations))
    return tuple(skills)


def level_numbers(playbook: LinkedPlaybook) -> dict[str, int]:
    """Each level's place on the scale, from 1: how the skills matrix writes a level."""
    return {level_id: number for number, level_id in enumerate(playbook.levels, start=1)}


def growth_path(
    playbook: LinkedPlaybook, role: Role
) -> list[tuple[Level, list[tuple[Competency, str]]]]:
    """What the role expects at each level of the scale, competency by competency; a level
    the role's file does not describe has an empty list."""
    skills = role_skills(playbook, role)
    return [
        (
            level,
            [
                (skill.competency, text)
                for skill in skills
                for at, text in skill.expectations
                if at.id == level.id
            ],
        )
        for level in playbook.levels.values()
    ]


@dataclass(frozen=True)
class Comparison:
    """A role's expectations as a grid, competencies down and the levels it describes across,
    with the two levels set side by side until a reader picks others: the top level every
    track shares and the first level above it, or else the two highest."""

    levels: tuple[Level, ...]
    rows: tuple[tuple[Competency, tuple[str, ...]], ...]  # "" where a level expects nothing
    first: int  # 1-based places in ``levels`` of the two shown at first
    second: int


def level_comparison(playbook: LinkedPlaybook, role: Role) -> Comparison | None:
    """What the role expects at each of its levels, to compare two of them; None for a role
    that describes fewer than three (its level blocks already sit one under the other)."""
    described = [level for level, expected in growth_path(playbook, role) if expected]
    if len(described) < 3:
        return None
    rows = tuple(
        (skill.competency, tuple(dict(skill.expectations).get(level, "") for level in described))
        for skill in role_skills(playbook, role)
    )
    split = next((n for n, level in enumerate(described) if level.track), len(described) - 1)
    first = max(split, 1)
    return Comparison(tuple(described), rows, first, first + 1)


def skills_matrix(
    playbook: LinkedPlaybook, role_ids: list[str] | None = None
) -> list[tuple[Role, dict[str, Skill]]]:
    """Roles (all, or those named) against the competencies: each role with its skills by
    competency id."""
    roles = [playbook.roles[role_id] for role_id in role_ids or playbook.roles]
    return [
        (role, {skill.competency.id: skill for skill in role_skills(playbook, role)})
        for role in roles
    ]


def needed_by(playbook: LinkedPlaybook, competency_id: str) -> list[tuple[Role, Level]]:
    """The roles that need a competency, each with the level from which it needs it."""
    return [
        (role, skill.needed_from)
        for role in playbook.roles_needing.get(competency_id, ())
        for skill in role_skills(playbook, role)
        if skill.competency.id == competency_id
    ]


def questions_by_competency(
    playbook: LinkedPlaybook, role: Role
) -> list[tuple[Competency, list[InterviewQuestion]]]:
    """A role's interview questions under the competency each assesses: the role's own
    competencies in their order first, then any other a question names."""
    questions = role.interview.questions if role.interview else ()
    groups: dict[str, list[InterviewQuestion]] = {needed.id: [] for needed in role.competencies}
    for question in questions:
        groups.setdefault(question.competency, []).append(question)
    return [(playbook.competencies[cid], found) for cid, found in groups.items() if found]


def assessment_fields(role: Role) -> list[tuple[str, str]]:
    """The labelled fields at the top of a self-assessment sheet; only the role is known."""
    return [
        ("Name", ""),
        ("Role", role.title),
        ("Current level", ""),
        ("Manager", ""),
        ("Date", ""),
    ]
