"""Stage 5, render: turn each planned page into Markdown with Jinja2 templates.

Templates are looked up on an ordered list of folders, a project's own first, so a fork
replaces one template by putting a file of the same name earlier on the path. Every value a
template prints is escaped as Markdown text (raw HTML is shown, never run) unless a helper
marked it as trusted Markdown. ``StrictUndefined`` makes a typo in a template fail the build.
"""

from __future__ import annotations

import contextlib
import html
import operator
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ..content.prose import Mention, apply_forms, mentions
from ..content.safety import TEMPLATE_FILTERS, markdown_prose, markdown_text
from ..content.words import (
    CATEGORY_ORDER,
    CATEGORY_TITLES,
    QUESTION_FORMATS,
    RACI_NAMES,
    RATINGS,
    SIGN_OFF,
    SIGN_OFF_ASSESSMENT,
    TRACK_TITLES,
    WHEN_TITLES,
    first_sentence,
)
from ..errors import TemplateError
from ..fsio import inside
from .link import LinkedPlaybook
from .pages import PAGES, family_named
from .parallel import fork_map, workers_for
from .plan import Page, page_path

__all__ = [
    "LIMITS",
    "RenderedPage",
    "Renderer",
    "relative_url",
    "template_environment",
    "template_error",
]

PARALLEL_FROM = 400  # pages; fewer are rendered in one process
# Sizes past which a page shows a shorter form of a list or a grid, so that no page grows with
# the product of two lists (roles by activities, roles by team shapes).
LIMITS = {
    "raci_grid_cells": 400,  # roles by activities of one phase drawn as a grid
    "uncovered_roles_listed": 30,  # roles a team shape leaves uncovered, named one by one
    "team_grid_shapes": 6,  # team shapes drawn side by side as columns of one grid
}


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C dumper when PyYAML has it


@dataclass(frozen=True)
class RenderedPage:
    page: Page
    markdown: str


class Renderer:
    """Renders pages of one linked playbook with one template search path."""

    def __init__(
        self,
        playbook: LinkedPlaybook,
        template_dirs: Sequence[Path],
        helpers: Mapping[str, Any] | None = None,
    ) -> None:
        """``helpers`` are more names templates may use (the views of the data that pages
        share with exports, which come later in the pipeline than rendering itself)."""
        self.playbook = playbook
        self.template_dirs = list(dict.fromkeys(p.resolve() for p in template_dirs))
        self.env = template_environment(
            self.template_dirs,
            # Autoescape keeps macro output trusted; ``_finalize`` escapes for Markdown,
            # not HTML, so Markdown in content keeps working.
            autoescape=True,
            finalize=self._finalize,
            extensions=["jinja2.ext.do"],
        )
        self.env.globals.update(
            playbook=playbook,
            link=self._link,
            mention=self._mention_global,
            url=self._url,
            attachment=self._attachment,
            grouped=grouped,
            limits=LIMITS,
            CATEGORY_ORDER=CATEGORY_ORDER,
            CATEGORY_TITLES=CATEGORY_TITLES,
            RACI_NAMES=RACI_NAMES,
            SIGN_OFF=SIGN_OFF,
            SIGN_OFF_ASSESSMENT=SIGN_OFF_ASSESSMENT,
            WHEN_TITLES=WHEN_TITLES,
            TRACK_TITLES=TRACK_TITLES,
            QUESTION_FORMATS=QUESTION_FORMATS,
            RATINGS=RATINGS,
            raci_letters=lambda role_id, phase_id: {
                part.activity.id: part.letter
                for part in playbook.activities_of.get(role_id, ())
                if part.phase.id == phase_id
            },
        )
        self.env.globals.update(helpers or {})
        self.env.filters.update(
            md=self._prose,
            cell=self._cell,
            first_sentence=lambda text: first_sentence(playbook.plain(text)),
            role_title=lambda role_id: playbook.roles[role_id].title,
            artefact_title=playbook.artefact_title,
            plain=playbook.plain,
            forms=lambda text, *forms: apply_forms(text, forms),
            day=lambda day: f"{day.day}\u00a0{day:%B}\u00a0{day.year}",  # one line on a phone
        )
        self.env.filters.update(TEMPLATE_FILTERS)

    def render_all(self, pages: Iterable[Page], workers: int | None = None) -> list[RenderedPage]:
        """Every page, in order. A large playbook's pages are shared out among ``workers``
        processes, by default as many as :func:`~generator.pipeline.parallel.workers_for` finds."""
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
        except (jinja2.TemplateError, RecursionError) as exc:
            raise template_error(exc, page.template, f" (rendering {page.path})") from None
        front = _front_matter(page) if page.path.endswith(".md") else ""  # not a page: a file
        return front + _tidy(body)

    @jinja2.pass_context
    def _finalize(self, context: jinja2.runtime.Context, value: Any) -> Markup:
        """Every printed value: trusted Markdown as it is, text from content escaped, with its
        references in prose written out as links."""
        if isinstance(value, Markup):
            return value
        return self._prose(context, "" if value is None else str(value))

    @jinja2.pass_context
    def _prose(self, context: jinja2.runtime.Context, text: str) -> Markup:
        if "{" not in text:
            return Markup(markdown_text(text))
        page = context["page"].path
        found = list(mentions(text))
        spans = [(mention.start, mention.end) for mention in found]
        return Markup(markdown_prose(text, spans, lambda n: self._mention(found[n], page)))

    @jinja2.pass_context
    def _mention_global(
        self, context: jinja2.runtime.Context, kind: str, entity_id: str, *forms: str
    ) -> Markup:
        """``{{ mention("role", id, "lower") }}``: what ``{role:id|lower}`` prints in prose."""
        return Markup(self._mention(Mention(kind, entity_id, forms, 0, 0), context["page"].path))

    def _mention(self, mention: Mention, page: str) -> str:
        text = self.playbook.mention_text(mention)
        if not mention.linked:
            return markdown_text(text)
        key, target = self.playbook.mention_target(mention)
        if key in PAGES:
            url = f"{relative_url(page_path(key), page)}#{target}"
        elif page_path(key, target) == page:
            return markdown_text(text)  # a page does not link to itself
        else:
            url = relative_url(page_path(key, target), page)
        article = ""
        if "article" in mention.forms:  # "a" or "an" before the link, not in it
            article, text = text.split(" ", 1)
            article += " "
        return f"{article}[{_link_text(text)}]({url})"

    @jinja2.pass_context
    def _cell(self, context: jinja2.runtime.Context, text: Any) -> Markup:
        """Text fit for one cell of a Markdown table: one line, no column breaks."""
        flat = " ".join(str(text).split())
        if not isinstance(text, Markup):
            flat = self._prose(context, flat)
        return Markup(flat.replace("|", r"\|"))

    @jinja2.pass_context
    def _url(self, context: jinja2.runtime.Context, kind: str, entity_id: str = "") -> Markup:
        return Markup(relative_url(page_path(kind, entity_id), context["page"].path))

    @jinja2.pass_context
    def _attachment(self, context: jinja2.runtime.Context, kind: str, entity_id: str) -> Markup:
        """The address of the file published beside an entity's page."""
        target = family_named(kind).attached(entity_id)
        return Markup(relative_url(target, context["page"].path))

    @jinja2.pass_context
    def _link(
        self,
        context: jinja2.runtime.Context,
        kind: str,
        entity_id: str,
        anchor: str = "",
        text: str | None = None,
    ) -> Markup:
        """A Markdown link to an entity's page (or an anchor in it), titled by the entity."""
        if text is None:
            text = self.playbook.entities(family_named(kind).source)[entity_id].title
        target = relative_url(page_path(kind, entity_id), context["page"].path)
        return Markup(f"[{_link_text(text)}]({target}{f'#{anchor}' if anchor else ''})")


