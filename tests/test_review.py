"""Owners and review dates: intervals as durations, what is due and when, the checks of owners
and dates, ``playbook review`` editing one line of a file (or a fork's overlay), and the owner
line and the notice on pages. Every date is judged as of conftest's fixed day."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import check, generate
from generator.content.review import add_duration, parse_date, with_keys
from generator.errors import ContentError
from generator.frontends.cli import main
from generator.project import project_from_options

from conftest import ROOT, SMALL, TODAY, WriteTree, build_site

ACME = ROOT / "examples" / "acme"
ON = dt.date.fromisoformat(TODAY)


def with_lines(text: str, *lines: str) -> str:
    """A content file's text with ``lines`` after its first line (its id)."""
    first, rest = text.split("\n", 1)
    return "\n".join([first, *lines, rest])


def small(small_tree: Path, relative: str) -> str:
    return (small_tree / "content" / relative).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        ("2026-01-31", "1 month", "2026-02-28"),
        ("2024-02-29", "1 year", "2025-02-28"),
        ("2026-12-05", "12 months", "2027-12-05"),
        ("2026-11-20", "3 months", "2027-02-20"),
        ("2026-12-05", "6 weeks", "2027-01-16"),
        ("2026-12-05", "90 days", "2027-03-05"),
        ("2026-12-05", "1 day", "2026-12-06"),
    ],
)
def test_a_duration_counts_days_weeks_and_calendar_months(
    start: str, duration: str, due: str
) -> None:
    assert add_duration(dt.date.fromisoformat(start), duration) == dt.date.fromisoformat(due)


@pytest.mark.parametrize(
    ("start", "duration"), [("9999-06-01", "1 year"), ("9990-01-01", "9999 weeks")]
)
def test_a_due_date_past_the_calendars_end_is_never(start: str, duration: str) -> None:
    assert add_duration(dt.date.fromisoformat(start), duration) is None


