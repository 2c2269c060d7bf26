"""Editor support: committed JSON Schemas match the model, and every content file uses one."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from generator.outputs.schema import schema_header, schema_texts
from generator.pipeline.load import load_bytes

from conftest import ROOT

SCHEMAS = ROOT / "schemas"
CONTENT_FILES = sorted((ROOT / "content").rglob("*.yml"))


def test_committed_schemas_are_up_to_date() -> None:
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert committed == schema_texts(), "schemas/ is stale: run `playbook schema` and commit"


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_content_file_names_its_schema_and_meets_it(path: Path) -> None:
    relative = path.relative_to(ROOT / "content").as_posix()
    text = path.read_text(encoding="utf-8")
    header = schema_header(relative)
    assert header and text.splitlines()[0] == header
    schema_file = (path.parent / header.split("$schema=")[1]).resolve()
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    # read as editors read it (YAML 1.2, JSON's types: a date is text), as the generator does
    loaded = load_bytes(text.encode("utf-8"), relative, relative)
    assert not isinstance(loaded, list), loaded
    jsonschema.Draft7Validator(schema).validate(loaded.data)


def test_the_schema_catches_what_the_validator_catches() -> None:
    schema = json.loads((SCHEMAS / "handoff.schema.json").read_text(encoding="utf-8"))
    handoff = {
        "id": "x",
        "title": "X",
        "from": "a",
        "to": "b",
        "phase": "design",
        "summary": "S",
        "artefacts": [{"name": "A"}],
        "done": [{"id": "d", "text": "T"}],
        "dun": [],
    }
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(handoff)]
    assert errors == ["Additional properties are not allowed ('dun' was unexpected)"]
