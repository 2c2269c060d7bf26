"""The live preview as an author uses it: `playbook serve` running, files saved, pages fetched.

After any sequence of edits the served site must equal what a freshly started preview of the
same content serves, which is what a clean `mkdocs build` writes; a content error shows as
path:line:col in the terminal and in a banner on the pages, and the next good save clears it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import ROOT, SMALL

_LIVERELOAD = re.compile(rb"<script>\s*var livereload = function.*?</script>", re.DOTALL)
_LOC = re.compile(rb"<loc>http://preview/(.*?)</loc>")
ROLE = "roles/engineer.yml"
HANDOFF = "handoffs/model-to-engineering.yml"


@dataclass
class Preview:
    root: Path
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def fetch(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=30) as answer:
            body: bytes = answer.read()
        return _LIVERELOAD.sub(b"", body).replace(self.url.encode(), b"http://preview/")

    def site(self) -> dict[str, bytes]:
        """Every page the sitemap lists, and the search index."""
        paths = [p.decode() for p in _LOC.findall(self.fetch("sitemap.xml"))]
        found = {path: self.fetch(path) for path in paths}
        found["search/search_index.json"] = self.fetch("search/search_index.json")
        return found

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / "content" / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def project_in(folder: Path) -> Path:
    shutil.copytree(SMALL, folder)
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "docs").mkdir()
    (folder / "docs" / "notes.md").write_text("# Team notes\n\nWritten by hand.\n")
    return folder


@contextmanager
def previewing(root: Path) -> Iterator[Preview]:
    """`playbook serve` on a free port of 127.0.0.1, stopped (by its pid) at the end."""
    port = free_port()
    log = root.parent / f"serve-{root.name}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    preview = Preview(root, f"http://127.0.0.1:{port}/", log, process)
    try:
        wait_for(lambda: _answers(preview), f"the preview to start:\n{log}")
        yield preview
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(preview: Preview) -> bool:
    if preview.process.poll() is not None:
        raise AssertionError(f"the preview stopped:\n{preview.output()}")
    try:
        preview.fetch("")
    except (urllib.error.URLError, ConnectionError):
        return False
    return True


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def shows(preview: Preview, path: str, text: str) -> Callable[[], bool]:
    return lambda: text.encode() in preview.fetch(path)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    with previewing(project_in(tmp_path / "edited")) as running:
        yield running


def test_after_edits_the_preview_serves_what_a_fresh_preview_serves(
    preview: Preview, tmp_path: Path
) -> None:
    # edits that change pages only: each is a dirty build of the pages it changed
    preview.edit(ROLE, "Package the model.", "Package and ship the model.")
    wait_for(shows(preview, "roles/engineer/", "Package and ship the model."), "a text edit")
    preview.edit("roles/owner.yml", "Decides what is worth", "Decides what is really worth")
    wait_for(shows(preview, "roles/owner/", "really worth"), "an edit beside an index page")
    preview.edit("playbook.yml", "Where every fact", "Where each fact")
    wait_for(shows(preview, "sources/", "Where each fact"), "an edit beside a written page")
    preview.edit(HANDOFF, "installs in a clean", "installs in a fresh")
    handoff = "handoffs/model-to-engineering/"
    wait_for(shows(preview, handoff, "installs in a fresh"), "a checklist edit")
    assert_serves_what_a_fresh_preview_serves(preview, tmp_path / "fresh-1")

    # edits that change what every page shows: a clean build, then a dirty one after it
    preview.edit(ROLE, "title: ML Engineer", "title: Model Engineer")
    wait_for(shows(preview, "roles/scientist/", "Model Engineer"), "a title in the navigation")
    preview.edit(ROLE, "aliases: [MLOps Engineer]", "aliases: [MLOps Engineer, Model Shipper]")
    wait_for(shows(preview, "roles/engineer/", "Model Shipper"), "a new tag")
    preview.edit(ROLE, "Package and ship the model.", "Package, ship and watch the model.")
    wait_for(shows(preview, "roles/engineer/", "ship and watch"), "a text edit after them")
    expected = assert_serves_what_a_fresh_preview_serves(preview, tmp_path / "fresh-2")

    # and a fresh preview serves what a clean `mkdocs build` of the same content writes
    built = clean_build(tmp_path / "fresh-2", tmp_path / "built")
    assert sorted(built) == sorted(expected)
    assert [p for p in expected if built[p] != expected[p]] == []


def clean_build(root: Path, site: Path) -> dict[str, bytes]:
    """`mkdocs build` of ``root`` into ``site``, read as :meth:`Preview.site` reads the
    preview (the served address is the preview's own, so both say http://preview/)."""
    config = root / "mkdocs-built.yml"
    config.write_text((root / "mkdocs.yml").read_text() + "site_url: http://preview/\n")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config.name, "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(command, cwd=root, env=env, check=True)
    paths = [p.decode() for p in _LOC.findall((site / "sitemap.xml").read_bytes())]
    found = {path: (site / path / "index.html").read_bytes() for path in paths}
    found["search/search_index.json"] = (site / "search" / "search_index.json").read_bytes()
    return found


def assert_serves_what_a_fresh_preview_serves(preview: Preview, copy: Path) -> dict[str, bytes]:
    shutil.copytree(preview.root, copy)
    with previewing(copy) as fresh:
        expected = fresh.site()
    assert len(expected) > 20
    try:
        wait_for(lambda: preview.site() == expected, "the edited preview to settle", timeout=30)
    except AssertionError:
        served = preview.site()
        differ = sorted(
            p for p in served.keys() | expected.keys() if served.get(p) != expected.get(p)
        )
        raise AssertionError(f"these differ from a fresh preview's: {differ}") from None
    return expected


def test_a_content_error_is_shown_until_a_good_save(preview: Preview) -> None:
    preview.edit(HANDOFF, "to: engineer", "to: enginer")
    wait_for(shows(preview, "roles/owner/", "pb-preview-errors"), "the error banner")
    message = (
        "content/handoffs/model-to-engineering.yml:4:5: error: unknown role 'enginer' "
        "(did you mean 'engineer'?)"
    )
    assert message in preview.fetch("roles/owner/").decode()
    assert message in preview.output()

    preview.edit(HANDOFF, "to: enginer", "to: engineer")
    preview.edit(ROLE, "Package the model.", "Package and ship the model.")
    wait_for(shows(preview, "roles/engineer/", "Package and ship the model."), "recovery")
    assert b"pb-preview-errors" not in preview.fetch("roles/engineer/")
    assert "Traceback" not in preview.output()


@pytest.mark.browser
def test_the_error_banner_is_visible_in_the_browser(preview: Preview, page: Page) -> None:
    page.goto(preview.url + "roles/engineer/")
    banner = page.locator(".pb-preview-errors")
    assert banner.count() == 0

    with page.expect_navigation(timeout=30_000):  # live reload, after the save
        preview.edit(ROLE, "category: technical", "category: technicl")
    banner.wait_for(state="visible", timeout=30_000)
    assert "content/roles/engineer.yml:4:11: error: category:" in banner.inner_text()
    page.screenshot(path=str(preview.root.parent / "banner.png"))

    with page.expect_navigation(timeout=30_000):
        preview.edit(ROLE, "category: technicl", "category: technical")
    banner.wait_for(state="detached", timeout=30_000)
    assert page.locator("h1").inner_text().startswith("ML Engineer")
