"""Stage 5, render: turn each planned page into Markdown with Jinja2 templates.

Templates are looked up on an ordered list of folders, a project's own first, so a fork
replaces one template by putting a file of the same name earlier on the path. Every value a
template prints is escaped as Markdown text (raw HTML is shown, never run) unless a helper
marked it as trusted Markdown. ``StrictUndefined`` makes a typo in a template fail the build.
"""

from __future__ import annotations

import contextlib
import functools
import html
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .checklists import onboarding_pack
from .diagrams import collaboration_map, swimlane
from .errors import TemplateError
from .link import LinkedPlaybook
from .model import WHEN_ORDER
from .parallel import fork_map, workers_for
from .plan import CATEGORY_TITLES, Page, first_sentence, page_path
from .safety import TEMPLATE_FILTERS, markdown_text

__all__ = ["RenderedPage", "Renderer"]

WHEN_TITLES = {"first-day": "First day", "first-week": "First week", "first-month": "First month"}
RACI_NAMES = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}
PARALLEL_FROM = 400  # pages; fewer are rendered in one process


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C dumper when PyYAML has it


@dataclass(frozen=True)
class RenderedPage:
    page: Page
    markdown: str


def _finalize(value: Any) -> Markup:
    """Every printed value: trusted Markdown as it is, anything else escaped as text."""
    if isinstance(value, Markup):
        return value
    return Markup(markdown_text("" if value is None else str(value)))


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles ``{{ value }}`` to ``finalize(value)`` instead of ``escape(finalize(value))``.

    ``_finalize`` already returns trusted :class:`Markup` for every value, which ``escape``
    would only copy; a large playbook prints over a million values. If a later Jinja stops
    calling this hook, templates compile as before, with the same output."""

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
            return
        super()._output_child_post(node, frame, finalize)


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator


class Renderer:
    """Renders pages of one linked playbook with one template search path."""

    def __init__(self, playbook: LinkedPlaybook, template_dirs: Sequence[Path]) -> None:
        self.template_dirs = list(dict.fromkeys(p.resolve() for p in template_dirs))
        self.env = _Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.template_dirs]),
            # Autoescape keeps macro output trusted; ``_finalize`` escapes for Markdown,
            # not HTML, so Markdown in content keeps working.
            autoescape=True,
            finalize=_finalize,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.do"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            playbook=playbook,
            link=self._link,
            url=self._url,
            WHEN_ORDER=WHEN_ORDER,
            WHEN_TITLES=WHEN_TITLES,
            RACI_NAMES=RACI_NAMES,
            CATEGORY_TITLES=CATEGORY_TITLES,
            grouped=grouped,
            onboarding_pack=functools.partial(onboarding_pack, playbook),
            swimlane=functools.partial(swimlane, playbook),
            collaboration_map=functools.partial(collaboration_map, playbook),
            raci_letters=lambda role_id, phase_id: {
                part.activity.id: part.letter
                for part in playbook.activities_of.get(role_id, ())
                if part.phase.id == phase_id
            },
        )
        self.env.filters.update(
            md=_trusted,
            cell=_cell,
            first_sentence=first_sentence,
            role_title=lambda role_id: playbook.roles[role_id].title,
        )
        self.env.filters.update(TEMPLATE_FILTERS)
        self._entities: dict[str, Mapping[str, Any]] = {
            "roles": playbook.roles,
            "phases": playbook.phases,
            "handoffs": playbook.handoffs,
            "guides": playbook.guides,
            "teams": playbook.teams,
            "onboarding": playbook.roles,
        }
        self._links: dict[tuple[str, str, str, str | None, str], Markup] = {}

    def render_all(self, pages: Iterable[Page], workers: int | None = None) -> list[RenderedPage]:
        """Every page, in order. A large playbook's pages are shared out among ``workers``
        processes, by default as many as :func:`~generator.parallel.workers_for` finds."""
        pages = list(pages)
        workers = workers_for(len(pages), PARALLEL_FROM) if workers is None else workers
        if workers > 1:
            for name in {page.template for page in pages}:
                with contextlib.suppress(jinja2.TemplateError):  # render() reports it
                    self.env.get_template(name)  # compiled once, before the workers fork
        markdown = fork_map(self.render, pages, workers)
        return [RenderedPage(page, text) for page, text in zip(pages, markdown, strict=True)]

    def render(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
            body = template.render(page=page, **page.context)
        except jinja2.TemplateNotFound as exc:
            folders = ", ".join(str(p) for p in self.template_dirs) or "(none)"
            raise TemplateError(f"template '{exc.name}' not found; searched: {folders}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename}:{exc.lineno}: error: {exc.message}") from None
        except (jinja2.TemplateError, TypeError, ValueError, LookupError, AttributeError) as exc:
            # A template that calls a filter or a value wrongly fails like a typo would.
            raise TemplateError(f"{page.template}: error: {exc} (rendering {page.path})") from None
        return _front_matter(page) + _tidy(body)

    @jinja2.pass_context
    def _url(self, context: jinja2.runtime.Context, kind: str, entity_id: str = "") -> Markup:
        return Markup(_relative(page_path(kind, entity_id), context["page"].path))

    @jinja2.pass_context
    def _link(
        self,
        context: jinja2.runtime.Context,
        kind: str,
        entity_id: str,
        anchor: str = "",
        text: str | None = None,
    ) -> Markup:
        """A Markdown link to an entity's page (or an anchor in it), titled by the entity.

        Pages in one folder share most of their links (a large playbook prints hundreds of
        thousands), so each is made once per folder."""
        folder = context["page"].path.rpartition("/")[0]
        key = (kind, entity_id, anchor, text, folder)
        found = self._links.get(key)
        if found is None:
            title = _link_text(text or self._entities[kind][entity_id].title)
            target = _relative_to_folder(page_path(kind, entity_id), folder)
            found = Markup(f"[{title}]({target}{f'#{anchor}' if anchor else ''})")
            self._links[key] = found
        return found


def grouped(items: Iterable[Any], attribute: str) -> dict[Any, list[Any]]:
    """``items`` in lists by the value of ``attribute`` (dotted for a nested one), each list in
    the items' order: one pass where a ``selectattr`` per group would scan them all again."""
    getter = operator.attrgetter(attribute)
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(getter(item), []).append(item)
    return groups


