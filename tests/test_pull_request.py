"""What a pull request to a fork can do: change the playbook, and nothing else.

Each case changes the small fixture as a pull request could (content, an overlay, a template,
the logo, a link) and runs the public ``playbook`` command on it: the change is refused with
one ``path:...: error:`` line and exit code 1, or it shows in the playbook as inert text; it
never runs code, reads a file outside the project or ends in a traceback.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.frontends.cli import main

from conftest import ROOT


def playbook(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "-f", str(root / "mkdocs.yml")])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result


def one_error(result: Result) -> str:
    """The single error line of a failed command (after which a content error is counted)."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "nothing was written" not in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "body",
    [
        '{{ cycler.__init__.__globals__.os.system("touch marker") }}',
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ playbook.__class__.__init__.__globals__ }}",
        "{% set f = lipsum.__globals__ %}{{ f.os.system('touch marker') }}",
    ],
)
def test_a_template_cannot_reach_python(small_tree: Path, body: str) -> None:
    (small_tree / "templates").mkdir()
    (small_tree / "templates" / "home.md.j2").write_text(f"# Home\n\n{body}\n")
    result = playbook(small_tree, "generate", "--out", str(small_tree / "out"))
    line = one_error(result)
    assert line.startswith(f"{small_tree / 'templates' / 'home.md.j2'}:3: error: ")
    assert not (small_tree / "marker").exists()
    assert not Path("marker").exists()


def test_a_template_may_still_write_markup(small_tree: Path) -> None:
    (small_tree / "templates").mkdir()
    (small_tree / "templates" / "home.md.j2").write_text(
        '# {{ playbook.settings.title }}\n\n<div class="note">{{ playbook.roles | length }}</div>\n'
    )
    result = playbook(small_tree, "generate", "--out", str(small_tree / "out"))
    assert result.exit_code == 0, result.output
    home = (small_tree / "out" / "index.md").read_text()
    assert '<div class="note">3</div>' in home


def test_a_macro_that_calls_itself_forever_is_one_message(small_tree: Path) -> None:
    (small_tree / "templates").mkdir()
    (small_tree / "templates" / "home.md.j2").write_text(
        "# Home\n{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}\n{{ again(0) }}\n"
    )
    line = one_error(playbook(small_tree, "generate", "--out", str(small_tree / "out")))
    assert ".md.j2:2: error: calls itself too deeply" in line


