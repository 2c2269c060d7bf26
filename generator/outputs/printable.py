"""A personalised onboarding sheet for one new hire: their name, start date, buddy and manager
filled in and a due date on every group of items, as Markdown, standalone HTML or PDF.

PDF is printed by Chromium through Playwright, an optional extra; everything else needs nothing
beyond the generator itself.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import markdown as markdown_lib
from markupsafe import Markup

from ..content.safety import markdown_text
from ..content.words import SIGN_OFF, WHEN_TITLES
from ..errors import PlaybookError
from ..pipeline.render import template_environment, template_error
from ..project import builtin_templates
from ..views.checklists import (
    Checklist,
    NewHire,
    OnboardingPack,
    due_date,
    long_date,
    markdown_line,
    plain_text,
    sheet_fields,
)

__all__ = [
    "PDF_HELP",
    "SHEET_FORMATS",
    "chromium_page",
    "pdf_bytes",
    "sheet_html",
    "sheet_markdown",
]

SHEET_FORMATS = ("md", "html", "pdf")
# Addresses a printed document could fetch from, which printing refuses.
_NETWORK = re.compile(r"^(https?|ftp|wss?)://", re.IGNORECASE)
PDF_HELP = (
    "PDF output needs Playwright and Chromium: run `.venv/bin/pip install -e '.[pdf]'` "
    "(or `pip install 'mlops-team-playbook[pdf]'`) and install Chromium "
    "(`apt-get install chromium` on Debian or Ubuntu); or write HTML and print it from a browser"
)


def sheet_markdown(
    pack: OnboardingPack, person: NewHire, organization: str, template_dirs: Sequence[Path] = ()
) -> str:
    return _render("sheet.md.j2", pack, person, organization, template_dirs)


def sheet_html(
    pack: OnboardingPack, person: NewHire, organization: str, template_dirs: Sequence[Path] = ()
) -> str:
    return _render("sheet.html.j2", pack, person, organization, template_dirs)


def _render(
    name: str,
    pack: OnboardingPack,
    person: NewHire,
    organization: str,
    template_dirs: Sequence[Path],
) -> str:
    """The sheet from its template, looked up like page templates: a project's own first."""
    markdown = name.endswith(".md.j2")
    env = template_environment(
        [*template_dirs, builtin_templates()],
        autoescape=jinja2.select_autoescape(["html.j2"], default_for_string=False),
        # Each value one line without HTML: no item text or name makes a second item or a tick.
        finalize=(lambda value: markdown_line(str(value))) if markdown else None,
    )
    env.filters.update(plain_text=plain_text, inline=_inline)
    try:
        sheet: str = env.get_template(name).render(
            pack=pack,
            organization=organization,
            fields=sheet_fields(pack.role, person),
            sections=_sections(pack, person),
            starts_guide=_starts_guide,
            sign_off=SIGN_OFF,
        )
    except (jinja2.TemplateError, RecursionError) as exc:
        raise template_error(exc, name) from None
    return sheet


def pdf_bytes(html_text: str, paper: str) -> bytes:
    """Print ``html_text`` with Chromium; raise a clear error if it is missing."""
    with chromium_page() as page:
        page.set_content(html_text)
        printed: bytes = page.pdf(format=paper, print_background=True)
    return printed


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A page of a headless Chromium driven by Playwright that fetches nothing from the
    network, closed afterwards; a clear error if either is missing or Chromium fails."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PlaybookError(PDF_HELP) from None
    executable = os.environ.get("PLAYBOOK_CHROMIUM") or shutil.which("chromium")
    if not executable:
        raise PlaybookError(PDF_HELP)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                page = browser.new_page()
                # What is printed is one document with everything in it: nothing is fetched
                # from elsewhere, whatever a template or a page names.
                page.route(_NETWORK, lambda route: route.abort())
                yield page
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise PlaybookError(f"Chromium could not print the PDF: {exc.message}") from None


def _sections(pack: OnboardingPack, person: NewHire) -> list[tuple[str, tuple[Checklist, ...]]]:
    sections = []
    for when, checklists in pack.groups:
        if checklists:
            due = f" — due {long_date(due_date(person.start, when))}" if person.start else ""
            sections.append((f"{WHEN_TITLES[when]}{due}", checklists))
    if pack.handoffs.items:
        due = ""
        if person.start:
            due = f" — by {long_date(due_date(person.start, 'first-month'))}"
        sections.append((f"{pack.handoffs.title}{due}", (pack.handoffs,)))
    return sections


def _starts_guide(checklist: Checklist, group: tuple[Checklist, ...]) -> bool:
    """True for a guide's first checklist in a group (the one that gets the "From" line)."""
    index = group.index(checklist)
    return checklist.kind == "guide" and (index == 0 or group[index - 1].owner != checklist.owner)


def _inline(text: str) -> Markup:
    """Inline Markdown of an item as HTML; raw HTML in it stays text, links become plain."""
    rendered = str(markdown_lib.markdown(markdown_text(plain_text(text))))
    return Markup(rendered.removeprefix("<p>").removesuffix("</p>"))