def _relative(target: str, page: str) -> str:
    """``target``'s path as seen from ``page`` (both relative to the site root, normalised)."""
    return _relative_to_folder(target, page.rpartition("/")[0])


@functools.lru_cache(maxsize=65536)
def _relative_to_folder(target: str, folder: str) -> str:
    # Called for every link of every page, and pages in one folder share their links, so the
    # answers are kept; it only splits strings (``posixpath.relpath`` resolves both paths
    # against the working directory each time).
    here = folder.split("/") if folder else []
    parts = target.split("/")
    common = 0
    while common < min(len(here), len(parts) - 1) and here[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + parts[common:])


def _trusted(text: str) -> Markup:
    """Content text after escaping, marked so it is not escaped twice."""
    return Markup(markdown_text(text))


def _link_text(text: str) -> str:
    return markdown_text(text, links=False)


def _cell(text: Any) -> Markup:
    """Text fit for one cell of a Markdown table: one line, no column breaks."""
    flat = " ".join(str(text).split())
    if not isinstance(text, Markup):
        flat = markdown_text(flat)
    return Markup(flat.replace("|", r"\|"))


def _front_matter(page: Page) -> str:
    # MkDocs themes print these into the HTML head without escaping them.
    meta: dict[str, Any] = {
        "title": html.escape(page.title),
        "description": html.escape(page.description),
    }
    if page.path == "index.md":  # the home page's title is the site's name alone
        del meta["title"]
    if page.tags:
        meta["tags"] = [html.escape(tag) for tag in page.tags]
    if page.hide:
        meta["hide"] = list(page.hide)
    if page.search_boost:
        meta["search"] = {"boost": page.search_boost}
    dumped = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + dumped + "---\n\n"


def _tidy(body: str) -> str:
    """At most one blank line in a row, and exactly one newline at the end."""
    while "\n\n\n" in body:  # a few passes of str.replace beat one regular expression here
        body = body.replace("\n\n\n", "\n\n")
    return body.strip() + "\n"
