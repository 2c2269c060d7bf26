"""JSON Schemas of the content files, generated from the content model, for editors.

yaml-language-server (VS Code's YAML extension and others) reads draft-07, not the 2020-12
dialect pydantic writes, so definitions move from ``$defs`` to ``definitions``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..content.kinds import KINDS, kind_of_file

__all__ = ["schema_header", "schema_texts"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def schema_texts() -> dict[str, str]:
    """Each schema file's name and its exact text (stable, so it can be committed)."""
    texts = {}
    for kind in KINDS:
        if kind.model is not None and kind.schema is not None:
            schema = _draft_07(kind.model)
            text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            texts[kind.schema] = text
    return texts


def schema_header(relative: str, schemas_from_content: str = "../schemas") -> str | None:
    """The editor hint line for the content file at ``relative`` (a path inside content/)."""
    kind = kind_of_file(relative)
    if kind is None or kind.schema is None:
        return None
    up = "../" * relative.count("/")
    return f"# yaml-language-server: $schema={up}{schemas_from_content}/{kind.schema}"


def _draft_07(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    return {"$schema": DRAFT_07, **schema}
