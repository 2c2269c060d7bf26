"""Stage 6, emit: write the rendered Markdown tree and its navigation to a folder.

A file is rewritten only when its bytes change, and replacing one is atomic (a temporary file
renamed into place), so an editor or a running ``mkdocs serve`` never sees a page half old and
half new. A page that does not exist yet is created and written in one go (exclusively, so a
file that appears meanwhile is replaced the atomic way instead): in a fresh folder that halves
the time, and a run cut short leaves at worst a partial new page that the next run rewrites. Pages
this generator wrote earlier and no longer plans are removed; nothing else in the folder is
touched. No path may leave the output folder, and no path may be written twice.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from .errors import PlaybookError
from .plan import NavItem
from .render import RenderedPage

__all__ = ["MANIFEST", "NAV_FILE", "EmitReport", "emit", "write_if_changed"]

NAV_FILE = "nav.yml"
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C dumper when PyYAML has it


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file
MANIFEST = ".playbook-files"


@dataclass(frozen=True)
class EmitReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def emit(pages: Sequence[RenderedPage], nav: list[NavItem], out_dir: Path) -> EmitReport:
    files: dict[str, str] = {}
    for page in pages:
        if page.page.path in files:
            raise PlaybookError(f"two pages would be written to '{page.page.path}'")
        files[page.page.path] = page.markdown
    files[NAV_FILE] = yaml.dump({"nav": nav}, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged: list[str] = []
    folders: set[Path] = set()
    for relative, text in sorted(files.items()):
        target = _inside(out_dir, relative)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        data = text.encode("utf-8")
        changed = _create(target, data) or write_if_changed(target, data)
        (written if changed else unchanged).append(relative)
    removed = _remove_stale(out_dir, set(files))
    write_if_changed(out_dir / MANIFEST, "".join(f"{p}\n" for p in sorted(files)).encode())
    return EmitReport(tuple(written), tuple(unchanged), tuple(removed))


def _create(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` if no such file exists yet; False if one does."""
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def write_if_changed(target: Path, data: bytes) -> bool:
    """Atomically write ``data`` unless ``target`` already holds exactly those bytes."""
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        os.fchmod(handle, _FILE_MODE)  # mkstemp makes files only their owner can read
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _inside(out_dir: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        raise PlaybookError(f"refusing to write '{relative}' outside the output folder")
    return out_dir.joinpath(*pure.parts)


def _remove_stale(out_dir: Path, current: set[str]) -> list[str]:
    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        return []
    removed = []
    for relative in sorted(set(manifest.read_text(encoding="utf-8").split()) - current):
        try:
            target = _inside(out_dir, relative)
        except PlaybookError:
            continue
        if target.is_file():
            target.unlink()
            removed.append(relative)
    return removed
