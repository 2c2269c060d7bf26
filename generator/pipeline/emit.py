"""Stage 6, emit: write the rendered Markdown tree and its navigation to a folder.

A file is rewritten only when its bytes change, and replacing one is atomic (a temporary file
renamed into place), so an editor or a running ``mkdocs serve`` never sees a page half old and
half new. A page that does not exist yet is created and written in one go (exclusively, so a
file that appears meanwhile is replaced the atomic way instead): in a fresh folder that halves
the time, and a run cut short leaves at worst a partial new page that the next run rewrites. Pages
this generator wrote earlier and no longer plans are removed; nothing else in the folder is
touched. No path may leave the output folder, and no path may be written twice.

It also holds what makes the other outputs safe: a command's output file (written through a
link or into a device as a shell would, a regular file replaced atomically, never a device or a
pipe renamed over), and the folder a site is built into, which is replaced only when it is a
site (:func:`replaced_site`): never the project, a folder that holds it, or other files.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..errors import PlaybookError
from ..fsio import inside
from .plan import NavItem
from .render import RenderedPage

__all__ = [
    "MANIFEST",
    "NAV_FILE",
    "SITE_MARK",
    "EmitReport",
    "emit",
    "replaced_site",
    "write_if_changed",
    "write_output",
]

NAV_FILE = "nav.yml"
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C dumper when PyYAML has it


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file
MANIFEST = ".playbook-files"
SITE_MARK = ".playbook-site"  # in a folder `playbook build` wrote, which the next build replaces
_STAGING_MARK = ".playbook-staging"  # in a folder being built: the id of the building process


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
        target = _output_file(out_dir, relative)
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
    """Atomically write ``data`` unless ``target`` already holds exactly those bytes. A link at
    ``target`` is replaced, never followed; a device or a pipe there is refused."""
    try:
        found = target.lstat()
    except FileNotFoundError:
        found = None
    except NotADirectoryError:
        raise NotADirectoryError(20, "a file stands where a folder should", str(target)) from None
    if found is not None and stat.S_ISREG(found.st_mode) and target.read_bytes() == data:
        return False
    if found is not None and not (stat.S_ISREG(found.st_mode) or stat.S_ISLNK(found.st_mode)):
        raise PlaybookError(f"{target}: not a regular file; it is left as it is")
    mode = stat.S_IMODE(found.st_mode) if found and stat.S_ISREG(found.st_mode) else _FILE_MODE
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        os.fchmod(handle, mode)  # mkstemp makes files only their owner can read
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def write_output(target: Path, data: bytes) -> None:
    """Write a command's output to ``target`` as a shell's redirection would: through a link to
    the file it names, into a device or a pipe as it is; a regular file is replaced atomically."""
    try:
        found = target.stat()
    except FileNotFoundError:
        found = None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise PlaybookError(f"{target}: is a folder; give a file name")
    try:
        if found is not None and not stat.S_ISREG(found.st_mode):
            with target.open("wb") as stream:  # a device or a pipe: nothing to rename over
                stream.write(data)
        else:
            write_if_changed(target.resolve() if target.is_symlink() else target, data)
    except OSError as exc:  # named after the output, not the temporary file beside it
        raise OSError(exc.errno, exc.strerror, str(target)) from None


@contextmanager
def replaced_site(target: Path, project_root: Path) -> Iterator[Path]:
    """A staging folder that replaces the site folder ``target`` only if the block finishes.

    ``target`` is refused if it is the project or holds it, or if it holds files that are not
    a site (a folder this command built has :data:`SITE_MARK`; one MkDocs built has its
    ``index.html`` and ``sitemap.xml``). Staging folders that interrupted builds left beside it
    are removed first."""
    target = target.resolve()
    _check_site_folder(target, project_root.resolve())
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        (staging / _STAGING_MARK).write_text(f"{os.getpid()}\n", encoding="utf-8")
        yield staging
        (staging / _STAGING_MARK).unlink()
        (staging / SITE_MARK).write_text(
            "A site built by `playbook build`; the next build replaces this folder.\n",
            encoding="utf-8",
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _check_site_folder(target: Path, root: Path) -> None:
    if target == root or target in root.parents:
        raise PlaybookError(f"{target}: holds the project; build the site into a folder of its own")
    if not target.exists():
        return
    if not target.is_dir():
        raise PlaybookError(f"{target}: not a folder; the site is built into a folder")
    if any(target.iterdir()) and not _is_site(target):
        raise PlaybookError(
            f"{target}: holds files that are not a built site; empty it or choose another folder"
        )


def _is_site(folder: Path) -> bool:
    if (folder / SITE_MARK).is_file():
        return True
    return (folder / "index.html").is_file() and (folder / "sitemap.xml").is_file()


def _remove_stale_staging(target: Path) -> None:
    """Remove staging folders of builds that were cut short: named as this command names them,
    and marked by a process that no longer runs (or not marked: older builds did not mark)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-(?:new-[a-z0-9_]{{8}}|old)")
    for folder in target.parent.iterdir():
        stale = pattern.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink()
        if stale and not _building(folder / _STAGING_MARK):
            shutil.rmtree(folder, ignore_errors=True)


def _building(mark: Path) -> bool:
    try:
        pid = int(mark.read_text(encoding="utf-8"))
        os.kill(pid, 0)
    except PermissionError:
        return True  # a process of another user: it runs
    except (OSError, ValueError):
        return False
    return pid != os.getpid()


def _output_file(out_dir: Path, relative: str) -> Path:
    # A folder inside that links elsewhere would lead a write, or a removal the manifest
    # asks for, out of the output folder.
    target = out_dir.joinpath(*PurePosixPath(relative).parts)
    return inside(target, out_dir, shown=relative, within="the output folder", write=True)


def _remove_stale(out_dir: Path, current: set[str]) -> list[str]:
    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        return []
    removed = []
    for relative in sorted(set(manifest.read_text(encoding="utf-8").split()) - current):
        try:
            target = _output_file(out_dir, relative)
        except PlaybookError:
            continue
        if target.is_file():
            target.unlink()
            removed.append(relative)
    return removed
