"""References in prose: text names entities by id, pages print their current titles."""

from __future__ import annotations

import pytest

from generator.build import check, generate
from generator.content.prose import apply_forms, possessive, without
from generator.errors import ContentError
from generator.project import read_project

from conftest import ROOT, WriteTree

SCIENTIST = """id: scientist
title: {title}
category: technical
summary: {summary}
responsibilities: [Train the model.]
phases:
  build: {{raci: A, does: Trains the model.}}
onboarding:
  - id: run-notebook
    text: Ask the {{role:engineer|lower}} for the baseline notebook.
    when: first-day
"""


def scientist(title: str = "Data Scientist", summary: str = "Builds the model.") -> str:
    return SCIENTIST.format(title=title, summary=summary)


def page(write_tree: WriteTree, files: dict[str, str | bytes | None], path: str) -> str:
    generated = generate(write_tree(files))
    return next(p.markdown for p in generated.pages if p.page.path == path)


@pytest.mark.parametrize(
    ("title", "forms", "written"),
    [
        ("Data Scientist", (), "Data Scientist"),
        ("Data Scientist", ("lower",), "data scientist"),
        ("ML Engineer", ("lower", "plural"), "ML engineers"),
        ("DevOps Engineer", ("plural", "lower"), "DevOps engineers"),
        ("UX Designer", ("lower", "possessive"), "UX designer's"),
        ("Business Analyst", ("possessive",), "Business Analyst's"),
        ("Subject Matter Expert", ("lower", "plural", "possessive"), "subject matter experts'"),
        ("Data Scientist", ("lower", "capital"), "Data scientist"),
        ("Report Writer", ("lower", "plural"), "report writers"),
        ("Data Steward", ("plural",), "Data Stewards"),
        ("Analytics Deputy", ("lower", "plural"), "analytics deputies"),
        ("Coach", ("plural",), "Coaches"),
        ("AI Engineer", ("article",), "an AI Engineer"),
        ("ML Engineer", ("lower", "article"), "an ML engineer"),
        ("UX Designer", ("article", "lower"), "a UX designer"),
        ("Engineer", ("lower", "article"), "an engineer"),
        ("Head of ML", ("article", "capital"), "A Head of ML"),
        ("User Researcher", ("lower", "article"), "a user researcher"),
        ("Operator", ("article",), "an Operator"),
        ("RACI", ("article",), "a RACI"),
        ("API", ("article",), "an API"),
        ("ONNX model", ("article",), "an ONNX model"),
        ("A/B test", ("lower", "article"), "an A/B test"),
    ],
)
def test_forms_a_sentence_needs(title: str, forms: tuple[str, ...], written: str) -> None:
    assert apply_forms(title, forms) == written


def test_possessives_of_names() -> None:
    assert possessive("Nimbus Analytics") == "Nimbus Analytics'"
    assert possessive("Acme") == "Acme's"


def test_a_reference_is_a_link_with_the_current_title(write_tree: WriteTree) -> None:
    summary = "Works with the {role:engineer|lower} and {role:owner|possessive|plain} team."
    text = page(
        write_tree, {"roles/scientist.yml": scientist(summary=summary)}, "roles/scientist.md"
    )
    assert "Works with the [ML engineer](engineer.md) and Product Owner's team." in text
    engineer = """id: engineer
title: Model Engineer
category: technical
summary: Ships the model.
responsibilities: [Ship it.]
"""
    files = {"roles/scientist.yml": scientist(summary=summary), "roles/engineer.yml": engineer}
    text = page(write_tree, files, "roles/scientist.md")
    assert "Works with the [model engineer](engineer.md)" in text
    onboarding = page(write_tree, files, "onboarding/scientist.md")
    assert "Ask the [model engineer](../roles/engineer.md) for the baseline notebook." in onboarding