def template_environment(folders: Sequence[Path], **options: Any) -> SandboxedEnvironment:
    """The Jinja environment every template is rendered in: templates from ``folders`` in that
    order, undefined names an error. Templates come from a fork's pull requests too, so they
    run in Jinja's sandbox: they may write any markup, but no attribute or call of theirs
    reaches Python's internals (``cycler.__init__.__globals__``) to run code or read files."""
    return SandboxedEnvironment(
        loader=_FolderLoader([str(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


class _FolderLoader(jinja2.FileSystemLoader):
    """Jinja's loader of template files, refusing one that is a link out of its folder (to
    ``/proc/self/environ``, say, which would publish the build's secrets)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if os.path.lexists(candidate):
                inside(candidate, Path(folder), shown=str(candidate), within="its template folder")
                break
        return super().get_source(environment, template)


def template_error(exc: BaseException, name: str, rendering: str = "") -> TemplateError:
    """``exc``, raised by template ``name``, as one ``path:line: error: message`` line: the
    template's file and line where the traceback passes through it last."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"template '{exc.name}' not found")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"{exc.filename or name}:{exc.lineno}: error: {exc.message}")
    where = name
    trace = exc.__traceback__
    while trace is not None:
        if "__jinja_exception__" in trace.tb_frame.f_globals:  # a template's line
            where = f"{trace.tb_frame.f_code.co_filename}:{trace.tb_lineno}"
        trace = trace.tb_next
    if isinstance(exc, RecursionError):
        message = "calls itself too deeply (a macro that never stops calling itself?)"
    elif isinstance(exc, SecurityError):
        message = (
            f"{str(exc).rstrip('.')}; templates may write markup but not reach Python's internals"
        )
    else:
        message = str(exc)
    return TemplateError(f"{where}: error: {message}{rendering}")


def grouped(items: Iterable[Any], attribute: str) -> dict[Any, list[Any]]:
    """``items`` in lists by the value of ``attribute`` (dotted for a nested one), each list in
    the items' order: one pass where a ``selectattr`` per group would scan them all again."""
    getter = operator.attrgetter(attribute)
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(getter(item), []).append(item)
    return groups


def relative_url(target: str, page: str) -> str:
    """``target``'s path as seen from ``page`` (both relative to the site root, normalised)."""
    here = page.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < min(len(here), len(parts) - 1) and here[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + parts[common:])


def _link_text(text: str) -> str:
    return markdown_text(text, links=False)


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
