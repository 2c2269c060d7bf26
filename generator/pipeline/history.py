"""Beside the stages: what changed in the content, read from the project's git history and told
at the level of the content model (a role's responsibilities added, a handoff's done-item
reworded, a decision's decider changed), for the "What changed" page and its feed.

History is read once per build, bounded: at most :data:`MAX_COMMITS` commits that touch the
content, files of at most :data:`MAX_FILE_BYTES`, and a time budget for the whole read, after
which older commits are left out and the page says so. Git runs with its arguments as a list,
no shell, no pager, no external diff or text conversion. Each version of a file is read by
:func:`~generator.pipeline.load.load_bytes`, the loader's own safe YAML with all its limits.

What is read is kept in ``.cache/playbook/changes.json`` under the project, by commit: a build
at the same HEAD runs one ``git rev-parse`` and nothing more, and a build after new commits
compares only those. In a fork the history is the fork's own repository's: the content folder
and overlay folders that lie inside it (an upstream snapshot outside the repository has no
history there).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..content.kinds import kind_of_file
from ..errors import PlaybookError
from ..fsio import inside, path_problem
from .emit import write_if_changed
from .load import SourceFile, load_bytes

__all__ = [
    "CACHE_FILE",
    "MAX_COMMITS",
    "Change",
    "History",
    "Note",
    "merged",
    "note_text",
    "read_history",
]

MAX_COMMITS = 500  # the most recent commits that touch the content
MAX_FILES = 5000  # changed files compared, across all commits read
MAX_FILE_BYTES = 1024 * 1024
TIME_BUDGET = 20.0  # seconds for reading and comparing; older commits are left out after it
CACHE_FILE = ".cache/playbook/changes.json"
_CACHE_VERSION = 3  # 3: titles on one line
_ZERO = "0" * 40


# One thing a commit changed in an entity: what it is said of ("summary", "decision go-ahead:
# decider", or a prefix for a list's items), the list's key if items of a list are counted, what
# happened to it, the ids of the items (if they have ids) and how many items.
Note = tuple[str, str, str, tuple[str, ...], int]


@dataclass(frozen=True)
class Change:
    """What one commit changed in one entity."""

    commit: str
    date: str  # when it was committed, ISO 8601 with its offset
    message: str  # the commit's subject line, as written: escape it where it is shown
    kind: str  # the kind's key: "roles", "playbook"
    entity: str  # its id (a single file's kind key)
    title: str
    notes: tuple[Note, ...]
    path: str  # the file, relative to the repository: escape it where it is shown


@dataclass(frozen=True)
class History:
    """The changes, newest first, and why there are none or fewer than there might be."""

    changes: tuple[Change, ...] = ()
    problem: str | None = None  # why no history could be read
    partial: str | None = None  # why older changes were left out
    head: str = ""


class _GitFailed(Exception):
    pass


def read_history(
    root: Path,
    folders: Sequence[Path],
    *,
    limit: int = MAX_COMMITS,
    budget: float = TIME_BUDGET,
    cache: bool = True,
) -> History:
    """The changes to the content files under ``folders`` (those inside the project's
    repository), newest first; a :class:`History` with a ``problem`` where git or its history
    is missing. Never raises for a repository's state."""
    git = shutil.which("git")
    if git is None:
        return History(problem="git is not installed here, so the history cannot be read.")
    runner = _Git(git, root, time.monotonic() + budget)
    try:
        top = Path(runner.text("rev-parse", "--show-toplevel")).resolve()
        shallow = runner.text("rev-parse", "--is-shallow-repository") == "true"
        head = runner.text("rev-parse", "--verify", "-q", "HEAD^{commit}", allow_fail=True)
    except _GitFailed:
        return History(problem="the project is not a git repository, so it has no history.")
    if not head:
        return History(problem="the repository has no commits yet.")
    if shallow:
        return History(
            problem="this copy of the repository is a shallow clone, which holds only its "
            "latest commits, so what changed before them cannot be told. Fetch the whole "
            "history (git fetch --unshallow; in CI, check out with a fetch depth of 0).",
            head=head,
        )
    specs = _pathspecs(folders, top, root)
    if not specs:
        return History(problem="no content folder lies inside the repository.", head=head)
    key = json.dumps([limit, [prefix for prefix, _ in specs]])
    store = _Cache(root) if cache else None
    known = store.read(key) if store else None
    if known is not None and known.get("head") == head:
        return _from_cache(known, head)
    commits = known.get("commits", {}) if known else {}
    return _read(runner, top, specs, head, limit, commits, store, key)


