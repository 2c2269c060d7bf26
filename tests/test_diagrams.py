"""Diagrams and the RACI matrix are correct for the data: every handoff drawn, every role placed,
one accountable role per activity, and nothing from content unescaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.config import read_project
from generator.diagrams import collaboration_map, swimlane
from generator.pipeline import check, generate

from conftest import ROOT, WriteTree

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # also proves the SVG is well-formed XML


def test_the_swimlane_draws_every_handoff_and_places_every_role() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    svg = parse(swimlane(playbook))
    arrows = [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")]  # type: ignore[union-attr]
    assert sorted(arrows) == sorted(h.title for h in playbook.handoffs.values())
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "pb-label"]
    assert labels == [role.title for role in playbook.roles.values()]
    assert svg.get("role") == "img" and svg.find(f"{SVG}desc") is not None


def test_an_arrow_runs_from_the_giver_lane_to_the_receiver_lane() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    svg = parse(swimlane(playbook))
    lane_y = {
        t.text: float(t.get("y", 0)) - 4
        for t in svg.iter(f"{SVG}text")
        if t.get("class") == "pb-label"
    }
    for group in svg.iter(f"{SVG}g"):
        handoff = next(h for h in playbook.handoffs.values() if h.title == group[0].text)
        start = float(group.find(f"{SVG}circle").get("cy"))  # type: ignore[union-attr,arg-type]
        end = float(group.find(f"{SVG}line").get("y2"))  # type: ignore[union-attr,arg-type]
        assert abs(start - lane_y[playbook.roles[handoff.from_role].title]) < 1
        assert abs(end - lane_y[playbook.roles[handoff.to_role].title]) < 8


def test_a_role_page_shows_its_own_slice() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    svg = parse(swimlane(playbook, "data-engineer"))
    arrows = sorted(g[0].text for g in svg.iter(f"{SVG}g"))  # type: ignore[type-var]
    mine = playbook.handoffs_between("data-engineer")
    assert arrows == sorted(h.title for h in mine)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "pb-label"]
    assert labels[0] == "Data Engineer" and len(labels) == len(set(labels))


def test_the_collaboration_map_joins_every_pair_that_hands_work_over() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    svg = parse(collaboration_map(playbook))
    titles = [c.find(f"{SVG}title") for c in svg.iter(f"{SVG}circle")]
    nodes = [title.text for title in titles if title is not None]  # the legend's dots have none
    assert nodes == [role.title for role in playbook.roles.values()]
    categories = {role.category for role in playbook.roles.values()}
    assert titles.count(None) == len(categories)  # one legend dot per category drawn
    pairs = {tuple(sorted((h.from_role, h.to_role))) for h in playbook.handoffs.values()}
    assert len(list(svg.iter(f"{SVG}line"))) == len(pairs)


def test_labels_from_content_are_escaped(write_tree: WriteTree) -> None:
    project = write_tree()
    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("title: ML Engineer", "title: ML <script>x</script>"))
    playbook, _ = check(project)
    for markup in (swimlane(playbook), collaboration_map(playbook)):
        assert "<script>" not in markup and "ML &lt;script&gt;x&lt;/script&gt;" in markup
        parse(markup)


def test_the_raci_matrix_has_one_accountable_role_per_activity() -> None:
    generated = generate(read_project(ROOT / "mkdocs.yml"))
    page = next(p.markdown for p in generated.pages if p.page.path == "lifecycle/raci.md")
    for phase in generated.playbook.phases.values():
        section = page.split(f"## {phase.title}\n", 1)[1].split("\n## ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| [")]
        assert len(rows) == len(generated.playbook.roles)
        cells = [[c.strip() for c in row.strip("|").split("|")[1:]] for row in rows]
        for column in range(len(phase.activities)):
            letters = [row[column] for row in cells]
            assert letters.count("A") == 1, (phase.id, column)


def test_pages_are_tagged_by_phase_and_category() -> None:
    generated = generate(read_project(ROOT / "mkdocs.yml"))
    pages = {p.page.path: p.markdown for p in generated.pages}
    assert (
        "tags:\n- Technical role\n- Design\n- Development\n- Deployment\n- Operations and Monitoring\n"
        in (pages["roles/data-scientist.md"])
    )
    assert "tags:\n- Deployment\n" in pages["handoffs/deployable-artefacts-to-devops.md"]
    assert re.search(r"<!-- material/tags -->", pages["tags.md"])
