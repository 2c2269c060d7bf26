"""The diagrams as readers see them, in Chromium, for playbooks of 20 and 40 synthetic roles
(``bench/synthetic.py``) at a laptop's and a phone's width: no text is drawn under 12 CSS
pixels, no two names of the collaboration map overlap, and pointing at or focusing a role's
name picks out that role's bands. Screenshots of each are kept under the test's folder."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import ROOT, build_site, serve

sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_content

pytestmark = pytest.mark.browser

ROLES = (20, 40)
WIDTHS = (1280, 390)

# Every text of the shown drawings of a page: its size on screen, and its box.
TEXTS = """() => [...document.querySelectorAll("svg.pb-diagram")]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => [...svg.querySelectorAll("text")].map(text => {
        const box = text.getBoundingClientRect();
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        return {text: text.textContent, size, box: [box.left, box.top, box.right, box.bottom],
                map: svg.classList.contains("pb-map")};
    }))"""


@pytest.fixture(scope="module", params=ROLES, ids=lambda n: f"{n}-roles")
def synthetic_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    root = tmp_path_factory.mktemp(f"synthetic-{request.param}")
    for name in ("mkdocs.yml", "site_overrides", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    write_content(request.param, root / "content")
    site = build_site(root / "mkdocs.yml", root / "site")
    with serve(site) as url:
        yield url


def _open(browser: Browser, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    return context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_diagram_text_is_never_under_12_pixels(
    browser: Browser, synthetic_url: str, width: int, tmp_path: Path
) -> None:
    page = _open(browser, width)
    try:
        for path in ("lifecycle/", "roles/"):
            page.goto(synthetic_url + path)
            texts = page.evaluate(TEXTS)
            assert texts, path
            small = [t for t in texts if t["size"] < 11.95]
            assert small == [], (path, small[:5])
            name = path.strip("/") or "home"
            page.locator(".pb-figure").first.screenshot(path=str(tmp_path / f"{name}-{width}.png"))
    finally:
        page.context.close()


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("width", WIDTHS)
def test_pointing_at_a_role_picks_out_its_bands_and_no_names_overlap(
    browser: Browser, synthetic_url: str, width: int, tmp_path: Path
) -> None:
    page = _open(browser, width)
    try:
        page.goto(synthetic_url + "roles/")
        boxes = [t["box"] for t in page.evaluate(TEXTS) if t["map"]]
        clashes = [(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1 :] if _overlap(a, b)]
        assert clashes == []
        shape = "wide" if width > 800 else "narrow"
        shown = page.locator(f"svg.pb-map.pb-diagram--{shape}")
        assert shown.is_visible()
        # a laptop: the giver's name picks out the bands it gives, a receiver's those it takes;
        # a phone, one row a role: the row picks out both
        sides = (("giver", "from"), ("receiver", "to")) if shape == "wide" else (("both", ""),)
        for n, (side, end) in enumerate(sides):
            role = shown.locator(f'.pb-role[data-side="{side}"]:not(:has(.pb-label--idle))').first
            name = role.get_attribute("data-role")
            role.scroll_into_view_if_needed()
            if n == 0:
                role.hover()
            else:
                page.mouse.move(0, 0)
                assert shown.locator(".pb-flow--on").count() == 0
                role.focus()
            mine = (
                f'.pb-flow[data-{end}="{name}"]'
                if end
                else f'.pb-flow[data-from="{name}"], .pb-flow[data-to="{name}"]'
            )
            on = shown.locator(".pb-flow--on").evaluate_all(
                "bands => bands.map(b => b.dataset.from + ' ' + b.dataset.to)"
            )
            expected = shown.locator(mine).evaluate_all(
                "bands => bands.map(b => b.dataset.from + ' ' + b.dataset.to)"
            )
            assert on and sorted(on) == sorted(expected)
            faint = shown.locator(".pb-flow:not(.pb-flow--on)").first
            if faint.count():
                assert float(faint.evaluate("b => getComputedStyle(b).strokeOpacity")) < 0.2
            page.screenshot(path=str(tmp_path / f"map-{width}-{side}.png"))  # as it is, picked
    finally:
        page.context.close()