def test_a_review_date_far_in_the_future_is_an_error_not_a_crash(
    write_tree: WriteTree, small_tree: Path
) -> None:
    engineer = small(small_tree, "roles/engineer.yml")
    project = write_tree(
        {"roles/engineer.yml": with_lines(engineer, "reviewed: 9999-12-31", "review_every: 1 year")}
    )
    with pytest.raises(ContentError) as caught:
        check(project)
    assert "after today" in str(caught.value.problems[0])
    assert check(project, on=dt.date(9999, 12, 31))[1] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13-01", "month must be in 1..12"),
        ("2026-02-30", "day is out of range"),
        ("last week", "write it as YYYY-MM-DD"),
        ("5.12.2026", "write it as YYYY-MM-DD"),
    ],
)
def test_a_date_is_written_as_year_month_day(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_the_interval_is_the_entitys_own_else_its_kinds_else_the_default(
    write_tree: WriteTree, small_tree: Path
) -> None:
    settings = small(small_tree, "playbook.yml")
    project = write_tree(
        {
            "playbook.yml": settings + "review:\n  every: 2 years\n  kinds: {teams: 3 months}\n",
            "roles/engineer.yml": with_lines(
                small(small_tree, "roles/engineer.yml"), "reviewed: 2025-06-01"
            ),
            "roles/scientist.yml": with_lines(
                small(small_tree, "roles/scientist.yml"),
                "reviewed: 2025-06-01",
                "review_every: 6 months",
            ),
            "teams/tiny.yml": with_lines(
                small(small_tree, "teams/tiny.yml"), "reviewed: 2026-08-01"
            ),
        }
    )
    playbook, warnings = check(project, on=ON)
    assert playbook.review_of("roles", "engineer").due == dt.date(2027, 6, 1)  # type: ignore[union-attr]
    assert not playbook.review_of("roles", "engineer").overdue  # type: ignore[union-attr]
    assert playbook.review_of("roles", "scientist").due == dt.date(2025, 12, 1)  # type: ignore[union-attr]
    assert playbook.review_of("teams", "tiny").due == dt.date(2026, 11, 1)  # type: ignore[union-attr]
    assert playbook.review_of("roles", "owner") is None  # names neither an owner nor a date
    assert [str(w).replace(str(small_tree) + "/", "") for w in warnings] == [
        "content/roles/scientist.yml:2:11: warning: last reviewed on 2025-06-01, due for review "
        "since 2025-12-01 (every 6 months) (review it, then run: playbook review "
        "role:scientist)",
        "content/teams/tiny.yml:2:11: warning: last reviewed on 2026-08-01, due for review since "
        "2026-11-01 (every 3 months) (review it, then run: playbook review team:tiny)",
    ]
    assert not any(w.fails_strict_build for w in warnings)  # the build passes; CI asks for more
    with pytest.raises(ContentError) as caught:
        check(project, on=ON, strict_review=True)
    assert [p.severity for p in caught.value.problems] == ["error", "error"]
    # due on the day itself, not the day before
    assert len(check(project, on=dt.date(2026, 11, 1))[1]) == 2
    assert len(check(project, on=dt.date(2026, 10, 31))[1]) == 1


def test_a_date_after_today_is_an_error_and_today_can_be_given(
    write_tree: WriteTree, small_tree: Path
) -> None:
    engineer = small(small_tree, "roles/engineer.yml")
    project = write_tree({"roles/engineer.yml": with_lines(engineer, "reviewed: 2026-12-06")})
    with pytest.raises(ContentError, match="1 error"):
        check(project)  # conftest's day, from PLAYBOOK_TODAY
    assert check(project, on=dt.date(2026, 12, 6))[0].roles["engineer"].reviewed == dt.date(
        2026, 12, 6
    )


def test_an_owner_is_a_role_or_a_declared_team(write_tree: WriteTree, small_tree: Path) -> None:
    settings = small(small_tree, "playbook.yml") + "owner_teams: [Platform team]\n"
    project = write_tree(
        {
            "playbook.yml": settings,
            "roles/engineer.yml": with_lines(
                small(small_tree, "roles/engineer.yml"), "owner: scientist"
            ),
            "guides/pairing.yml": with_lines(
                small(small_tree, "guides/pairing.yml"), "owner: Platform team"
            ),
            "teams/tiny.yml": with_lines(
                small(small_tree, "teams/tiny.yml"), "owner: Platform tem"
            ),
        }
    )
    with pytest.raises(ContentError) as caught:
        check(project)
    assert [str(p).replace(str(small_tree) + "/", "") for p in caught.value.problems] == [
        "content/teams/tiny.yml:2:8: error: unknown owner 'Platform tem' (did you mean "
        "'Platform team'?)"
    ]
    shutil.copyfile(SMALL / "content" / "teams" / "tiny.yml", small_tree / "content/teams/tiny.yml")
    playbook, _ = check(project)
    assert playbook.review_of("roles", "engineer").owner_is_role  # type: ignore[union-attr]
    assert not playbook.review_of("guides", "pairing").owner_is_role  # type: ignore[union-attr]


def test_marking_reviewed_changes_one_line_and_keeps_every_other_byte() -> None:
    before = (
        "# Maintained by the platform group.\r\n"
        "id: engineer   # never renamed\r\n"
        "title: ML Engineer\r\n"
        "reviewed: 2025-01-10  # the yearly review\r\n"
        "aliases: [MLOps Engineer]   \r\n"
        "summary: >-\r\n"
        "  Ships the model.\r\n"
    )
    after = with_keys(before, {"reviewed": "2026-12-05"})
    assert after == before.replace("2025-01-10", "2026-12-05")
    added = with_keys(before, {"owner": "Platform team", "reviewed": "2026-12-05"})
    assert added == before.replace("2025-01-10", "2026-12-05").replace(
        "renamed\r\n", "renamed\r\nowner: Platform team\r\n"
    )
    assert with_keys("id: x\ntitle: X", {"owner": "a: b"}) == 'id: x\nowner: "a: b"\ntitle: X'
    assert with_keys("# An overlay.\ndone: []", {"reviewed": "2026-12-05"}) == (
        "# An overlay.\ndone: []\nreviewed: 2026-12-05\n"
    )
    assert with_keys("{id: x, title: X}\n", {"reviewed": "2026-12-05"}) is None
    # a '#' inside a quoted value is not a comment: it is replaced with the rest of the value
    quoted = 'id: x\nowner: "Team # 1"  # who owns it\n'
    assert with_keys(quoted, {"owner": "scientist"}) == "id: x\nowner: scientist  # who owns it\n"
    assert with_keys("id: x\nowner: 'a # b'\n", {"owner": "c"}) == "id: x\nowner: c\n"
    assert with_keys("id: x\nowner: a#b # c\n", {"owner": "d"}) == "id: x\nowner: d # c\n"


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["review", *args, "-f", str(config)])
    return result.exit_code, result.output


