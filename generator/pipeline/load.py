"""Stage 1, load: read every YAML file under ``content/`` safely, remembering where each value
stood (file, line, column) so later stages can point at it.

Files are read by PyYAML's safe loader restricted to what JSON holds: text, numbers written in
decimal, true/false (and YAML's yes/no), null, lists and mappings with text keys. No tag beyond
those, no dates, no sets, no octal or sexagesimal numbers: ``12:30`` and ``010`` stay text. A
file is refused, with its line and column, when it would crash the loader or mislead the pages:
nesting too deep (checked before the C loader composes it), anchors that repeat too much, a key
twice, control characters, and anything among the content that is not a readable file.
Loading never stops at the first bad file.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import SafeConstructor

from ..content.keypaths import KeyPath
from ..errors import Location, Problem, shown_path
from ..fsio import MAX_FOLDER_DEPTH, path_problem

__all__ = [
    "LoadMemo",
    "SourceFile",
    "load_bytes",
    "load_content",
    "load_file",
    "yaml_files",
]

MAX_DEPTH = 50
MAX_NODES = 200_000  # values a file may expand to through anchors and aliases
MAX_GROWTH = 1_000_000  # characters anchors and aliases may add to a file
# Nesting the C loader may be given unchecked: it composes nested values by recursion, and
# some builds of it crash on tens of thousands of levels instead of failing.
CHECKED_FROM = 1_000

Position = tuple[int, int]  # line and column, counting from 1

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = (_TAG + name for name in ("str", "seq", "map", "merge"))
# The plain scalars that are not text, as JSON writes them (booleans also as YAML 1.1 wrote
# them, so that an unquoted "yes" in a text field is reported, not turned into "true").
_SCALARS = {
    _TAG + "bool": (
        r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        "yYnNtTfFoO",
    ),
    _TAG + "int": (r"[-+]?(?:0|[1-9][0-9]*)", "-+0123456789"),
    _TAG + "float": (
        r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)",
        "-+0123456789",
    ),
    _TAG + "null": (r"~|null|Null|NULL|", ["~", "n", "N", ""]),
}
_DIGITS = 100  # far past any count content gives, far below what Python will read
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")
_SEPARATOR = re.compile(r"[\x85\u2028\u2029]")  # allowed by YAML, but they break lines of text

# The C loader is several times faster; the pure one reads the same YAML.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader with only JSON's types: other implicit types are text, other tags have
    no constructor."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {}
    yaml_constructors: ClassVar[dict[Any, Any]] = {
        tag: SafeConstructor.yaml_constructors[tag] for tag in [_STR, _SEQ, _MAP, *_SCALARS, None]
    }


for _tag, (_pattern, _first) in _SCALARS.items():
    _Loader.add_implicit_resolver(_tag, re.compile(f"^(?:{_pattern})$"), list(_first))
_Loader.add_implicit_resolver(_MERGE, re.compile(r"^(?:<<)$"), ["<"])
_ALLOWED_TAGS = {_STR, _SEQ, _MAP, _MERGE, *_SCALARS}
_SCALAR_FORMS = {tag: re.compile(f"(?:{pattern})") for tag, (pattern, _) in _SCALARS.items()}


class Positions:
    """Where each value and each key of one file stands, as (line, column) pairs.

    Most files never need one: only a message points at a place. So loading keeps the text,
    and the first question reads it again to record every position."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tables: tuple[dict[KeyPath, Position], dict[KeyPath, Position]] | None = None

    def table(self, keys: bool) -> dict[KeyPath, Position]:
        if self._tables is None:
            node = _Loader(self._text).get_single_node()  # it was read without error before
            self._tables = _positions(node) if node is not None else ({}, {})
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


