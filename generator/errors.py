"""The problems a content tree can have, and the few exceptions the pipeline raises.

Every stage reports what is wrong with the content as :class:`Problem` values and collects all
of them before giving up, so one run shows every mistake. Only the CLI turns exceptions into
exit codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "ContentError",
    "Location",
    "PlaybookError",
    "Problem",
    "TemplateError",
    "did_you_mean",
    "one_line",
    "shown_path",
]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file. ``line`` and ``column`` count from 1; 0 means unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str
    # A note says what a fork's removal or merge left out: nothing is wrong, nothing is lost
    # silently.
    severity: Literal["error", "warning", "note"] = "error"
    hint: str | None = None
    # False for advice that a strict build does not see (prose naming a role in plain words).
    fails_strict_build: bool = True

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return one_line(f"{text} ({self.hint})" if self.hint else text)


class PlaybookError(Exception):
    """Base of every error the generator raises on purpose."""


class ContentError(PlaybookError):
    """The content has errors; ``problems`` holds all of them, sorted, warnings included."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the content")


class TemplateError(PlaybookError):
    """A page template is missing or broken; the message names the template and line."""


def one_line(text: str) -> str:
    """Content quoted in a message can hold line breaks or terminal escapes; show them escaped,
    so that each message stays one line that starts with its location."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest of ``choices`` to ``name``, if any is close."""
    matches = difflib.get_close_matches(name, sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


def shown_path(path: Path, root: Path) -> str:
    """How messages name ``path``: relative to ``root`` (the project) when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
