"""validate: every schema error in every file, at its line, with a hint where one helps."""

from __future__ import annotations

import pytest

from generator.build import check
from generator.errors import ContentError

from conftest import WriteTree


def messages(write_tree: WriteTree, files: dict[str, str | bytes | None]) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(write_tree(files))
    return [str(problem) for problem in caught.value.problems]


ENGINEER = "content/roles/engineer.yml"


def test_unknown_key_suggests_the_right_one(write_tree: WriteTree) -> None:
    text = (
        "id: engineer\ntitle: ML Engineer\ncategory: technical\nsummary: S.\nresponsibilites: [a]\n"
    )
    assert messages(write_tree, {"roles/engineer.yml": text}) == [
        f"{ENGINEER}:1:1: error: missing required key 'responsibilities'",
        f"{ENGINEER}:5:1: error: unknown key 'responsibilites' (did you mean 'responsibilities'?)",
    ]


def test_every_error_in_every_file_is_reported_at_once(write_tree: WriteTree) -> None:
    found = messages(
        write_tree,
        {
            "roles/engineer.yml": "id: engineer\ntitle: ML Engineer\ncategory: tech\n"
            "summary: S.\nresponsibilities: [a]\n",
            "phases/build.yml": "id: build\ntitle: Build\nsummary: ''\ngoal: G\n",
        },
    )
    assert found == [
        "content/phases/build.yml:3:10: error: summary: must not be empty",
        f"{ENGINEER}:3:11: error: category: 'tech' is not one of 'business', 'technical' or "
        "'supporting' (did you mean 'technical'?)",
    ]


def test_nested_errors_name_the_item(write_tree: WriteTree) -> None:
    text = (
        "id: engineer\ntitle: ML Engineer\ncategory: technical\nsummary: S.\n"
        "responsibilities: [a]\nonboarding:\n  - id: Meet Team\n    text: Meet.\n    when: day-one\n"
    )
    assert messages(write_tree, {"roles/engineer.yml": text}) == [
        f"{ENGINEER}:7:9: error: onboarding[0].id: 'Meet Team' is not an id: use lowercase "
        "letters, digits and single hyphens",
        f"{ENGINEER}:9:11: error: onboarding[0].when: 'day-one' is not one of 'first-day', "
        "'first-week', 'first-month' or 'first-90-days'",
    ]


def test_id_must_match_the_file_name(write_tree: WriteTree) -> None:
    text = "id: ml-engineer\ntitle: ML\ncategory: technical\nsummary: S.\nresponsibilities: [a]\n"
    assert messages(write_tree, {"roles/engineer.yml": text}) == [
        f"{ENGINEER}:1:5: error: id 'ml-engineer' does not match the file name 'engineer.yml' "
        "(rename the file to ml-engineer.yml or set id: engineer)"
    ]


def test_wrong_types_say_what_was_expected(write_tree: WriteTree) -> None:
    text = "id: engineer\ntitle: ML\ncategory: technical\nsummary: S.\nresponsibilities: yes\n"
    assert messages(write_tree, {"roles/engineer.yml": text}) == [
        f"{ENGINEER}:5:19: error: responsibilities: should be a list, not true "
        "(a yes/no value; quote it for text)"
    ]


def test_files_in_unknown_places_are_reported(write_tree: WriteTree) -> None:
    assert messages(write_tree, {"role/x.yml": "id: x\n", "roles/y.yaml": "id: y\n"}) == [
        "content/role/x.yml:1:1: error: not a place for content; expected one of: playbook.yml, "
        "progression.yml, glossary.yml, roles/<id>.yml, phases/<id>.yml, handoffs/<id>.yml, guides/<id>.yml, "
        "teams/<id>.yml, artefacts/<id>.yml (did you mean 'roles'?)",
        "content/roles/y.yaml:1:1: error: content files end in '.yml' (rename it to y.yml)",
    ]


def test_missing_playbook_settings(write_tree: WriteTree) -> None:
    assert messages(write_tree, {"playbook.yml": None}) == [
        "content/playbook.yml: error: missing: the playbook settings file is required"
    ]


def test_links_must_be_http_mailto_or_relative(write_tree: WriteTree) -> None:
    text = (
        "id: engineer\ntitle: ML Engineer\ncategory: technical\n"
        "summary: See [the runbook](javascript:alert(1)).\nresponsibilities: [a]\n"
        "tips: ['[ok](https://example.org), [fine](../guides/pairing.md), [bad](//evil.example)']\n"
    )
    assert messages(write_tree, {"roles/engineer.yml": text}) == [
        f"{ENGINEER}:4:10: error: summary: 'javascript:alert(1)' is not an allowed link: use "
        "http(s), mailto or a relative link",
        f"{ENGINEER}:6:8: error: tips[0]: '//evil.example' is not an allowed link: use http(s), "
        "mailto or a relative link",
    ]