class _Shifted(Mapping[KeyPath, Location]):
    """Locations after list items were dropped: a key path of the shorter lists is looked up
    as the path the same item had before."""

    def __init__(self, before: Mapping[KeyPath, Location], dropped: Iterable[KeyPath]) -> None:
        self._before = before
        self._dropped: dict[KeyPath, list[int]] = {}
        for path in dropped:
            self._dropped.setdefault(path[:-1], []).append(int(path[-1]))
        for indexes in self._dropped.values():
            indexes.sort()

    def _earlier(self, key_path: KeyPath) -> KeyPath:
        found: KeyPath = ()
        for step in key_path:
            if isinstance(step, int):
                for index in self._dropped.get(found, ()):
                    if index <= step:
                        step += 1
            found = (*found, step)
        return found

    def __getitem__(self, key_path: KeyPath) -> Location:
        return self._before[self._earlier(key_path)]

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._before)  # the paths as they were: enough to count and to test

    def __len__(self) -> int:
        return len(self._before)


@dataclass(frozen=True)
class SourceFile:
    """One content file: its data and where each value (and each mapping key) stands."""

    path: str
    relative: str
    data: Any
    values: Mapping[KeyPath, Location] = field(repr=False)
    keys: Mapping[KeyPath, Location] = field(repr=False)

    @functools.cached_property
    def braced_texts(self) -> tuple[tuple[KeyPath, str], ...]:
        """Every text in the file that holds a brace (where a reference in prose may stand),
        with its key path: found once per file, so a check after an edit walks only the files
        the edit changed."""
        return tuple(_braced(self.data, ()))

    def with_data(self, data: Any, dropped: Iterable[KeyPath] = ()) -> SourceFile:
        """The file with ``data`` in place of its own, where the list items at ``dropped`` (key
        paths in the current data) were left out: every later item keeps its own location."""
        dropped = tuple(dropped)
        if not dropped:
            return replace(self, data=data)
        values, keys = _Shifted(self.values, dropped), _Shifted(self.keys, dropped)
        return replace(self, data=data, values=values, keys=keys)

    def locate(self, key_path: KeyPath, *, key: bool = False) -> Location:
        """The location of ``key_path``, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        for end in range(len(key_path), -1, -1):
            found = table.get(key_path[:end]) or self.values.get(key_path[:end])
            if found:
                return found
        return Location(self.path)


def _braced(node: Any, at: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(node, str):
        if "{" in node:
            yield at, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _braced(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _braced(value, (*at, index))


def load_content(
    content_dir: Path,
    display_root: Path,
    memo: LoadMemo | None = None,
    skip: tuple[str, ...] = (),
) -> tuple[list[SourceFile], list[Problem]]:
    """Load every ``*.yml``/``*.yaml`` file under ``content_dir`` but those in its hidden
    folders and in the folders named in ``skip``, in a stable order. Folders that cannot be
    read, and things named like content files that are not files, are problems too: content
    is never left out without a word. With a ``memo``, only files whose bytes changed since it
    last saw them are parsed."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    shown = shown_path(content_dir, display_root).removeprefix(".")
    found, unreadable = _yaml_paths(content_dir, skip)
    for path, why in unreadable:
        problems.append(_unreadable(path, content_dir, shown, why))
    root = content_dir.resolve()
    jobs = [
        (path, f"{shown}/{relative}" if shown else relative, relative)
        for path in found
        for relative in [path.relative_to(content_dir).as_posix()]
    ]
    if memo is not None:
        memo.forget_all_but(content_dir, jobs)
    for job in jobs:
        refused = _refused(job[0], job[1], root)
        loaded = refused or (memo.load(job) if memo is not None else load_file(*job))
        if isinstance(loaded, SourceFile):
            files.append(loaded)
        else:
            problems.extend(loaded)
    return files, problems


_Job = tuple[Path, str, str]  # a file, how messages name it, its place in content/


class LoadMemo:
    """What earlier loads read, kept where a playbook is loaded again and again (the live
    preview loads it after every save): a file is parsed again only if its bytes changed."""

    def __init__(self) -> None:
        self._files: dict[_Job, tuple[bytes, SourceFile | list[Problem]]] = {}

    def forget_all_but(self, folder: Path, jobs: list[_Job]) -> None:
        """Forget the files under ``folder`` that are gone from it."""
        wanted = set(jobs)
        for gone in [j for j in self._files if j[0].is_relative_to(folder) and j not in wanted]:
            del self._files[gone]

    def load(self, job: _Job) -> SourceFile | list[Problem]:
        try:
            raw = job[0].read_bytes()
        except OSError:
            return load_file(*job)  # which says why the file cannot be read
        known = self._files.get(job)
        if known is not None and known[0] == raw:
            return known[1]
        loaded = load_file(*job)
        self._files[job] = (raw, loaded)
        return loaded


