"""The whole pipeline in one place: load → layer → validate → link → plan → render.

``check`` runs the stages that judge the content; ``generate`` runs them all and returns the
rendered pages. Neither imports MkDocs: the CLI and the MkDocs plugin both call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .content.kinds import KINDS
from .content.model import Playbook
from .content.safety import logo_file
from .errors import ContentError, Location, PlaybookError, Problem, shown_path
from .pipeline.history import read_history
from .pipeline.layers import Layered, apply_layers
from .pipeline.link import LinkedPlaybook, link_content, plain_mentions
from .pipeline.load import LoadMemo, load_content
from .pipeline.plan import Plan, plan_site
from .pipeline.render import RenderedPage, Renderer
from .pipeline.review import review_problems, review_states, today
from .pipeline.rights import claimed_activities
from .pipeline.validate import Parsed, ParseMemo, validate_content
from .project import EXAMPLES, Project
from .views import template_helpers
from .views.changes import WhatChanged, what_changed

__all__ = [
    "Generated",
    "Memo",
    "changes_notice",
    "check",
    "generate",
    "read_changes",
    "renderer",
]


@dataclass
class Memo:
    """What earlier checks read and validated, kept by a process that checks the content
    again and again (the live preview): only files whose bytes changed are parsed again."""

    files: LoadMemo = field(default_factory=LoadMemo)
    parsed: ParseMemo = field(default_factory=ParseMemo)


@dataclass(frozen=True)
class Generated:
    playbook: LinkedPlaybook
    plan: Plan
    pages: Sequence[RenderedPage]
    warnings: Sequence[Problem]
    changes: WhatChanged | None = None  # None where playbook.yml turns the page off


def check(
    project: Project,
    *,
    mentions: bool = False,
    memo: Memo | None = None,
    on: dt.date | None = None,
    strict_review: bool = False,
) -> tuple[LinkedPlaybook, list[Problem]]:
    """Load, validate and link the content; raise :class:`ContentError` listing every error.

    The problems returned are notes of what a fork's removals and merges left out, and
    warnings. With ``mentions``, the warnings also name prose that names an entity in plain words
    instead of by a reference (``playbook validate`` asks; a build does not). A ``memo`` kept
    between calls spares parsing the files that did not change. Reviews are judged as of
    ``on`` (default: :func:`~generator.pipeline.review.today`); with ``strict_review`` an
    entity due for review is an error."""
    if not project.content_dir.is_dir():
        where = Location(shown_path(project.content_dir, project.root))
        raise ContentError([Problem(where, "no content folder here")])
    read, parsed = (memo.files, memo.parsed) if memo else (None, None)
    files, problems = load_content(project.content_dir, project.root, memo=read)
    overlays = []
    for layer in project.layers:
        if not layer.is_dir():
            problems.append(
                Problem(Location(shown_path(layer, project.root)), "no overlay folder here")
            )
            continue
        layer_files, layer_problems = load_content(layer, project.root, memo=read, skip=(EXAMPLES,))
        overlays.append(layer_files)
        problems += layer_problems
    layered, layer_problems = apply_layers(files, overlays)
    problems += layer_problems
    label = shown_path(project.content_dir, project.root)
    content, schema_problems = validate_content(list(layered.files.values()), label, parsed)
    # A settings file that could not be read is reported where it fails, not as missing too.
    unread = {problem.location.path for problem in problems if problem.severity != "note"}
    problems += [p for p in schema_problems if p.location.line or p.location.path not in unread]
    if content is None or any(problem.severity == "error" for problem in layer_problems):
        raise ContentError(problems)  # cross-checks of half-applied overlays would only mislead
    problems += _logo_problems(project.root, content.playbook)
    complete = not any(problem.severity == "error" for problem in problems)
    present = _ids_present([project.content_dir, *project.layers], layered)
    linked, link_problems = link_content(
        content, present, complete=complete, fork=bool(project.layers)
    )
    problems += link_problems
    date = today(on)
    reviews = review_problems(content, present["roles"], date, strict=strict_review)
    problems += reviews
    if linked is None or any(problem.severity == "error" for problem in problems):
        raise ContentError(problems)
    linked = replace(linked, owned=review_states(content, present["roles"], date))
    if mentions:
        link_problems += plain_mentions(content, linked) + claimed_activities(content)
    # What a fork's removals and merges left out, then the warnings.
    notes = [p for p in layer_problems if p.severity != "error"]
    return linked, notes + link_problems + reviews


def _logo_problems(root: Path, settings: Parsed[Playbook]) -> list[Problem]:
    """The logo file checked as the build checks it, so that validate finds what the build
    would refuse: a missing file, a link out of the project, an image that runs something."""
    branding = settings.entity.branding
    if branding is None or not branding.logo:
        return []
    try:
        logo_file(root, branding.logo)
    except PlaybookError as exc:
        return [Problem(settings.source.locate(("branding", "logo")), str(exc))]
    return []


def _ids_present(folders: list[Path], layered: Layered) -> dict[str, list[str]]:
    """The ids of the files in each content folder, whether or not they are valid or removed by
    an overlay (a reference to a removed entity is reported by the overlay stage, once), and
    the single files there are after the overlays."""
    present = {
        kind.key: sorted(
            {path.stem for folder in folders for path in (folder / kind.key).glob("*.yml")}
        )
        for kind in KINDS
        if kind.model and not kind.single_file
    }
    for kind in KINDS:
        if kind.single_file and f"{kind.key}.yml" in layered.files:
            present[kind.key] = [kind.key]
    return present


def generate(
    project: Project, *, on: dt.date | None = None, strict_review: bool = False
) -> Generated:
    playbook, warnings = check(project, on=on, strict_review=strict_review)
    changes = read_changes(project, playbook)
    plan = plan_site(playbook)
    pages = renderer(playbook, project.search_path, changes).render_all(plan.pages)
    return Generated(playbook, plan, pages, warnings, changes)


def read_changes(project: Project, playbook: LinkedPlaybook) -> WhatChanged | None:
    """What changed in the content, from the project's git history, unless playbook.yml turns
    the page off."""
    if not playbook.settings.what_changed:
        return None
    history = read_history(project.root, [project.content_dir, *project.layers])
    return what_changed(playbook, history)


def changes_notice(project: Project, changes: WhatChanged | None) -> Problem | None:
    """A warning for the build's output where the history could not be read. It is not one of
    the content's warnings: it says nothing wrong about the content, and a strict build on
    CI's shallow clone would fail on it."""
    if changes is None or changes.problem is None:
        return None
    where = Location(shown_path(project.content_dir, project.root))
    message = f"the What changed page has no entries: {changes.problem}"
    return Problem(where, message, "warning", fails_strict_build=False)


def renderer(
    playbook: LinkedPlaybook, template_dirs: Sequence[Path], changes: WhatChanged | None = None
) -> Renderer:
    """The render stage for ``playbook``, with the views its page templates call; without
    ``changes`` the What changed page, if planned, says that the history was not read."""
    shown = changes if changes is not None else what_changed(playbook, None)
    helpers = {**template_helpers(playbook), "what_changed": lambda: shown}
    return Renderer(playbook, template_dirs, helpers)
