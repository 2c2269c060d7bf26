"""emit: the Markdown tree is written atomically, only where bytes changed, never outside."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.build import generate
from generator.errors import PlaybookError
from generator.pipeline.emit import emit
from generator.pipeline.plan import Page
from generator.pipeline.render import RenderedPage

from conftest import WriteTree


def test_regenerating_unchanged_content_rewrites_nothing(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    project = write_tree()
    out = tmp_path / "out"
    generated = generate(project)
    first = emit(generated.pages, generated.plan.nav, out)
    assert "roles/owner.md" in first.written and "nav.yml" in first.written
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    second = emit(generated.pages, generated.plan.nav, out)
    assert second.written == () and second.removed == ()
    assert stamps == {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}


def test_pages_no_longer_planned_are_removed_but_other_files_stay(
    write_tree: WriteTree, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generated = generate(write_tree())
    emit(generated.pages, generated.plan.nav, out)
    (out / "notes.txt").write_text("mine")
    generated = generate(write_tree({"teams/tiny.yml": None}))
    report = emit(generated.pages, generated.plan.nav, out)
    assert report.removed == ("teams/tiny.md",)
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("path", ["../escape.md", "/etc/escape.md"])
def test_no_path_leaves_the_output_folder(tmp_path: Path, path: str) -> None:
    rendered = [RenderedPage(Page(path, "x", "x", "x"), "x")]
    with pytest.raises(PlaybookError, match="outside the output folder"):
        emit(rendered, [], tmp_path / "out")
    assert not (tmp_path / "escape.md").exists()


def test_a_linked_folder_leads_no_write_or_removal_out_of_the_output_folder(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.md").write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "linked").symlink_to(elsewhere)
    (out / ".playbook-files").write_text("linked/precious.md\n")  # as a pull request may
    report = emit([RenderedPage(Page("a.md", "x", "x", "x"), "x")], [], out)
    assert report.removed == ()
    assert (elsewhere / "precious.md").read_text() == "mine"
    with pytest.raises(PlaybookError, match="outside the output folder"):
        emit([RenderedPage(Page("linked/new.md", "x", "x", "x"), "x")], [], out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.md"]


def test_the_same_path_is_never_written_twice(tmp_path: Path) -> None:
    rendered = [
        RenderedPage(Page("a.md", "x", "x", "x"), "one"),
        RenderedPage(Page("a.md", "x", "x", "x"), "two"),
    ]
    with pytest.raises(PlaybookError, match=r"two pages would be written to 'a\.md'"):
        emit(rendered, [], tmp_path / "out")


def test_new_pages_are_written_in_place_and_changed_pages_replaced_whole(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    pages = [RenderedPage(Page("a.md", "x.md.j2", "A", ""), "# A\n")]
    emit(pages, [], out)
    first = (out / "a.md").stat()
    emit([RenderedPage(Page("a.md", "x.md.j2", "A", ""), "# A, again\n")], [], out)
    second = (out / "a.md").stat()
    assert (out / "a.md").read_text() == "# A, again\n"
    assert second.st_ino != first.st_ino  # a new file renamed over the old one: never half-written
    assert not list(out.glob(".*.tmp"))


def test_pages_are_readable_like_any_file_the_user_creates(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    out = tmp_path / "out"
    emit([RenderedPage(Page("a.md", "x.md.j2", "A", ""), "# A\n")], [], out)
    emit([RenderedPage(Page("a.md", "x.md.j2", "A", ""), "# B\n")], [], out)  # replaced
    a_and_b = [RenderedPage(Page(n, "x.md.j2", "T", ""), "# B\n") for n in ("a.md", "b.md")]
    emit(a_and_b, [], out)  # b.md created
    for name in ("a.md", "b.md", "nav.yml"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~mask, name
