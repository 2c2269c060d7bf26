"""A fork loses nothing silently: what a removal or merge leaves out is reported, item by item,
at its own line; a merge keeps what the merged role was called and drops what would repeat;
and a fork decides whether the generator's own pages are published."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from test_fork_roles import fork

from generator.build import check, generate
from generator.frontends.cli import main
from generator.project import project_from_options

from conftest import ROOT

NOTE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):\d+: note: left out (?P<why>.+?): (?P<what>.+)$")


def _notes(tmp_path: Path, files: dict[str, str]) -> list[re.Match[str]]:
    _, problems = check(fork(tmp_path, files))
    found = [NOTE.match(str(problem)) for problem in problems if problem.severity == "note"]
    assert all(found)
    return [match for match in found if match]


# The UX designer's removal, with its two accountable activities handed to another role first.
UX_REMOVED = {
    "roles/ux-designer.yml": "remove: true\n",
    "phases/development.yml": "activities: {replace: [{id: design-user-oversight, "
    "accountable: software-engineer, responsible: []}]}\n",
    "phases/operations.yml": "activities: {replace: [{id: collect-user-feedback, "
    "accountable: software-engineer, responsible: []}]}\n",
}


def test_a_removal_notes_every_item_it_leaves_out_at_its_own_line(tmp_path: Path) -> None:
    notes = _notes(tmp_path, UX_REMOVED)
    assert all("removal of role 'ux-designer'" in note["why"] for note in notes)
    whats = {(Path(note["path"]).name, note["what"]) for note in notes}
    assert ("startup.yml", 'people covers "ux-designer"') in whats
    assert (
        "integrated-build-to-ux-review.yml",
        "the handoff 'integrated-build-to-ux-review'",
    ) in whats
    # a handoff that went with the role is named where an interview question pointed to it
    assert (
        "software-engineer.yml",
        "interview questions 'design-review-build' handoff \"integrated-build-to-ux-review\"",
    ) in whats
    for note in notes:  # each points at the item, or the text, that held what went
        lines = Path(note["path"]).read_text(encoding="utf-8").splitlines()
        start = int(note["line"]) - 1
        value = re.search(r'"([a-z0-9-]+)"$', note["what"])  # an id: on its own line
        named = value.group(1) if value else "ux-designer"
        window = 3 if value else 40  # a text: from its field
        assert named in "\n".join(lines[start : start + window]), note.group(0)


def test_a_merge_keeps_the_old_title_as_an_alias_and_drops_repeats(tmp_path: Path) -> None:
    project = fork(tmp_path, {"roles/data-analyst.yml": "merge_into: data-scientist\n"})
    playbook, problems = check(project)
    scientist = playbook.roles["data-scientist"]
    assert "Data Analyst" in scientist.aliases
    trainings = [
        item for item in scientist.onboarding if "security and data protection" in item.text
    ]
    assert len(trainings) == 1  # the analyst's near-identical training is left out, and said so
    notes = [str(p) for p in problems if p.severity == "note"]
    assert any("onboarding 'complete-security-and-privacy-basics'" in n for n in notes), notes
    assert any("now from and to 'data-scientist'" in n for n in notes), notes
    generated = generate(project)
    page = next(r.markdown for r in generated.pages if r.page.path == "roles/data-scientist.md")
    assert "Also known as Data Analyst" in page  # search still finds the merged role's title
    assert not re.search(r"from the \[data scientist\]", page, re.IGNORECASE)


def test_validate_prints_the_notes_and_still_passes(tmp_path: Path) -> None:
    project = fork(tmp_path, UX_REMOVED)
    (tmp_path / "mkdocs.yml").write_text(
        f"plugins:\n  - playbook:\n      content: {ROOT / 'content'}\n      layers: [company]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert "note: left out with the fork's removal of role 'ux-designer'" in result.stderr
    assert project.layers


def test_a_fork_leaves_the_generator_s_own_pages_off_unless_it_asks(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", project)
    shutil.copytree(ROOT / "docs", project / "docs")
    (project / "docs" / "team.md").write_text("# Our team\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("custom_dir: site_overrides", f"custom_dir: {ROOT / 'site_overrides'}"),
        encoding="utf-8",
    )
    settings = project / "content" / "playbook.yml"
    for published in (False, True):
        text = settings.read_text(encoding="utf-8").replace("generator_pages: false\n", "")
        settings.write_text(text + ("" if published else "generator_pages: false\n"), "utf-8")
        out = project / f"tree-{published}"
        result = CliRunner().invoke(
            main,
            [
                "generate",
                "-f",
                str(project / "mkdocs.yml"),
                "--out",
                str(out),
                "--config",
                str(project / f"standalone-{published}.yml"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert (out / "team.md").is_file()
        assert (out / "content-model.md").is_file() is published
        assert (out / "benchmarks.md").is_file() is published
    assert project_from_options(project, {}).content_dir.is_dir()


def test_a_handoff_left_with_nothing_to_hand_over_goes_with_a_note(tmp_path: Path) -> None:
    company, team = tmp_path / "company", tmp_path / "team"
    for folder in (company / "artefacts", company / "handoffs", team / "artefacts"):
        folder.mkdir(parents=True)
    artefact = yaml.safe_load((ROOT / "content/artefacts/runbook.yml").read_text("utf-8"))
    artefact.update(id="pager-card", title="Pager card")
    (company / "artefacts/pager-card.yml").write_text(yaml.safe_dump(artefact), "utf-8")
    handoff = (ROOT / "content/handoffs/solution-architecture-to-ml-engineering.yml").read_text(
        "utf-8"
    )
    handoff = handoff.replace("solution-architecture-to-ml-engineering", "pager-card-to-devops")
    handoff = handoff.replace("artefact: solution-architecture", "artefact: pager-card")
    (company / "handoffs/pager-card-to-devops.yml").write_text(handoff, "utf-8")
    (team / "artefacts/pager-card.yml").write_text("remove: true\n", "utf-8")
    options = {"content": str(ROOT / "content"), "layers": ["company", "team"]}
    playbook, problems = check(project_from_options(tmp_path, options))
    assert "pager-card-to-devops" not in playbook.handoffs
    notes = [str(p) for p in problems if p.severity == "note"]
    assert any("the handoff 'pager-card-to-devops'" in note for note in notes), notes


def test_an_item_a_fork_takes_out_of_a_list_leaves_the_references_to_it(tmp_path: Path) -> None:
    playbook, _ = check(project_from_options(ROOT, {}))
    decisions = [(p.id, d) for p in playbook.phases.values() for d in p.decisions]
    phase, activity = next((p, d.activity) for p, d in decisions if d.activity)
    target = next(d.escalates_to for _, d in decisions if d.escalates_to)
    target_phase = next(p for p, d in decisions if d.id == target)
    overlay = {f"phases/{phase}.yml": f"activities:\n  remove: [{activity}]\n"}
    overlay[f"phases/{target_phase}.yml"] = (
        overlay.get(f"phases/{target_phase}.yml", "") + f"decisions:\n  remove: [{target}]\n"
    )
    notes = _notes(tmp_path, overlay)
    whats = {note["what"] for note in notes}
    assert any(w.endswith(f'activity "{activity}"') for w in whats), whats
    assert any(w.endswith(f'escalates_to "{target}"') for w in whats), whats
    for note in notes:  # at the upstream line that named the item
        line = Path(note["path"]).read_text("utf-8").splitlines()[int(note["line"]) - 1]
        assert note["what"].rsplit('"', 2)[1] in line, note.group(0)
