"""Checklists and the skills matrix out of the playbook: as CSV and JSON for spreadsheets and
tracker imports, and as Markdown (task lists, or the matrix as a table) to paste into a GitHub
or GitLab issue. Each row names the address of the page it is shown on, as the published site
has it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ..pipeline.link import LinkedPlaybook
from ..pipeline.plan import page_path
from ..views.checklists import Checklist, markdown_line, plain_text
from ..views.skills import role_skills, skills_matrix

__all__ = ["EXPORT_FORMATS", "export_checklists", "export_skills", "page_address"]

EXPORT_FORMATS = ("csv", "json", "md")
CSV_COLUMNS = (
    "checklist_key",
    "checklist",
    "kind",
    "role",
    "when",
    "item_id",
    "item",
    "details",
    "page",
)
SKILLS_CSV_COLUMNS = (
    "role_id",
    "role",
    "competency_id",
    "competency",
    "needed_from",
    "level_id",
    "level",
    "expected",
    "page",
)


def page_address(path: str, directory_urls: bool = True, site_url: str = "") -> str:
    """Where MkDocs publishes the page written at ``path`` of the docs tree: relative to the
    site's root (``roles/data-scientist/``), or in full when the site's address is known."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        address = stem.removesuffix("index") + ("" if directory_urls else "index.html")
    else:
        address = stem + ("/" if directory_urls else ".html")
    return f"{site_url.rstrip('/')}/{address}" if site_url else address


def export_checklists(
    checklists: Iterable[Checklist],
    fmt: str,
    title: str,
    address: Callable[[str], str] = page_address,
) -> str:
    """The checklists in ``fmt``; ``address`` turns a page's path into its address."""
    lists = [replace(checklist, page=address(checklist.page)) for checklist in checklists]
    if fmt == "csv":
        return _csv(lists)
    if fmt == "json":
        return _json(lists, title)
    if fmt == "md":
        return _markdown(lists, title)
    raise ValueError(f"unknown export format {fmt!r}")


class _InertWriter:
    """A CSV writer whose cells a spreadsheet reads as text, never as a formula (OWASP's rule on
    CSV injection: a cell that starts with one of ``= + - @``, a tab or a carriage return gets
    a leading ``'``), so that ``=HYPERLINK(...)`` in an item shows as it is written."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[str]) -> None:
        self._writer.writerow(f"'{cell}" if cell.startswith(_FORMULA) else cell for cell in row)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _csv(checklists: list[Checklist]) -> str:
    out = io.StringIO()
    writer = _InertWriter(out)
    writer.writerow(CSV_COLUMNS)
    for checklist in checklists:
        for item in checklist.items:
            writer.writerow(
                (
                    checklist.key,
                    plain_text(checklist.title),
                    checklist.kind,
                    checklist.role or "",
                    item.when or checklist.when or "",
                    item.id,
                    plain_text(item.text),
                    plain_text(item.details or ""),
                    checklist.page,
                )
            )
    return out.getvalue()


def _json(checklists: list[Checklist], title: str) -> str:
    data = {
        "playbook": title,
        "checklists": [
            {
                "key": checklist.key,
                "title": plain_text(checklist.title),
                "kind": checklist.kind,
                "role": checklist.role,
                "when": checklist.when,
                "page": checklist.page,
                "items": [
                    {
                        "id": item.id,
                        "text": plain_text(item.text),
                        "details": plain_text(item.details) if item.details else None,
                        "when": item.when or checklist.when,
                    }
                    for item in checklist.items
                ],
            }
            for checklist in checklists
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _markdown(checklists: list[Checklist], title: str) -> str:
    lines = [f"## {markdown_line(title)}", ""]
    for checklist in checklists:
        when = f" ({checklist.when.replace('-', ' ')})" if checklist.when else ""
        lines += [f"### {markdown_line(plain_text(checklist.title))}{when}", ""]
        for item in checklist.items:
            lines.append(f"- [ ] {markdown_line(plain_text(item.text))}")
            if item.details:
                lines.append(f"  {markdown_line(plain_text(item.details))}")
        lines.append("")
    return "\n".join(lines)


def export_skills(
    playbook: LinkedPlaybook,
    role_ids: list[str],
    fmt: str,
    address: Callable[[str], str] = page_address,
) -> str:
    """The skills matrix of the roles named (all when none is): CSV has a row per role,
    competency and level; JSON the scale, the competencies and each role's expectations;
    Markdown the matrix as a table of the level each role needs each competency from.
    ``address`` turns a role page's path into its address."""
    if fmt == "csv":
        return _skills_csv(playbook, role_ids, address)
    if fmt == "json":
        return _skills_json(playbook, role_ids, address)
    if fmt == "md":
        return _skills_markdown(playbook, role_ids)
    raise ValueError(f"unknown export format {fmt!r}")


def _text(playbook: LinkedPlaybook, text: str) -> str:
    return plain_text(playbook.plain(text))


def _page(role_id: str, address: Callable[[str], str]) -> str:
    return address(page_path("roles", role_id))


def _cell(text: str) -> str:
    return markdown_line(text).replace("|", r"\|")


def _skills_csv(
    playbook: LinkedPlaybook, role_ids: list[str], address: Callable[[str], str]
) -> str:
    out = io.StringIO()
    writer = _InertWriter(out)
    writer.writerow(SKILLS_CSV_COLUMNS)
    for role, skills in skills_matrix(playbook, role_ids):
        for skill in skills.values():
            for level, text in skill.expectations:
                writer.writerow(
                    (
                        role.id,
                        role.title,
                        skill.competency.id,
                        skill.competency.title,
                        skill.needed_from.id,
                        level.id,
                        level.title,
                        _text(playbook, text),
                        _page(role.id, address),
                    )
                )
    return out.getvalue()


def _skills_json(
    playbook: LinkedPlaybook, role_ids: list[str], address: Callable[[str], str]
) -> str:
    def described(items: Iterable[Any]) -> list[dict[str, str]]:
        return [
            {"id": item.id, "title": item.title, "summary": _text(playbook, item.summary)}
            for item in items
        ]

    data = {
        "playbook": playbook.settings.title,
        "levels": [
            {**entry, "track": level.track}
            for entry, level in zip(
                described(playbook.levels.values()), playbook.levels.values(), strict=True
            )
        ],
        "competencies": described(playbook.competencies.values()),
        "roles": [
            {
                "id": role.id,
                "title": role.title,
                "page": _page(role.id, address),
                "competencies": [
                    {
                        "id": skill.competency.id,
                        "needed_from": skill.needed_from.id,
                        "levels": {
                            level.id: _text(playbook, text) for level, text in skill.expectations
                        },
                    }
                    for skill in role_skills(playbook, role)
                ],
            }
            for role, _ in skills_matrix(playbook, role_ids)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _skills_markdown(playbook: LinkedPlaybook, role_ids: list[str]) -> str:
    competencies = list(playbook.competencies.values())
    lines = [
        f"## {markdown_line(playbook.settings.title)}: skills matrix",
        "",
        "| Role | " + " | ".join(_cell(c.title) for c in competencies) + " |",
        "|---|" + ":-:|" * len(competencies),
    ]
    for role, skills in skills_matrix(playbook, role_ids):
        cells = [skills[c.id].needed_from.title if c.id in skills else "" for c in competencies]
        lines.append(f"| {_cell(role.title)} | " + " | ".join(map(_cell, cells)) + " |")
    return "\n".join(lines) + "\n"
