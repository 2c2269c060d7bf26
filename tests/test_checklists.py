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


def count(page: Page, summary: str) -> str:
    return page.locator(f"{summary} .pb-progress__count").first.inner_text()


PACK_SUMMARY = ".pb-progress--pack"
FIRST_DAY_GROUP = "h2#first-day + .pb-group > .pb-progress--group"


def test_ticks_survive_a_reload_and_instant_navigation(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    assert ticked(page, FIRST_DAY) == [False, False, False]
    total = int(count(page, PACK_SUMMARY).split(" of ")[1].split()[0])
    tick(page, FIRST_DAY, 0)
    tick(page, FIRST_DAY, 2)
    assert count(page, PACK_SUMMARY) == f"2 of {total} done"
    assert count(page, FIRST_DAY_GROUP).startswith("2 of ")

    page.reload()
    assert ticked(page, FIRST_DAY) == [True, False, True]
    assert count(page, PACK_SUMMARY) == f"2 of {total} done"

    # Instant navigation: the role page is swapped in without a reload, then back again.
    page.locator(".md-content a[href$='roles/data-scientist/']").first.click()
    page.wait_for_url("**/roles/data-scientist/")
    assert ticked(page, FIRST_DAY) == [True, False, True]  # the same checklist, shared
    assert count(page, FIRST_DAY) == "2 of 3 done"  # a role page sums up each list
    page.go_back()
    page.wait_for_url("**/" + PACK)
    assert ticked(page, FIRST_DAY) == [True, False, True]
    assert count(page, PACK_SUMMARY) == f"2 of {total} done"


def test_a_pack_sums_up_its_progress_once_and_once_per_group(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    groups = page.locator(".md-content h2").count()
    assert page.locator(".pb-progress").count() == 1 + groups
    assert page.locator(".pb-progress--pack .pb-progress__reset").count() == 1
    assert page.locator(".pb-progress__reset").count() == 1
    assert page.locator(".pb-checklist .pb-progress").count() == 0


def test_a_click_on_an_item_text_ticks_it(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    item = page.locator(f"{FIRST_DAY} li.task-list-item").nth(1)
    item.click(position={"x": 120, "y": 8})  # on the words, well clear of the box
    assert ticked(page, FIRST_DAY) == [False, True, False]
    item.click(position={"x": 120, "y": 8})
    assert ticked(page, FIRST_DAY) == [False, False, False]


def test_a_tick_saved_for_other_wording_is_dropped(page: Page, site_url: str) -> None:
    page.goto(site_url + PACK)
    key = "playbook:tick:roles/data-scientist/onboarding/first-day#get-experiment-tracker-access"
    page.evaluate(f"localStorage.setItem('{key}', 'fingerprint-of-an-older-wording')")
    page.reload()
    assert ticked(page, FIRST_DAY)[0] is False
    assert page.evaluate(f"localStorage.getItem('{key}')") is None


def test_clear_ticks_resets_the_pack_or_one_checklist(page: Page, site_url: str) -> None:
    page.goto(site_url + "roles/data-scientist/")
    tick(page, FIRST_DAY, 1)
    page.locator(f"{FIRST_DAY} .pb-progress__reset").click()
    assert ticked(page, FIRST_DAY) == [False, False, False]
    page.goto(site_url + PACK)
    tick(page, FIRST_DAY, 1)
    last = page.locator(".pb-checklist").last
    last.locator("label.task-list-control").first.dispatch_event("click")
    page.locator(f"{PACK_SUMMARY} .pb-progress__reset").click()
    assert page.locator(".pb-checklist input:checked").count() == 0
    page.reload()
    assert page.locator(".pb-checklist input:checked").count() == 0


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
    # The box stands on the text's baseline, a little apart from the text.
    bottom, baseline, gap = page.locator(".pb-checklist li.task-list-item").first.evaluate(
        """item => {
            const probe = document.createElement("span");
            probe.style.display = "inline-block";  // an empty inline block sits on the baseline
            item.insertBefore(probe, item.querySelector(".task-list-control").nextSibling);
            const text = probe.getBoundingClientRect();
            probe.remove();
            const box = getComputedStyle(item.querySelector(".task-list-indicator"), "::before");
            const at = item.getBoundingClientRect();
            const right = at.left + parseFloat(box.left) + parseFloat(box.width);
            return [at.top + parseFloat(box.top) + parseFloat(box.height), text.bottom, text.left - right];
        }"""
    )
    assert abs(bottom - baseline) <= 1.5 and gap >= 4, (bottom, baseline, gap)


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