def _read(
    runner: _Git,
    top: Path,
    specs: list[tuple[str, Path]],
    head: str,
    limit: int,
    cached: dict[str, Any],
    store: _Cache | None,
    key: str,
) -> History:
    try:
        log = runner.run(
            "-c",
            "log.showSignature=false",
            "log",
            f"-n{limit}",
            "--no-merges",
            "--format=%H%x00%cI%x00%s",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            "-z",
            "--",
            *(f":(literal){prefix}" for prefix, _ in specs),
        )
    except _GitFailed as exc:
        return History(problem=f"git could not read the history: {exc}", head=head)
    commits = list(_commits(log.decode("utf-8", "replace")))
    read, partial = _within_bounds(commits, cached)
    try:  # every version of every file the new commits changed, in one call
        blobs = runner.blobs(
            {
                sha
                for commit in read
                if commit.sha not in cached
                for old, new, path in commit.files
                if _entity_file(path, specs)
                for sha in (old, new)
                if sha != _ZERO
            }
        )
    except _GitFailed:
        blobs = None
    changes: list[Change] = []
    kept: dict[str, Any] = {}
    versions: dict[str, Any] = {}  # each version is the new one of a commit, the old of another
    for commit in read:
        if commit.sha in cached:
            found = [_change(item) for item in cached[commit.sha]]
        elif blobs is None or runner.out_of_time():
            partial = f"changes before {commit.date[:10]} are left out, to keep builds short."
            break
        else:
            found = list(_compare(commit, specs, blobs, versions))
        kept[commit.sha] = [asdict(change) for change in found]
        changes += found
    cut = partial is not None
    if not cut and len(commits) >= limit:
        partial = f"only the latest {limit} commits that change the content are read."
    if store is not None:  # a read cut short is kept without its HEAD: the next one goes on
        store.write(key, "" if cut else head, kept, partial)
    return History(tuple(changes), None, partial, head)


def _within_bounds(
    commits: list[_Commit], cached: dict[str, Any]
) -> tuple[list[_Commit], str | None]:
    """The commits to tell, newest first, up to :data:`MAX_FILES` files not yet told."""
    files = 0
    for index, commit in enumerate(commits):
        if commit.sha not in cached:
            files += len(commit.files)
            if files > MAX_FILES:
                cut = f"changes before {commit.date[:10]} are left out, to keep builds short."
                return commits[:index], cut
    return commits, None


@dataclass(frozen=True)
class _Commit:
    sha: str
    date: str
    message: str
    files: tuple[tuple[str, str, str], ...]  # (old blob, new blob, path)


def _commits(log: str) -> Iterator[_Commit]:
    """The commits of ``git log -z --raw``: a header of three NUL-ended fields, then pairs of
    a ``:mode mode old new status`` field and the path."""
    tokens = log.split("\0")
    at = 0
    while at + 2 < len(tokens):
        sha, date, message = tokens[at].lstrip("\n"), tokens[at + 1], tokens[at + 2]
        at += 3
        files = []
        while at + 1 < len(tokens) and tokens[at].lstrip("\n").startswith(":"):
            meta = tokens[at].lstrip("\n").split()
            if len(meta) >= 5:
                files.append((meta[2], meta[3], tokens[at + 1]))
            at += 2
        if len(sha) == 40:
            yield _Commit(sha, date, message, tuple(files))


def _compare(
    commit: _Commit,
    specs: list[tuple[str, Path]],
    blobs: dict[str, bytes | None],
    versions: dict[str, Any],
) -> Iterator[Change]:
    for old, new, path in commit.files:
        entity_file = _entity_file(path, specs)
        if entity_file is None:
            continue
        kind, entity = entity_file
        before, after = (_data(blobs, versions, sha, path) for sha in (old, new))
        notes = _entity_notes(before, after)
        if not notes:
            continue
        # on one line: an old version's title was not checked as a name is today
        title = " ".join((_title(after) or _title(before) or entity).split())
        yield Change(commit.sha, commit.date, commit.message, kind, entity, title, notes, path)


