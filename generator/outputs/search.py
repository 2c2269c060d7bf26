"""The search index as readers need it, rewritten after the search plugin has written it.

Material's search shows a result's tags as a row of chips under every section of a page,
the hidden ones too: a role's other job titles ("Also known as …") and its competencies
("… (competency)"), so a role's result was several screens tall. Each entry keeps only the
tags a page shows; the hidden ones move to a field of their own, ``aliases``, which search
weighs as it weighs tags and never shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..pipeline.pages import ALIAS_TAG, COMPETENCY_TAG

__all__ = ["HIDDEN_FIELD", "hidden_tag", "index_for_readers", "rewrite_index"]

HIDDEN_FIELD = "aliases"


def hidden_tag(tag: str) -> bool:
    """Whether ``tag`` is searched but never shown (mkdocs.yml's shadow tags)."""
    return tag.startswith(ALIAS_TAG) or tag.endswith(COMPETENCY_TAG)


def index_for_readers(index: dict[str, Any]) -> dict[str, Any]:
    """``index`` (the search plugin's JSON) with hidden tags in a field of their own.
    Idempotent: an index rewritten already stays as it is. An index whose search names no
    fields of its own (Backstage TechDocs configures its search so) is left as it is: a field
    added there would not be searched."""
    fields = index.get("config", {}).get("fields")
    if not isinstance(fields, dict):
        return index
    fields.setdefault(HIDDEN_FIELD, fields.get("tags", {"boost": 1000}))
    for entry in index["docs"]:
        hidden = [tag for tag in entry.get("tags", ()) if hidden_tag(tag)]
        if not hidden:
            continue
        shown = [tag for tag in entry["tags"] if not hidden_tag(tag)]
        if shown:
            entry["tags"] = shown
        else:
            del entry["tags"]
        entry[HIDDEN_FIELD] = [*entry.get(HIDDEN_FIELD, ()), *hidden]
    return index


def rewrite_index(path: Path) -> None:
    """Rewrite the search index at ``path`` for readers, if there is one."""
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    text = json.dumps(index_for_readers(index), separators=(",", ":"), default=str)
    path.write_text(text, encoding="utf-8")
