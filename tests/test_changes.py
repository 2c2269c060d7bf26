"""The What changed page and its feed, from a git repository built in the test: what each
commit changed at the level of the content model, a shallow clone, a project outside git, and
commit subjects written by someone who should not be trusted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Page

from generator.build import Generated, changes_notice, generate
from generator.outputs.changes import atom_feed, changed_pages
from generator.pipeline import history
from generator.pipeline.history import CACHE_FILE, note_text, read_history
from generator.project import Project, project_from_options

from conftest import ROOT, build_site, serve

ATOM = "{http://www.w3.org/2005/Atom}"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A")
    env_date = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=root,
        env={**GIT_ENV, **env_date},
        check=True,
    )


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / "content" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(small_tree: Path) -> Path:
    """The small fixture as a repository of two commits: the first adds the content, the
    second gives the ML engineer two more responsibilities, rewords a done-item and gives a
    decision another decider."""
    edit(small_tree, "playbook.yml", "what_changed: false", "what_changed: true")
    git(small_tree, "init", "-q", "-b", "main")
    commit(small_tree, "First version of the playbook", "2026-10-03T10:00:00+00:00")
    edit(
        small_tree,
        "roles/engineer.yml",
        "responsibilities: [Package the model.]",
        "responsibilities: [Package the model., Serve the model., Watch for drift.]",
    )
    edit(
        small_tree,
        "handoffs/goal-to-science.yml",
        "The metric is named and measurable.",
        "The metric is named, measurable and agreed.",
    )
    commit(small_tree, "The engineer serves and watches the model", "2026-11-14T09:30:00+00:00")
    return small_tree


def page_of(generated: Generated, path: str = "what-changed.md") -> str:
    return next(r.markdown for r in generated.pages if r.page.path == path)


def test_a_change_is_told_at_the_level_of_the_content_model(repo: Path) -> None:
    generated = generate(project_from_options(repo, {}))
    markdown = page_of(generated)
    november, october = markdown.index("## November 2026"), markdown.index("## October 2026")
    assert november < october  # newest first
    recent = markdown[november:october]
    assert "[ML Engineer](roles/engineer.md)" in recent
    assert "- two responsibilities added" in recent
    assert "- one done-item reworded \\(metric-named\\)" in recent
    assert "Why: The engineer serves and watches the model" in recent
    assert "14 November 2026" in recent
    assert "- added" in markdown[october:]  # the first commit adds every entity
    assert changes_notice(project_from_options(repo, {}), generated.changes) is None
    nav = json.dumps(generated.plan.nav)
    assert '"What changed": "what-changed.md"' in nav


def test_a_decider_changed_is_named_by_the_decision(repo: Path) -> None:
    phase = repo / "content" / "phases" / "design.yml"
    decision = "decisions:\n  - id: go-ahead\n    text: Go ahead.\n    by: {by}\n"
    text = phase.read_text(encoding="utf-8")
    phase.write_text(text + decision.format(by="owner"), encoding="utf-8")
    commit(repo, "A decision", "2026-11-20T09:00:00+00:00")
    phase.write_text(text + decision.format(by="scientist"), encoding="utf-8")
    commit(repo, "Another decider", "2026-11-21T09:00:00+00:00")
    found = read_history(repo, [repo / "content"], cache=False)
    notes = [[note_text(note) for note in change.notes] for change in found.changes]
    assert found.changes[0].entity == "design"
    assert notes[:2] == [["decision go-ahead: decider changed"], ["decisions added"]]


def test_the_feed_is_atom_with_ids_dates_and_links(repo: Path) -> None:
    generated = generate(project_from_options(repo, {}))
    assert generated.changes is not None
    addresses = {"what-changed.md": "what-changed/", "roles/engineer.md": "roles/engineer/"}
    feed = ElementTree.fromstring(atom_feed(generated.changes, "Tiny Playbook", addresses))
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.findtext(f"{ATOM}updated") == "2026-11-14T09:30:00Z"
    assert {link.get("rel") for link in feed.findall(f"{ATOM}link")} == {"alternate", "self"}
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "Role ML Engineer: two responsibilities added" in titles
    first = entries[0]
    assert (first.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
    assert first.findtext(f"{ATOM}updated") == "2026-11-14T09:30:00Z"
    links = [entry.find(f"{ATOM}link") for entry in entries]
    assert "roles/engineer/" in [link.get("href") for link in links if link is not None]
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)
    site = atom_feed(generated.changes, "Tiny", addresses, "https://example.org/playbook")
    assert b'href="https://example.org/playbook/roles/engineer/"' in site
    pages = json.loads(changed_pages(generated.changes, addresses))
    assert pages == {
        "roles/engineer/": "2026-11-14T09:30:00Z",
        "what-changed/": "2026-11-14T09:30:00Z",
    }


def test_history_is_read_once_per_head(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = read_history(repo, [repo / "content"])
    assert (repo / CACHE_FILE).is_file()
    calls: list[tuple[str, ...]] = []
    original = history._Git.run

    def counted(self: history._Git, *args: str, **options: object) -> bytes:
        calls.append(args)
        return original(self, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(history._Git, "run", counted)
    assert read_history(repo, [repo / "content"]) == first
    assert not [args for args in calls if "log" in args or "cat-file" in args]
    edit(repo, "roles/owner.yml", "Set the goal.", "Set the goal and its metric.")
    commit(repo, "Reworded", "2026-11-30T09:00:00+00:00")
    calls.clear()
    again = read_history(repo, [repo / "content"])
    assert [note_text(note) for note in again.changes[0].notes] == ["one responsibility reworded"]
    assert again.changes[1:] == first.changes
    cat_files = [args for args in calls if "cat-file" in args]
    assert len(cat_files) <= 2  # only the new commit's files were read


@pytest.mark.parametrize(
    "broken",
    [
        lambda item: {"bogus": 1},
        lambda item: {**item, "notes": "not notes"},
        lambda item: {**item, "message": 7},
        lambda item: {**item, "notes": [["summary", "", "changed", [], "one"]]},
    ],
)
def test_a_cache_of_the_wrong_shape_is_read_again_from_git(
    repo: Path, broken: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    first = read_history(repo, [repo / "content"])
    cache = repo / CACHE_FILE
    data = json.loads(cache.read_text(encoding="utf-8"))
    sha = data["order"][0]
    data["commits"][sha] = [broken(item) for item in data["commits"][sha]]
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert read_history(repo, [repo / "content"]) == first


def test_a_shallow_clone_says_so_on_the_page_and_in_the_build(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    project = project_from_options(clone, {})
    generated = generate(project)
    assert "shallow clone" in page_of(generated)
    assert "!!! warning" in page_of(generated)
    notice = changes_notice(project, generated.changes)
    assert notice is not None and "shallow clone" in str(notice)
    assert str(notice).startswith("content: warning: the What changed page has no entries")


def test_outside_git_or_without_git_the_page_says_why(
    small_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(small_tree, "playbook.yml", "what_changed: false", "what_changed: true")
    project = project_from_options(small_tree, {})
    assert "not a git repository" in page_of(generate(project))
    monkeypatch.setattr(history.shutil, "which", lambda name: None)
    assert "git is not installed" in page_of(generate(project))


def test_the_page_can_be_turned_off(small_tree: Path) -> None:
    generated = generate(project_from_options(small_tree, {}))
    assert generated.changes is None
    assert all(r.page.path != "what-changed.md" for r in generated.pages)
    assert "what-changed.md" not in json.dumps(generated.plan.nav)


HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) "
    "{role:nobody} \x01 ]]> &amp;"
)


def test_a_hostile_commit_subject_is_only_text(repo: Path) -> None:
    edit(repo, "roles/owner.yml", "Set the goal.", "Set the goal first.")
    commit(repo, HOSTILE, "2026-11-30T09:00:00+00:00")
    project: Project = project_from_options(repo, {})
    generated = generate(project)
    markdown = page_of(generated)
    why = next(line for line in markdown.splitlines() if "Why:" in line and "script" in line)
    assert "<script>" not in why and "<img" not in why
    assert "&lt;script&gt;" in why
    assert "javascript:" not in why  # a link's text is kept, never its target
    assert "{role:nobody}" in why.replace("\\", "")  # shown, not followed
    assert generated.changes is not None
    feed = atom_feed(generated.changes, "Tiny", {"roles/owner.md": "roles/owner/"})
    parsed = ElementTree.fromstring(feed)  # still well-formed XML
    summary = parsed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary is not None and "<script>alert(1)</script>" in (summary.text or "")


def test_a_title_from_history_is_shown_on_one_line(repo: Path) -> None:
    """An old version's title is not checked as today's content is: one written over several
    lines (before names had to be one line) still shows as one line in its entry."""
    gone = repo / "content" / "roles" / "gone.yml"
    gone.write_text('id: gone\ntitle: "Gone\\n\\n## Heading"\n', encoding="utf-8")
    commit(repo, "Add a role", "2026-11-20T09:00:00+00:00")
    gone.unlink()
    commit(repo, "Remove it", "2026-11-21T09:00:00+00:00")
    markdown = page_of(generate(project_from_options(repo, {})))
    line = next(line for line in markdown.splitlines() if "Gone" in line)
    assert "Heading" in line and "(no longer in the playbook)" in line


@pytest.mark.browser
def test_pages_changed_since_the_last_visit_are_marked_new(
    repo: Path, tmp_path: Path, page: Page
) -> None:
    shutil.copytree(ROOT / "site_overrides", repo / "site_overrides")
    config = (ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "  name: material\n", "  name: material\n  custom_dir: site_overrides\n"
    )
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    (repo / "docs").mkdir()
    site = build_site(repo / "mkdocs.yml", tmp_path / "site")
    assert b'rel="alternate" type="application/atom+xml"' in (site / "index.html").read_bytes()
    with serve(site) as url:
        page.goto(url + "what-changed/")
        page.locator(".pb-visit").filter(has_text="first visit").wait_for()
        assert page.locator(".pb-new").count() == 0  # a first visit marks nothing
        page.goto(url + "roles/")
        assert page.locator(".pb-new").count() == 0
        # The last visit ended on 1 November: the ML engineer changed on 14 November.
        page.evaluate(
            "localStorage.setItem('playbook:last-visit', JSON.stringify("
            "{since: Date.parse('2026-10-01'), seen: Date.parse('2026-11-01'), read: {}}))"
        )
        page.goto(url + "roles/")
        engineer = page.locator('.md-nav__link[href$="engineer/"] .pb-new')
        engineer.wait_for()
        assert engineer.inner_text().startswith("New")
        assert "changed since your last visit" in engineer.text_content()
        assert page.locator('.md-nav__link[href$="owner/"] .pb-new').count() == 0
        page.goto(url + "what-changed/")
        page.locator(".pb-change--new").first.wait_for()
        assert page.locator(".pb-change--new").count() == 2  # the role and the handoff
        assert "came after it" in page.locator(".pb-visit").inner_text()


def test_a_months_changes_to_one_entity_are_told_together(repo: Path) -> None:
    edit(repo, "handoffs/goal-to-science.yml", "The current baseline", "The baseline")
    commit(repo, "Shorter", "2026-11-15T09:00:00+00:00")
    markdown = page_of(generate(project_from_options(repo, {})))
    november = markdown[markdown.index("## November 2026") : markdown.index("## October 2026")]
    assert november.count("[Goal and metric]") == 1
    assert "- two done-items reworded \\(baseline-known, metric-named\\)" in november
    assert "Why: Shorter; The engineer serves and watches the model" in november
