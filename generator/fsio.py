"""Where the generator may read and write: inside the project, through no link that leaves it.

A fork's pull request can add links as well as files: a template, a logo, an overlay folder or
an ``.upstream`` snapshot that is a link to ``/proc/self/environ`` would publish the build's
secrets, and a linked output folder would lead a write elsewhere. :func:`path_problem` is the
one rule every reader and writer asks, :func:`inside` the same rule as an exception.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import PlaybookError

__all__ = ["MAX_FOLDER_DEPTH", "PathRefused", "files_under", "inside", "path_problem"]

MAX_FOLDER_DEPTH = 32  # folders read below a top folder; a project's sit one or two deep


class PathRefused(PlaybookError):
    """A path leads outside the folder it must stay in; the message names it."""


def path_problem(
    path: Path, root: Path, *, within: str = "the project", write: bool = False
) -> str | None:
    """Why ``path`` may not be read (or, with ``write``, written) as part of ``root``, or None.

    It must name a place under ``root`` and, once every link on the way is followed, still be
    there, with no loop of links. A file that is written replaces a link at its own name
    rather than following it, so for ``write`` only its folder must stay inside."""
    place = Path(os.path.abspath(path))
    top = Path(os.path.abspath(root))
    if not place.is_relative_to(top):
        return f"leads outside {within}"
    if write:
        place = place.parent
    try:
        real = place.resolve()
        real_top = top.resolve()
        if os.path.lexists(place):
            os.stat(place)  # a loop that resolve() left unresolved fails here
    except RuntimeError:  # Python before 3.13 reports a loop of links so
        return "a link that leads back to itself (a loop of links)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link that leads back to itself (a loop of links)"
        return None  # missing or unreadable: the reader says so in its own words
    if not real.is_relative_to(real_top):
        return f"a link to a place outside {within}"
    return None


def inside(
    path: Path,
    root: Path,
    *,
    shown: str | None = None,
    within: str = "the project",
    write: bool = False,
) -> Path:
    """``path``, if :func:`path_problem` finds nothing wrong with it; otherwise
    :class:`PathRefused` names it (as ``shown``, by default relative to ``root``)."""
    problem = path_problem(path, root, within=within, write=write)
    if problem is None:
        return path
    if shown is None:
        place = Path(os.path.abspath(path))
        top = Path(os.path.abspath(root))
        shown = place.relative_to(top).as_posix() if place.is_relative_to(top) else str(path)
    raise PathRefused(f"{shown}: error: {problem}")


def files_under(folder: Path, depth: int = MAX_FOLDER_DEPTH) -> Iterator[Path]:
    """Every file under ``folder``, found without recursion (1,200 nested folders would
    exhaust Python's stack), in no folder that is a link and no more than ``depth`` folders
    down."""
    stack = [(folder, 0)]
    while stack:
        here, level = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # gone or unreadable since it was listed
        for entry in entries:
            path = Path(here, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if level < depth:
                        stack.append((path, level + 1))
                elif entry.is_file():
                    yield path
            except OSError:
                continue