def test_playbook_review_writes_the_date_into_the_entitys_file(small_tree: Path) -> None:
    config = small_tree / "mkdocs.yml"
    engineer = small_tree / "content" / "roles" / "engineer.yml"
    text = "# A comment that stays.\n" + engineer.read_text().replace("\n", "  # note\n", 1)
    engineer.write_text(text)
    others = {p: p.read_bytes() for p in (small_tree / "content").rglob("*.yml") if p != engineer}
    code, output = run(config, "role:engineer", "--owner", "scientist")
    assert code == 0
    assert output.endswith(
        f"roles/engineer.yml: role:engineer reviewed on {TODAY}, owned by scientist\n"
    )
    lines = text.split("\n")
    assert engineer.read_text() == "\n".join(
        [*lines[:2], "owner: scientist", f"reviewed: {TODAY}", *lines[2:]]
    )
    code, _ = run(config, str(engineer), "--date", "2026-11-30")
    assert code == 0 and "reviewed: 2026-11-30\n" in engineer.read_text()
    assert engineer.read_text().count("reviewed:") == 1
    assert {p: p.read_bytes() for p in others} == others


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["role:enginer"], "error: no role 'enginer' (did you mean 'engineer'?)"),
        (["roel:engineer"], "names no kind of entity"),
        (["README.md"], "names no kind of entity"),
        (["role:engineer", "--owner", "scientst"], "unknown owner 'scientst' (did you mean"),
        (["role:engineer", "--date", "2026-12-06"], "2026-12-06 is after today (2026-12-05)"),
        (["role:engineer", "--date", "2026-13-01"], "'2026-13-01' does not match the format"),
    ],
)
def test_playbook_review_refuses_what_it_cannot_mark(
    small_tree: Path, args: list[str], message: str
) -> None:
    before = {p: p.read_bytes() for p in (small_tree / "content").rglob("*.yml")}
    code, output = run(small_tree / "mkdocs.yml", *args)
    assert code in (1, 2) and message in output and "Traceback" not in output
    assert {p: p.read_bytes() for p in (small_tree / "content").rglob("*.yml")} == before


def fork(tmp_path: Path) -> Path:
    """A copy of the example fork's overlay over the bundled content, which stays untouched."""
    root = tmp_path / "fork"
    shutil.copytree(ACME / "company", root / "company")
    (root / "mkdocs.yml").write_text(
        "site_name: Fork\nplugins:\n  - playbook:\n"
        f"      content: {ROOT / 'content'}\n      layers: [company]\n"
    )
    return root


def test_in_a_fork_the_date_goes_into_the_overlay_never_upstream(tmp_path: Path) -> None:
    root = fork(tmp_path)
    upstream = {p: p.read_bytes() for p in (ROOT / "content").rglob("*.yml")}
    overlay = root / "company" / "roles" / "data-scientist.yml"
    edited = overlay.read_bytes()
    code, output = run(root / "mkdocs.yml", "role:data-scientist", "--owner", "Model Risk office")
    assert code == 0, output
    assert overlay.read_bytes() == edited.replace(
        b"owner: head-of-ml\nreviewed: 2026-11-20\n",
        f"owner: Model Risk office\nreviewed: {TODAY}\n".encode(),
    )
    code, output = run(root / "mkdocs.yml", "guide:your-first-week", "--owner", "ML Platform team")
    new = root / "company" / "guides" / "your-first-week.yml"
    assert code == 0 and "a new overlay file" in output, output
    assert new.read_text() == f"id: your-first-week\nowner: ML Platform team\nreviewed: {TODAY}\n"
    handoff = root / "company" / "handoffs" / "model-package-to-ml-engineering.yml"
    without_id = handoff.read_bytes()
    code, output = run(root / "mkdocs.yml", "handoff:model-package-to-ml-engineering")
    assert code == 0 and handoff.read_bytes() == without_id + f"reviewed: {TODAY}\n".encode()
    assert {p: p.read_bytes() for p in (ROOT / "content").rglob("*.yml")} == upstream
    project = project_from_options(root, {"content": str(ROOT / "content"), "layers": ["company"]})
    playbook, _ = check(project)
    state = playbook.review_of("guides", "your-first-week")
    assert state is not None and state.owner == "ML Platform team" and state.interval == "6 months"


