"""JSON Schemas of the content files, generated from the content model, for editors.

yaml-language-server (VS Code's YAML extension and others) reads draft-07, not the 2020-12
dialect pydantic writes, so definitions move from ``$defs`` to ``definitions``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .model import Glossary, Guide, Handoff, Phase, Playbook, Role, Team

__all__ = ["SCHEMA_FILES", "schema_header", "schema_texts"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# Which schema each content file uses: a file name, or a folder whose files share one.
SCHEMA_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "playbook.yml": ("playbook.schema.json", Playbook),
    "glossary.yml": ("glossary.schema.json", Glossary),
    "roles": ("role.schema.json", Role),
    "phases": ("phase.schema.json", Phase),
    "handoffs": ("handoff.schema.json", Handoff),
    "guides": ("guide.schema.json", Guide),
    "teams": ("team.schema.json", Team),
}


def schema_texts() -> dict[str, str]:
    """Each schema file's name and its exact text (stable, so it can be committed)."""
    texts = {}
    for name, model in SCHEMA_FILES.values():
        schema = _draft_07(model)
        texts[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return texts


def schema_header(relative: str, schemas_from_content: str = "../schemas") -> str | None:
    """The editor hint line for the content file at ``relative`` (a path inside content/)."""
    parts = relative.split("/")
    key = parts[0] if len(parts) == 2 else relative
    if key not in SCHEMA_FILES:
        return None
    up = "../" * (len(parts) - 1)
    return f"# yaml-language-server: $schema={up}{schemas_from_content}/{SCHEMA_FILES[key][0]}"


def _draft_07(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    return {"$schema": DRAFT_07, **schema}
