"""Every page of the bundled playbook laid out as readers meet it: on a laptop (1280 px) and a
phone (390 px), in the light and the dark palette, and printed on A4. Nothing may be wider than
its box unless the box shows that it scrolls, no diagram label may leave its picture, no word
may be cut, and no heading may run to three lines (tests/layout_problems.js says how each is
found). One browser visits the pages, several at a time."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from playwright.async_api import Browser, Page, async_playwright

from conftest import chromium_or_skip

pytestmark = pytest.mark.browser

CHECKS = (Path(__file__).parent / "layout_problems.js").read_text(encoding="utf-8")
WIDTHS = (1280, 390)
# A4 less the stylesheet's page margins (12 mm each side), in CSS pixels of 1/96 inch.
A4_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
TABS = 3  # pages open at once
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Search is not laid out on a page; leaving its index unread saves the browser a second a page.
UNREAD = ("**/search/search_index.json", "**/workers/search*", "**/sitemap.xml")
# The palettes, set as the palette toggle sets them.
DARK = "document.body.setAttribute('data-md-color-scheme', 'slate')"
LIGHT = "document.body.setAttribute('data-md-color-scheme', 'default')"
# Besides one page of each folder: pages that are a kind of their own in a folder of others.
OWN_KIND = ("lifecycle/raci/",)


def site_pages(site_url: str) -> list[str]:
    """Every page of the site, as search knows them."""
    with urlopen(site_url + "search/search_index.json") as response:
        index = json.load(response)
    return sorted({doc["location"].split("#")[0] for doc in index["docs"]})


def page_kinds(pages: list[str]) -> list[str]:
    """One page of each kind: the home page, each index, one entity page of each folder."""
    chosen: dict[tuple[str, bool], str] = {}
    for path in pages:
        parts = path.strip("/").split("/")
        chosen.setdefault((parts[0], len(parts) > 1), path)
    return sorted({*chosen.values(), *OWN_KIND})


async def _settle(page: Page) -> None:
    """Wait for the frame after a resize, when the page's scripts have redrawn what they mark,
    with the transitions it set off at their end (the header's search box widens at a laptop's
    width)."""
    await page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    await page.evaluate(
        "document.getAnimations().forEach(a => { if (a instanceof CSSTransition) a.finish(); })"
    )


async def _check_page(page: Page, site_url: str, path: str) -> dict[str, dict[str, Any]]:
    """Open ``path`` once and check it as each screen and paper shows it."""
    await page.goto(site_url + path, wait_until="load")
    found: dict[str, dict[str, Any]] = {}
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        await _settle(page)
        found[f"{width} px, light"] = await page.evaluate(CHECKS)
        await page.evaluate(DARK)
        found[f"{width} px, dark"] = await page.evaluate(CHECKS)
        await page.evaluate(LIGHT)
    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": A4_WIDTH, "height": 1100})
    await _settle(page)
    found["A4 paper"] = await page.evaluate(CHECKS)
    await page.emulate_media(media="screen")
    return found


async def _check_all(browser: Browser, site_url: str, pages: list[str]) -> dict:
    """Check every page, several open at once, each loaded once and then resized."""
    context = await browser.new_context(viewport={"width": max(WIDTHS), "height": 900})
    for pattern in UNREAD:
        await context.route(pattern, lambda route: route.abort())
    queue = list(pages)
    found: dict[str, dict[str, Any]] = {}

    async def tab() -> None:
        page = await context.new_page()
        while queue:
            path = queue.pop()
            for where, problems in (await _check_page(page, site_url, path)).items():
                found.setdefault(where, {})[path] = problems

    await asyncio.gather(*(tab() for _ in range(TABS)))
    await context.close()
    return found


async def _print(browser: Browser, site_url: str, pages: list[str], folder: Path) -> None:
    page = await browser.new_page()
    for path in pages:
        await page.goto(site_url + path, wait_until="load")
        name = path.strip("/").replace("/", "-") or "home"
        await page.pdf(path=str(folder / f"{name}.pdf"), format="A4", print_background=True)
    await page.close()


async def _survey(site_url: str, pages: list[str], folder: Path) -> dict[str, dict[str, Any]]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=LAUNCH_ARGS
        )
        found = await _check_all(browser, site_url, pages)
        await _print(browser, site_url, page_kinds(pages), folder)
        await browser.close()
    return found


@dataclass(frozen=True)
class Survey:
    found: dict[str, dict[str, Any]]  # by screen or paper, by page: problems and cut words
    printed: list[str]  # one page of each kind, printed to A4 into folder
    folder: Path


@pytest.fixture(scope="module")
def survey(site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Survey:
    chromium_or_skip()
    folder = tmp_path_factory.mktemp("printed")
    pages = site_pages(site_url)
    assert len(pages) > 60 and "roles/data-scientist/" in pages
    # The async API gets a thread of its own: the other browser tests drive the sync API.
    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(asyncio.run, _survey(site_url, pages, folder)).result()
    return Survey(found, page_kinds(pages), folder)


def test_every_page_fits_its_screen_and_paper(survey: Survey) -> None:
    problems = [
        f"{where}: /{path}: {problem}"
        for where, pages in survey.found.items()
        for path, found in sorted(pages.items())
        for problem in found["problems"]
    ]
    assert problems == [], "\n".join(problems)


def test_no_word_is_cut_short_before_an_ellipsis(site_url: str, survey: Survey) -> None:
    with urlopen(site_url + "search/search_index.json") as response:
        text = " ".join(doc["text"] + " " + doc["title"] for doc in json.load(response)["docs"])
    words = {word.casefold() for word in re.findall(r"\b\w+\b(?!…)", text)}
    cut = {
        word
        for pages in survey.found.values()
        for found in pages.values()
        for word in found["ellipsed"]
        if word.casefold() not in words
    }
    assert cut == set(), f"words cut short: {sorted(cut)}"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_every_kind_of_page_prints_on_a4(survey: Survey) -> None:
    for path in survey.printed:
        name = path.strip("/").replace("/", "-") or "home"
        pdf = survey.folder / f"{name}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Page size:.*\(A4\)", info), path
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert text.strip() and "scroll sideways" not in text, path
        assert "Table of contents" not in text, path  # the page alone, without its sidebars
