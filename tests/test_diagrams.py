"""Diagrams and the RACI matrix are correct for the data: every handoff drawn, every role placed,
one accountable role per activity, and nothing from content unescaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.build import check, generate
from generator.project import read_project
from generator.views.diagrams import collaboration_map, map_legend, swimlane, text_width

from conftest import ROOT, WriteTree

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # also proves the SVG is well-formed XML


def drawings(markup: str) -> list[ET.Element]:
    """The SVG drawings in ``markup`` (the swimlane has a wide and a narrow one)."""
    return list(parse(f"<div>{markup}</div>"))


def columns(svg: ET.Element) -> dict[str, float]:
    """Each role's column: its name over a lifeline, in the same order."""
    names = [t.text for t in svg.iter(f"{SVG}text") if "pb-label--role" in t.get("class", "")]
    lines = [
        float(line.get("x1", 0))
        for line in svg.iter(f"{SVG}line")
        if line.get("class") == "pb-lifeline"
    ]
    assert len(names) == len(lines)
    return dict(zip(names, lines, strict=True))  # type: ignore[arg-type]


def arrows(svg: ET.Element) -> list[tuple[str, float, float]]:
    """Each handoff's name, and where its arrow starts (a dot) and ends (the arrowhead's tip)."""
    found = []
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "pb-handoff":
            continue
        start = float(group.find(f"{SVG}circle").get("cx"))  # type: ignore[union-attr,arg-type]
        tip = float(group.find(f"{SVG}path").get("d").split()[1])  # type: ignore[union-attr]
        found.append((group.find(f"{SVG}title").text, start, tip))  # type: ignore[union-attr]
    return found


def test_the_swimlane_draws_every_handoff_in_both_drawings_one_phase_at_a_time() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    svgs = drawings(swimlane(playbook))
    order = [role.title for role in playbook.roles.values()]
    for shape in ("wide", "narrow"):
        drawn = [svg for svg in svgs if f"pb-diagram--{shape}" in svg.get("class", "")]
        assert len(drawn) == len(playbook.phases)  # every phase of the bundled one has handoffs
        assert sorted(name for svg in drawn for name, _, _ in arrows(svg)) == sorted(
            h.title for h in playbook.handoffs.values()
        )
        for svg, phase in zip(drawn, playbook.phases.values(), strict=True):
            in_phase = [h for h in playbook.handoffs.values() if h.phase == phase.id]
            involved = {playbook.roles[r].title for h in in_phase for r in (h.from_role, h.to_role)}
            names = list(columns(svg))
            assert sorted(names) == sorted(involved) and names == sorted(names, key=order.index)
            assert svg.get("role") == "img" and svg.find(f"{SVG}desc") is not None
    ids = [svg.find(f"{SVG}title").get("id") for svg in svgs]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))


def test_an_arrow_runs_from_the_giver_column_to_the_receiver_column_and_is_named() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    by_title = {h.title: h for h in playbook.handoffs.values()}
    for svg in drawings(swimlane(playbook)):
        column = columns(svg)
        for name, start, tip in arrows(svg):
            handoff = by_title[name]
            assert start == column[playbook.roles[handoff.from_role].title]
            assert abs(tip - column[playbook.roles[handoff.to_role].title]) < 2
        labels = [t.text for g in svg.iter(f"{SVG}g") if g.get("class") == "pb-name" for t in g]
        assert " ".join(labels).split() == " ".join(name for name, _, _ in arrows(svg)).split()


def test_every_label_fits_in_its_drawing() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    markups = [swimlane(playbook), swimlane(playbook, "ml-engineer"), collaboration_map(playbook)]
    for svg in (svg for markup in markups for svg in drawings(markup)):
        width = float(svg.get("viewBox", "").split()[2])
        for text in svg.iter(f"{SVG}text"):
            if text.get("transform") or text.text is None:
                continue  # role names over the columns; the browser test measures those
            kind = svg.get("class", "")
            size = 13 if "--wide" in kind else 12
            extent = text_width(text.text, size)
            x = float(text.get("x", 0))
            left = {"end": x - extent, "middle": x - extent / 2}.get(text.get("text-anchor", ""), x)
            assert left >= 0 and left + extent <= width, (text.text, left, extent, width)


