"""Checklists out of the playbook: as CSV and JSON for spreadsheets and tracker imports, and as
Markdown task lists to paste into a GitHub or GitLab issue. Each checklist names the address of
the page it is shown on, as the published site has it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import replace

from .checklists import Checklist, plain_text

__all__ = ["EXPORT_FORMATS", "export_checklists", "page_address"]

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
