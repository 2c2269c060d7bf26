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


# Questions and keywords as readers type them, each with the pages that answer it; one of them
# must be among the first three pages of results. Where several pages answer (the phase whose
# activity names who is on call, the handoff to that role, the role itself), each is listed;
# "onboarding/*" is any onboarding pack. The README reports the share found.
ON_CALL = (
    "lifecycle/deployment/",
    "handoffs/operations-handover-to-devops/",
    "roles/devops-engineer/",
    "guides/on-call-and-incident-response-for-ml/",  # who is paged, and for what
    "artefacts/runbook/",  # its escalation section names the rotas
)
QUESTIONS: dict[str, tuple[str, ...]] = {
    "who approves a model release": ("lifecycle/deployment/",),
    "who decides on full rollout": ("lifecycle/deployment/",),
    "who is accountable for monitoring": ("lifecycle/deployment/", "lifecycle/operations/"),
    "who is on call": ON_CALL,
    "on-call": ON_CALL,
    "on-call rota": ON_CALL,
    "EU AI Act": (
        "guides/eu-ai-act-and-regulation/",
        "guides/responsible-ai-and-governance/",
    ),
    "budget": ("lifecycle/design/", "lifecycle/intake/"),
    "model registry": ("glossary/",),
    "microservice": ("glossary/",),
    "what does a data steward do": ("roles/data-steward/",),
    "what does the ML engineer do": ("roles/ml-engineer/",),
    "model card": ("artefacts/model-card/", "glossary/"),
    "what goes in a model card": ("artefacts/model-card/", "glossary/"),
    "what to do in my first week": ("guides/your-first-week/",),
    "print onboarding checklist": ("onboarding/*",),
    "how do I print a checklist": ("onboarding/*",),
    "who signs off the threat model": ("lifecycle/design/", "artefacts/threat-model/"),
    "who approves the solution architecture": ("lifecycle/design/",),
    "who decides to retrain the model": ("lifecycle/operations/",),
    "who is accountable for the release pipeline": ("lifecycle/deployment/",),
    "who validates a model": ("roles/model-validator/",),
    "independent validation": ("roles/model-validator/",),
    "risk class": (
        "lifecycle/design/",
        "glossary/",
        "guides/responsible-ai-and-governance/",
    ),
    "fairness assessment": ("lifecycle/development/",),
    "prompt injection": (
        "handoffs/llm-release-to-security-testing/",
        "glossary/",
        "guides/building-llm-applications/",
    ),
    "canary release": ("lifecycle/deployment/", "glossary/"),
    "A/B test": ("glossary/",),
    "data contract": ("handoffs/data-contract-to-data-engineering/",),
    "data lineage": ("handoffs/lineage-records-to-data-stewardship/",),
    "incident review": ("handoffs/incident-review-to-ml-engineering/",),
    "running costs": ("handoffs/running-costs-to-head-of-ml/",),
    # staffing the team in design; changes to its staffing, decided at each review, in operations
    "who staffs the team": ("lifecycle/design/", "roles/head-of-ml/", "lifecycle/operations/"),
    "security engineer": ("roles/security-engineer/",),
    "threat model": ("handoffs/threat-model-to-solution-architecture/",),
    "guardrails": ("lifecycle/deployment/", "glossary/", "guides/building-llm-applications/"),
    "interview questions data engineer": ("careers/interviews/data-engineer/",),
    "skills matrix": ("careers/skills-matrix/",),
    "self-assessment": ("careers/self-assessment/",),
    "how do we fork the playbook": ("make-it-your-own/",),
    "anti-patterns": ("guides/anti-patterns/",),
    "who is responsible for feature engineering": ("lifecycle/development/",),
    "what is a runbook": ("artefacts/runbook/", "glossary/"),
    "who accepts the service into operations": ("lifecycle/deployment/",),
    "model inventory": ("lifecycle/deployment/", "glossary/", "artefacts/model-inventory-entry/"),
    "who owns the model in production": ("roles/model-owner/", "glossary/"),
    "lawful basis for data": ("lifecycle/design/", "glossary/"),
    "who chooses the foundation model": ("lifecycle/design/",),
}
# The questions the last round of readers could not answer: each must be found.
MUST_FIND = (
    "who approves a model release",
    "on-call",
    "EU AI Act",
    "budget",
    "model registry",
    "microservice",
)
FOUND_AT_LEAST = 46  # of the 48 above, as measured when the set was written (README)


def answers(found: list[str], expected: tuple[str, ...]) -> bool:
    return any(
        page.startswith(want[:-1]) if want.endswith("*") else page == want
        for page in found
        for want in expected
    )


def test_readers_questions_find_an_answer_in_the_top_three(page: Page, site_url: str) -> None:
    misses = {}
    for query, expected in QUESTIONS.items():
        found = top_pages(search(page, site_url, query))
        if not answers(found, expected):
            misses[query] = found
    found_count = len(QUESTIONS) - len(misses)
    print(f"reader questions: {found_count} of {len(QUESTIONS)} in the top three; missed {misses}")
    assert not set(MUST_FIND) & set(misses), misses
    assert found_count >= FOUND_AT_LEAST, misses


