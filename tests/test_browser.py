"""The built site as a reader sees it, in real Chromium: pages render, search finds the right
page, and nothing is requested from another host."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, chromium_or_skip

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser") / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    yield from _serve(site)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, site_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.requested = []
    opened.on("request", lambda request: opened.requested.append(request.url))
    yield opened
    context.close()


def search(page: object, site_url: str, query: str) -> list[str]:
    page.goto(site_url)  # type: ignore[attr-defined]
    page.fill("input.md-search__input", query)  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item")  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]  # let the whole query's results settle
    links = page.locator(".md-search-result__item > a")  # type: ignore[attr-defined]
    return [href.removeprefix(site_url) for href in links.evaluate_all("as => as.map(a => a.href)")]


def test_home_and_role_pages_render(page: object, site_url: str, tmp_path: Path) -> None:
    page.goto(site_url)  # type: ignore[attr-defined]
    assert page.title() == "MLOps Team Playbook"  # type: ignore[attr-defined]
    assert page.locator(".grid.cards li").count() == 14  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "home.png"))  # type: ignore[attr-defined]
    page.locator(".grid.cards a", has_text="Data Scientist").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/roles/data-scientist/")  # type: ignore[attr-defined]
    heading = page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert heading.removesuffix("¶") == "Data Scientist"
    boxes = page.locator(".pb-checklist .task-list-item")  # type: ignore[attr-defined]
    assert boxes.count() >= 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("feature store", "glossary/#feature-store"),
        ("notebook", "guides/ways-of-working-for-data-scientists/"),
        ("MLOps engineer", "roles/ml-engineer/"),
        ("DataOps engineer", "roles/data-engineer/"),
    ],
)
def test_search_finds_the_page_a_reader_means(
    page: object, site_url: str, query: str, expected: str
) -> None:
    results = search(page, site_url, query)
    assert any(result.startswith(expected.split("#")[0]) for result in results[:3]), results


def test_the_site_requests_nothing_from_other_hosts(page: object, site_url: str) -> None:
    for path in ("", "roles/data-scientist/", "handoffs/", "glossary/"):
        page.goto(site_url + path)  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    hosts = {urlparse(url).netloc for url in page.requested}  # type: ignore[attr-defined]
    assert hosts == {urlparse(site_url).netloc}


PAYLOADS = (
    "<script>window.__xss = 1</script>",
    '<img src="x" onerror="window.__xss = 1">',
    '"><svg onload="window.__xss = 1">',
)
REFERENCE_KEYS = {"id", "from", "to", "phase", "role", "accountable", "category", "raci", "when"}
REFERENCE_LISTS = {
    "responsible",
    "consulted",
    "informed",
    "covers",
    "audience",
    "related_roles",
    "sources",
    "phases",
}


def _inject(value: object, key: str, counter: list[int]) -> object:
    """Append a script payload to every text in a content file, leaving ids and references."""
    if isinstance(value, dict):
        return {
            k: _inject(v, k, counter) if k not in REFERENCE_KEYS else v for k, v in value.items()
        }
    if isinstance(value, list):
        if key in REFERENCE_LISTS and all(isinstance(item, str) for item in value):
            return value
        return [_inject(item, key, counter) for item in value]
    if isinstance(value, str):
        counter[0] += 1
        return f"{value} {PAYLOADS[counter[0] % len(PAYLOADS)]}"
    return value


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import shutil

    import yaml

    from conftest import SMALL

    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(SMALL, root)
    counter = [0]
    for path in (root / "content").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_inject(data, "", counter), allow_unicode=True))
    assert counter[0] > 60  # every text of every file
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    site = root / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    yield from _serve(site)


def _serve(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_script_in_any_text_field_never_runs(page: object, hostile_site_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    paths = [
        "",
        "roles/",
        "roles/owner/",
        "roles/engineer/",
        "lifecycle/build/",
        "handoffs/",
        "handoffs/goal-to-science/",
        "guides/pairing/",
        "teams/",
        "teams/tiny/",
        "glossary/",
        "sources/",
    ]
    for path in paths:
        page.goto(hostile_site_url + path)  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        assert page.evaluate("window.__xss") is None, path  # type: ignore[attr-defined]
    page.fill("input.md-search__input", "onerror")  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]
    assert page.evaluate("window.__xss") is None  # type: ignore[attr-defined]
    assert dialogs == []
    page.goto(hostile_site_url + "roles/owner/")  # type: ignore[attr-defined]
    assert "<script>window.__xss = 1</script>" in page.inner_text("article")  # type: ignore[attr-defined]
