"""Upstream drift: what changed upstream in the entities a fork's overlay changes.

Each overlay keeps, in its ``.upstream/`` folder, a copy of every upstream file it changes as
it was when the change was written or last reviewed. ``playbook drift`` compares those copies
with upstream today; ``playbook drift --mark-reviewed`` takes today's upstream as the new base.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import PlaybookError
from .pipeline import Project

__all__ = ["SNAPSHOTS", "Drift", "find_drift", "mark_reviewed"]

SNAPSHOTS = ".upstream"


@dataclass(frozen=True)
class Drift:
    overlay: Path  # the overlay file that changes an upstream entity
    upstream: Path
    snapshot: Path
    diff: str  # unified diff from the reviewed copy to upstream today; "" when unchanged

    @property
    def reviewed(self) -> bool:
        return self.snapshot.is_file()


def find_drift(project: Project) -> list[Drift]:
    return [
        Drift(overlay, upstream, snapshot, _diff(snapshot, upstream, project.root))
        for overlay, upstream, snapshot in _changed_entities(project)
    ]


def mark_reviewed(project: Project) -> list[Path]:
    """Take upstream as it is now as the base of every overlay change; return what changed."""
    marked = []
    for drift in find_drift(project):
        if drift.diff or not drift.reviewed:
            drift.snapshot.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(drift.upstream, _inside(drift.snapshot, project.root))
            marked.append(drift.overlay)
    return marked


def _changed_entities(project: Project) -> Iterator[tuple[Path, Path, Path]]:
    for layer in project.layers:
        for overlay in sorted(layer.rglob("*.yml")):
            relative = overlay.relative_to(layer)
            if relative.parts[0].startswith("."):
                continue
            upstream = project.content_dir / relative
            if upstream.is_file():
                yield overlay, upstream, layer / SNAPSHOTS / relative


def _diff(snapshot: Path, upstream: Path, root: Path) -> str:
    before = _lines(snapshot, root) if snapshot.is_file() else []
    after = _lines(upstream, root)
    if before == after:
        return ""
    name = _label(upstream, root)
    lines = difflib.unified_diff(before, after, f"{name} (reviewed)", f"{name} (upstream now)")
    return "".join(lines)


def _lines(path: Path, root: Path) -> list[str]:
    try:
        return _inside(path, root).read_text(encoding="utf-8").splitlines(True)
    except UnicodeDecodeError as exc:
        message = f"{_label(path, root)}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})"
        raise PlaybookError(f"{message}; save it as UTF-8") from None


def _inside(path: Path, root: Path) -> Path:
    """``path``, unless it is a link out of the project: a change in a pull request could
    otherwise have drift print a secret into a CI log, or write over a file elsewhere."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path
        raise PlaybookError(f"{shown}: a link to a place outside the project")
    return path


def _label(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