def _entity_file(path: str, specs: list[tuple[str, Path]]) -> tuple[str, str] | None:
    """The kind and id of the entity whose file is ``path`` (relative to the repository)."""
    for prefix, _ in specs:
        if not path.startswith(f"{prefix}/") and prefix != "":
            continue
        relative = path[len(prefix) + 1 :] if prefix else path
        if relative.endswith(".yaml"):
            relative = relative[: -len(".yaml")] + ".yml"
        kind = kind_of_file(relative)
        if kind is not None:
            stem = relative.rsplit("/", 1)[-1].removesuffix(".yml")
            return kind.key, stem
    return None


_UNREADABLE = object()


def _data(blobs: dict[str, bytes | None], versions: dict[str, Any], sha: str, path: str) -> Any:
    """A version's data: None where the file did not exist, ``_UNREADABLE`` where it could not
    be read; each version read once."""
    if sha == _ZERO:
        return None
    if sha not in versions:
        raw = blobs.get(sha)
        loaded = _UNREADABLE if raw is None else load_bytes(raw, path, path)
        versions[sha] = loaded.data if isinstance(loaded, SourceFile) else _UNREADABLE
    return versions[sha]


def _title(data: Any) -> str:
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) else ""


def _entity_notes(before: Any, after: Any) -> tuple[Note, ...]:
    if before is None and after is None:
        return ()
    if before is None:
        return (_said("", "added"),)
    if after is None:
        return (_said("", "removed"),)
    if before is _UNREADABLE or after is _UNREADABLE:
        return (_said("", "changed (one version could not be read)"),)
    return tuple(_mapping_notes(before, after, ""))


def _said(subject: str, what: str) -> Note:
    return (subject, "", what, (), 0)


def note_text(note: Note) -> str:
    """A note in words: "two responsibilities added", "decision go-ahead: decider changed"."""
    subject, key, what, names, count = note
    if not key:
        return f"{subject} {what}".strip()
    text = f"{subject}{_counted(count, key)} {what}"
    return f"{text} ({_names(list(names))})" if names else text


def merged(notes: Iterator[Note] | Sequence[Note]) -> list[Note]:
    """``notes`` of several commits as one list: the items added (removed, reworded) to a list
    counted together, each item named once; the same change said once."""
    found: dict[tuple[str, str, str], Note] = {}
    for note in notes:
        subject, key, what, names, count = note
        known = found.get((subject, key, what))
        if known is None or not key:
            found.setdefault((subject, key, what), note)
            continue
        together = tuple(dict.fromkeys([*known[3], *names]))
        total = len(together) if known[3] and names else known[4] + count
        found[(subject, key, what)] = (subject, key, what, together, total)
    return list(found.values())


# How readers name a field's items, where its name does not say it: singular, plural.
_ITEM_WORDS = {
    "aliases": ("other name", "other names"),
    "cares_about": ("concern", "concerns"),
    "overlooks": ("blind spot", "blind spots"),
    "done": ("done-item", "done-items"),
    "entry_criteria": ("entry criterion", "entry criteria"),
    "exit_criteria": ("exit criterion", "exit criteria"),
    "works_with": ("collaborator", "collaborators"),
    "people": ("person", "people"),
    "produces": ("artefact produced", "artefacts produced"),
    "consumes": ("artefact used", "artefacts used"),
    "reviewed_by": ("reviewer", "reviewers"),
    "responsible": ("responsible role", "responsible roles"),
    "consulted": ("consulted role", "consulted roles"),
    "informed": ("informed role", "informed roles"),
    "rests_on": ("artefact it rests on", "artefacts it rests on"),
    "approves": ("artefact it approves", "artefacts it approves"),
    "covers": ("role covered", "roles covered"),
    "audience": ("reader role", "reader roles"),
    "reading_guide": ("reading step", "reading steps"),
}
_FIELD_WORDS = {"by": "decider", "on_no": "what happens on no", "raci": "RACI letter"}
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ITEM_KEYS = ("id", "role", "artefact", "term", "name", "competency")


def _field(key: str) -> str:
    return _FIELD_WORDS.get(key) or key.replace("_", " ")


