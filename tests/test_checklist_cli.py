"""`playbook checklist` and `playbook export`: a new hire's sheet with due dates, and checklists
for spreadsheets, trackers and issues."""

from __future__ import annotations

import csv
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.frontends.cli import main
from generator.outputs.export import page_address
from generator.views.checklists import due_date

from conftest import ROOT, chromium_or_skip

CONFIG = str(ROOT / "mkdocs.yml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "-f", CONFIG])
    return result.exit_code, result.stdout, result.stderr


def test_due_dates_count_working_days() -> None:
    import datetime as dt

    friday = dt.date(2026, 3, 6)
    assert due_date(friday, "first-day") == friday
    assert due_date(friday, "first-week") == dt.date(2026, 3, 12)  # Thursday, over a weekend
    assert due_date(dt.date(2026, 3, 2), "first-week") == dt.date(2026, 3, 6)
    assert due_date(dt.date(2026, 3, 2), "first-month") == dt.date(2026, 3, 27)


def test_a_weekend_start_is_counted_from_the_monday_after_and_warned_about() -> None:
    import datetime as dt

    saturday = dt.date(2026, 3, 7)
    assert due_date(saturday, "first-day") == dt.date(2026, 3, 9)
    assert due_date(saturday, "first-week") == dt.date(2026, 3, 13)
    code, out, err = run("checklist", "data-scientist", "--start-date", "2026-03-07")
    assert code == 0
    assert err == (
        "warning: 2026-03-07 is a Saturday; the first day's items are due on Monday 9 March "
        "2026, the next working day\n"
    )
    assert "## First day — due Mon 9 March 2026" in out.splitlines()


def test_an_output_file_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "ada.docx"
    code, _, err = run("checklist", "data-scientist", "-o", str(target))
    assert code == 2 and not target.exists()
    assert (
        f"Error: Invalid value for '-o' / '--output': cannot write '{target}': '.docx' is not a "
        "format this command writes (use .md, .html, .pdf, or name one with --format)"
    ) in " ".join(err.split())
    assert run("export", "-o", str(tmp_path / "lists.xlsx"))[0] == 2
    code, _, _ = run("checklist", "data-scientist", "--format", "md", "-o", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# Onboarding")


def test_markdown_sheet_has_the_people_and_due_dates() -> None:
    code, out, _ = run(
        "checklist",
        "data-scientist",
        "--name",
        "Ada Lovelace",
        "--start-date",
        "2026-03-02",
        "--buddy",
        "Grace Hopper",
        "--manager",
        "Alan Turing",
    )
    assert code == 0
    assert out.startswith("# Onboarding: Data Scientist\n")
    for line in (
        "- **Name:** Ada Lovelace",
        "- **Buddy:** Grace Hopper",
        "- **Start date:** Mon 2 March 2026",
        "## First day — due Mon 2 March 2026",
        "## First week — due Fri 6 March 2026",
        "## First month — due Fri 27 March 2026",
        "## Handoffs to learn — by Fri 27 March 2026",
        "- [ ] Link, on your onboarding page, the experiment tracker runs behind the current "
        "production model.",
        "- [ ] Receive *Curated data and features* from the Data Engineer (Development)",
    ):
        assert line in out.splitlines(), line
    assert out.count("*From Ways of working for data scientists:*") == 3  # once per day group


def test_html_sheet_is_standalone_and_escapes_what_it_is_given(tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    code, _, err = run(
        "checklist", "ml-engineer", "--name", "<script>x()</script>", "-o", str(target)
    )
    assert code == 0 and err.endswith("sheet.html: written\n")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "<style>" in text
    assert "&lt;script&gt;x()&lt;/script&gt;" in text and "<script>" not in text
    assert "http" not in text  # nothing to fetch: it prints offline


def test_unknown_role_gets_a_hint() -> None:
    code, _, err = run("checklist", "data-scientst")
    assert code == 1 and err == "error: no role 'data-scientst' (did you mean 'data-scientist'?)\n"


def test_pdf_without_a_file_is_a_usage_error() -> None:
    assert run("checklist", "data-scientist", "--format", "pdf")[0] == 2


def test_pdf_without_playwright_says_how_to_install_it(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['playwright'] = None; sys.modules['playwright.sync_api'] = None\n"
        "from generator.frontends.cli import main\n"
        f"main(['checklist', 'data-scientist', '-o', {str(tmp_path / 'x.pdf')!r}, '-f', {CONFIG!r}])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: PDF output needs Playwright and Chromium: run ")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_pdf_sheet_prints_on_two_pages(tmp_path: Path) -> None:
    chromium_or_skip()
    target = tmp_path / "ada.pdf"
    # A separate process, as a user runs it (and apart from the tests' own browser session).
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "checklist",
            "-f",
            CONFIG,
            "data-scientist",
            "--name",
            "Ada Lovelace",
            "--start-date",
            "2026-03-02",
            "--paper",
            "Letter",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "Pages:           2" in info and "612 x 792" in info  # Letter
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert "Ada Lovelace" in text and "due Fri 6 March 2026" in text


@pytest.mark.browser
def test_printing_a_sheet_fetches_nothing_from_the_network() -> None:
    """A project's own sheet template may name an image on another host: printing never asks
    for it, as the whole-playbook PDF never does."""
    chromium_or_skip()
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        address = f"http://127.0.0.1:{server.server_address[1]}"
        page = (
            f'<p>Sheet</p><img src="{address}/img.png"><link rel="stylesheet" href="{address}/s">'
        )
        code = (
            "from generator.outputs.printable import pdf_bytes\n"
            f"assert pdf_bytes({page!r}, 'A4').startswith(b'%PDF')"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert asked == []


def test_export_csv_has_one_row_per_item() -> None:
    code, out, _ = run("export")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "checklist_key",
        "checklist",
        "kind",
        "role",
        "when",
        "item_id",
        "item",
        "details",
        "page",
    ]
    keys = {(row["checklist_key"], row["item_id"]) for row in rows}
    assert len(keys) == len(rows)  # every item is addressable, as the site stores ticks
    kinds = {row["kind"] for row in rows}
    assert kinds == {"onboarding", "handoff", "guide"}
    done = [
        r for r in rows if r["checklist_key"] == "handoffs/model-package-to-ml-engineering/done"
    ]
    assert done and all(r["role"] == "ml-engineer" for r in done)
    # the page column is the page's address on the site, as a reader would open it
    assert {r["page"] for r in done} == {"handoffs/model-package-to-ml-engineering/"}


def test_page_addresses_follow_the_site_settings() -> None:
    assert page_address("roles/data-scientist.md") == "roles/data-scientist/"
    assert page_address("onboarding/index.md") == "onboarding/"
    assert page_address("roles/data-scientist.md", directory_urls=False) == (
        "roles/data-scientist.html"
    )
    assert page_address("onboarding/index.md", False) == "onboarding/index.html"
    assert page_address("roles/data-scientist.md", site_url="https://example.org/playbook/") == (
        "https://example.org/playbook/roles/data-scientist/"
    )


def test_export_json_and_markdown_for_one_role(tmp_path: Path) -> None:
    code, _, _ = run("export", "--role", "data-engineer", "-o", str(tmp_path / "de.json"))
    data = json.loads((tmp_path / "de.json").read_text(encoding="utf-8"))
    assert code == 0 and data["playbook"] == "MLOps Team Playbook"
    assert {c["role"] for c in data["checklists"]} <= {"data-engineer", None}
    assert data["checklists"][-1]["key"] == "onboarding/data-engineer/handoffs"
    code, out, _ = run("export", "--role", "data-engineer", "--format", "md")
    assert out.startswith(
        "## MLOps Team Playbook\n\n### Data Engineer onboarding (first day)\n\n- [ ] "
    )
    assert "](" not in out  # links are dropped: an issue tracker would not resolve them