def test_a_or_an_follows_the_title_and_stays_outside_the_link(write_tree: WriteTree) -> None:
    summary = (
        "Pairs with {role:engineer|lower|article}. {role:owner|article|capital|plain} decides."
    )
    files: dict[str, str | bytes | None] = {"roles/scientist.yml": scientist(summary=summary)}
    text = page(write_tree, files, "roles/scientist.md")
    assert "Pairs with an [ML engineer](engineer.md). A Product Owner decides." in text
    files["roles/engineer.yml"] = """id: engineer
title: Model Engineer
category: technical
summary: Ships the model.
responsibilities: [Ship it.]
"""
    text = page(write_tree, files, "roles/scientist.md")
    assert "Pairs with a [model engineer](engineer.md)." in text


def test_terms_counts_and_titles_that_name_other_entities(write_tree: WriteTree) -> None:
    summary = "One of {count:roles|words} roles; keeps the {term:model-registry|lower} tidy."
    files = {
        "roles/scientist.yml": scientist(
            title="Modeller for {role:owner|possessive}", summary=summary
        )
    }
    generated = generate(write_tree(files))
    text = next(p.markdown for p in generated.pages if p.page.path == "roles/scientist.md")
    assert "# Modeller for Product Owner's" in text
    assert (
        "One of three roles; keeps the [model registry](../glossary.md#model-registry) tidy."
        in text
    )
    nav_titles = str(generated.plan.nav)
    assert "Modeller for Product Owner&#x27;s" in nav_titles and "{role:" not in nav_titles


def test_unknown_references_are_reported_where_they_are(write_tree: WriteTree) -> None:
    summary = (
        "'With the {role:enginer} in {phase:buld|lower|plurl}, see {rol:owner} and {count:people}.'"
    )
    with pytest.raises(ContentError) as caught:
        check(write_tree({"roles/scientist.yml": scientist(summary=summary)}))
    assert [str(p) for p in caught.value.problems] == [
        "content/roles/scientist.yml:4:10: error: cannot count 'people' (count one of: roles, phases, handoffs, guides, teams, terms)",
        "content/roles/scientist.yml:4:10: error: unknown form 'plurl' in the reference '{phase:buld|lower|plurl}' (did you mean 'plural'?)",
        "content/roles/scientist.yml:4:10: error: unknown kind 'rol' in the reference '{rol:owner}' (did you mean 'role'?)",
        "content/roles/scientist.yml:4:10: error: unknown phase 'buld' (did you mean 'build'?)",
        "content/roles/scientist.yml:4:10: error: unknown role 'enginer' (did you mean 'engineer'?)",
    ]


def test_the_bundled_playbook_names_nothing_in_plain_words() -> None:
    """What `playbook validate` warns a fork about is an error for the bundled content: every
    role, phase, handoff, guide and team shape its prose names is a reference."""
    _, warnings = check(read_project(ROOT / "mkdocs.yml"), mentions=True)
    assert [str(w) for w in warnings if "in plain words" in w.message] == []


def test_a_plain_mention_is_a_warning_with_the_reference_to_write(write_tree: WriteTree) -> None:
    project = write_tree({"roles/scientist.yml": scientist(summary="Pairs with the ML engineer.")})
    _, warnings = check(project, mentions=True)
    assert [str(w) for w in warnings if "plain words" in w.message] == [
        "content/roles/scientist.yml:4:10: warning: 'ML engineer' names the role 'engineer' in "
        "plain words (write {role:engineer|lower} so a rename follows)"
    ]


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Keep one. Drop {role:x}. Keep two.", "Keep one. Keep two."),
        ("Keep one. Drop {role:x}.\n\nKeep two.", "Keep one.\n\nKeep two."),
        ("Keep one.\n\nDrop {role:x}. Keep two.", "Keep one.\n\nKeep two."),
        ("Drop {role:x}.\n\nKeep two.", "Keep two."),
        ("- Keep one.\n- Drop {role:x}.\n- Keep two.", "- Keep one.\n- Keep two."),
        ("Drop {role:x}. Drop {role:x} too.", ""),
    ],
)
def test_leaving_out_sentences_keeps_the_paragraphs(text: str, left: str) -> None:
    kept, gone = without(text, lambda sentence: "{role:x}" in sentence)
    assert kept == left
    assert all("{role:x}" in sentence for sentence in gone)
