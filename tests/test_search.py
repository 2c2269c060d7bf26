"""The search index as readers need it: hidden tags weigh in search but show as no chip."""

from __future__ import annotations

import json
from pathlib import Path

from generator.outputs.search import index_for_readers, rewrite_index


def _index() -> dict:
    return {
        "config": {"fields": {"title": {"boost": 1000}, "tags": {"boost": 1000}}},
        "docs": [
            {
                "location": "roles/ml-engineer/",
                "title": "ML Engineer",
                "tags": [
                    "Technical role",
                    "Also known as MLOps Engineer",
                    "Modelling (competency)",
                ],
            },
            {"location": "roles/ml-engineer/#tips", "title": "Tips", "tags": ["Technical role"]},
            {"location": "glossary/", "title": "Glossary"},
        ],
    }


def test_hidden_tags_move_to_a_field_search_weighs_as_tags() -> None:
    index = index_for_readers(_index())
    assert index["config"]["fields"]["aliases"] == {"boost": 1000}
    role, section, glossary = index["docs"]
    assert role["tags"] == ["Technical role"]
    assert role["aliases"] == ["Also known as MLOps Engineer", "Modelling (competency)"]
    assert section == {
        "location": "roles/ml-engineer/#tips",
        "title": "Tips",
        "tags": ["Technical role"],
    }
    assert glossary == {"location": "glossary/", "title": "Glossary"}


def test_rewriting_twice_changes_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "search_index.json"
    path.write_text(json.dumps(_index()), encoding="utf-8")
    rewrite_index(path)
    once = path.read_text(encoding="utf-8")
    rewrite_index(path)
    assert path.read_text(encoding="utf-8") == once
    rewrite_index(tmp_path / "missing.json")  # no search plugin, no index: nothing to do


def test_an_index_without_fields_of_its_own_is_left_as_it_is() -> None:
    # Backstage TechDocs configures its search plugin with no fields.
    index = {"config": {"lang": ["en"]}, "docs": [{"location": "x/", "tags": ["Also known as Y"]}]}
    assert index_for_readers(json.loads(json.dumps(index))) == index