def load_file(path: Path, display: str, relative: str) -> SourceFile | list[Problem]:
    """Read one file; ``display`` is how messages name it, ``relative`` its place in content/."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [Problem(Location(display), f"cannot read the file: {exc.strerror}")]
    return load_bytes(raw, display, relative)


def load_bytes(raw: bytes, display: str, relative: str) -> SourceFile | list[Problem]:
    """Read one file's bytes, with every check :func:`load_file` makes (a file as it was in an
    earlier commit is read so)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return [Problem(Location(display, line, column), message)]
    problems = _text_problems(display, text)
    if problems:
        return problems
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except RecursionError:  # the pure loader, where the C one is missing
        return [Problem(Location(display, 1, 1), "values are nested too deeply to read")]
    except yaml.YAMLError as exc:
        return [_yaml_problem(display, exc, text)]
    if node is None:
        return [Problem(Location(display, 1, 1), "the file is empty")]
    if not isinstance(node, yaml.MappingNode):
        return [Problem(_mark(display, node), "the file must hold a mapping of keys to values")]
    problems = _inspect(display, node)
    if not problems and "&" in text and _ANCHOR.search(text):  # only anchors share values
        problems = _Expansion(display, len(text)).run(node)
    if problems:
        return problems
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:  # e.g. a merge key given something else than a mapping
        return [_yaml_problem(display, exc, text)]
    positions = Positions(text)
    values, keys = Locations(display, positions), Locations(display, positions, keys=True)
    return SourceFile(display, relative, data, values, keys)


def _text_problems(display: str, text: str) -> list[Problem]:
    """What the text holds that YAML reads but a page must not get, and nesting too deep for
    the C loader, found before it composes anything."""
    separator = any(char in text for char in "\x85\u2028\u2029") and _SEPARATOR.search(text)
    if separator:
        where = _position(display, text, separator.start())
        code = ord(separator.group())
        return [Problem(where, f"the character U+{code:04X} is not allowed in content text")]
    if _may_nest_deeply(text):
        return _deep_nesting(display, text)
    return []


def _may_nest_deeply(text: str) -> bool:
    """False when ``text`` cannot nest values more than CHECKED_FROM levels deep.

    Each level of nesting needs a ``[`` or ``{``, or in block style a ``-`` or ``?`` or a new
    line, and a line holds at most two levels of block style per column it indents by."""
    breaks = sum(text.count(char) for char in "\n\r")
    marks = sum(text.count(char) for char in "[{-?")
    if 2 * (breaks + marks) + 2 <= CHECKED_FROM:
        return False
    flow = text.count("[") + text.count("{")
    indent = max((len(line) - len(line.lstrip(" \t-?")) for line in text.splitlines()), default=0)
    return flow + 2 * (indent + 1) > CHECKED_FROM


def _deep_nesting(display: str, text: str) -> list[Problem]:
    """Nesting measured on the events of the pure-Python parser, which keeps no stack of calls."""
    depth = 0
    events = yaml.SafeLoader(text)
    try:
        while (event := events.get_event()) is not None:  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the file's own mapping is the first level
                    mark = event.start_mark
                    where = Location(display, mark.line + 1, mark.column + 1) if mark else None
                    where = where or Location(display, 1, 1)
                    return [Problem(where, f"values are nested more than {MAX_DEPTH} levels deep")]
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the loader reports it, having nested no deeper than seen here
    return []