def _items(key: str) -> tuple[str, str]:
    if key in _ITEM_WORDS:
        return _ITEM_WORDS[key]
    words = key.replace("_", " ")
    if words.endswith("ies"):
        return words[:-3] + "y", words
    if words.endswith("s"):
        return words[:-1], words
    return f"{words} item", f"{words} items"


def _counted(count: int, key: str) -> str:
    one, many = _items(key)
    number = _NUMBERS[count] if count < len(_NUMBERS) else str(count)
    return f"{number} {one if count == 1 else many}"


def _mapping_notes(before: dict[str, Any], after: dict[str, Any], within: str) -> Iterator[Note]:
    keys = list(dict.fromkeys([*after, *before]))
    for key in keys:
        if key == "id" or before.get(key) == after.get(key):
            continue
        old, new = before.get(key), after.get(key)
        label = f"{within}{_field(str(key))}"
        if old is None:
            yield _said(label, "added")
        elif new is None:
            yield _said(label, "removed")
        elif isinstance(old, list) and isinstance(new, list):
            yield from _list_notes(str(key), old, new, within)
        elif isinstance(old, dict) and isinstance(new, dict) and not within:
            yield from _mapping_notes(old, new, f"{label}: ")
        else:
            yield _said(label, "changed")


def _item_key(*lists: list[Any]) -> str | None:
    """The key every item of the lists is told by within its list (its id, or the entity it
    names), if there is one."""
    if not any(lists) or not all(isinstance(item, dict) for items in lists for item in items):
        return None
    for key in _ITEM_KEYS:
        if all(_unique([item.get(key) for item in items]) for items in lists):
            return key
    return None


def _unique(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values) and len(set(values)) == len(values)


def _list_notes(key: str, old: list[Any], new: list[Any], within: str) -> Iterator[Note]:
    by = _item_key(old, new)
    if by is not None:
        yield from _keyed_notes(key, by, old, new, within)
        return
    added = removed = reworded = 0
    matcher = difflib.SequenceMatcher(None, [_canon(x) for x in old], [_canon(x) for x in new])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            added += j2 - j1
        elif op == "delete":
            removed += i2 - i1
        elif op == "replace":
            both = min(i2 - i1, j2 - j1)
            reworded += both
            added += j2 - j1 - both
            removed += i2 - i1 - both
    for count, what in ((added, "added"), (removed, "removed"), (reworded, "reworded")):
        if count:
            yield (within, key, what, (), count)
    if not (added or removed or reworded):
        yield _said(f"{within}{_field(key)}", "reordered")


def _keyed_notes(key: str, by: str, old: list[Any], new: list[Any], within: str) -> Iterator[Note]:
    before = {item[by]: item for item in old}
    after = {item[by]: item for item in new}
    added = [name for name in after if name not in before]
    removed = [name for name in before if name not in after]
    for names, what in ((added, "added"), (removed, "removed")):
        if names:
            yield (within, key, what, tuple(names), len(names))
    reworded: list[str] = []
    one = _items(key)[0]
    for name in (n for n in after if n in before and before[n] != after[n]):
        fields = [f for f in dict.fromkeys([*after[name], *before[name]]) if f != by]
        changed = [f for f in fields if before[name].get(f) != after[name].get(f)]
        if changed in (["text"], ["title"], ["body"]):
            reworded.append(name)
        else:
            words = ", ".join(_field(f) for f in changed[:3]) + (" and more" if changed[3:] else "")
            yield _said(f"{within}{one} {name}: {words}", "changed")
    if reworded:
        yield (within, key, "reworded", tuple(reworded), len(reworded))
    unchanged = all(before.get(n) == after[n] for n in after)
    if not (added or removed) and list(before) != list(after) and unchanged:
        yield _said(f"{within}{_field(key)}", "reordered")


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _pathspecs(folders: Sequence[Path], top: Path, root: Path) -> list[tuple[str, Path]]:
    """Each folder that lies inside the repository (and the project), as a path relative to
    the repository's top, with the folder."""
    specs = []
    for folder in folders:
        if path_problem(folder, root) is not None:
            continue
        resolved = folder.resolve()
        if resolved.is_relative_to(top):
            relative = resolved.relative_to(top).as_posix()
            specs.append(("" if relative == "." else relative, folder))
    return specs


