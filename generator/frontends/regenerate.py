"""Generate a playbook again after an edit, redoing only what the edit touched.

A :class:`Regenerator` lives as long as a preview does (the MkDocs plugin's under
``mkdocs serve``, the live preview's under ``playbook serve``). On each :meth:`~Regenerator.update`
it parses again only the files whose bytes changed and renders first the pages made from
them; the other pages follow in :meth:`~Regenerator.finish`, which the live preview runs while
the author reads. It says what changed for the site: which pages' Markdown, and whether the
layout did (the navigation, a page's title or tags: every built page shows them). With a
folder, each page's Markdown is kept there as a file, rewritten only when its bytes change,
so that a site builder can tell unchanged pages by their modification time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache

from ..build import Generated, Memo, check, read_changes, renderer
from ..errors import PlaybookError, shown_path
from ..fsio import files_under, inside
from ..pipeline.emit import write_if_changed
from ..pipeline.plan import Page, Plan, plan_site
from ..pipeline.render import RenderedPage, Renderer
from ..project import Project

__all__ = ["CompiledTemplates", "Regenerator", "Update"]


@dataclass(frozen=True)
class Update:
    """What one step of a :class:`Regenerator` changed."""

    generated: Generated
    changed: tuple[str, ...]  # pages whose Markdown is new or differs from the last step's
    removed: tuple[str, ...]
    layout_changed: bool
    pending: bool  # some pages still hold the Markdown of an earlier step: see finish()


class Regenerator:
    """The pages of one project, kept up to date edit after edit."""

    def __init__(self, project: Project, folder: Path | None = None) -> None:
        self.project = project
        self.folder = folder
        self._memo = Memo()
        self._sources: dict[Path, bytes] = {}
        self._markdown: dict[str, str] = {}
        self._generated: Generated | None = None
        self._renderer: Renderer | None = None
        self._unrendered: list[Page] = []
        self._compiled = CompiledTemplates()
        self._failure: PlaybookError | None = None

    @property
    def generated(self) -> Generated:
        if self._generated is None:
            raise RuntimeError("nothing generated yet: call update() first")
        return self._generated

    def generate(self) -> Generated:
        """Every page up to date; the same object as last time if no source file changed."""
        self.update()
        self.finish()
        return self.generated

    def update(self) -> Update:
        """Check the content again and render the pages of the files that changed (every page
        when a template changed or the layout did). Raises what :func:`check` raises."""
        sources = _read_all([*self.project.watched, self.project.search_path[-1]])
        edited = {
            path
            for path in sources.keys() | self._sources.keys()
            if sources.get(path) != self._sources.get(path)
        }
        if self._generated is not None and not edited:
            if self._failure is not None:
                raise self._failure  # the same files fail the same way
            return self._step((), (), layout_changed=False)
        self._failure = None
        playbook, warnings = check(self.project, memo=self._memo)
        changes = read_changes(self.project, playbook)
        plan = plan_site(playbook)
        before = self._generated.plan if self._generated else None
        layout_changed = before is None or _layout(before) != _layout(plan)
        templates = self.project.search_path
        # A changed layout alone leaves the other pages for finish(), as any edit does: the
        # pages of the edited files are what the author looks at first.
        everything = before is None or any(
            path.is_relative_to(folder) for path in edited for folder in templates
        )
        shown = {shown_path(path, self.project.root) for path in edited}
        now = [p for p in plan.pages if everything or p.source in shown]
        self._renderer = renderer(playbook, templates, changes)
        self._renderer.env.bytecode_cache = self._compiled
        self._unrendered = [] if everything else [p for p in plan.pages if p.source not in shown]
        self._generated = Generated(playbook, plan, self._pages(plan), warnings, changes)
        changed = self._render(now)
        removed = self._remove_gone(plan)
        self._sources = sources
        return self._step(changed, removed, layout_changed)

    def finish(self, should_stop: Callable[[], bool] = lambda: False) -> Update:
        """Render the pages :meth:`update` left for later, until ``should_stop`` says so."""
        changed: list[str] = []
        done = 0
        try:
            for page in self._unrendered:
                if should_stop():
                    break
                changed += self._render([page])
                done += 1
        except PlaybookError as exc:
            self._failure = exc
            raise
        finally:
            del self._unrendered[:done]
        return self._step(changed, (), layout_changed=False)

    def _step(self, changed: Sequence[str], removed: Sequence[str], layout_changed: bool) -> Update:
        generated = self.generated
        if changed:
            generated = Generated(
                generated.playbook,
                generated.plan,
                self._pages(generated.plan),
                generated.warnings,
                generated.changes,
            )
            self._generated = generated
        return Update(
            generated, tuple(changed), tuple(removed), layout_changed, bool(self._unrendered)
        )

    def _render(self, pages: Iterable[Page]) -> list[str]:
        """Render ``pages`` (sharing many out among processes, as a build does) and write
        those that changed; their paths."""
        assert self._renderer is not None
        changed = []
        for rendered in self._renderer.render_all(pages):
            page, markdown = rendered.page, rendered.markdown
            if self._markdown.get(page.path) != markdown:
                self._markdown[page.path] = markdown
                changed.append(page.path)
                if self.folder is not None:
                    target = self.folder.joinpath(*page.path.split("/"))
                    write_if_changed(inside(target, self.folder), markdown.encode("utf-8"))
        return changed

    def _remove_gone(self, plan: Plan) -> tuple[str, ...]:
        planned = {page.path for page in plan.pages}
        gone = sorted(set(self._markdown) - planned)
        for path in gone:
            del self._markdown[path]
            if self.folder is not None:
                inside(self.folder.joinpath(*path.split("/")), self.folder).unlink(missing_ok=True)
        return tuple(gone)

    def _pages(self, plan: Plan) -> list[RenderedPage]:
        """The plan's pages with their latest Markdown (a page never rendered has none yet)."""
        return [RenderedPage(p, self._markdown.get(p.path, "")) for p in plan.pages]


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once for all the runs of a long-lived process. Each run makes a new
    Jinja environment (for the new content, or MkDocs' for the theme), which would compile
    every template again. Jinja checks each template's source against the one compiled, so
    an edited template is compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _layout(plan: Plan) -> tuple[object, ...]:
    """What every built page shows of the others: the navigation, and each page's title and
    tags (Material lists tagged pages by title on the tags page)."""
    return (plan.nav, [(page.path, page.title, page.tags) for page in plan.pages])


def _read_all(folders: Iterable[Path]) -> dict[Path, bytes]:
    """The bytes of every file under ``folders`` (content, overlays and templates)."""
    found: dict[Path, bytes] = {}
    for folder in dict.fromkeys(folders):
        for path in files_under(folder):
            try:
                found[path] = path.read_bytes()
            except OSError:
                continue  # gone since it was listed; the next update sees it
    return found
