"""The built site as a reader sees it, in real Chromium: pages render, search finds the right
page, and nothing is requested from another host."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import ROOT, SMALL, serve

pytestmark = pytest.mark.browser


def search(page: Page, site_url: str, query: str) -> list[str]:
    """The links of the result list for ``query``, as a reader sees them (empty if none). The
    home page stays open between queries, as a reader's does, so the search index is built
    once; the box is emptied first, and with it the list, so no result of an earlier query is
    read."""
    if page.url != site_url:
        page.goto(site_url)
    box = page.locator("input.md-search__input")
    for attempt in range(2):
        # The search reads the box when a key is released: an empty box empties the list.
        box.fill("")
        box.press("End")
        page.wait_for_selector(".md-search-result__item", state="detached")
        if attempt == 0:
            box.fill(query)
            box.press("End")  # the query, whole, is the only one searched
        else:
            box.type(query)  # a slow machine may not have had its index ready the first time
        try:
            page.wait_for_selector(".md-search-result__item", timeout=15_000)
        except PlaywrightTimeout:
            continue
        if attempt:
            page.wait_for_timeout(800)  # typed, each letter was searched: let the last settle
        links = page.locator(".md-search-result__item > a")
        hrefs = links.evaluate_all("as => as.map(a => a.href)")
        return [href.removeprefix(site_url) for href in hrefs]
    return []


def test_home_and_role_pages_render(page: Page, site_url: str, tmp_path: Path) -> None:
    page.goto(site_url)
    assert page.title() == "MLOps Team Playbook"
    assert page.locator(".grid.cards li").count() == len(
        list((ROOT / "content" / "roles").glob("*.yml"))
    )
    page.screenshot(path=str(tmp_path / "home.png"))
    page.locator(".grid.cards a", has_text="Data Scientist").click()
    page.wait_for_url("**/roles/data-scientist/")
    heading = page.locator("h1").inner_text()
    assert heading.removesuffix("¶") == "Data Scientist"
    boxes = page.locator(".pb-checklist .task-list-item")
    assert boxes.count() >= 8


# Words readers type, and the page each must find among the first three pages of results.
READER_QUERIES = {
    "feature store": "glossary/",
    "notebook": "guides/ways-of-working-for-data-scientists/",
    "MLOps engineer": "roles/ml-engineer/",
    "product owner": "roles/business-stakeholder/",
    "business sponsor": "roles/business-stakeholder/",
    "DataOps engineer": "roles/data-engineer/",
    "data pipeline": "roles/data-engineer/",
    "who owns monitoring": "lifecycle/operations/",  # its RACI names the owner of each check
    "model monitoring": "lifecycle/operations/",
    "model registry": "glossary/",
    "drift": "lifecycle/operations/",
    "retraining": "handoffs/retraining-triggers-to-data-science/",
    "API contract": "handoffs/model-api-contract-to-software-engineering/",
    "success metrics": "handoffs/business-goals-to-data-science/",
    "onboarding data scientist": "onboarding/data-scientist/",
    "buddy": "onboarding/",
    "RACI": "lifecycle/raci/",
    "stand-up": "guides/one-team-one-backlog/",
    "pairing": "guides/pairing-engineers-and-data-scientists/",
    "first week": "guides/your-first-week/",
    "startup team": "teams/startup/",
    "enterprise": "teams/enterprise/",
    "domain expert": "roles/subject-matter-expert/",
    "SME": "roles/subject-matter-expert/",
    "report writer": "roles/report-writer/",
    "site reliability engineer": "roles/devops-engineer/",
    "SRE": "roles/devops-engineer/",
    "backend engineer": "roles/software-engineer/",
    "UX": "roles/ux-designer/",
    "CI/CD": "glossary/",
}


def top_pages(results: list[str], count: int = 3) -> list[str]:
    pages: list[str] = []
    for result in results:
        page = result.split("#")[0].split("?")[0]
        if page not in pages:
            pages.append(page)
    return pages[:count]


def test_reader_queries_find_their_page_in_the_top_three(page: Page, site_url: str) -> None:
    misses = {}
    for query, expected in READER_QUERIES.items():
        found = top_pages(search(page, site_url, query))
        if expected not in found:
            misses[query] = found
    assert misses == {}, f"expected pages not in the top three: {misses}"


# A glossary term, typed by its name or another name: the first result is the glossary, led by
# the term's own entry, which links to the roles that own it.
GLOSSARY_QUERIES = {
    "feature store": "feature-store",
    "model registry": "model-registry",
    "CI/CD": "ci-cd",
    "runbook": "runbook",
    "ELT": "etl",
    "IaC": "infrastructure-as-code",
    "Jupyter notebook": "notebook",
}


def test_a_glossary_term_is_found_as_its_own_entry_leading_to_its_roles(
    page: Page, site_url: str
) -> None:
    misses = {}
    for query, term in GLOSSARY_QUERIES.items():
        found = [
            link.split("?")[0] + "#" + link.partition("#")[2]
            for link in search(page, site_url, query)
        ]
        if found[:2] != ["glossary/#", f"glossary/#{term}"]:
            misses[query] = found[:3]
    assert misses == {}, f"a term's entry is not the first result: {misses}"
    glossary = yaml.safe_load((ROOT / "content" / "glossary.yml").read_text(encoding="utf-8"))
    owners = next(t["related_roles"] for t in glossary["terms"] if t["id"] == "feature-store")
    page.goto(site_url + "glossary/#feature-store")
    entry = page.locator("h2#feature-store ~ p", has_text="Roles that own it").first
    links = entry.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert links == [f"{site_url}roles/{role}/" for role in owners]


def test_the_site_requests_nothing_from_other_hosts(page: Page, site_url: str) -> None:
    paths = (
        "",
        "roles/",
        "roles/data-scientist/",
        "handoffs/",
        "lifecycle/",
        "lifecycle/raci/",
        "onboarding/data-scientist/",
        "glossary/",
        "tags/",
    )
    for path in paths:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    hosts = {urlparse(url).netloc for url in page.requested}
    assert hosts == {urlparse(site_url).netloc}


# Appended to every text of the small fixture, one after another.
# Bidirectional controls are refused by validate (tests/test_pull_request.py), not shown.
HOSTILE_TEXT = [
    text.replace("\u202e", "")
    for text in yaml.safe_load((ROOT / "tests" / "fixtures" / "hostile-text.yml").read_text())
]
REFERENCE_KEYS = {
    "id",
    "from",
    "to",
    "phase",
    "role",
    "accountable",
    "category",
    "raci",
    "when",
    "competency",
    "handoff",
    "format",
}
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
# Elements of a page that run, load or send something, found by what they are, not by whether
# they happened to do so while the test looked: handlers, script URLs, frames and forms.
ACTIVE_ELEMENTS = """() => [...document.querySelectorAll("*")].filter(element =>
    [...element.attributes].some(attribute => attribute.name.startsWith("on")
        || /^\\s*(javascript|data|vbscript):/i.test(attribute.value))
    || ["IFRAME", "OBJECT", "EMBED", "BASE", "META"].includes(element.tagName)
        && element.closest("body")
    || element.tagName === "FORM" && element.closest("article")
    || element.tagName === "SCRIPT" && element.closest("article")
    || element.tagName === "STYLE" && element.closest("article")
).map(element => element.outerHTML.slice(0, 120))"""


# A logo as close to a document as the logo check lets through: a style, a gradient and a
# link inside the file, text that looks like markup, an XML declaration.
HOSTILE_LOGO = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 24 24">
  <title>&lt;script&gt;alert(1)&lt;/script&gt;</title>
  <style>.mark { fill: url(#shade); }</style>
  <defs><linearGradient id="shade"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <path id="peak" class="mark" d="M12 2 2 22h5l5-10 5 10h5z"/>
  <use xlink:href="#peak" x="1"/>
</svg>
"""


