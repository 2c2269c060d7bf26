"""link: references between files are resolved, indexed, and reported when unknown."""

from __future__ import annotations

import pytest

from generator.build import check
from generator.errors import ContentError

from conftest import WriteTree

HANDOFF = "content/handoffs/model-to-engineering.yml"
MODEL_HANDOFF = """id: model-to-engineering
title: Model package
from: scientist
to: {to}
phase: {phase}
summary: The model.
artefacts: [{{name: Model package}}]
done: [{{id: installs, text: It installs.}}, {{id: {second}, text: Twice.}}]
"""


def errors(write_tree: WriteTree, files: dict[str, str | bytes | None]) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(write_tree(files))
    return [str(problem) for problem in caught.value.problems]


def test_unknown_role_in_a_handoff_names_file_line_and_a_suggestion(write_tree: WriteTree) -> None:
    text = MODEL_HANDOFF.format(to="engneer", phase="biuld", second="tested")
    assert errors(write_tree, {"handoffs/model-to-engineering.yml": text}) == [
        f"{HANDOFF}:4:5: error: unknown role 'engneer' (did you mean 'engineer'?)",
        f"{HANDOFF}:5:8: error: unknown phase 'biuld' (did you mean 'build'?)",
    ]


def test_duplicate_checklist_item_ids_are_errors(write_tree: WriteTree) -> None:
    text = MODEL_HANDOFF.format(to="engineer", phase="build", second="installs")
    assert errors(write_tree, {"handoffs/model-to-engineering.yml": text}) == [
        f"{HANDOFF}:8:49: error: duplicate checklist item id 'installs'"
    ]


def test_a_handoff_to_the_same_role_is_an_error(write_tree: WriteTree) -> None:
    text = MODEL_HANDOFF.format(to="scientist", phase="build", second="tested")
    assert errors(write_tree, {"handoffs/model-to-engineering.yml": text}) == [
        f"{HANDOFF}:4:5: error: a handoff goes from one role to another role"
    ]


def test_references_from_every_kind_of_file_are_checked(write_tree: WriteTree) -> None:
    found = errors(
        write_tree,
        {
            "teams/tiny.yml": "id: tiny\ntitle: T\nsummary: S.\nsize: '2'\npeople:\n"
            "  - {title: A, covers: [owner, nobody]}\n",
            "guides/pairing.yml": "id: pairing\ntitle: P\nsummary: S.\naudience: [scientst]\n"
            "sections: [{id: a, title: A, body: B}]\nsources: [nootes]\n",
        },
    )
    assert found == [
        "content/guides/pairing.yml:4:12: error: unknown role 'scientst' (did you mean 'scientist'?)",
        "content/guides/pairing.yml:6:11: error: unknown source 'nootes' (did you mean 'notes'?)",
        "content/teams/tiny.yml:6:32: error: unknown role 'nobody'",
    ]


def test_phase_files_and_the_phase_order_must_agree(write_tree: WriteTree) -> None:
    text = "id: deploy\ntitle: Deploy\nsummary: S.\ngoal: G.\n"
    assert errors(write_tree, {"phases/deploy.yml": text}) == [
        "content/phases/deploy.yml:1:5: error: phase 'deploy' is not in the phase order of "
        "playbook.yml (add it to 'phases' in playbook.yml)"
    ]


def test_indexes_run_both_ways(write_tree: WriteTree) -> None:
    playbook, warnings = check(write_tree())
    assert [h.id for h in playbook.gives["owner"]] == ["goal-to-science"]
    assert [h.id for h in playbook.receives["scientist"]] == ["goal-to-science"]
    assert [h.id for h in playbook.handoffs_between("scientist")] == [
        "model-to-engineering",
        "goal-to-science",
    ]
    assert [g.id for g in playbook.guides_for["engineer"]] == ["pairing"]
    parts = [(p.phase.id, p.activity.id, p.letter) for p in playbook.activities_of["scientist"]]
    assert parts == [("design", "set-goal", "C"), ("build", "train", "A")]
    assert [(t.id, s.title) for t, s in playbook.seats_for["engineer"]] == [("tiny", "Engineer")]
    assert [c.id for c in playbook.cited_by["notes"]] == ["goal-to-science", "scientist", "owner"]
    assert list(playbook.roles) == ["owner", "scientist", "engineer"]  # by category, then title
    assert warnings == []


def test_a_role_in_no_handoff_is_a_warning(write_tree: WriteTree) -> None:
    text = "id: analyst\ntitle: Analyst\ncategory: supporting\nsummary: S.\nresponsibilities: [a]\n"
    _, warnings = check(write_tree({"roles/analyst.yml": text}))
    assert [str(w) for w in warnings] == [
        "content/roles/analyst.yml:1:5: warning: role 'analyst' gives and receives no handoff "
        "(add a handoff under handoffs/ that names it in 'from' or 'to')"
    ]
