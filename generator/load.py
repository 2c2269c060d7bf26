"""Stage 1, load: read every YAML file under ``content/`` safely, remembering where each value
stood (file, line, column) so later stages can point at it.

Only plain YAML is accepted (the safe loader: no Python objects). Duplicate keys, files that are
not a mapping, bad encodings and syntax errors become :class:`~generator.errors.Problem` values;
loading never stops at the first bad file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problem
from .parallel import fork_map, workers_for

__all__ = ["SourceFile", "load_content", "yaml_files"]

try:  # the C loader is several times faster; the pure one reads the same YAML
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# An anchor can be referenced many times; walking the expanded tree is bounded so that a
# "billion laughs" file fails quickly instead of exhausting memory.
MAX_NODES = 200_000
MAX_DEPTH = 50
PARALLEL_FROM = 500  # files; fewer are read in one process

KeyPath = tuple[str | int, ...]


Position = tuple[int, int]  # line and column, counting from 1

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class Positions:
    """Where each value and each key of one file stands, as (line, column) pairs.

    Most files never need one: only a message points at a place. So loading keeps the text,
    and the first question reads it again to record every position; a 1,000-role playbook
    has some 400,000 values, and recording them all up front took a tenth of the load."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tables: tuple[dict[KeyPath, Position], dict[KeyPath, Position]] | None = None

    def table(self, keys: bool) -> dict[KeyPath, Position]:
        if self._tables is None:
            loader = _Loader(self._text)
            walk = _Walk("", loader, positions=True)
            node = loader.get_single_node()  # the text was read without error before
            if node is not None:
                walk.run(node)
            self._tables = (walk.values, walk.keys)
        return self._tables[1 if keys else 0]


class Locations(Mapping[KeyPath, Location]):
    """The values' (or the keys') positions of one file as :class:`Location` values."""

    def __init__(self, path: str, positions: Positions, *, keys: bool = False) -> None:
        self._path = path
        self._positions = positions
        self._keys = keys

    def __getitem__(self, key_path: KeyPath) -> Location:
        line, column = self._positions.table(self._keys)[key_path]
        return Location(self._path, line, column)

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._positions.table(self._keys))

    def __len__(self) -> int:
        return len(self._positions.table(self._keys))


@dataclass(frozen=True)
class SourceFile:
    """One content file: its data and where each value (and each mapping key) stands."""

    path: str
    relative: str
    data: Any
    values: Mapping[KeyPath, Location] = field(repr=False)
    keys: Mapping[KeyPath, Location] = field(repr=False)

    def locate(self, key_path: KeyPath, *, key: bool = False) -> Location:
        """The location of ``key_path``, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        for end in range(len(key_path), -1, -1):
            found = table.get(key_path[:end]) or self.values.get(key_path[:end])
            if found:
                return found
        return Location(self.path)


def load_content(
    content_dir: Path, display_root: Path, workers: int | None = None, skip: tuple[str, ...] = ()
) -> tuple[list[SourceFile], list[Problem]]:
    """Load every ``*.yml``/``*.yaml`` file under ``content_dir`` but those in its hidden
    folders and in the folders named in ``skip``, in a stable order; a large playbook's files
    are shared out among ``workers`` processes (by default, see
    :func:`~generator.parallel.workers_for`)."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    shown = _display(content_dir, display_root).removeprefix(".")
    jobs = [
        (path, f"{shown}/{relative}" if shown else relative, relative)
        for path in sorted(yaml_files(content_dir, skip))
        for relative in [path.relative_to(content_dir).as_posix()]
    ]
    workers = workers_for(len(jobs), PARALLEL_FROM) if workers is None else workers
    for loaded in fork_map(_load_job, jobs, workers):
        if isinstance(loaded, SourceFile):
            files.append(loaded)
        else:
            problems.extend(loaded)
    return files, problems


def _load_job(job: tuple[Path, str, str]) -> SourceFile | list[Problem]:
    return load_file(*job)


