"""load: safe YAML with a location for every value, and clear messages for broken files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import Location
from generator.pipeline.load import MAX_NODES, SourceFile, load_content, load_file


def load(tmp_path: Path, text: str | bytes) -> SourceFile | list[str]:
    path = tmp_path / "roles" / "x.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = load_file(path, "content/roles/x.yml", "roles/x.yml")
    return result if isinstance(result, SourceFile) else [str(p) for p in result]


def test_every_value_and_key_has_its_line_and_column(tmp_path: Path) -> None:
    source = load(tmp_path, "id: x\nonboarding:\n  - id: a\n    text: Hello\n")
    assert isinstance(source, SourceFile)
    assert source.data == {"id": "x", "onboarding": [{"id": "a", "text": "Hello"}]}
    assert source.locate(("onboarding", 0, "text")) == Location("content/roles/x.yml", 4, 11)
    assert source.locate(("onboarding", 0, "text"), key=True) == Location(
        "content/roles/x.yml", 4, 5
    )
    # a path that does not exist falls back to its nearest ancestor
    assert source.locate(("onboarding", 0, "missing")).line == 3


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    assert load(tmp_path, "id: x\ntitle: A\ntitle: B\n") == [
        "content/roles/x.yml:3:1: error: duplicate key 'title' (first defined on line 2)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "content/roles/x.yml:1:1: error: the file is empty"),
        ("# only a comment\n", "content/roles/x.yml:1:1: error: the file is empty"),
        (
            "- a\n- b\n",
            "content/roles/x.yml:1:1: error: the file must hold a mapping of keys to values",
        ),
        (
            b"title: caf\xe9\n",
            "content/roles/x.yml:1:11: error: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        (
            "id: x\n\ttitle: y\n",
            "content/roles/x.yml:2:1: error: a tab character; indent YAML with spaces only",
        ),
        (
            "id: [x\n",
            "content/roles/x.yml:2:1: error: YAML syntax: did not find expected ',' or ']'",
        ),
        (
            "id: !!python/object:os.system x\n",
            "content/roles/x.yml:1:5: error: the tag '!!python/object:os.system' is not allowed; content files hold plain values",
        ),
    ],
)
def test_broken_files_get_one_clear_message(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    assert load(tmp_path, text) == [message]


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    source = load(tmp_path, "\ufeffid: x\n".encode())
    assert isinstance(source, SourceFile) and source.data == {"id": "x"}


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    result = load(tmp_path, "\n".join(lines) + "\n")
    assert result == [
        f"content/roles/x.yml:1:1: error: the file expands to more than {MAX_NODES} values "
        "(are anchors nested?)"
    ]


REPO = Path(__file__).resolve().parent.parent


def test_only_what_json_holds_is_read_as_anything_but_text(tmp_path: Path) -> None:
    text = (
        "id: x\ncount: 3\nratio: 1.5e3\nflag: yes\nnothing: ~\nclock: 12:30\noctal: 010\n"
        "hex: 0x1f\nday: 2026-01-05\ninfinite: .inf\nthousand: 1_000\n"
        "base: &base {a: 1, b: [x, y]}\nmerged: {<<: *base, b: [z]}\n"
    )
    source = load(tmp_path, text)
    assert isinstance(source, SourceFile), source
    assert source.data == {
        "id": "x",
        "count": 3,
        "ratio": 1500.0,
        "flag": True,
        "nothing": None,
        "clock": "12:30",
        "octal": "010",
        "hex": "0x1f",
        "day": "2026-01-05",
        "infinite": ".inf",
        "thousand": "1_000",
        "base": {"a": 1, "b": ["x", "y"]},
        "merged": {"a": 1, "b": ["z"]},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id: x\nset: !!set {a, b}\n",
            "2:6: error: the tag '!!set' is not allowed; content files hold plain values",
        ),
        (
            "id: x\nday: !!timestamp 2026-01-05\n",
            "2:6: error: the tag '!!timestamp' is not allowed; content files hold plain values",
        ),
        (
            "id: x\nraw: !!binary aGVsbG8=\n",
            "2:6: error: the tag '!!binary' is not allowed; content files hold plain values",
        ),
        (
            "id: x\nn: !!int 0x10\n",
            "2:4: error: '0x10' is not written as JSON writes a int; quote text",
        ),
        ("id: x\n1: an integer key\n", "2:1: error: the key '1' is not text; put it in quotes"),
        (
            "id: x\n? [a, b]\n: complex key\n",
            "2:3: error: the key 'this key' is not text; put it in quotes",
        ),
        (
            'id: x\ntitle: "a\\0b"\n',
            "2:8: error: the character U+0000 is not allowed in content text",
        ),
        (
            'id: x\ntitle: "a\\eb"\n',
            "2:8: error: the character U+001B is not allowed in content text",
        ),
        (
            "id: x\ntitle: a\u2028b\n",
            "2:9: error: the character U+2028 is not allowed in content text",
        ),
        (
            "id: x\nloop: &a [*a]\n",
            "2:7: error: a value contains itself through an anchor and an alias",
        ),
    ],
)
def test_what_json_does_not_hold_is_refused_at_its_place(
    tmp_path: Path, text: str, message: str
) -> None:
    assert load(tmp_path, text) == [f"content/roles/x.yml:{message}"]


def test_aliases_may_not_repeat_much_text(tmp_path: Path) -> None:
    big = "x" * 100_000
    text = f"id: x\nbig: &b {big}\nmany: [{', '.join(['*b'] * 20)}]\n"
    assert load(tmp_path, text) == [
        "content/roles/x.yml:1:1: error: anchors and aliases expand the file to more than "
        f"{len(text) + 1_000_000} characters of text; repeat less through aliases"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 40_000 + "]" * 40_000 + "\n",
        "a:\n" + "- " * 40_000 + "x\n",
        "a: " + "{b: " * 40_000 + "c" + "}" * 40_000 + "\n",
        "a:\n" + "".join(" " * n + f"k{n}:\n" for n in range(1, 3_000)),
    ],
    ids=["flow-lists", "block-lists", "flow-mappings", "indented-mappings"],
)
def test_deep_nesting_is_refused_before_the_loader_composes_it(tmp_path: Path, text: str) -> None:
    result = load(tmp_path, text)
    assert isinstance(result, list) and len(result) == 1, result
    assert "values are nested more than 50 levels deep" in result[0]


def _dates_as_text(value: Any) -> Any:
    """``value`` as the loader reads it: a YAML 1.1 date is text (YAML 1.2 and JSON have none)."""
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_bundled_content_loads_as_the_safe_loader_reads_it() -> None:
    for path in sorted((REPO / "content").rglob("*.yml")):
        relative = path.relative_to(REPO / "content").as_posix()
        result = load_file(path, f"content/{relative}", relative)
        assert isinstance(result, SourceFile), result
        expected = _dates_as_text(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert repr(result.data) == repr(expected), relative  # repr: True is not 1


def test_every_path_named_like_content_is_read_or_reported(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "roles" / "ghost.yml").mkdir(parents=True)
    (content / "roles" / "away.yml").symlink_to(tmp_path / "nowhere.yml")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yml"
    outside.write_text("id: secret\n", encoding="utf-8")
    (content / "roles" / "secret.yml").symlink_to(outside)
    (content / "teams").symlink_to(tmp_path)
    files, problems = load_content(content, tmp_path)
    assert files == []
    assert [str(p) for p in problems] == [
        "content/roles/away.yml: error: cannot read the file: No such file or directory",
        "content/roles/ghost.yml: error: a folder named like a content file; rename it",
        "content/roles/secret.yml: error: the file is a link to a place outside its folder",
        "content/teams: error: a link to a folder; content is read from real folders",
    ]
