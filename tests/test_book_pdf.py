"""`playbook pdf`: the whole playbook, or one role's part of it, as one PDF with a cover, a
numbered table of contents, running headers and links that lead within the PDF."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import generate
from generator.errors import PlaybookError
from generator.frontends.cli import main
from generator.outputs.book import book_html, book_pages, site_of
from generator.project import read_project

from conftest import ROOT, SMALL, chromium_or_skip

ROLES = {"owner": "Product Owner", "scientist": "Data Scientist", "engineer": "ML Engineer"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("book") / "small"
    shutil.copytree(SMALL, folder)
    shutil.copytree(ROOT / "site_overrides", folder / "site_overrides")  # the site's look
    config = (ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "  name: material\n", "  name: material\n  custom_dir: site_overrides\n"
    )
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def print_book(project: Path, *args: str) -> Path:
    """The PDF `playbook pdf ARGS` writes, printed in a process of its own, as a user runs it."""
    chromium_or_skip()
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils")
    target = project / f"book{len(args)}.pdf"
    config = str(project / "mkdocs.yml")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "pdf", "-f", config, *args, "-o", str(target)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"{target}: written\n"
    return target


@pytest.fixture(scope="module")
def whole(project: Path) -> Path:
    return print_book(project)


@pytest.fixture(scope="module")
def scientist(project: Path) -> Path:
    return print_book(project, "--role", "scientist")


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def contents_numbers(pages: list[str]) -> dict[str, int]:
    """Each line of the table of contents (the sheets headed "Contents") as title: page."""
    found = {}
    for page in pages:
        if "Contents" not in page.splitlines()[0]:
            continue
        for line in page.splitlines():
            if entry := re.fullmatch(r"\s*(\S.*?)\s{2,}(\d+)\s*", line):
                found.setdefault(entry.group(1), int(entry.group(2)))  # first: the profile
    return found


@pytest.mark.browser
def test_the_whole_playbook_has_cover_contents_and_every_role(whole: Path) -> None:
    pages = page_texts(whole)
    assert 15 <= len(pages) <= 60  # cover, contents and some forty pages of the site
    assert "Fixture Ltd" in pages[0] and "Tiny Playbook" in pages[0] and "Printed" in pages[0]
    numbers = contents_numbers(pages)
    for title in ROLES.values():
        # listed with the sheet the role's profile begins on, which is headed with its name
        assert title in numbers, f"{title} missing from the contents"
        assert f"Roles · {title}" in pages[numbers[title] - 1].splitlines()[0]
    text = "\n".join(pages)
    assert all(title in text for title in ROLES.values())
    assert "Search" not in pages[2]  # the site's header, navigation and search are left out


@pytest.mark.browser
def test_links_lead_to_pages_of_the_pdf(whole: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(whole)
    destinations = set(reader.named_destinations)
    inside = outside = 0
    for page in reader.pages[2:]:
        for annotation in page.get("/Annots", []):
            link = annotation.get_object()
            if "/Dest" in link:
                assert str(link["/Dest"]) in destinations
                inside += 1
            elif "/A" in link and "/URI" in link["/A"]:
                outside += 1
    assert inside > 10  # cross-references between the pages jump within the PDF
    assert outside == 0  # and none leads to the site
    assert reader.outline, "a PDF reader's bookmarks follow the headings"
    images = subprocess.run(
        ["pdfimages", "-list", str(whole)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()) == 2, "diagrams print as vector drawings, not images"


@pytest.mark.browser
def test_a_role_s_part_holds_its_pages_and_no_other_profile(scientist: Path) -> None:
    pages = page_texts(scientist)
    headers = [page.splitlines()[0] for page in pages if page.strip()]
    assert any("Roles · Data Scientist" in header for header in headers)
    assert any("Onboarding" in header for header in headers)
    assert any("Handoffs ·" in header for header in headers)
    assert not any("Roles · Product Owner" in header for header in headers)
    assert "The Data Scientist's part of the playbook" in pages[0]
    assert "Data Scientist" in contents_numbers(pages)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "-f", str(ROOT / "mkdocs.yml")])
    return result.exit_code, result.stderr


def test_an_unknown_role_is_named_with_a_hint(tmp_path: Path) -> None:
    code, err = run("pdf", "--role", "data-scientst", "-o", str(tmp_path / "x.pdf"))
    assert code == 1
    assert err == "error: no role 'data-scientst' (did you mean 'data-scientist'?)\n"
    assert not (tmp_path / "x.pdf").exists()


def test_a_file_that_cannot_be_written_is_refused_before_printing(tmp_path: Path) -> None:
    code, err = run("pdf", "-o", str(tmp_path / "nowhere" / "x.pdf"))
    assert code == 1
    assert (
        err
        == f"error: {tmp_path / 'nowhere' / 'x.pdf'}: no folder '{tmp_path / 'nowhere'}' to write it in\n"
    )
    code, err = run("pdf", "-o", str(tmp_path))
    assert code == 2 and "is a directory" in err  # click's own usage error


def test_without_chromium_the_command_says_what_to_install(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    env.pop("PLAYBOOK_CHROMIUM", None)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "pdf", "-o", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: PDF output needs Playwright and Chromium")
    assert not (tmp_path / "x.pdf").exists()


def test_text_from_content_stays_text_in_the_book(small_tree: Path) -> None:
    """A title can end no element, attribute or CSS string of the book's HTML; links between
    the site's pages lead to the book's own anchors."""
    hostile = 'Q&A </style><script>alert(1)</script> "x" \\ <b>'
    playbook = small_tree / "content" / "playbook.yml"
    playbook.write_text(
        playbook.read_text(encoding="utf-8").replace("Tiny Playbook", json.dumps(hostile)),
        encoding="utf-8",
    )
    role = small_tree / "content" / "roles" / "scientist.yml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("Data Scientist", json.dumps(hostile)),
        encoding="utf-8",
    )
    config = small_tree / "mkdocs.yml"
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", config)
    generated = generate(read_project(config))
    pages = book_pages(generated)
    document = book_html(
        generated, pages, site_of(config, generated), paper="A4", printed_on=dt.date(2026, 12, 5)
    )
    assert "<script>" not in document and "<b>" not in document
    assert document.count("</style>") == document.count("<style>")
    assert html.escape(hostile) in document  # in the cover, the contents and the page
    assert "Sat 5 December 2026" in document
    anchors = {page.anchor for page in pages}
    links = re.findall(r'href="([^"]*)"', document)
    assert links and all(link.startswith("#") for link in links)
    assert {link[1:].split("--")[0] for link in links} <= anchors


def test_a_role_s_part_links_pages_it_leaves_out_to_the_site(small_tree: Path) -> None:
    config = small_tree / "mkdocs.yml"
    text = (ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text("site_url: https://playbook.example.org/\n" + text, encoding="utf-8")
    generated = generate(read_project(config))
    pages = book_pages(generated, "scientist")
    assert [page.path for page in pages] == [
        "roles/scientist.md",
        "lifecycle/design.md",
        "lifecycle/build.md",
        "handoffs/goal-to-science.md",
        "handoffs/model-to-engineering.md",
        "guides/pairing.md",
        "onboarding/scientist.md",
    ]
    document = book_html(
        generated,
        pages,
        site_of(config, generated),
        paper="A4",
        printed_on=dt.date(2026, 12, 5),
        role="scientist",
    )
    assert 'href="https://playbook.example.org/roles/owner/"' in document
    assert 'href="#p1"' in document  # the contents, and pages naming the role, lead to its page


def test_options_mkdocs_yml_gives_with_a_python_tag_are_left_at_their_default(
    small_tree: Path,
) -> None:
    config = small_tree / "mkdocs.yml"
    text = (ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text(encoding="utf-8")
    emoji = (
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "      alt: short\n"
    )
    config.write_text(text.replace("  - admonition\n", "  - admonition\n" + emoji))
    generated = generate(read_project(config))
    site = site_of(config, generated)
    assert "pymdownx.emoji" in site.extensions
    assert site.extension_configs["pymdownx.emoji"] == {"alt": "short"}
    pages = book_pages(generated)
    assert book_html(generated, pages, site, paper="A4", printed_on=dt.date(2026, 12, 5))


def test_a_stylesheet_that_is_not_utf_8_is_named_in_the_error(small_tree: Path) -> None:
    config = small_tree / "mkdocs.yml"
    text = (ROOT / "tests" / "fixtures" / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text + "extra_css: [print.css]\n", encoding="utf-8")
    (small_tree / "docs").mkdir(exist_ok=True)
    (small_tree / "docs" / "print.css").write_bytes(b"body { color: red }\xff\n")
    generated = generate(read_project(config))
    with pytest.raises(PlaybookError, match=r"docs/print\.css: not UTF-8 text \(byte 0xff\)"):
        site_of(config, generated)