def _inspect(display: str, root: yaml.Node) -> list[Problem]:
    """Every value once, in the order of the file: the tags, keys and characters allowed, and
    how deep values are nested (exactly so where no anchor shares a value; :class:`_Expansion`
    measures shared values)."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]  # a value and the length of its key path
    while stack:
        node, level = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if level > MAX_DEPTH:
            return [
                Problem(
                    _mark(display, node), f"values are nested more than {MAX_DEPTH} levels deep"
                )
            ]
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            name = str(tag).replace(_TAG, "!!")
            message = f"the tag '{name}' is not allowed; content files hold plain values"
            problems.append(Problem(_mark(display, node), message))
        elif type(node) is yaml.ScalarNode:
            problems += _scalar_problems(display, node)
        elif type(node) is yaml.MappingNode:
            problems += _key_problems(display, node)
            stack.extend((value, level + 1) for _, value in reversed(node.value))
        else:
            stack.extend((item, level + 1) for item in reversed(node.value))
    return problems


def _scalar_problems(display: str, node: yaml.ScalarNode) -> list[Problem]:
    problems = []
    form = _SCALAR_FORMS.get(node.tag)
    if form is not None and not form.fullmatch(node.value):
        kind = node.tag.removeprefix(_TAG)
        message = f"'{node.value}' is not written as JSON writes a {kind}; quote text"
        problems.append(Problem(_mark(display, node), message))
    elif node.tag == _TAG + "int" and len(node.value) > _DIGITS:  # Python refuses to read it
        message = f"a number of {len(node.value)} digits is longer than content needs; quote text"
        problems.append(Problem(_mark(display, node), message))
    control = node.style == '"' and _CONTROL.search(node.value)  # escapes are the only way
    if control:
        message = f"the character U+{ord(control.group()):04X} is not allowed in content text"
        problems.append(Problem(_mark(display, node), message))
    return problems


def _key_problems(display: str, node: yaml.MappingNode) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "this key"
            message = f"the key '{shown}' is not text; put it in quotes"
            problems.append(Problem(_mark(display, key_node), message))
            continue
        key = key_node.value
        if key in seen:
            message = f"duplicate key '{key}' (first defined on line {seen[key]})"
            problems.append(Problem(_mark(display, key_node), message))
            continue
        seen[key] = key_node.start_mark.line + 1
    return problems


class _Expansion:
    """How deep and how large a file's values are once anchors and aliases are expanded:
    added up over each shared value once, never built."""

    def __init__(self, display: str, length: int) -> None:
        self.display = display
        self.max_chars = length + MAX_GROWTH
        # per value: levels below it and itself, values and characters it expands to
        self.sizes: dict[int, tuple[int, int, int]] = {}

    def run(self, root: yaml.Node) -> list[Problem]:
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        open_values: set[int] = set()
        while stack:
            node, done = stack.pop()
            if done:
                open_values.discard(id(node))
                self.sizes[id(node)] = self._size(node)
                continue
            if id(node) in self.sizes:
                continue
            if id(node) in open_values:
                message = "a value contains itself through an anchor and an alias"
                return [Problem(_mark(self.display, node), message)]
            open_values.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
        return self._limits(root)

    def _size(self, node: yaml.Node) -> tuple[int, int, int]:
        if isinstance(node, yaml.ScalarNode):
            return 1, 1, len(node.value)
        below = [self.sizes[id(child)] for child in _children(node)]
        return (
            1 + max((size[0] for size in below), default=0),
            1 + sum(size[1] for size in below),
            sum(size[2] for size in below),
        )

    def _limits(self, root: yaml.Node) -> list[Problem]:
        levels, values, chars = self.sizes[id(root)]  # the root's key path is (), one level
        start = Location(self.display, 1, 1)
        if values > MAX_NODES:
            message = f"the file expands to more than {MAX_NODES} values (are anchors nested?)"
            return [Problem(start, message)]
        if chars > self.max_chars:
            message = (
                f"anchors and aliases expand the file to more than {self.max_chars} characters "
                "of text; repeat less through aliases"
            )
            return [Problem(start, message)]
        if levels > MAX_DEPTH + 1:
            node = root
            for _ in range(MAX_DEPTH + 1):  # down the deepest way, to the first value too deep
                node = max(_children(node), key=lambda child: self.sizes[id(child)][0])
            message = f"values are nested more than {MAX_DEPTH} levels deep"
            return [Problem(_mark(self.display, node), message)]
        return []


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _positions(root: yaml.Node) -> tuple[dict[KeyPath, Position], dict[KeyPath, Position]]:
    """Where every value and every key stands, by its path of keys and list indexes."""
    values: dict[KeyPath, Position] = {}
    keys: dict[KeyPath, Position] = {}
    stack: list[tuple[yaml.Node, KeyPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        mark = node.start_mark
        values.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*path, n)) for n, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                entry = (*path, str(key_node.value))
                key_mark = key_node.start_mark
                keys.setdefault(entry, (key_mark.line + 1, key_mark.column + 1))
                stack.append((value_node, entry))
    return values, keys


def _mark(display: str, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(display, mark.line + 1, mark.column + 1)


def _yaml_problem(display: str, exc: yaml.YAMLError, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        where = _position(display, text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(where, f"the character U+{code:04X} is not allowed in YAML text")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(Location(display, 1, 1), f"not valid YAML: {_one_line(exc)}")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(Location(display, 1, 1), f"not valid YAML: {_one_line(exc)}")
    where = Location(display, mark.line + 1, mark.column + 1)
    message = exc.problem or exc.context or "not valid YAML"
    lines = text.splitlines()
    found = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
    if found == "\t" or "tab" in message:
        return Problem(where, "a tab character; indent YAML with spaces only")
    if "maximum nesting depth" in message:
        return Problem(where, f"values are nested more than {MAX_DEPTH} levels deep")
    return Problem(where, f"YAML syntax: {message}")


def _position(display: str, text: str, index: int) -> Location:
    line = text.count("\n", 0, index) + 1
    return Location(display, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def yaml_files(content_dir: Path, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    """The content files under ``content_dir``, as :func:`load_content` finds them."""
    found, _ = _yaml_paths(content_dir, skip)
    return (path for path in found if path.is_file())


def _yaml_paths(
    content_dir: Path, skip: tuple[str, ...] = ()
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every path named like a content file, sorted, and the folders that could not be read,
    with why. Hidden files and folders, and the top-level folders in ``skip``, are left out.
    Folders are walked without recursion, links to folders are listed but not entered, and
    no deeper than MAX_FOLDER_DEPTH."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    stack = [(content_dir, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            unreadable.append((folder, "cannot read the folder; its content would be left out"))
            continue
        for entry in entries:
            path = Path(folder, entry.name)
            if entry.name.startswith(".") or (depth == 0 and entry.name in skip):
                continue
            link = entry.is_symlink()
            if _is_folder(entry) and not link:
                if depth < MAX_FOLDER_DEPTH:
                    stack.append((path, depth + 1))
                else:
                    too_deep = f"folders nested more than {MAX_FOLDER_DEPTH} deep; not read"
                    unreadable.append((path, too_deep))
            if entry.name.endswith((".yml", ".yaml")) or (link and _is_folder(entry)):
                found.append(path)
    return sorted(found), sorted(unreadable)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # through a link, as os.walk lists it among the folders
    except OSError:
        return False


def _refused(path: Path, display: str, root: Path) -> list[Problem] | None:
    """Why ``path`` is not read as a content file, if it is not. Its folders are real folders
    under ``root`` (the walk does not enter links), so only a link in its own name can lead
    out of ``root``."""
    try:
        mode = path.lstat().st_mode
        link = stat.S_ISLNK(mode)
        if link:
            mode = path.stat().st_mode  # what it links to; a broken link fails here
            outside = path_problem(path, root, within="its folder")
    except OSError as exc:
        return [Problem(Location(display), f"cannot read the file: {exc.strerror}")]
    if stat.S_ISDIR(mode) and link:
        return [Problem(Location(display), "a link to a folder; content is read from real folders")]
    if stat.S_ISDIR(mode):
        return [Problem(Location(display), "a folder named like a content file; rename it")]
    if not stat.S_ISREG(mode):
        return [Problem(Location(display), "not a regular file; content files are plain files")]
    if link and outside:
        return [Problem(Location(display), f"the file is {outside}")]
    return None


def _unreadable(path: Path, content_dir: Path, shown: str, why: str) -> Problem:
    try:
        relative = path.relative_to(content_dir).as_posix()
    except ValueError:
        relative = path.as_posix()
    display = f"{shown}/{relative}" if shown and relative != "." else shown or relative
    return Problem(Location(display), why)