def test_a_fork_sets_its_own_owners_and_intervals(tmp_path: Path) -> None:
    root = fork(tmp_path)
    handoff = root / "company" / "handoffs" / "model-package-to-ml-engineering.yml"
    handoff.write_text(
        with_lines(handoff.read_text(), "owner: Model Risk office", "reviewed: 2026-05-01")
    )
    project = project_from_options(root, {"content": str(ROOT / "content"), "layers": ["company"]})
    playbook, warnings = check(project)
    state = playbook.review_of("handoffs", "model-package-to-ml-engineering")
    assert state is not None and state.interval == "6 months" and state.overdue  # Acme's interval
    assert [str(w).split(": ", 1)[0] for w in warnings if w.severity == "warning"] == [
        "company/handoffs/model-package-to-ml-engineering.yml:3:11"
    ]
    guide = root / "company" / "guides" / "your-first-week.yml"
    guide.parent.mkdir()
    guide.write_text("id: your-first-week\nowner: ux-designer\n")  # a role Acme removes
    playbook, notes = check(project)
    state = playbook.review_of("guides", "your-first-week")
    assert state is None or state.owner is None  # the removed owner goes; a review date stays
    assert (
        "guides/your-first-week.yml:2:8: note: left out with the fork's removal of role "
        "'ux-designer': owner \"ux-designer\"" in [str(n).split("company/", 1)[-1] for n in notes]
    )
    removed = root / "company" / "roles" / "head-of-ml.yml"
    guide.write_text("id: your-first-week\nowner: head-of-ml\n")
    removed.write_text("merge_into: ml-engineer\n")
    playbook, _ = check(project)  # a merged role's pages are owned by the role it went into
    assert playbook.review_of("guides", "your-first-week").owner == "ml-engineer"  # type: ignore[union-attr]


def test_the_owner_line_and_the_notice_show_on_the_page(
    write_tree: WriteTree, small_tree: Path, tmp_path: Path
) -> None:
    settings = small(small_tree, "playbook.yml")
    project = write_tree(
        {
            "playbook.yml": settings + "owner_teams: [Platform team]\nreview: {every: 12 months}\n",
            "roles/engineer.yml": with_lines(
                small(small_tree, "roles/engineer.yml"), "owner: scientist", "reviewed: 2025-11-04"
            ),
            "guides/pairing.yml": with_lines(
                small(small_tree, "guides/pairing.yml"), "owner: Platform team"
            ),
        }
    )
    pages = {rendered.page.path: rendered.markdown for rendered in generate(project).pages}
    assert (
        "Owner: [Data Scientist](scientist.md) · last reviewed 4\u00a0November\u00a02025\n"
        in pages["roles/engineer.md"]
    )
    assert "Owner: Platform team\n{: .pb-owner data-search-exclude }" in pages["guides/pairing.md"]
    assert "pb-owner" not in pages["roles/scientist.md"]
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", small_tree / "mkdocs.yml")
    (small_tree / "docs").mkdir()
    site = build_site(small_tree / "mkdocs.yml", tmp_path / "site")
    html = (site / "roles" / "engineer" / "index.html").read_text()
    assert (
        '<p class="pb-owner" data-search-exclude>Owner: <a href="../scientist/">Data Scientist</a>'
        " · last reviewed 4\u00a0November\u00a02025</p>"
    ) in html
    assert '<div class="admonition warning pb-review-due" data-search-exclude="">' in html
    assert (
        "This page was last reviewed on 4\u00a0November\u00a02025; it is due for review since "
        "4\u00a0November\u00a02026."
    ) in html
    index = (site / "search" / "search_index.json").read_text()
    assert "last reviewed" not in index and "due for review" not in index


def test_strict_review_fails_validate_generate_and_build_for_ci(
    write_tree: WriteTree, small_tree: Path
) -> None:
    engineer = small(small_tree, "roles/engineer.yml")
    settings = small(small_tree, "playbook.yml") + "review: {every: 12 months}\n"
    write_tree(
        {
            "playbook.yml": settings,
            "roles/engineer.yml": with_lines(engineer, "reviewed: 2025-12-05"),
        }
    )
    config = str(small_tree / "mkdocs.yml")
    runner = CliRunner()
    relaxed = runner.invoke(main, ["validate", "-f", config])
    assert relaxed.exit_code == 0 and ": warning: last reviewed on 2025-12-05" in relaxed.stderr
    for command in (["validate"], ["generate", "-o", str(small_tree / "out")], ["build"]):
        strict = runner.invoke(main, [*command, "--strict-review", "-f", config])
        assert strict.exit_code == 1, command
        assert (
            "content/roles/engineer.yml:2:11: error: last reviewed on 2025-12-05" in strict.stderr
        )
        assert "Traceback" not in strict.output
    assert not (small_tree / "out").exists()


def test_a_today_that_is_not_a_date_is_an_error(
    small_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYBOOK_TODAY", "5/12/2026")
    result = CliRunner().invoke(main, ["validate", "-f", str(small_tree / "mkdocs.yml")])
    assert (result.exit_code, result.stderr) == (
        1,
        "error: $PLAYBOOK_TODAY: '5/12/2026' is not a date: write it as YYYY-MM-DD, "
        "e.g. 2026-12-05\n",
    )