def _inject(value: object, key: str, counter: list[int]) -> object:
    """Append hostile text to every text in a content file, leaving ids and references."""
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
        return f"{value} {HOSTILE_TEXT[counter[0] % len(HOSTILE_TEXT)]}"
    return value


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The small fixture with hostile text in every text field, built by `playbook build` (strict,
    as CI builds a fork) and served; yields its URL and the path of every page."""
    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(SMALL, root)
    counter = [0]
    for path in sorted((root / "content").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_inject(data, "", counter), allow_unicode=True))
    assert counter[0] > len(HOSTILE_TEXT)  # every entry lands in at least one text
    (root / "logo.svg").write_text(HOSTILE_LOGO, encoding="utf-8")
    settings = root / "content" / "playbook.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "branding:\n  logo: logo.svg\n")
    config = (ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text(encoding="utf-8")
    hostile_section = "      extra_section: '<img src=x onerror=alert(1)>About'\n"
    config = config.replace(
        "      content: content\n", "      content: content\n" + hostile_section
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "notes.md").write_text("# Notes\n\nHand-written.\n", encoding="utf-8")
    build = [sys.executable, "-m", "generator", "build", "-f", str(root / "mkdocs.yml")]
    subprocess.run(
        build, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    )
    site = root / "site"
    pages = sorted(f"{p.parent.relative_to(site).as_posix()}/" for p in site.rglob("index.html"))
    with serve(site) as url:
        yield url, [page.removeprefix("./") for page in pages]


def test_hostile_text_runs_nothing_and_loads_nothing_from_elsewhere(
    page: Page, hostile_site: tuple[str, list[str]]
) -> None:
    url, pages = hostile_site
    assert len(pages) >= 20
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: events.append(f"page error {error}"))
    page.on(
        "console",
        lambda message: (
            events.append(f"console {message.text}") if message.type == "error" else None
        ),
    )
    for path in pages:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(ACTIVE_ELEMENTS) == [], path
        page.locator("article").hover()
    assert search(page, url, "onerror") != []  # results are written into the page too
    assert events == []
    assert {urlparse(request).netloc for request in page.requested} == {urlparse(url).netloc}
    page.goto(url + "roles/owner/")
    assert "onerror=alert(" in page.inner_text("article")  # shown, as the characters it is
    logo = page.evaluate("document.querySelector('.md-logo img').getAttribute('src')")
    before = len(page.requested)
    page.goto(urljoin(url + "roles/owner/", logo))  # the logo opened on its own
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.localName") == "svg"
    assert page.evaluate("document.querySelectorAll('script, foreignObject').length") == 0
    # The browser asks the site for a favicon for a document that names none.
    opened = [urlparse(request).path for request in page.requested[before:]]
    assert [path for path in opened if path != "/favicon.ico"] == [
        urlparse(urljoin(url, logo)).path
    ]
    assert [event for event in events if "404" not in event] == []
