"""plan: which pages exist, where they live, and a navigation grouped rather than flat."""

from __future__ import annotations

import subprocess
import sys

from generator.build import check
from generator.content.words import first_sentence
from generator.pipeline.plan import page_path, plan_site

from conftest import ROOT, WriteTree


def test_every_entity_gets_a_page_with_its_yaml_source(write_tree: WriteTree) -> None:
    plan = plan_site(check(write_tree())[0])
    pages = {page.path: page for page in plan.pages}
    assert pages["roles/owner.md"].source == "content/roles/owner.yml"
    assert pages["handoffs/goal-to-science.md"].template == "handoff.md.j2"
    assert pages["lifecycle/build.md"].context["phase"].id == "build"
    assert pages["roles/owner.md"].search_boost == 2.0
    assert pages["index.md"].hide == ("navigation",)
    assert sorted(pages) == sorted(
        [
            "index.md",
            "glossary.md",
            "sources.md",
            "roles/index.md",
            "roles/owner.md",
            "roles/scientist.md",
            "roles/engineer.md",
            "lifecycle/index.md",
            "lifecycle/design.md",
            "lifecycle/build.md",
            "handoffs/index.md",
            "handoffs/goal-to-science.md",
            "handoffs/model-to-engineering.md",
            "guides/index.md",
            "guides/pairing.md",
            "teams/index.md",
            "teams/tiny.md",
            "onboarding/index.md",
            "lifecycle/raci.md",
            "lifecycle/decisions.md",
            "tags.md",
            "onboarding/owner.md",
            "onboarding/scientist.md",
            "onboarding/engineer.md",
            "careers/skills-matrix.md",
            "careers/interviews/index.md",
            "careers/self-assessment/index.md",
            *(
                f"careers/{family}/{role}.md"
                for family in ("interviews", "self-assessment")
                for role in ("owner", "scientist", "engineer")
            ),
        ]
    )


def test_the_nav_groups_roles_by_category_and_handoffs_by_phase(write_tree: WriteTree) -> None:
    nav = plan_site(check(write_tree())[0]).nav
    sections = {next(iter(item)): next(iter(item.values())) for item in nav}
    assert sections["Roles"] == [
        "roles/index.md",
        {"Business": [{"Product Owner": "roles/owner.md"}]},
        {
            "Technical": [
                {"Data Scientist": "roles/scientist.md"},
                {"ML Engineer": "roles/engineer.md"},
            ]
        },
    ]
    assert sections["Handoffs"][1:] == [
        {"Design": [{"Goal and metric": "handoffs/goal-to-science.md"}]},
        {"Build": [{"Model package": "handoffs/model-to-engineering.md"}]},
    ]


def test_nav_titles_from_content_cannot_inject_html(write_tree: WriteTree) -> None:
    project = write_tree()
    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("title: ML Engineer", "title: ML <b>Engineer</b>"))
    nav = plan_site(check(project)[0]).nav
    assert {"ML &lt;b&gt;Engineer&lt;/b&gt;": "roles/engineer.md"} in nav[1]["Roles"][2][
        "Technical"
    ]


def test_page_paths_and_descriptions() -> None:
    assert page_path("phases", "design") == "lifecycle/design.md"
    assert page_path("roles") == "roles/index.md"
    assert page_path("home") == "index.md"
    assert first_sentence("Builds **models**. Then more.") == "Builds models."
    assert first_sentence("x" * 300).endswith("…") and len(first_sentence("x" * 300)) == 200
    long = "Read the guide, " + "then read it again " * 12 + "until done."
    assert first_sentence(long, 60) == "Read the guide, then read it again then read it again then…"


def test_the_core_does_not_import_mkdocs() -> None:
    code = (
        "import sys, generator.build, generator.pipeline.emit, generator.project, generator.frontends.cli;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr


def test_long_lists_in_the_nav_are_split_into_sections_of_fifty() -> None:
    from generator.pipeline.plan import NAV_SECTION_SIZE, chunked

    entries = [{f"Role {n:03}": f"roles/r{n}.md"} for n in range(120)]
    sections = chunked(entries)  # type: ignore[arg-type]
    assert [next(iter(s)) for s in sections] == [  # type: ignore[arg-type]
        "Role 000 – Role 049",
        "Role 050 – Role 099",
        "Role 100 – Role 119",
    ]
    assert sum(len(next(iter(s.values()))) for s in sections) == 120  # type: ignore[union-attr]
    assert chunked(entries[:NAV_SECTION_SIZE]) == entries[:NAV_SECTION_SIZE]
