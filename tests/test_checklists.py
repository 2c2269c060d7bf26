"""Onboarding checklists as people use them, in real Chromium: ticks kept in the browser across
reloads and instant navigation, stale ticks dropped, and every role's pack printed on paper."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import ROOT

pytestmark = pytest.mark.browser

ROLES = sorted(path.stem for path in (ROOT / "content" / "roles").glob("*.yml"))
PACK = "onboarding/data-scientist/"
FIRST_DAY = '.pb-checklist[data-checklist="roles/data-scientist/onboarding/first-day"]'


def tick(page: Page, container: str, index: int) -> None:
    # The box is drawn by CSS around a hidden input; a click on its label is what a reader does.
    page.locator(f"{container} label.task-list-control").nth(index).dispatch_event("click")


def ticked(page: Page, container: str) -> list[bool]:
    boxes = page.locator(f"{container} input[type=checkbox]")
    return [boxes.nth(i).is_checked() for i in range(boxes.count())]


def test_ticks_survive_a_reload_and_instant_navigation(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    assert ticked(page, FIRST_DAY) == [False, False, False]
    tick(page, FIRST_DAY, 0)
    tick(page, FIRST_DAY, 2)
    assert page.locator(f"{FIRST_DAY} .pb-progress__count").inner_text() == "2 of 3 done"

    page.reload()
    assert ticked(page, FIRST_DAY) == [True, False, True]

    # Instant navigation: the role page is swapped in without a reload, then back again.
    page.locator(".md-content a[href$='roles/data-scientist/']").first.click()
    page.wait_for_url("**/roles/data-scientist/")
    assert ticked(page, FIRST_DAY) == [True, False, True]  # the same checklist, shared
    page.go_back()
    page.wait_for_url("**/" + PACK)
    assert ticked(page, FIRST_DAY) == [True, False, True]
    assert page.locator(f"{FIRST_DAY} .pb-progress__count").inner_text() == "2 of 3 done"


def test_a_tick_saved_for_other_wording_is_dropped(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    key = "playbook:tick:roles/data-scientist/onboarding/first-day#get-experiment-tracker-access"
    page.evaluate(f"localStorage.setItem('{key}', 'fingerprint-of-an-older-wording')")
    page.reload()
    assert ticked(page, FIRST_DAY)[0] is False
    assert page.evaluate(f"localStorage.getItem('{key}')") is None


def test_clear_ticks_resets_one_checklist(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    tick(page, FIRST_DAY, 1)
    page.locator(f"{FIRST_DAY} .pb-progress__reset").click()
    assert ticked(page, FIRST_DAY) == [False, False, False]
    page.reload()
    assert ticked(page, FIRST_DAY) == [False, False, False]


def test_on_paper_only_the_page_remains_with_dark_square_boxes(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".pb-progress"):
        assert page.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none"
    box = page.locator(".pb-checklist .task-list-indicator").first.evaluate(
        "e => { const s = getComputedStyle(e, '::before');"
        " return [s.borderTopColor, s.borderTopWidth, s.borderTopStyle, s.width, s.height]; }"
    )
    color, width, style, box_width, box_height = box
    assert color == "rgb(0, 0, 0)" and style == "solid" and float(width.rstrip("px")) >= 1.5
    assert box_width == box_height


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils")
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_pack_prints_on_at_most_two_pages(
    page: Page, site_url: str, tmp_path: Path, paper: str
) -> None:
    for role in ROLES:
        page.goto(f"{site_url}onboarding/{role}/")
        pdf = tmp_path / f"{role}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
        assert 1 <= pages <= 2, f"{role}: {pages} pages on {paper}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        for label in ("Name", "Start date", "Buddy", "Manager", "signature and date"):
            assert label in text, f"{role}: '{label}' missing on paper"
        assert "Search" not in text and "Clear ticks" not in text
