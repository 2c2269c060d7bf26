"""Checklists out of the playbook: as CSV and JSON for spreadsheets and tracker imports, and as
Markdown task lists to paste into a GitHub or GitLab issue."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from .checklists import Checklist, plain_text

__all__ = ["EXPORT_FORMATS", "export_checklists"]

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


def export_checklists(checklists: Iterable[Checklist], fmt: str, title: str) -> str:
    lists = list(checklists)
    if fmt == "csv":
        return _csv(lists)
    if fmt == "json":
        return _json(lists, title)
    if fmt == "md":
        return _markdown(lists, title)
    raise ValueError(f"unknown export format {fmt!r}")


def _csv(checklists: list[Checklist]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
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
    lines = [f"## {title}", ""]
    for checklist in checklists:
        when = f" ({checklist.when.replace('-', ' ')})" if checklist.when else ""
        lines += [f"### {plain_text(checklist.title)}{when}", ""]
        for item in checklist.items:
            lines.append(f"- [ ] {plain_text(item.text)}")
            if item.details:
                lines.append(f"  {plain_text(item.details)}")
        lines.append("")
    return "\n".join(lines)
