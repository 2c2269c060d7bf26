"""Incremental work: unchanged content is not generated again under `mkdocs serve`, and an
edit rewrites only the pages that show what changed."""

from __future__ import annotations

import os
from pathlib import Path

from generator.emit import emit
from generator.pipeline import generate
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


def test_editing_a_handoff_rewrites_only_the_pages_that_show_it(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    project = write_tree()
    out = tmp_path / "out"
    generated = generate(project)
    emit(generated.pages, generated.plan.nav, out)
    handoff = project.content_dir / "handoffs" / "model-to-engineering.yml"
    handoff.write_text(handoff.read_text().replace("installs in a clean", "installs in a fresh"))
    os.utime(handoff)
    generated = generate(project)
    written = emit(generated.pages, generated.plan.nav, out).written
    assert written == ("handoffs/model-to-engineering.md",)
