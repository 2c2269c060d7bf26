"""Levels, competencies and interview guides: every bundled role has them, written for it; the
skills matrix follows from the roles' expectations and exports like the checklists; a fork
renames, adds and removes levels, competencies and questions by id."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import check
from generator.errors import ContentError
from generator.frontends.cli import main
from generator.pipeline.link import LinkedPlaybook
from generator.project import project_from_options, read_project
from generator.views.skills import level_comparison, role_skills, skills_matrix

from conftest import ROOT, SMALL, WriteTree

ROLE_FILES = sorted((ROOT / "content" / "roles").glob("*.yml"))


@pytest.fixture(scope="module")
def bundled() -> LinkedPlaybook:
    return check(read_project(ROOT / "mkdocs.yml"))[0]


LENT = {"business-stakeholder", "subject-matter-expert"}  # lent by the business: no ladder


def paths(playbook: LinkedPlaybook) -> list[list[str]]:
    """The ways up the scale: the shared levels, then one track's own."""
    shared = [level.id for level in playbook.levels.values() if level.track is None]
    tracks = {level.track for level in playbook.levels.values() if level.track}
    return [
        shared + [level.id for level in playbook.levels.values() if level.track == track]
        for track in sorted(tracks)
    ] or [shared]


@pytest.mark.parametrize("role_id", [path.stem for path in ROLE_FILES])
def test_every_bundled_role_has_levels_and_interview_guidance(
    bundled: LinkedPlaybook, role_id: str
) -> None:
    role = bundled.roles[role_id]
    skills = role_skills(bundled, role)
    if role_id in LENT:
        assert not skills and role.interview is None and role.recognition
        return
    assert role.recognition is None
    assert len(skills) >= 4, "describe at least four competencies, level by level"
    for skill in skills:
        described = [level.id for level, _ in skill.expectations]
        for path in paths(bundled):
            on_path = [level for level in path if level in described]
            if on_path:  # no gap along a way up: every level from the first, to where it ends
                start = path.index(on_path[0])
                assert on_path == path[start : start + len(on_path)], (skill.competency.id, path)
    assert role.interview is not None, "write interview guidance for the role"
    questions = role.interview.questions
    needed = {skill.competency.id for skill in skills}
    assert len(questions) >= 4 and {q.competency for q in questions} <= needed
    assert any(q.format == "exercise" for q in questions)
    own = {h.id for h in bundled.handoffs_between(role_id)}
    assert {q.handoff for q in questions} & own, "tie a question to one of the role's handoffs"
    assert len(role.interview.warning_signs) >= 2
    texts = [text for skill in skills for _, text in skill.expectations]
    texts += [q.ask for q in questions] + [q.strong for q in questions]
    assert len(set(texts)) == len(texts), "no expectation or question written twice"


def test_the_scale_splits_above_senior_into_two_tracks(bundled: LinkedPlaybook) -> None:
    tracks = {level.id: level.track for level in bundled.levels.values()}
    assert tracks == {
        "associate": None,
        "practitioner": None,
        "senior": None,
        "staff": "individual",
        "principal": "individual",
        "manager": "manager",
        "senior-manager": "manager",
        "head": "manager",
    }
    used = {
        level.id
        for _, skills in skills_matrix(bundled)
        for s in skills.values()
        for level, _ in s.expectations
    }
    assert used == set(bundled.levels), "every level is described by some role"
    for role_id in ("data-scientist", "ml-engineer"):
        skills = {s.competency.id: s for s in role_skills(bundled, bundled.roles[role_id])}
        assert "responsible-ml" in skills
        assert {level.id for level, _ in skills["responsible-ml"].expectations} >= {
            "senior",
            "staff",
            "principal",
            "manager",
        }


def test_two_levels_of_a_role_are_compared_side_by_side(bundled: LinkedPlaybook) -> None:
    compared = level_comparison(bundled, bundled.roles["data-scientist"])
    assert compared is not None
    shown = [compared.levels[compared.first - 1].id, compared.levels[compared.second - 1].id]
    assert shown == ["senior", "staff"]  # the last shared level and the first above it
    assert all(len(texts) == len(compared.levels) for _, texts in compared.rows)
    head = level_comparison(bundled, bundled.roles["head-of-ml"])
    assert head and [level.id for level in head.levels] == ["manager", "senior-manager", "head"]
    assert level_comparison(bundled, bundled.roles["business-stakeholder"]) is None


def test_every_level_and_competency_is_used(bundled: LinkedPlaybook) -> None:
    assert set(bundled.competencies) == set(bundled.roles_needing)


def test_a_role_needs_a_competency_from_the_lowest_level_it_describes(
    write_tree: WriteTree,
) -> None:
    playbook, _ = check(write_tree())
    rows = {role.id: skills for role, skills in skills_matrix(playbook)}
    assert rows["scientist"]["modelling"].needed_from.id == "junior"
    assert rows["scientist"]["framing"].needed_from.id == "senior"
    assert rows["engineer"] == {}
    assert [r.id for r in playbook.roles_needing["framing"]] == ["owner", "scientist"]


