"""A personalised onboarding sheet for one new hire: their name, start date, buddy and manager
filled in and a due date on every group of items, as Markdown, standalone HTML or PDF.

PDF is printed by Chromium through Playwright, an optional extra; everything else needs nothing
beyond the generator itself.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import markdown as markdown_lib

from .checklists import Checklist, OnboardingPack, due_date, plain_text
from .errors import PlaybookError
from .render import WHEN_TITLES
from .safety import markdown_text

__all__ = ["SHEET_FORMATS", "NewHire", "sheet_html", "sheet_markdown", "write_pdf"]

SHEET_FORMATS = ("md", "html", "pdf")
PDF_HELP = (
    "PDF output needs Playwright and Chromium: run `.venv/bin/pip install -e '.[pdf]'` "
    "(or `pip install 'mlops-team-playbook[pdf]'`) and install Chromium "
    "(`apt-get install chromium` on Debian or Ubuntu); or write HTML and print it from a browser"
)


@dataclass(frozen=True)
class NewHire:
    name: str = ""
    start: dt.date | None = None
    buddy: str = ""
    manager: str = ""
    team: str = ""


def sheet_markdown(pack: OnboardingPack, person: NewHire, organization: str) -> str:
    lines = [f"# Onboarding: {pack.role.title}", "", f"{organization} · onboarding checklist", ""]
    for label, value in _fields(pack, person):
        lines.append(f"- **{label}:** {value or '____________________'}")
    lines.append("")
    for heading, groups in _sections(pack, person):
        lines += [f"## {heading}", ""]
        for checklist in groups:
            if _starts_guide(checklist, groups):
                lines += [f"*From {checklist.title}:*", ""]
            for item in checklist.items:
                lines.append(f"- [ ] {plain_text(item.text)}")
                if item.details:
                    lines.append(f"  {plain_text(item.details)}")
            lines.append("")
    lines += [
        "## Sign-off",
        "",
        "New hire: ____________________  Date: __________",
        "",
        "Manager: ____________________  Date: __________",
        "",
    ]
    return "\n".join(lines)


def sheet_html(pack: OnboardingPack, person: NewHire, organization: str) -> str:
    title = f"Onboarding: {pack.role.title}"
    body = [f"<h1>{html.escape(title)}</h1>"]
    body.append(f'<p class="kicker">{html.escape(organization)} · onboarding checklist</p>')
    body.append('<div class="fields">')
    for label, value in _fields(pack, person):
        body.append(
            f'<div class="field"><span class="label">{html.escape(label)}</span>'
            f'<span class="line">{html.escape(value)}</span></div>'
        )
    body.append("</div>")
    for heading, groups in _sections(pack, person):
        body.append(f"<h2>{html.escape(heading)}</h2>")
        for checklist in groups:
            if _starts_guide(checklist, groups):
                body.append(f'<p class="from">From {html.escape(checklist.title)}:</p>')
            body.append("<ul>")
            for item in checklist.items:
                details = (
                    f'<div class="details">{_inline(item.details)}</div>' if item.details else ""
                )
                body.append(
                    f'<li><span class="box"></span><div>{_inline(item.text)}{details}</div></li>'
                )
            body.append("</ul>")
    body.append(
        '<div class="signoff"><div><div class="line"></div>New hire — signature and date</div>'
        '<div><div class="line"></div>Manager — signature and date</div></div>'
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{SHEET_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_pdf(html_text: str, target: Path, paper: str) -> None:
    """Print ``html_text`` to ``target`` with Chromium; raise a clear error if it is missing."""
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
            page = browser.new_page()
            page.set_content(html_text)
            page.pdf(path=str(target), format=paper, print_background=True)
            browser.close()
    except PlaywrightError as exc:
        raise PlaybookError(f"Chromium could not print the PDF: {exc.message}") from None


def _fields(pack: OnboardingPack, person: NewHire) -> list[tuple[str, str]]:
    start = _long_date(person.start) if person.start else ""
    return [
        ("Name", person.name),
        ("Role", pack.role.title),
        ("Start date", start),
        ("Buddy", person.buddy),
        ("Manager", person.manager),
        ("Team", person.team),
    ]


def _sections(pack: OnboardingPack, person: NewHire) -> list[tuple[str, tuple[Checklist, ...]]]:
    sections = []
    for when, checklists in pack.groups:
        if checklists:
            due = f" — due {_long_date(due_date(person.start, when))}" if person.start else ""
            sections.append((f"{WHEN_TITLES[when]}{due}", checklists))
    if pack.handoffs.items:
        due = ""
        if person.start:
            due = f" — by {_long_date(due_date(person.start, 'first-month'))}"
        sections.append((f"{pack.handoffs.title}{due}", (pack.handoffs,)))
    return sections


def _starts_guide(checklist: Checklist, group: tuple[Checklist, ...]) -> bool:
    """True for a guide's first checklist in a group (the one that gets the "From" line)."""
    index = group.index(checklist)
    return checklist.kind == "guide" and (index == 0 or group[index - 1].owner != checklist.owner)


def _inline(text: str) -> str:
    """Inline Markdown of an item as HTML; raw HTML in it stays text, links become plain."""
    rendered = str(markdown_lib.markdown(markdown_text(plain_text(text))))
    return rendered.removeprefix("<p>").removesuffix("</p>")


def _long_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%B %Y}"


SHEET_CSS = """
@page { margin: 12mm 14mm; }
body { font: 9.5pt/1.35 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #000; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; break-after: avoid; }
.kicker { margin: 0 0 8pt; font-weight: 700; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt 24pt; margin: 8pt 0 10pt; }
.field { display: flex; align-items: flex-end; gap: 6pt; }
.label { font-weight: 700; }
.line { flex: 1; border-bottom: 0.8pt solid #000; min-height: 13pt; }
.from { font-style: italic; margin: 6pt 0 2pt; }
ul { list-style: none; margin: 2pt 0; padding: 0; }
li { display: flex; gap: 7pt; margin: 0 0 3pt; break-inside: avoid; }
.box { flex: none; width: 9pt; height: 9pt; margin-top: 1.5pt; border: 1.5pt solid #000; }
.details { color: #333; font-size: 8.5pt; }
.signoff { display: grid; grid-template-columns: 1fr 1fr; gap: 24pt; margin-top: 28pt;
  break-inside: avoid; font-size: 8.5pt; }
.signoff .line { min-height: 0; height: 18pt; margin-bottom: 3pt; }
"""
