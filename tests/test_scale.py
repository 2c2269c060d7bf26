"""Scale: what a page shows must not grow with the whole playbook, or the site grows quadratically.

Built from the benchmark's synthetic content (``bench/synthetic.py``). These tests count bytes
and links, never seconds: speed is shown by ``make bench`` and its table.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from generator.build import Generated, generate, renderer
from generator.errors import TemplateError
from generator.pipeline import parallel, render
from generator.pipeline.load import load_content
from generator.project import builtin_templates, project_from_options

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from synthetic import write_content  # noqa: E402


def generated(tmp_path: Path, roles: int) -> Generated:
    root = tmp_path / f"playbook-{roles}"
    write_content(roles, root / "content")
    return generate(project_from_options(root, {}))


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Generated]:
    tmp_path = tmp_path_factory.mktemp("scale")
    return {roles: generated(tmp_path, roles) for roles in (40, 160)}


def markdown(result: Generated, path: str) -> str:
    return next(p.markdown for p in result.pages if p.page.path == path)


def test_the_generated_site_grows_linearly_with_the_roles(sizes: dict[int, Generated]) -> None:
    small, large = sizes[40], sizes[160]
    pages = len(large.pages) / len(small.pages)
    size = sum(len(p.markdown) for p in large.pages) / sum(len(p.markdown) for p in small.pages)
    assert 3.5 < pages < 4.5  # four times the roles: about four times the pages
    assert size < 4.6, f"four times the roles wrote {size:.1f} times the Markdown"
    # a role's, handoff's, guide's or team's own page does not list the whole playbook: its
    # largest instance stays the same size when the playbook grows (index pages may not)
    assert largest_entity_page(large) < 1.5 * largest_entity_page(small)


def test_long_lists_under_a_tab_are_chunked_one_level_down(sizes: dict[int, Generated]) -> None:
    def guides_tab(result: Generated) -> list[Any]:
        return next(
            item["Ways of working"] for item in result.plan.nav if "Ways of working" in item
        )

    small, large = guides_tab(sizes[40]), guides_tab(sizes[160])
    assert len(small) == 1 + 13 and all(isinstance(entry, dict) for entry in small[1:])
    assert small[0] == "guides/index.md"
    assert large[0] == "guides/index.md" and list(large[1]) == ["All pages"]
    assert [len(section[title]) for section in large[1]["All pages"] for title in section] == [
        50,
        3,
    ]


def largest_entity_page(result: Generated) -> int:
    kinds = ("roles/", "handoffs/", "guides/", "teams/", "onboarding/")
    return max(
        len(p.markdown)
        for p in result.pages
        if p.page.path.startswith(kinds) and not p.page.path.endswith("index.md")
    )


def test_many_team_shapes_drop_the_grid_and_name_the_gap_by_count(
    sizes: dict[int, Generated],
) -> None:
    large = sizes[160]  # 16 team shapes
    teams = markdown(large, "teams/index.md")
    assert "| Role |" not in teams
    assert "With 16 shapes a grid of roles against shapes would not fit a page" in teams
    team = markdown(large, "teams/team-001.md")
    assert "of the playbook's 160 roles: only those in the table above" in team
    assert team.count("](../roles/") < 60  # the seats' roles, not the 140-odd uncovered ones


def test_few_team_shapes_keep_the_grid(sizes: dict[int, Generated]) -> None:
    small = sizes[40]  # 4 team shapes
    teams = markdown(small, "teams/index.md")
    assert "| Role |" in teams
    assert teams.count("\n| [") == 40  # a row per role


def test_pages_rendered_by_several_processes_are_the_pages_one_process_renders(
    sizes: dict[int, Generated],
) -> None:
    large = sizes[160]
    assert len(large.pages) >= render.PARALLEL_FROM
    serial = renderer(large.playbook, [builtin_templates()]).render_all(large.plan.pages, 1)
    parallel = renderer(large.playbook, [builtin_templates()]).render_all(large.plan.pages, 2)
    assert [p.markdown for p in parallel] == [p.markdown for p in serial]
    assert [p.page for p in parallel] == [p.page for p in serial] == list(large.plan.pages)


def test_a_template_error_in_a_worker_is_reported_like_any_other(
    sizes: dict[int, Generated], tmp_path: Path
) -> None:
    (tmp_path / "team.md.j2").write_text("# {{ team.titel }}\n", encoding="utf-8")
    large = sizes[160]
    broken = renderer(large.playbook, [tmp_path, builtin_templates()])
    with pytest.raises(TemplateError, match=r"team.md.j2:1: error: .*'titel'"):
        broken.render_all(large.plan.pages, 2)


def test_problems_in_many_files_are_reported_in_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_content(160, content)
    broken = sorted((content / "roles").glob("*.yml"))[:3]
    for path in broken:
        path.write_text(path.read_text() + "id: again\n", encoding="utf-8")
    _, problems = load_content(content, tmp_path)
    assert [p.location.path for p in problems] == [f"content/roles/{p.name}" for p in broken]
    assert all("duplicate key 'id'" in p.message for p in problems)


def test_few_items_or_other_threads_keep_the_work_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    assert parallel.workers_for(99, 100) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # as under `mkdocs serve`, whose file watcher and server are threads
        assert parallel.workers_for(10_000, 100) == 1
    finally:
        stop.set()
        thread.join()