def fork(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "fork"
    shutil.copytree(SMALL / "content", root / "content")
    for relative, text in files.items():
        (root / "company" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "company" / relative).write_text(text)
    return root


def test_a_fork_renames_adds_and_removes_levels_competencies_and_questions(
    tmp_path: Path,
) -> None:
    root = fork(
        tmp_path,
        {
            "progression.yml": "levels:\n"
            "  replace: [{id: senior, title: Staff}]\n"
            "  append: [{id: principal, title: Principal, summary: Sets direction.}]\n"
            "competencies:\n  remove: [framing]\n",
            "roles/scientist.yml": "interview:\n  questions:\n    append:\n"
            "      - {id: ship-it, competency: modelling, ask: Ship it?, strong: Tests first.}\n",
        },
    )
    playbook, _ = check(project_from_options(root, {"layers": ["company"]}))
    assert [level.title for level in playbook.levels.values()] == ["Junior", "Staff", "Principal"]
    assert list(playbook.competencies) == ["modelling"]
    owner, scientist = playbook.roles["owner"], playbook.roles["scientist"]
    assert owner.competencies == () and owner.interview and owner.interview.questions == ()
    assert [c.id for c in scientist.competencies] == ["modelling"]
    assert scientist.interview and [q.id for q in scientist.interview.questions] == [
        "baseline-exercise",
        "ship-it",
    ]


def test_a_fork_that_removes_a_level_drops_what_roles_expected_there(tmp_path: Path) -> None:
    root = fork(tmp_path, {"progression.yml": "levels:\n  remove: [junior]\n"})
    playbook, _ = check(project_from_options(root, {"layers": ["company"]}))
    scientist = {s.competency.id: s for s in role_skills(playbook, playbook.roles["scientist"])}
    assert [level.id for level, _ in scientist["modelling"].expectations] == ["senior"]
    assert scientist["modelling"].needed_from.id == "senior"


def test_removing_roles_leaves_the_others_guidance_valid(tmp_path: Path) -> None:
    # Two roles that most other roles' levels and questions name: sentences that name them are
    # left out, and a question that was all about one goes whole.
    for role in ("product-manager", "security-engineer"):
        (tmp_path / "company" / "roles").mkdir(parents=True, exist_ok=True)
        (tmp_path / "company" / "roles" / f"{role}.yml").write_text("remove: true\n")
    options = {"content": str(ROOT / "content"), "layers": ["company"]}
    with pytest.raises(ContentError) as caught:
        check(project_from_options(tmp_path, options))
    problems = [str(p) for p in caught.value.problems if p.severity == "error"]
    assert all("cannot remove role" in p for p in problems)  # accountable: to reassign first
    assert len(problems) == 2


def test_a_fork_with_an_unknown_competency_is_told_where(tmp_path: Path) -> None:
    root = fork(
        tmp_path,
        {
            "roles/owner.yml": "competencies:\n  append:\n    - {id: modeling, levels: {junior: x}}\n"
        },
    )
    with pytest.raises(ContentError) as caught:
        check(project_from_options(root, {"layers": ["company"]}))
    assert [str(p).replace(str(root) + "/", "") for p in caught.value.problems] == [
        "company/roles/owner.yml:3:12: error: unknown competency 'modeling' "
        "(did you mean 'modelling'?)"
    ]


def export(*args: str) -> str:
    result = CliRunner().invoke(main, ["export", "--skills", "-f", str(ROOT / "mkdocs.yml"), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_skills_matrix_exports_as_csv_json_and_markdown(bundled: LinkedPlaybook) -> None:
    rows = list(csv.DictReader(io.StringIO(export("--role", "ml-engineer"))))
    assert {row["role_id"] for row in rows} == {"ml-engineer"}
    first = rows[0]
    assert (first["competency_id"], first["needed_from"], first["level_id"]) == (
        "software-engineering",
        "associate",
        "associate",
    )
    assert first["page"] == "roles/ml-engineer/" and "{" not in "".join(r["expected"] for r in rows)
    data = json.loads(export("--format", "json"))
    assert [level["id"] for level in data["levels"]] == list(bundled.levels)
    assert len(data["roles"]) == len(bundled.roles)
    scientist = next(role for role in data["roles"] if role["id"] == "data-scientist")
    coding = scientist["competencies"][3]
    assert (coding["id"], coding["needed_from"]) == ("software-engineering", "practitioner")
    assert list(coding["levels"]) == ["practitioner", "senior", "staff", "principal"]
    assert [level["track"] for level in data["levels"]][2:4] == [None, "individual"]
    table = export("--format", "md", "--role", "ux-designer").splitlines()
    assert table[2].startswith("| Role | Problem framing |")
    assert table[4].startswith("| UX Designer |  |")


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [
        (
            "progression.yml",
            "levels:\n  remove: [lead]\n",
            "company/progression.yml:2:12: error: cannot remove item 'lead': the list has no "
            "item with that id",
        ),
        (
            "roles/data-scientist.yml",
            "competencies:\n  replace:\n    - id: problem-framing\n"
            "      levels: {senior: Frames it., lead: Sets how framing is done.}\n",
            "company/roles/data-scientist.yml:4:42: error: unknown level 'lead'",
        ),
    ],
)
def test_a_fork_that_still_names_the_retired_lead_level_is_told_what_replaced_it(
    tmp_path: Path, relative: str, text: str, expected: str
) -> None:
    (tmp_path / "company" / relative).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "company" / relative).write_text(text)
    options = {"content": str(ROOT / "content"), "layers": ["company"]}
    with pytest.raises(ContentError) as caught:
        check(project_from_options(tmp_path, options))
    problems = [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]
    assert [p.split(" (")[0] for p in problems] == [expected]
    assert "split 'lead' into 'staff' and 'principal'" in problems[0]
