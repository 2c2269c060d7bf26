"""Adding a kind is one change: a model, one registry entry, one page family and its templates.

The test adds a throwaway kind, team rituals, without editing any module of the generator, and
checks that every stage picks it up: validation and the JSON Schema, reference checks with a
hint, pages and their navigation section, and the cascade of a fork's removal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import check, generate
from generator.content import kinds
from generator.content.kinds import Kind, Reference
from generator.content.model import Entity, Slug, Text
from generator.errors import ContentError
from generator.outputs.schema import schema_texts
from generator.pipeline import pages
from generator.pipeline.pages import PageFamily
from generator.project import Project

from conftest import WriteTree


class Ritual(Entity):
    """A meeting the team holds on a rhythm, led by one role."""

    summary: Text
    led_by: Slug


RITUAL = Kind(
    "ritual",
    "rituals",
    "ritual",
    Ritual,
    "ritual.schema.json",
    references=(Reference("led_by", "role", "entity"), kinds.SOURCES),
)
RITUALS = PageFamily(
    "rituals",
    "rituals",
    "Rituals",
    ("rituals.md.j2", "Rituals", "The meetings the team holds."),
    "ritual.md.j2",
    "ritual",
    search_boost=1.2,
)
STANDUP = "id: standup\ntitle: Stand-up\nsummary: Fifteen minutes each morning.\nled_by: {role}\n"


@pytest.fixture
def rituals(tmp_path: Path) -> Iterator[Path]:
    """The kind registered for the test's duration, and a folder with its two templates."""
    templates = tmp_path / "ritual-templates"
    templates.mkdir()
    (templates / "ritual.md.j2").write_text(
        "# {{ ritual.title }}\n\nLed by {{ link('roles', ritual.led_by) }}.\n", encoding="utf-8"
    )
    (templates / "rituals.md.j2").write_text(
        "# Rituals\n\n{% for r in playbook.entities('rituals').values() %}"
        "- {{ link('rituals', r.id) }}\n{% endfor %}",
        encoding="utf-8",
    )
    kinds.KINDS.append(RITUAL)
    pages.FAMILIES.append(RITUALS)
    try:
        yield templates
    finally:
        kinds.KINDS.remove(RITUAL)
        pages.FAMILIES.remove(RITUALS)


def _with_templates(project: Project, templates: Path) -> Project:
    return Project(
        project.root, project.content_dir, (templates, *project.template_dirs), project.layers
    )


def test_a_new_kind_gets_pages_a_nav_section_and_a_schema(
    rituals: Path, write_tree: WriteTree
) -> None:
    project = _with_templates(
        write_tree({"rituals/standup.yml": STANDUP.format(role="owner")}), rituals
    )
    generated = generate(project)
    by_path = {rendered.page.path: rendered.markdown for rendered in generated.pages}
    assert by_path["rituals/standup.md"].count("# Stand-up") == 1
    assert "[Product Owner](../roles/owner.md)" in by_path["rituals/standup.md"]
    assert "[Stand-up](standup.md)" in by_path["rituals/index.md"]
    page = next(p for p in generated.plan.pages if p.path == "rituals/standup.md")
    assert page.search_boost == 1.2 and page.source == "content/rituals/standup.yml"
    sections = [next(iter(item)) for item in generated.plan.nav if isinstance(item, dict)]
    assert sections.index("Rituals") == sections.index("Onboarding") + 1
    assert {
        "Rituals": ["rituals/index.md", {"Stand-up": "rituals/standup.md"}]
    } in generated.plan.nav
    assert '"led_by"' in schema_texts()["ritual.schema.json"]


def test_a_new_kind_is_checked_like_the_others(rituals: Path, write_tree: WriteTree) -> None:
    project = write_tree({"rituals/standup.yml": STANDUP.format(role="ownr") + "extra: 1\n"})
    with pytest.raises(ContentError) as caught:
        check(project)
    assert [str(problem) for problem in caught.value.problems] == [
        "content/rituals/standup.yml:5:1: error: unknown key 'extra'"
    ]
    project = write_tree({"rituals/standup.yml": STANDUP.format(role="ownr")})
    with pytest.raises(ContentError) as caught:
        check(project)
    assert [str(problem) for problem in caught.value.problems] == [
        "content/rituals/standup.yml:4:9: error: unknown role 'ownr' (did you mean 'owner'?)"
    ]


def _forked(project: Project, overlay_files: dict[str, str]) -> Project:
    overlay = project.root / "company"
    for relative, text in overlay_files.items():
        (overlay / relative).parent.mkdir(parents=True, exist_ok=True)
        (overlay / relative).write_text(text, encoding="utf-8")
    return Project(project.root, project.content_dir, project.template_dirs, (overlay,))


def test_a_fork_s_removal_and_merge_reach_the_new_kind(
    rituals: Path, write_tree: WriteTree
) -> None:
    owner = (write_tree().content_dir / "roles" / "owner.yml").read_text(encoding="utf-8")
    coach = owner.replace("id: owner", "id: coach").replace("Product Owner", "Agile Coach")
    coach = coach.partition("\ninterview:")[0] + "\n"  # its questions name the owner's handoffs
    project = write_tree(
        {
            "roles/coach.yml": coach,
            "rituals/standup.yml": STANDUP.format(role="coach"),
            "rituals/review.yml": STANDUP.format(role="scientist").replace("standup", "review"),
        }
    )
    removed, _ = check(_forked(project, {"roles/coach.yml": "remove: true\n"}))
    assert list(removed.entities("rituals")) == ["review"]  # the stand-up went with its leader
    (project.root / "company" / "roles" / "coach.yml").unlink()
    merged, _ = check(_forked(project, {"roles/scientist.yml": "merge_into: engineer\n"}))
    assert merged.entities("rituals")["review"].led_by == "engineer"
    assert merged.entities("rituals")["standup"].led_by == "coach"
