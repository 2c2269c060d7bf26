"""load: safe YAML with a location for every value, and clear messages for broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.errors import Location
from generator.load import MAX_NODES, SourceFile, load_file


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
PLAIN_AND_UNUSUAL_YAML = """\
id: x
count: 3
hex: 0x1f
ratio: 1.5e3
flag: yes
off: false
nothing: ~
day: 2026-01-05
quoted: "2026-01-05"
folded: >
  one
  two
1: an integer key
base: &base {a: 1, b: [x, y]}
merged:
  <<: *base
  b: [z]
again: *base
"""


@pytest.mark.parametrize(
    "text",
    [
        PLAIN_AND_UNUSUAL_YAML,
        "id: x\nset: !!set {a, b}\n",
        "id: x\npairs: !!omap [a: 1, b: 2]\n",
        "id: x\n? [a, b]\n: complex key\n",
        "id: x\nraw: !!binary aGVsbG8=\n",
    ],
    ids=["scalars-anchors-merge", "set", "omap", "complex-key", "binary"],
)
def test_data_is_what_the_safe_loader_reads(tmp_path: Path, text: str) -> None:
    """Loading builds the data in its own pass over the nodes; it must equal PyYAML's."""
    result = load(tmp_path, text)
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:  # a key PyYAML cannot hash: refused by both, with its line
        assert result == ["content/roles/x.yml:2:3: error: YAML syntax: found unhashable key"]
        return
    assert isinstance(result, SourceFile), result
    assert result.data == expected


def test_bundled_content_loads_as_the_safe_loader_reads_it() -> None:
    for path in sorted((REPO / "content").rglob("*.yml")):
        relative = path.relative_to(REPO / "content").as_posix()
        result = load_file(path, f"content/{relative}", relative)
        assert isinstance(result, SourceFile), result
        assert result.data == yaml.safe_load(path.read_text(encoding="utf-8")), relative