def _change(item: dict[str, Any]) -> Change:
    notes = tuple((s, k, w, tuple(n), c) for s, k, w, n, c in item["notes"])
    return Change(**{**item, "notes": notes})


def _well_formed(known: dict[str, Any]) -> bool:
    """Whether a cache's commits hold changes as this module writes them: a cache of another
    shape (edited by hand, or cut short) is read again from git, never trusted to the page."""
    texts = ("commit", "date", "message", "kind", "entity", "title", "path")
    commits, order = known["commits"], known.get("order")
    try:
        if not isinstance(order, list) or any(sha not in commits for sha in order):
            return False
        for items in commits.values():
            for change in map(_change, items):
                if not all(isinstance(getattr(change, name), str) for name in texts):
                    return False
                for said, key, what, ids, count in change.notes:
                    if not all(isinstance(text, str) for text in (said, key, what, *ids)):
                        return False
                    if type(count) is not int:
                        return False
    except (KeyError, TypeError, ValueError):
        return False
    return True


def _from_cache(known: dict[str, Any], head: str) -> History:
    changes = [_change(item) for sha in known["order"] for item in known["commits"][sha]]
    return History(tuple(changes), None, known.get("partial"), head)


class _Git:
    """Git run in the project, each call bounded by what is left of the time budget."""

    def __init__(self, git: str, root: Path, deadline: float) -> None:
        self.git = git
        self.root = root
        self.deadline = deadline
        self.env = {
            **os.environ,
            "LC_ALL": "C",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_PAGER": "cat",
        }

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def run(self, *args: str, stdin: bytes | None = None, allow_fail: bool = False) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _GitFailed("out of time")
        try:
            done = subprocess.run(
                [self.git, "-C", str(self.root), *args],
                input=stdin,
                capture_output=True,
                timeout=left,
                env=self.env,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise _GitFailed(type(exc).__name__) from None
        if done.returncode != 0 and not allow_fail:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise _GitFailed(message[0] if message else f"exit {done.returncode}")
        return done.stdout if done.returncode == 0 else b""

    def text(self, *args: str, allow_fail: bool = False) -> str:
        return self.run(*args, allow_fail=allow_fail).decode("utf-8", "replace").strip()

    def blobs(self, shas: set[str]) -> dict[str, bytes | None]:
        """The bytes of each blob; None for one larger than :data:`MAX_FILE_BYTES`."""
        if not shas:
            return {}
        ordered = sorted(shas)
        check = self.run("cat-file", "--batch-check", stdin="\n".join(ordered).encode() + b"\n")
        sizes = {}
        for line in check.decode("ascii", "replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
                sizes[parts[0]] = int(parts[2])
        small = [sha for sha in ordered if sizes.get(sha, MAX_FILE_BYTES + 1) <= MAX_FILE_BYTES]
        found: dict[str, bytes | None] = dict.fromkeys(ordered)
        if small:
            out = self.run("cat-file", "--batch", stdin="\n".join(small).encode() + b"\n")
            at = 0
            for sha in small:
                header_end = out.index(b"\n", at)
                size = int(out[at:header_end].split()[2])
                found[sha] = out[header_end + 1 : header_end + 1 + size]
                at = header_end + 1 + size + 1
        return found


class _Cache:
    """The changes already told, by commit, in the project's cache folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / CACHE_FILE

    def read(self, key: str) -> dict[str, Any] | None:
        try:
            inside(self.path, self.root)
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, PlaybookError):
            return None
        if not isinstance(known, dict) or known.get("version") != _CACHE_VERSION:
            return None
        if known.get("key") != key or not isinstance(known.get("commits"), dict):
            return None
        return known if _well_formed(known) else None

    def write(self, key: str, head: str, commits: dict[str, Any], partial: str | None) -> None:
        data = {
            "version": _CACHE_VERSION,
            "key": key,
            "head": head,
            "partial": partial,
            "order": list(commits),
            "commits": commits,
        }
        try:
            target = inside(self.path, self.root, write=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_if_changed(target, json.dumps(data, sort_keys=True).encode("utf-8"))
        except (OSError, PlaybookError):
            return  # a read-only checkout builds all the same, without the cache
