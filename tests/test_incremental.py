"""Incremental work: unchanged content is not generated again under `mkdocs serve`, and an
edit rewrites only the pages that show what changed."""

from __future__ import annotations

import os
from pathlib import Path

from generator.emit import emit
from generator.pipeline import Generated, Project, generate
from generator.plugin import _cached_pipeline

from conftest import WriteTree


def test_serve_reuses_the_pages_until_a_content_or_template_file_changes(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    project = write_tree(templates=[str(templates)])
    first = _cached_pipeline(project)
    assert _cached_pipeline(project) is first  # a rebuild with nothing changed

    (project.root / "docs").mkdir()
    (project.root / "docs" / "notes.md").write_text("# Notes\n")  # not a source of pages
    assert _cached_pipeline(project) is first

    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("Package the model.", "Package and ship it."))
    second = _cached_pipeline(project)
    assert second is not first and "Package and ship it." in next(
        p.markdown for p in second.pages if p.page.path == "roles/engineer.md"
    )

    (templates / "glossary.md.j2").write_text("# Words\n")
    third = _cached_pipeline(project)
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
    assert written == ("roles/engineer.md",)


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
    from generator.plugin import compact_navigation

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
