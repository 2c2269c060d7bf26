"""End to end: real MkDocs (or ProperDocs) builds with --strict, checked in the HTML they write."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.build import check
from generator.project import read_project

from conftest import ROOT, Built, mkdocs_build


@pytest.fixture(scope="module")
def bundled_site(bundled_build: Built) -> Path:
    assert bundled_build.returncode == 0, bundled_build.stderr
    assert not re.search(r"^(WARNING|ERROR)", bundled_build.stderr, re.M), bundled_build.stderr
    return bundled_build.site


def test_every_entity_of_the_bundled_content_has_a_page(bundled_site: Path) -> None:
    playbook, warnings = check(read_project(ROOT / "mkdocs.yml"))
    assert warnings == []
    folders = {
        "roles": playbook.roles,
        "lifecycle": playbook.phases,
        "handoffs": playbook.handoffs,
        "guides": playbook.guides,
        "teams": playbook.teams,
    }
    for folder, entities in folders.items():
        for entity_id, entity in entities.items():
            html = (bundled_site / folder / entity_id / "index.html").read_text()
            assert "<h1" in html and entity.title.replace("&", "&amp;") in html
    for page in (
        "index.html",
        "glossary/index.html",
        "sources/index.html",
        "content-model/index.html",
    ):
        assert (bundled_site / page).is_file()


def test_a_role_page_links_both_ways(bundled_site: Path) -> None:
    html = (bundled_site / "roles" / "data-scientist" / "index.html").read_text()
    assert 'href="../../handoffs/model-package-to-ml-engineering/"' in html  # gives
    assert 'href="../../handoffs/curated-data-to-data-science/"' in html  # receives
    assert 'href="../../guides/pairing-engineers-and-data-scientists/"' in html
    assert 'href="../../lifecycle/development/"' in html
    assert "Onboarding checklist" in html and 'class="task-list-item"' in html
    handoff = (
        bundled_site / "handoffs" / "model-package-to-ml-engineering" / "index.html"
    ).read_text()
    assert (
        'href="../../roles/data-scientist/"' in handoff
        and 'href="../../roles/ml-engineer/"' in handoff
    )


def test_the_navigation_is_grouped_and_search_indexes_every_page(bundled_site: Path) -> None:
    html = (bundled_site / "roles" / "index.html").read_text()
    labels = re.findall(
        r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', html
    )
    assert [label for label in labels if label in ("Business", "Technical", "Supporting")] == [
        "Business",
        "Technical",
        "Supporting",
    ]
    index = (bundled_site / "search" / "search_index.json").read_text()
    assert '"location":"roles/ml-engineer/"' in index
    assert "feature store" in index.lower()


def test_the_site_requests_nothing_from_other_hosts(bundled_site: Path) -> None:
    for page in bundled_site.rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', text):
            assert (
                url.startswith("https://squidfunk.github.io") is False and "/assets/" not in url
            ), url


def test_edit_links_point_at_the_yaml_source(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", project)
    config = yaml.safe_load((ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text())
    config.update(repo_url="https://git.example.org/acme/playbook", edit_uri="edit/main/")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (project / "docs").mkdir()
    (project / "docs" / "about.md").write_text("# About us\n\nHand-written.\n")
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    role = (tmp_path / "site" / "roles" / "owner" / "index.html").read_text()
    assert 'href="https://git.example.org/acme/playbook/edit/main/content/roles/owner.yml"' in role
    about = (tmp_path / "site" / "about" / "index.html").read_text()
    assert 'href="https://git.example.org/acme/playbook/edit/main/docs/about.md"' in about
    assert 'href="about/"' in (tmp_path / "site" / "index.html").read_text()  # in the nav


def test_a_content_error_fails_the_mkdocs_build_with_its_location(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", project)
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs").mkdir()
    handoff = project / "content" / "handoffs" / "goal-to-science.yml"
    handoff.write_text(handoff.read_text().replace("to: scientist", "to: scientst"))
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert (
        "content/handoffs/goal-to-science.yml:4:5: error: unknown role 'scientst' "
        "(did you mean 'scientist'?)" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_the_content_model_page_agrees_with_the_content() -> None:
    """The examples of docs/content-model.md that name a real activity or decision say what
    the bundled content says, the `when` values are the model's, and no count of the bundled
    content is written out (it would go stale with the next role)."""
    from typing import get_args

    from generator.content.model import When

    text = (ROOT / "docs" / "content-model.md").read_text()
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    found = {
        item.id: item
        for phase in playbook.phases.values()
        for item in (*phase.activities, *phase.decisions)
    }
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    examples = [
        item
        for block in blocks
        if isinstance(block, dict)
        for key in ("activities", "decisions")
        for item in block.get(key) or []
    ]
    assert {item["id"] for item in examples} <= set(found), "an example names no real entity"
    for example in examples:
        real = found[example["id"]].model_dump()
        for key in ("title", "text", "by", "activity", "accountable", "responsible", "consulted"):
            if key in example:
                expected = real[key] if not isinstance(real[key], tuple) else list(real[key])
                assert example[key] == expected, f"{example['id']}.{key}"
        for key in ("informed", "produces", "rests_on", "approves", "escalates_to"):
            if example.get(key):
                assert list(example[key]) == list(real[key]) or example[key] == real[key], key
    assert all(f"`{when}`" in text for when in get_args(When))
    counted = r"\b\d+ (roles|phases|handoffs|guides|team shapes|artefacts|glossary terms)\b"
    assert not re.findall(counted, text)
