"""Upstream drift: what changed upstream in the entities a fork's overlay changes.

An overlay file was written against some version of the upstream file it changes: its base.
The base is the copy kept in the overlay's ``.upstream/`` folder once the change has been
reviewed (``playbook drift --mark-reviewed`` takes today's upstream as the new base); before
that, it is the upstream file as it was in the commit that added the overlay file, read from
git's history, so a file created after ``playbook init`` needs no step to record it. An overlay
file not committed yet was written against upstream as it is. ``playbook drift`` compares each
base with upstream today.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlaybookError, one_line, shown_path
from ..fsio import inside
from ..pipeline.load import yaml_files
from ..project import EXAMPLES, Project

__all__ = ["SNAPSHOTS", "Drift", "find_drift", "mark_reviewed"]

SNAPSHOTS = ".upstream"


@dataclass(frozen=True)
class Drift:
    overlay: str  # the overlay file that changes an upstream entity, relative to the project
    upstream: str
    since: str  # what the base is: "the last review" or the commit that added the overlay file
    diff: str  # unified diff from the base to upstream today; "" when unchanged


def find_drift(project: Project) -> list[Drift]:
    return [_drift(project, *paths) for paths in _changed_entities(project)]


def mark_reviewed(project: Project) -> list[str]:
    """Take upstream as it is now as the base of every overlay file that has no copy of it
    yet or whose upstream changed; return those overlay files."""
    marked = []
    for overlay, upstream, snapshot in _changed_entities(project):
        if not snapshot.is_file() or _drift(project, overlay, upstream, snapshot).diff:
            inside(snapshot, project.root)  # checked before its folder is made
            snapshot.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(inside(upstream, project.root), inside(snapshot, project.root))
            marked.append(_shown(overlay, project.root))
    return marked


def _changed_entities(project: Project) -> Iterator[tuple[Path, Path, Path]]:
    for layer in project.layers:
        for overlay in sorted(yaml_files(layer, skip=(EXAMPLES,))):
            relative = overlay.relative_to(layer)
            upstream = project.content_dir / relative
            if upstream.is_file():
                yield overlay, upstream, layer / SNAPSHOTS / relative


def _drift(project: Project, overlay: Path, upstream: Path, snapshot: Path) -> Drift:
    now = _text(upstream, project.root)
    commit = None if snapshot.is_file() else _commit_adding(overlay, project.root)
    if snapshot.is_file():
        since, base = "the last review", _text(snapshot, project.root)
    elif commit is not None:
        since = f"commit {commit[:10]}, which added the overlay file"
        base = _text_at(commit, upstream, project.root) or ""
    else:
        since, base = "now", now
    name = _shown(upstream, project.root)
    was = f"{name} (at {since.split(',')[0]})"
    lines = difflib.unified_diff(base.splitlines(True), now.splitlines(True), was, f"{name} (now)")
    return Drift(_shown(overlay, project.root), name, since, "".join(lines))


def _shown(path: Path, root: Path) -> str:
    """A file's name as drift prints it: a name may hold terminal escapes, shown escaped."""
    return one_line(shown_path(path, root))


def _text(path: Path, root: Path) -> str:
    try:
        return inside(path, root).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        message = f"{shown_path(path, root)}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})"
        raise PlaybookError(f"{message}; save it as UTF-8") from None


def _commit_adding(path: Path, root: Path) -> str | None:
    """The latest commit that added ``path``, or None outside git or before it is committed.

    In a shallow clone every file seems added by the oldest commit fetched, which would make
    drift compare upstream with itself and report nothing: that is an error, not a clean bill.
    """
    found = _git(root, "log", "--diff-filter=A", "--format=%H", "-1", "--", str(path.resolve()))
    commit = found.strip() if found else None
    if commit is not None and commit in _shallow_boundary(root):
        raise PlaybookError(
            f"{shown_path(path, root)}: the commit that added it is older than this shallow "
            "clone's history, which drift compares upstream with; fetch the whole history "
            "(git fetch --unshallow, or fetch-depth: 0 for actions/checkout)"
        )
    return commit


def _shallow_boundary(root: Path) -> set[str]:
    """The commits a shallow clone's history stops at; none in a full clone."""
    name = _git(root, "rev-parse", "--git-path", "shallow")
    shallow = root / name.strip() if name else None
    if shallow is None or not shallow.is_file():
        return set()
    return set(shallow.read_text(encoding="utf-8").split())


def _text_at(commit: str, path: Path, root: Path) -> str | None:
    """``path`` as it was in ``commit``; None if it did not exist then."""
    top = _git(root, "rev-parse", "--show-toplevel")
    try:
        inside = path.resolve().relative_to(Path((top or "").strip()).resolve()).as_posix()
    except ValueError:
        return None
    return _git(root, "show", f"{commit}:{inside}") if top else None


def _git(root: Path, *args: str) -> str | None:
    """The output of a read-only git command run in ``root``; None if it fails or git is
    not installed."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            encoding="utf-8",
            errors="replace",  # an old version in another encoding shows, rather than crash
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None