def load_file(path: Path, display: str, relative: str) -> SourceFile | list[Problem]:
    """Read one file; ``display`` is how messages name it, ``relative`` its place in content/."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [Problem(Location(display), f"cannot read the file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return [Problem(Location(display, line, column), message)]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except RecursionError:
        return [Problem(Location(display, 1, 1), "values are nested too deeply to read")]
    except yaml.MarkedYAMLError as exc:
        return [_syntax_problem(display, exc, text)]
    except yaml.reader.ReaderError as exc:
        where = _position(display, text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return [Problem(where, f"the character U+{code:04X} is not allowed in YAML text")]
    except yaml.YAMLError as exc:
        return [Problem(Location(display, 1, 1), f"not valid YAML: {_one_line(exc)}")]
    if node is None:
        return [Problem(Location(display, 1, 1), "the file is empty")]
    if not isinstance(node, yaml.MappingNode):
        return [Problem(_mark(display, node), "the file must hold a mapping of keys to values")]
    walk = _Walk(display, loader)
    try:  # values from the nodes already read: the text is parsed once
        data = walk.run(node)
        if walk.problems:
            return walk.problems
        if walk.unusual:  # tags or keys beyond plain YAML: PyYAML's own constructor decides
            data = loader.construct_document(node)
    except yaml.YAMLError as exc:  # e.g. a tag the safe loader does not know
        if isinstance(exc, yaml.MarkedYAMLError):
            return [_syntax_problem(display, exc, text)]
        return [Problem(Location(display, 1, 1), f"not valid YAML: {_one_line(exc)}")]
    positions = Positions(text)
    values, keys = Locations(display, positions), Locations(display, positions, keys=True)
    return SourceFile(display, relative, data, values, keys)


class _Walk:
    """One pass over a file's nodes: the data and duplicate keys or, with ``positions``, where
    every value and key stands. Iterative and bounded: anchors may make the tree huge or
    endless, and nesting deep.

    Plain mappings, lists and strings are built here; other scalars (numbers, yes/no, dates)
    go through PyYAML's constructor. Anything unusual (a merge key, a tag on a mapping or a
    list, a key that is not a scalar) sets ``unusual`` so the caller constructs the document
    the standard way instead."""

    def __init__(self, display: str, loader: yaml.SafeLoader, *, positions: bool = False) -> None:
        self.display = display
        self.loader = loader
        self.positions = positions
        self.values: dict[KeyPath, Position] = {}
        self.keys: dict[KeyPath, Position] = {}
        self.problems: list[Problem] = []
        self.unusual = False

    def run(self, root: yaml.Node) -> Any:
        top: list[Any] = [None]
        stack: list[tuple[yaml.Node, KeyPath, Any, Any]] = [(root, (), top, 0)]
        values = self.values
        count = 0
        while stack:
            node, key_path, parent, slot = stack.pop()
            count += 1
            if count > MAX_NODES:
                message = f"the file expands to more than {MAX_NODES} values (are anchors nested?)"
                self.problems = [Problem(Location(self.display, 1, 1), message)]
                return None
            if len(key_path) > MAX_DEPTH:
                where = _mark(self.display, node)
                message = f"values are nested more than {MAX_DEPTH} levels deep"
                self.problems = [Problem(where, message)]
                return None
            if self.positions:
                mark = node.start_mark
                values.setdefault(key_path, (mark.line + 1, mark.column + 1))
            if isinstance(node, yaml.ScalarNode):
                parent[slot] = self._scalar(node)
            elif isinstance(node, yaml.SequenceNode):
                self.unusual |= node.tag != _SEQ
                items: list[Any] = [None] * len(node.value)
                parent[slot] = items
                for n in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[n], (*key_path, n), items, n))
            elif isinstance(node, yaml.MappingNode):
                self.unusual |= node.tag != _MAP
                mapping: dict[Any, Any] = {}
                parent[slot] = mapping
                stack.extend(reversed(self._mapping(node, key_path, mapping)))
        return top[0]

    def _mapping(
        self, node: yaml.MappingNode, key_path: KeyPath, mapping: dict[Any, Any]
    ) -> list[tuple[yaml.Node, KeyPath, Any, Any]]:
        children: list[tuple[yaml.Node, KeyPath, Any, Any]] = []
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                message = f"duplicate key '{key}' (first defined on line {seen[key]})"
                self.problems.append(Problem(_mark(self.display, key_node), message))
                continue
            seen[key] = key_node.start_mark.line + 1
            entry: KeyPath = (*key_path, key)
            if self.positions:
                self.keys[entry] = (seen[key], key_node.start_mark.column + 1)
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                slot = self._scalar(key_node)
            else:
                self.unusual, slot = True, key
            children.append((value_node, entry, mapping, slot))
        return children

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        return self.loader.construct_object(node)


def _mark(display: str, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(display, mark.line + 1, mark.column + 1)


def _syntax_problem(display: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(Location(display, 1, 1), f"not valid YAML: {_one_line(exc)}")
    where = Location(display, mark.line + 1, mark.column + 1)
    message = exc.problem or exc.context or "not valid YAML"
    lines = text.splitlines()
    found = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
    if found == "\t" or "tab" in message:
        return Problem(where, "a tab character; indent YAML with spaces only")
    tag = re.search(r"constructor for the tag '([^']+)'", message)
    if tag:
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return Problem(where, f"the tag '{name}' is not allowed; content files hold plain values")
    return Problem(where, f"YAML syntax: {message}")


def _position(display: str, text: str, index: int) -> Location:
    line = text.count("\n", 0, index) + 1
    return Location(display, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def yaml_files(content_dir: Path, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    """The content files under ``content_dir``, as :func:`load_content` reads them."""
    for path in content_dir.rglob("*"):
        parts = path.relative_to(content_dir).parts
        hidden = any(part.startswith(".") for part in parts) or parts[0] in skip
        if path.suffix in (".yml", ".yaml") and path.is_file() and not hidden:
            yield path


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
