"""The careers pages as a reader sees them in real Chromium: search finds a role by a competency
or a level, the skills matrix prints across one A4 landscape sheet, the self-assessment sheet
prints with its boxes, and no page is wider than a laptop or a phone."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from test_browser import search, top_pages

from generator.build import check
from generator.pipeline.link import LinkedPlaybook
from generator.project import read_project

from conftest import ROOT

pytestmark = pytest.mark.browser

MATRIX = "careers/skills-matrix/"
PAGES = (
    MATRIX,
    "careers/interviews/data-scientist/",
    "careers/interviews/security-engineer/",
    "careers/self-assessment/data-scientist/",
    "careers/self-assessment/head-of-ml/",
    "roles/data-scientist/",
)
A4_LANDSCAPE = (842, 595)  # points, rounded


@pytest.fixture(scope="module")
def playbook() -> LinkedPlaybook:
    return check(read_project(ROOT / "mkdocs.yml"))[0]


def test_search_finds_a_role_by_a_competency_or_a_level(
    page: Page, site_url: str, playbook: LinkedPlaybook
) -> None:
    competency = playbook.competencies["responsible-ml"]
    needing = {f"roles/{role.id}/" for role in playbook.roles_needing[competency.id]}
    found = top_pages(search(page, site_url, competency.title))
    assert found and set(found) <= needing, found
    level = playbook.levels["practitioner"]
    results = search(page, site_url, level.title)[:4]
    assert any(
        re.fullmatch(rf"roles/[a-z-]+/\?h=[^#]*#level-{level.id}", result) for result in results
    ), results


def test_no_careers_page_is_wider_than_the_screen(browser: Browser, site_url: str) -> None:
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in PAGES:
            page.goto(site_url + path)
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wider <= 0, f"{path} at {width} px: {wider} px too wide"
            if path == MATRIX:
                continue  # the matrix scrolls under its role column, kept in view
            # every box to tick and every line of a guide is in view without scrolling sideways
            scrolled = page.evaluate(
                "[...document.querySelectorAll('.md-typeset__scrollwrap')]"
                ".map(wrap => wrap.scrollWidth - wrap.clientWidth)"
            )
            assert max(scrolled, default=0) <= 0, f"a table of {path} scrolls at {width} px"
        context.close()


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils")
def test_the_skills_matrix_prints_on_a4_landscape(
    page: Page, site_url: str, tmp_path: Path, playbook: LinkedPlaybook
) -> None:
    page.goto(site_url + MATRIX)
    pdf = tmp_path / "matrix.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9", str(pdf)], capture_output=True, text=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes and {(round(float(w)), round(float(h))) for w, h in sizes} == {A4_LANDSCAPE}
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    for role in playbook.roles.values():  # every row on the first sheet
        assert role.title in first, role.title
    assert "Search" not in first
    # Nothing of the matrix is cut off at the sheet's edge: laid out at the sheet's width, it
    # fits (A4 landscape less the margins, in CSS pixels).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1030, "height": 700})
    overflow = page.locator(".pb-matrix table").evaluate("t => t.scrollWidth - t.clientWidth")
    right = page.locator(".pb-matrix table").evaluate("t => t.getBoundingClientRect().right")
    assert overflow <= 0 and right <= 1030


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils")
def test_a_self_assessment_sheet_prints_with_boxes_and_lines(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(site_url + "careers/self-assessment/data-scientist/")
    pdf = tmp_path / "sheet.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 3  # type: ignore[union-attr]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for label in ("Name", "Current level", "Manager", "Consistently", "Evidence", "signature"):
        assert label in text, label
    page.emulate_media(media="print")
    box = page.locator(".pb-box").first.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopColor, s.width, s.height]; }"
    )
    assert box[0] == "rgb(0, 0, 0)" and box[1] == box[2]


def test_two_levels_of_a_role_compare_side_by_side_without_script(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(site_url + "roles/data-scientist/")
    shown = (
        "[...document.querySelectorAll('.pb-compare th')]"
        ".filter(th => getComputedStyle(th).display !== 'none').map(th => th.textContent.trim())"
    )
    assert page.evaluate(shown) == ["Competency", "Senior", "Staff"]
    page.locator(".pb-compare fieldset").nth(1).get_by_text("Principal").click()
    assert page.evaluate(shown) == ["Competency", "Senior", "Principal"]
    wrap = page.locator(".pb-compare .md-typeset__scrollwrap, .pb-compare table").first
    assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    page.emulate_media(media="print")  # the sheet holds the two picked, not the picker
    assert page.evaluate(shown) == ["Competency", "Senior", "Principal"]
    assert not page.locator(".pb-compare__pick").is_visible()
    context.close()
