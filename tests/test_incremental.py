"""Incremental work: unchanged content is not generated again under `mkdocs serve`, and an
edit rewrites only the pages that show what changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import Generated, generate
from generator.errors import TemplateError
from generator.frontends.regenerate import Regenerator
from generator.outputs.compact import compact_navigation
from generator.pipeline.emit import emit
from generator.project import Project

from conftest import WriteTree


def test_serve_reuses_the_pages_until_a_content_or_template_file_changes(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    templates = tmp_path / "small" / "templates"  # in the project
    templates.mkdir()
    project = write_tree(templates=[str(templates)])
    regenerator = Regenerator(project)
    first = regenerator.generate()
    assert regenerator.generate() is first  # a rebuild with nothing changed

    (project.root / "docs").mkdir()
    (project.root / "docs" / "notes.md").write_text("# Notes\n")  # not a source of pages
    assert regenerator.generate() is first

    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("Package the model.", "Package and ship it."))
    second = regenerator.generate()
    assert second is not first and "Package and ship it." in next(
        p.markdown for p in second.pages if p.page.path == "roles/engineer.md"
    )

    (templates / "glossary.md.j2").write_text("# Words\n")
    third = regenerator.generate()
    assert third is not second
    assert next(p.markdown for p in third.pages if p.page.path == "glossary.md").endswith(
        "# Words\n"
    )


def rewritten(
    project: Project, out: Path, relative: str, old: str, new: str
) -> tuple[Generated, tuple[str, ...]]:
    """Generate into ``out``, replace ``old`` by ``new`` in one content file, generate again:
    the first result, and what the second emit wrote."""
    before = generate(project)
    emit(before.pages, before.plan.nav, out)
    path = project.content_dir / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path)
    after = generate(project)
    return before, emit(after.pages, after.plan.nav, out).written


def test_editing_a_role_rewrites_only_the_pages_that_show_it(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    edit = ("roles/engineer.yml", "Package the model.", "Package and ship the model.")
    _, written = rewritten(write_tree(), tmp_path / "out", *edit)
    assert written == ("careers/interviews/engineer.md", "roles/engineer.md")


def test_editing_a_handoff_rewrites_only_the_pages_that_show_it(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    edit = ("handoffs/model-to-engineering.yml", "installs in a clean", "installs in a fresh")
    _, written = rewritten(write_tree(), tmp_path / "out", *edit)
    assert written == ("handoffs/model-to-engineering.md",)


def test_renaming_a_role_rewrites_exactly_the_pages_that_print_its_title(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    edit = ("roles/engineer.yml", "title: ML Engineer", "title: Model Engineer")
    before, written = rewritten(write_tree(), tmp_path / "out", *edit)
    showing = {p.page.path for p in before.pages if "ML Engineer" in p.markdown}
    assert set(written) == showing | {"nav.yml"}
    assert 1 < len(showing) < len(before.pages)


def test_only_the_navigations_whitespace_is_compacted() -> None:
    page = (
        '<html>\n  <nav class="md-nav md-nav--primary">\n    <ul>\n      <li>\n'
        '        <span class="md-ellipsis">\n          Data  Scientist\n        </span>\n'
        "      </li>\n    </ul>\n  </nav>\n"
        '<div class="md-sidebar md-sidebar--secondary">\n<pre>  kept  </pre>\n</div>\n</html>'
    )
    compact = compact_navigation(page)
    assert '<nav class="md-nav md-nav--primary"><ul><li><span class="md-ellipsis">' in compact
    assert "\n          Data  Scientist\n        </span></li></ul></nav>\n<div" in compact
    assert compact.endswith(
        '<div class="md-sidebar md-sidebar--secondary">\n<pre>  kept  </pre>\n</div>\n</html>'
    )
    assert compact_navigation("<p>no navigation</p>") == "<p>no navigation</p>"


def test_an_edit_renders_its_own_pages_first_and_the_rest_after(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    project = write_tree()
    regenerator = Regenerator(project, tmp_path / "pages")
    regenerator.generate()
    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("Package the model.", "Package and ship it."))

    first = regenerator.update()
    # the pages made from the edited file: the role's profile and its interview guide
    assert (first.changed, first.layout_changed, first.pending) == (
        ("roles/engineer.md", "careers/interviews/engineer.md"),
        False,
        True,
    )
    for page in first.changed:
        assert "Package and ship it." in (tmp_path / "pages" / page).read_text()
    rest = regenerator.finish()
    assert (rest.changed, rest.pending) == ((), False)


def test_after_any_edits_the_pages_are_those_of_a_fresh_run(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    project = write_tree()
    regenerator = Regenerator(project, tmp_path / "pages")
    regenerator.generate()
    edits = [
        ("roles/engineer.yml", "title: ML Engineer", "title: Model Engineer"),
        ("handoffs/model-to-engineering.yml", "installs in a clean", "installs in a fresh"),
        ("roles/owner.yml", "Decides what is worth", "Decides what is really worth"),
        ("guides/pairing.yml", "title: ", "title: Better "),
    ]
    for relative, old, new in edits:
        path = project.content_dir / relative
        path.write_text(path.read_text().replace(old, new, 1))
        update = regenerator.update()
        # a changed layout too: the pages of the edited file first, the others in finish()
        assert update.changed and update.pending
        regenerator.finish()
    (project.content_dir / "teams" / "tiny.yml").unlink()
    assert regenerator.update().removed == ("teams/tiny.md",)
    regenerator.finish()

    fresh = generate(project)
    assert [(p.page, p.markdown) for p in regenerator.generated.pages] == [
        (p.page, p.markdown) for p in fresh.pages
    ]
    assert regenerator.generated.plan.nav == fresh.plan.nav
    on_disk = {
        p.relative_to(tmp_path / "pages").as_posix() for p in (tmp_path / "pages").rglob("*.md")
    }
    assert on_disk == {p.page.path for p in fresh.pages}
    for rendered in fresh.pages:
        assert (tmp_path / "pages" / rendered.page.path).read_text() == rendered.markdown


def test_a_page_that_fails_later_fails_every_update_until_an_edit(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    templates = tmp_path / "small" / "templates"  # in the project
    templates.mkdir()
    (templates / "glossary.md.j2").write_text(
        '{% if "BREAK" in playbook.roles["engineer"].summary %}{{ no_such_value }}{% endif %}\n'
    )
    project = write_tree(templates=[str(templates)])
    regenerator = Regenerator(project, tmp_path / "pages")
    regenerator.generate()
    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("summary: Ships", "summary: BREAK Ships"))

    assert regenerator.update().pending  # the role's own pages render
    with pytest.raises(TemplateError, match=r"glossary\.md\.j2"):
        regenerator.finish()
    with pytest.raises(TemplateError, match=r"glossary\.md\.j2"):
        regenerator.update()  # nothing edited: the same failure, not a half-updated site

    role.write_text(role.read_text().replace("summary: BREAK Ships", "summary: Ships"))
    regenerator.update()
    assert not regenerator.finish().pending