def test_short_words_and_stop_words_are_whole_words_and_hidden_tags_stay_hidden(
    page: Page, site_url: str
) -> None:
    # "a" and "who" match no longer word ("Analyst", "AI", "whom"): alone, they find nothing.
    assert search(page, site_url, "who a") == []
    found = top_pages(search(page, site_url, "who approves a model release"))
    assert "roles/data-analyst/" not in found and "roles/ai-engineer/" not in found, found
    # A role's other names find it, but show as no chip in the results.
    assert "roles/business-stakeholder/" in top_pages(search(page, site_url, "product owner"))
    chips = page.locator(".md-search-result .md-tag").all_inner_texts()
    assert chips, "the shown tags (category, phases) are still there"
    hidden = [c for c in chips if c.startswith("Also known as") or c.endswith("(competency)")]
    assert hidden == []


# A glossary term, typed by its name or another name: the first result is the glossary, led by
# the term's own entry, which links to the roles that own it. (A term that is also an artefact,
# such as a runbook, leads to the artefact's page instead: the reader questions check those.)
GLOSSARY_QUERIES = {
    "feature store": "feature-store",
    "model registry": "model-registry",
    "CI/CD": "ci-cd",
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


# The first column of a phase's RACI grid as a reader sees it once the roles have been scrolled
# sideways: where it was, whether anything lies over its text, and the fade of its box.
STICKY = """() => {
    const box = document.querySelector(".pb-raci--grid .md-typeset__scrollwrap");
    box.scrollLeft = box.scrollWidth;
    box.dispatchEvent(new Event("scroll"));
    return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
        const cells = [...box.querySelectorAll("tbody td:first-child")];
        const edge = box.getBoundingClientRect().left;
        const covered = cells.filter(cell => {
            const r = cell.getBoundingClientRect();
            const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
            if (r.top < header || r.bottom > innerHeight) return false;  // out of sight
            const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
            return !(hit && cell.contains(hit));
        }).map(cell => cell.textContent);
        const lefts = cells.map(cell => Math.round(cell.getBoundingClientRect().left - edge));
        done({scrolled: box.scrollLeft, marks: box.dataset.pbScrolls || "",
              mask: getComputedStyle(box).maskImage || getComputedStyle(box).webkitMaskImage,
              covered, lefts: [...new Set(lefts)],
              overflow: box.scrollWidth - box.clientWidth});
    })));
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_a_raci_grid_on_a_phone_keeps_its_activity_column_in_view_and_clear(
    page: Page, site_url: str, scheme: str, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "lifecycle/raci/")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.locator(".pb-raci--grid").first.scroll_into_view_if_needed()
    seen = page.evaluate(STICKY)
    assert seen["overflow"] > 0 and seen["scrolled"] > 0  # the roles do not fit: it scrolls
    assert "left" in seen["marks"]
    assert seen["lefts"] == [0], seen  # every activity's cell stays at the box's left edge
    assert seen["covered"] == []
    # no fade over the column: the box fades, if at all, from the right
    assert seen["mask"] in ("none", "") or "to left" in seen["mask"], seen["mask"]
    page.screenshot(path=str(tmp_path / f"raci-{scheme}.png"))


def test_a_raci_grid_prints_whole_with_no_fade(page: Page, site_url: str) -> None:
    page.goto(site_url + "lifecycle/raci/")
    page.emulate_media(media="print")
    box = page.locator(".pb-raci--grid .md-typeset__scrollwrap").first
    assert box.evaluate("b => getComputedStyle(b).maskImage") in ("none", "")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")


# The entries of the navigation a reader sees at its top: the section's name kept there, and the
# first entry under it with how much of it that name hides (0 when it shows whole).
NAV_TOP = """() => {
    const wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
    let covered = wrap.getBoundingClientRect().top;
    for (const link of wrap.querySelectorAll(".md-nav__title, .md-nav__link")) {
        const box = link.getBoundingClientRect();
        if (getComputedStyle(link).position === "sticky") {
            covered = Math.max(covered, box.bottom);
            continue;
        }
        if (box.height && box.bottom > covered)
            return {scrolled: wrap.scrollTop, hidden: Math.max(0, covered - box.top),
                    text: link.textContent.trim()};
    }
    return null;
}"""


@pytest.mark.parametrize("path", ["handoffs/", "handoffs/operations-handover-to-devops/"])
def test_the_navigation_opens_with_its_first_entry_whole(
    page: Page, site_url: str, path: str
) -> None:
    page.goto(site_url + path)
    page.wait_for_timeout(500)  # Material scrolls it to the current page, then the page's script
    top = page.evaluate(NAV_TOP)
    assert top is not None and top["hidden"] < 1, top