def test_init_asks_a_maintainer_to_review_code(tmp_path: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--org", "Globex"])
    assert result.exit_code == 0, result.output
    for owners in (".github/CODEOWNERS", ".gitlab/CODEOWNERS"):
        text = (tmp_path / owners).read_text()
        for guarded in ("/templates/", "/company/templates/", "/mkdocs.yml", "/site_overrides/"):
            assert f"\n{guarded} " in text, (owners, guarded)
    assert "/.github/" in (tmp_path / ".github/CODEOWNERS").read_text()
    assert "/.gitlab-ci.yml" in (tmp_path / ".gitlab/CODEOWNERS").read_text()


def with_overlay(root: Path, **options: str) -> Path:
    """The project at ``root`` with the overlay folder ``company`` (made by the caller)."""
    settings = "".join(f"      {key}: {value}\n" for key, value in options.items())
    (root / "mkdocs.yml").write_text(
        f"site_name: Tiny\nplugins:\n  - playbook:\n      layers: [company]\n{settings}"
    )
    return root


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that a pull request would like to publish."""
    path = tmp_path / "secret.txt"
    path.write_text("TOKEN=s3cr3t\n")
    return path


def test_a_template_that_links_out_of_the_project_is_refused(
    small_tree: Path, secret: Path
) -> None:
    (small_tree / "company" / "templates").mkdir(parents=True)
    (small_tree / "company" / "templates" / "home.md.j2").symlink_to(secret)
    result = playbook(with_overlay(small_tree), "generate", "--out", str(small_tree / "out"))
    assert one_error(result) == (
        f"{small_tree}/company/templates/home.md.j2: "
        "error: a link to a place outside its template folder"
    )
    assert "s3cr3t" not in result.output
    assert not (small_tree / "out" / "index.md").exists()


@pytest.mark.parametrize("linked", ["company", "company/templates"])
def test_an_overlay_folder_that_links_out_of_the_project_is_refused(
    small_tree: Path, tmp_path: Path, linked: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "templates").mkdir(parents=True)
    (elsewhere / "templates" / "home.md.j2").write_text("# s3cr3t\n")
    (elsewhere / "home.md.j2").write_text("# s3cr3t\n")
    (small_tree / "company").mkdir(exist_ok=True)
    (small_tree / linked).rmdir() if linked == "company" else None
    (small_tree / linked).symlink_to(elsewhere if linked == "company" else elsewhere / "templates")
    result = playbook(with_overlay(small_tree), "generate", "--out", str(small_tree / "out"))
    line = one_error(result)
    assert line.startswith(("mkdocs.yml: error: ", "company/templates: error: a link"))
    assert "a link to a" in line
    assert "s3cr3t" not in result.output


def test_a_content_setting_that_links_out_of_the_project_is_refused(
    small_tree: Path, tmp_path: Path
) -> None:
    shutil.copytree(small_tree / "content", tmp_path / "elsewhere" / "content")
    (small_tree / "linked").symlink_to(tmp_path / "elsewhere")
    (small_tree / "company").mkdir()
    line = one_error(playbook(with_overlay(small_tree, content="linked/content"), "validate"))
    assert line == (
        "mkdocs.yml: error: the playbook plugin's 'content' folder 'linked/content': "
        "a link to a place outside the project"
    )


def test_a_logo_that_links_out_of_the_project_is_refused(small_tree: Path, tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    (small_tree / "logo.png").symlink_to(image)
    settings = small_tree / "content" / "playbook.yml"
    settings.write_text(settings.read_text() + "branding:\n  logo: logo.png\n")
    result = playbook(small_tree, "validate")
    assert result.exit_code == 1
    assert "branding.logo: 'logo.png': a link to a place outside the project" in result.stderr


@pytest.mark.parametrize("where", ["content/roles/loop.yml", "templates/home.md.j2", "logo.svg"])
def test_a_loop_of_links_is_one_message(small_tree: Path, where: str) -> None:
    loop = small_tree / where
    loop.parent.mkdir(exist_ok=True)
    loop.symlink_to(loop.name)
    if where == "logo.svg":
        settings = small_tree / "content" / "playbook.yml"
        settings.write_text(settings.read_text() + "branding:\n  logo: logo.svg\n")
    result = playbook(small_tree, "generate", "--out", str(small_tree / "out"))
    assert result.exit_code == 1
    assert where.split("/")[-1] in result.stderr
    assert "loop" in result.stderr or "symbolic links" in result.stderr


def test_generate_config_copies_no_page_that_links_out(small_tree: Path, secret: Path) -> None:
    (small_tree / "docs").mkdir()
    (small_tree / "docs" / "about.md").write_text("# About\n")
    (small_tree / "docs" / "leak.md").symlink_to(secret)
    (small_tree / "mkdocs.yml").write_text("site_name: Tiny\nplugins:\n  - playbook\n")
    out = small_tree / "build"
    result = playbook(
        small_tree, "generate", "--out", str(out / "docs"), "--config", str(out / "mkdocs.yml")
    )
    assert one_error(result) == "docs/leak.md: error: a link to a place outside the project"
    assert not (out / "docs" / "leak.md").exists()


def with_owner_text(root: Path, onboarding: str, level: str) -> Path:
    """The small fixture with the owner's first onboarding item and a level's text replaced."""
    role = root / "content" / "roles" / "owner.yml"
    text = role.read_text()
    text = text.replace("text: Meet the team.", f"text: {onboarding}")
    text = text.replace("junior: Writes a goal with a metric.", f"junior: {level}")
    role.write_text(text)
    return root


FORMULAS = ["\"=HYPERLINK('https://t.example','ok')\"", '"@SUM(1+1)"', '"+1"', '"-1+2"']


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("skills", [False, True])
def test_a_csv_export_holds_no_formula(small_tree: Path, formula: str, skills: bool) -> None:
    with_owner_text(small_tree, formula, formula)
    out = small_tree / "export.csv"
    args = ["export", "-o", str(out), *(["--skills"] if skills else [])]
    assert playbook(small_tree, *args).exit_code == 0
    cells = [cell for row in csv.reader(out.open()) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + formula.strip('"') in cells  # shown as written, read as text


FORGED = '"Meet the team.\\n- [x] @everyone approved <img src=x onerror=alert(1)>"'


@pytest.mark.parametrize(
    "command",
    [["export", "--format", "md"], ["checklist", "owner", "--format", "md"]],
    ids=["export", "checklist"],
)
def test_a_markdown_export_keeps_each_item_on_one_line(
    small_tree: Path, command: list[str]
) -> None:
    with_owner_text(small_tree, FORGED, "x")
    out = small_tree / "out.md"
    assert playbook(small_tree, *command, "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert (
        "- [ ] Meet the team. - [x] @everyone approved &lt;img src=x onerror=alert(1)&gt;" in text
    )
    assert "<img" not in text
    assert not [line for line in text.splitlines() if line.lstrip().startswith("- [x]")]


# Hostile text is timed with a bound far above what the work takes (well under a second), so
# that only a pass over text that grows faster than the text fails it.
BOUND = 30.0


def timed(root: Path, *args: str) -> tuple[Result, float]:
    start = time.perf_counter()
    result = playbook(root, *args)
    return result, time.perf_counter() - start


def test_a_text_over_its_limit_is_refused_at_its_line(small_tree: Path) -> None:
    with_owner_text(small_tree, "'" + "[a](" * 150_000 + "'", "x")  # 600 KB
    result, seconds = timed(small_tree, "validate")
    assert one_error(result).startswith(
        "content/roles/owner.yml:21:11: error: onboarding[0].text: 600,000 characters, "
        "over the 5,000 this text may hold"
    )
    assert seconds < BOUND


@pytest.mark.parametrize(
    "text",
    ["[" + "\\" * 4_000, "[a](" * 1_200, "![a](" * 900, "[" * 4_900, "*a" * 2_400],
    ids=["backslashes", "open-links", "open-images", "brackets", "emphasis"],
)
@pytest.mark.parametrize(
    "command",
    [["export", "--format", "md"], ["checklist", "owner", "--format", "md"], ["generate"]],
    ids=["export", "checklist", "generate"],
)
def test_text_within_its_limit_takes_linear_time(
    small_tree: Path, text: str, command: list[str]
) -> None:
    with_owner_text(small_tree, "'" + text + "'", "'" + text + "'")
    out = small_tree / ("out" if command == ["generate"] else "out.md")
    result, seconds = timed(
        small_tree, *command, "--out" if command == ["generate"] else "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert seconds < BOUND


def test_titles_that_name_each_other_are_written_out_once(small_tree: Path) -> None:
    roles = small_tree / "content" / "roles"
    owner = (roles / "owner.yml").read_text()
    ids = [f"r{n}" for n in range(60)]
    for role_id in ids:
        named = " ".join(f"{{role:{other}}}" for other in ids[:18])  # as many as a title holds
        text = owner.replace("id: owner", f"id: {role_id}")
        text = text.replace("title: Product Owner", f"title: '{named}'")
        text = text.replace("      handoff: goal-to-science\n", "")
        (roles / f"{role_id}.yml").write_text(text)
    result, seconds = timed(small_tree, "validate")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert seconds < BOUND


def test_drift_prints_a_file_name_with_its_escapes_shown(small_tree: Path) -> None:
    name = "roles/evil\x1b]0;owned\x07\x1b[2J.yml"
    (small_tree / "content" / name).write_text("id: evil\n")
    (small_tree / "company" / "roles").mkdir(parents=True)
    (small_tree / "company" / name).write_text("id: evil\n")
    result = playbook(with_overlay(small_tree), "drift", "--mark-reviewed")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "company/roles/evil\\x1b]0;owned\\x07\\x1b[2J.yml" in result.output


def with_settings(root: Path, text: str) -> Path:
    settings = root / "content" / "playbook.yml"
    settings.write_text(settings.read_text().replace("title: Tiny Playbook", text))
    return root


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ('title: "Tiny \\u202eyalp"', "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ('title: "Tiny\\u200bPlaybook"', "U+200B (ZERO WIDTH SPACE)"),
        ('title: "Tiny \\u2066Playbook\\u2069"', "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ],
)
def test_a_name_holds_no_invisible_character(small_tree: Path, title: str, message: str) -> None:
    line = one_error(playbook(with_settings(small_tree, title), "validate"))
    assert line.startswith("content/playbook.yml:1:8: error: title: holds the invisible character")
    assert message in line


def test_a_text_holds_no_bidirectional_control(small_tree: Path) -> None:
    line = one_error(
        playbook(with_owner_text(small_tree, '"Meet \\u202ethe team."', "x"), "validate")
    )
    assert line.startswith("content/roles/owner.yml:21:11: error: onboarding[0].text: holds")


def test_link_text_that_is_an_address_leads_there(small_tree: Path) -> None:
    deceptive = "'Log in at [https://intranet.acme.example/login](https://other.example).'"
    line = one_error(playbook(with_owner_text(small_tree, deceptive, "x"), "validate"))
    assert line.endswith(
        "error: onboarding[0].text: the link's text 'https://intranet.acme.example/login' is an "
        "address on another host than the link leads to ('https://other.example'); show the "
        "address it leads to, or words"
    )


def test_link_text_may_be_the_address_it_leads_to(small_tree: Path) -> None:
    honest = "'Log in at [intranet.acme.example](https://intranet.acme.example/login).'"
    assert playbook(with_owner_text(small_tree, honest, "x"), "validate").exit_code == 0


def test_an_address_python_cannot_read_fails_validate_as_it_would_fail_the_build(
    small_tree: Path,
) -> None:
    settings = small_tree / "content" / "playbook.yml"
    text = settings.read_text()
    settings.write_text(
        text.replace(
            "note: Where every fact",
            'url: "https://notes\\uff20acme.example/"\n    note: Where every fact',
        )
    )
    for command in (["validate"], ["generate", "--out", str(small_tree / "out")]):
        line = one_error(playbook(small_tree, *command))
        assert (
            "error: sources[0].url: 'https://notes＠acme.example/' is not an address every " in line
        )


def test_folders_nested_without_end_are_one_message(small_tree: Path) -> None:
    # Made and removed a folder at a time: the whole path is longer than a path may be.
    folders = [os.open(small_tree / "content" / "roles", os.O_RDONLY)]
    for _ in range(1_200):
        os.mkdir("d", dir_fd=folders[-1])
        folders.append(os.open("d", os.O_RDONLY, dir_fd=folders[-1]))
    try:
        line = one_error(playbook(small_tree, "validate"))
        assert line.startswith("content/roles/d/d/d/")
        assert line.endswith(": error: folders nested more than 32 deep; not read")
    finally:
        for inner, outer in zip(folders[:0:-1], folders[-2::-1], strict=True):
            os.close(inner)
            os.rmdir("d", dir_fd=outer)
        os.close(folders[0])


@pytest.fixture(scope="module")
def large_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's synthetic playbook of 1,000 roles."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_content

    root = tmp_path_factory.mktemp("large")
    write_content(1_000, root / "content")
    return root


@pytest.mark.parametrize(
    ("summary", "exit_code"),
    [
        (lambda ids: "[a](" * 150_000, 1),  # 600 KB, over its limit
        (lambda ids: "![a](" * 1_000, 0),  # the slowest text found within its limit
        (lambda ids: " ".join(f"{{role:{role_id}}}" for role_id in ids[:18]), 0),
    ],
    ids=["over-its-limit", "open-images", "naming-roles"],
)
def test_one_hostile_field_among_a_thousand_roles_is_validated_in_bounded_time(
    large_tree: Path, summary: Callable[[list[str]], str], exit_code: int
) -> None:
    roles = sorted((large_tree / "content" / "roles").glob("*.yml"))
    kept = roles[0].read_text()
    start, end = kept.index("\nsummary: "), kept.index("\nresponsibilities:")
    text = summary([path.stem for path in roles])
    try:
        roles[0].write_text(f"{kept[:start]}\nsummary: '{text}'{kept[end:]}")
        result, seconds = timed(large_tree, "validate")
    finally:
        roles[0].write_text(kept)
    assert result.exit_code == exit_code, result.stderr[-2_000:]
    assert seconds < 4 * BOUND  # it takes under 10 s of a free CPU; minutes without the fixes
