"""render: templates on an ordered search path; content text can never become HTML or script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import generate
from generator.errors import TemplateError
from generator.project import Project, read_project

from conftest import ROOT, SMALL, WriteTree


def page(project: Project, path: str) -> str:
    return next(p.markdown for p in generate(project).pages if p.page.path == path)


def test_text_from_content_is_escaped_in_pages(write_tree: WriteTree) -> None:
    project = write_tree()
    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(
        role.read_text().replace("Ships the model", "<script>alert(1)</script> Ships"),
        encoding="utf-8",
    )
    markdown = page(project, "roles/engineer.md")
    assert "<script>" not in markdown
    assert "description: '&lt;script&gt;alert(1)&lt;/script&gt; Ships to production.'" in markdown
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt; Ships" in markdown


def test_a_project_template_overrides_the_built_in_one(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    overrides = tmp_path / "small" / "my-templates"  # in the project
    overrides.mkdir()
    (overrides / "glossary.md.j2").write_text(
        "# Our words\n\n{{ playbook.glossary | length }} terms\n"
    )
    project = write_tree(templates=[str(overrides)])
    assert page(project, "glossary.md").endswith("# Our words\n\n2 terms\n")
    assert page(project, "roles/owner.md").count("# Product Owner") == 1  # others stay built in


def test_a_missing_template_names_the_search_path(write_tree: WriteTree, tmp_path: Path) -> None:
    overrides = tmp_path / "small" / "my-templates"  # in the project
    overrides.mkdir()
    (overrides / "role.md.j2").write_text("{% include 'nowhere.md.j2' %}")
    with pytest.raises(
        TemplateError,
        match=r"template 'nowhere.md.j2' not found; searched: .*my-templates, .*templates",
    ):
        generate(write_tree(templates=[str(overrides)]))


def test_a_typo_in_a_template_fails_instead_of_printing_nothing(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    overrides = tmp_path / "small" / "my-templates"  # in the project
    overrides.mkdir()
    (overrides / "team.md.j2").write_text("# {{ team.titel }}\n")
    with pytest.raises(
        TemplateError, match=r"team.md.j2:1: error: .*'titel'.*\(rendering teams/tiny.md\)"
    ):
        generate(write_tree(templates=[str(overrides)]))


def test_the_same_content_renders_byte_identical_output(write_tree: WriteTree) -> None:
    project = write_tree()
    first = [(p.page.path, p.markdown) for p in generate(project).pages]
    assert first == [(p.page.path, p.markdown) for p in generate(project).pages]


@pytest.mark.parametrize(
    ("target", "page"),
    [
        ("roles/a.md", "roles/b.md"),
        ("roles/a.md", "index.md"),
        ("index.md", "roles/a.md"),
        ("lifecycle/raci.md", "lifecycle/design.md"),
        ("sources.md", "handoffs/x.md"),
        ("a/b/c.md", "a/d/e.md"),
    ],
)
def test_relative_links_match_posixpath(target: str, page: str) -> None:
    import posixpath

    from generator.pipeline.render import relative_url

    assert relative_url(target, page) == posixpath.relpath(target, posixpath.dirname(page) or ".")


def test_a_handoff_page_lists_what_leads_to_it_and_what_follows_from_it() -> None:
    generated = generate(read_project(ROOT / "mkdocs.yml"))
    playbook = generated.playbook
    order = list(playbook.phases)
    pages = {p.page.path: p.markdown for p in generated.pages}
    for handoff in playbook.handoffs.values():
        page = pages[f"handoffs/{handoff.id}.md"]
        for heading, earlier in (("receives first", True), ("hands on", False)):
            section = page.partition(f" {heading}\n")[2].split("\n## ", 1)[0]
            for phase in re.findall(r"\(\.\./lifecycle/([a-z-]+)\.md\) \|", section):
                here, there = order.index(handoff.phase), order.index(phase)
                assert there <= here if earlier else there >= here, (handoff.id, heading, phase)


def test_counts_in_words_are_words_below_ten_and_figures_above() -> None:
    generated = generate(read_project(ROOT / "mkdocs.yml"))
    home = next(p.markdown for p in generated.pages if p.page.path == "index.md")
    roles, handoffs = len(generated.playbook.roles), len(generated.playbook.handoffs)
    assert f"the {roles} roles it needs" in home and f"each of the {handoffs} handoffs" in home
    assert "the six lifecycle phases" in home


def test_each_decision_is_a_heading_that_names_who_decides(write_tree: WriteTree) -> None:
    design = (SMALL / "content" / "phases" / "design.yml").read_text(encoding="utf-8")
    decisions = """decisions:
  - id: goal-agreed
    text: The goal is agreed.
    by: owner
    activity: set-goal
  - id: go-ahead
    text: The work goes ahead.
    by: owner
    stage: entry
"""
    text = page(write_tree({"phases/design.yml": design + decisions}), "lifecycle/design.md")
    assert '### Set the goal <span class="pb-answer">— accountable: product owner</span>' in text
    under_activity, across = text.split("## Decisions across the phase")
    assert (
        '#### The goal is agreed <span class="pb-answer">— decided by the product owner</span>'
        " { #decision-goal-agreed .pb-decision }" in under_activity
    )
    assert (
        '### The work goes ahead <span class="pb-answer">— decided by the product owner</span>'
        " { #decision-go-ahead .pb-decision }" in across
    )
