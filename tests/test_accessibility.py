"""Accessibility, checked by axe-core in real Chromium: the pages people use most have no
serious or critical violation, in the light and the dark palette."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "role": "roles/data-scientist/",
    "handoff": "handoffs/model-package-to-ml-engineering/",
    "matrix": "lifecycle/raci/",
    "checklist": "onboarding/data-scientist/",
    "swimlane": "lifecycle/",
    "collaboration map": "roles/",
    "skills matrix": "careers/skills-matrix/",
    "interview guide": "careers/interviews/data-scientist/",
    "self-assessment": "careers/self-assessment/data-scientist/",
    "what changed": "what-changed/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violations(browser: Browser, site_url: str, scheme: str) -> None:
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        violations = axe.run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = serious
    context.close()
    assert found == {}