def test_a_role_page_shows_its_own_slice() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    mine = playbook.handoffs_between("data-engineer")
    svgs = drawings(swimlane(playbook, "data-engineer"))
    for shape in ("wide", "narrow"):
        drawn = [svg for svg in svgs if f"pb-diagram--{shape}" in svg.get("class", "")]
        shown = sorted(name for svg in drawn for name, _, _ in arrows(svg))
        assert shown == sorted(h.title for h in mine)
    for svg in svgs:
        names = list(columns(svg))
        assert names[0] == "Data Engineer" and len(names) == len(set(names))


def test_the_collaboration_map_joins_every_giver_to_every_receiver() -> None:
    playbook, _ = check(read_project(ROOT / "mkdocs.yml"))
    wide, narrow = drawings(collaboration_map(playbook))
    assert "pb-diagram--wide" in wide.get("class", "")
    assert "pb-diagram--narrow" in narrow.get("class", "")
    titles = [role.title for role in playbook.roles.values()]
    for svg in (wide, narrow):
        labels = [t.text for t in svg.iter(f"{SVG}text") if "pb-label" in t.get("class", "")]
        if svg is wide:
            assert labels[0::2] == titles and labels[1::2] == titles  # as giver, as receiver
        else:
            assert labels == titles  # a phone: one row a role, a dot at each end of its bands
        flows = {(h.from_role, h.to_role) for h in playbook.handoffs.values()}
        paths = list(svg.iter(f"{SVG}path"))
        bands = [p.find(f"{SVG}title").text for p in paths]  # type: ignore[union-attr]
        assert len(bands) == len(flows)
        assert {(p.get("data-from"), p.get("data-to")) for p in paths} == flows
        assert "Data Engineer to Data Scientist: 1 handoff" in bands
        # each dot and band carries its role's category colours, the ones the legend names
        colours = {
            c: f"--pb-colour: {w.light}; --pb-colour-dark: {w.dark}"
            for c, w in map_legend(playbook)
        }
        roles = list(playbook.roles.values())
        dots = [c.get("style") for c in svg.iter(f"{SVG}circle")]
        assert dots == [colours[role.category] for role in roles for _ in (1, 2)]
        # each name, as giver and as receiver, is a focusable group naming its role
        groups = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "pb-role"]
        sides = ("giver", "receiver") if svg is wide else ("both",)
        assert [(g.get("data-role"), g.get("data-side")) for g in groups] == [
            (role.id, side) for role in roles for side in sides
        ]
        assert all(g.get("tabindex") == "0" for g in groups)


def test_labels_from_content_are_escaped(write_tree: WriteTree) -> None:
    project = write_tree()
    role = project.content_dir / "roles" / "engineer.yml"
    role.write_text(role.read_text().replace("title: ML Engineer", "title: ML <script>x</script>"))
    playbook, _ = check(project)
    for markup in (swimlane(playbook), collaboration_map(playbook)):
        assert "<script>" not in markup and "ML &lt;script&gt;x&lt;/script&gt;" in markup
        drawings(markup)


def test_the_raci_matrix_names_each_activity_and_role_with_one_accountable_role() -> None:
    generated = generate(read_project(ROOT / "mkdocs.yml"))
    page = next(p.markdown for p in generated.pages if p.page.path == "lifecycle/raci.md")
    roles = [role.title for role in generated.playbook.roles.values()]
    for phase in generated.playbook.phases.values():
        section = page.split(f"## {phase.title}\n", 1)[1].split("\n## ", 1)[0]
        head = next(line for line in section.splitlines() if line.startswith("| Activity |"))
        assert re.findall(r'<span class="pb-upright">\[([^\]]+)\]', head) == roles
        rows = [line for line in section.splitlines() if line.startswith("| [")]
        assert [re.match(r"\| \[([^\]]+)\]", row).group(1) for row in rows] == [  # type: ignore[union-attr]
            activity.title for activity in phase.activities
        ]
        for row in rows:
            letters = [cell.strip() for cell in row.strip("|").split("|")[1:]]
            assert len(letters) == len(roles) and letters.count("A") == 1, row


def test_pages_are_tagged_by_phase_and_category() -> None:
    generated = generate(read_project(ROOT / "mkdocs.yml"))
    pages = {p.page.path: p.markdown for p in generated.pages}
    assert (
        "tags:\n- Technical role\n- Intake\n- Design\n- Development\n- Deployment\n"
        "- Operations and Monitoring\n" in (pages["roles/data-scientist.md"])
    )
    assert "tags:\n- Deployment\n" in pages["handoffs/deployable-artefacts-to-devops.md"]
    assert re.search(r"<!-- material/tags -->", pages["tags.md"])
