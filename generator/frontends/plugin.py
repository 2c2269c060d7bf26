"""The MkDocs plugin ``playbook``: an adapter from MkDocs events to the generator.

- ``on_startup`` keeps one plugin object, and one
  :class:`~generator.frontends.regenerate.Regenerator`, for all of ``mkdocs serve``'s rebuilds.
- ``on_config`` generates the pages (or takes those given by ``playbook build`` or ``serve``),
  logs content problems (``--strict`` counts warnings), names the site and brands it.
- ``on_files`` adds the pages and the navigation; edit links point at each page's YAML source.
  With ``techdocs: true`` (a build by Backstage TechDocs), pages with checklists say that they
  cannot be ticked there, and offer the printable sheet.
- ``on_post_page`` compacts the navigation; ``on_post_build`` rewrites the search index for
  readers (:mod:`generator.outputs.search`); ``on_serve`` watches content, overlays, templates.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..build import Generated, changes_notice
from ..errors import ContentError, PlaybookError
from ..outputs.branding import BRAND_CSS, BrandFiles, brand_files
from ..outputs.changes import FEED, PAGES_JSON, atom_feed, changed_pages
from ..outputs.compact import compact_navigation
from ..outputs.search import rewrite_index
from ..pipeline.plan import HAND_WRITTEN, with_hand_written
from ..project import (
    DEFAULT_CONTENT,
    DEFAULT_TEMPLATES,
    Project,
    generator_page,
    project_from_options,
)
from .regenerate import Regenerator

__all__ = ["TECHDOCS_NOTE", "PlaybookPlugin", "PlaybookPluginConfig", "techdocs_note"]

log = logging.getLogger("mkdocs.plugins.playbook")
T = TypeVar("T")


class PlaybookPluginConfig(base.Config):
    content = c.Type(str, default=DEFAULT_CONTENT)
    templates = c.ListOfItems(c.Type(str), default=list(DEFAULT_TEMPLATES))
    layers = c.ListOfItems(c.Type(str), default=[])
    extra_section = c.Type(str, default=HAND_WRITTEN)
    techdocs = c.Type(bool, default=False)  # built by Backstage TechDocs, which runs no script


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):
    project: Project
    generated: Generated
    brand: BrandFiles
    user_nav: Any = None

    def __init__(self) -> None:
        self._regenerator: Regenerator | None = None
        self._given: Generated | None = None

    def give(self, generated: Generated) -> None:
        """Use ``generated`` for the next build instead of generating (``playbook build``
        and ``playbook serve`` have already generated the pages, and reported any problem
        their own way)."""
        self._given = generated

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._regenerator = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.project = project_from_options(root, dict(self.config))
        self.user_nav = config.nav
        self.generated = self._pages()
        notice = changes_notice(self.project, self.generated.changes)
        for problem in [*self.generated.warnings, *([notice] if notice else [])]:
            # A strict build fails on those it should.
            (log.warning if problem.fails_strict_build else log.info)(str(problem))
        settings = self.generated.playbook.settings
        # One place for the name: playbook.yml. Themes print it unescaped.
        config.site_name = html.escape(settings.title)
        self.brand = _reported(lambda: brand_files(settings.branding, self.project.root))
        if self.brand.css is not None:
            config.extra_css.append(BRAND_CSS)
        if self.brand.logo is not None:
            config.theme["logo"] = self.brand.logo
        if self.generated.changes is not None:  # main.html links the feed and the marks' data
            config.extra["what_changed"] = {"feed": FEED, "pages": PAGES_JSON}
        return config

    def _pages(self) -> Generated:
        if self._given is not None:
            given, self._given = self._given, None
            return given
        if self._regenerator is None or self._regenerator.project != self.project:
            self._regenerator = Regenerator(self.project)
        return _reported(self._regenerator.generate)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self.project.root
        docs_prefix = _relative(Path(config.docs_dir), root)
        if not self.generated.playbook.settings.generator_pages:
            for file in files.documentation_pages():
                if generator_page(file.content_string):
                    files.remove(file)
        hand_written = [f.src_uri for f in files.documentation_pages()]
        for file in files:
            if file.edit_uri is not None:
                file.edit_uri = f"{docs_prefix}{file.src_uri}"
        for rendered in self.generated.pages:
            page = rendered.page
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"{docs_prefix}{page.path} is also generated from content; rename or remove it"
                )
            markdown = rendered.markdown
            if self.config.techdocs:
                markdown = techdocs_note(markdown)
            file = File.generated(config, page.path, content=markdown)
            file.edit_uri = page.source
            files.append(file)
        if self.user_nav is None:
            # Themes print nav titles into HTML as they are, as the plan does for the others.
            section = html.escape(self.config.extra_section)
            config.nav = with_hand_written(self.generated.plan.nav, hand_written, section)
        if self.generated.changes is not None:
            self._add_changes(files, config)
        if self.brand.css is not None:
            files.append(File.generated(config, BRAND_CSS, content=self.brand.css))
        if self.brand.logo is not None and self.brand.logo_source is not None:
            logo = File.generated(config, self.brand.logo, abs_src_path=str(self.brand.logo_source))
            files.append(logo)
        return files

    def _add_changes(self, files: Files, config: MkDocsConfig) -> None:
        """The What changed page's feed, and the time each page last changed."""
        changes = self.generated.changes
        assert changes is not None
        addresses = {
            rendered.page.path: found.url
            for rendered in self.generated.pages
            for found in [files.get_file_from_path(rendered.page.path)]
            if found is not None and found.is_documentation_page()
        }
        title = self.generated.playbook.settings.title
        feed = atom_feed(changes, title, addresses, config.site_url or "")
        files.append(File.generated(config, FEED, content=feed))
        pages = changed_pages(changes, addresses)
        files.append(File.generated(config, PAGES_JSON, content=pages))

    def on_post_page(self, output: str, /, **kwargs: Any) -> str:
        return compact_navigation(output)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        rewrite_index(Path(config.site_dir) / "search" / "search_index.json")

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for path in self.project.watched:
            server.watch(str(path))
        return server


TECHDOCS_NOTE = """
!!! note "Ticking works on the playbook's own site, not in Backstage"

    Backstage TechDocs runs none of the playbook's scripts, so the boxes on this page cannot be
    ticked or remembered here. Print the page (the boxes print empty, ready to tick on paper),
    or write one new hire's sheet with their name and due dates:
    `playbook checklist ROLE --name NAME --start-date YYYY-MM-DD -o sheet.pdf`.
"""
_CHECKLIST = 'class="pb-checklist"'
_TITLE = re.compile(r"^# .*$", re.M)


def techdocs_note(markdown: str) -> str:
    """A page with checklists, saying under its title what does not work in TechDocs."""
    if _CHECKLIST not in markdown:
        return markdown
    title = _TITLE.search(markdown)
    at = title.end() if title else 0
    return f"{markdown[:at]}\n{TECHDOCS_NOTE}{markdown[at:]}"


def _reported(step: Callable[[], T]) -> T:
    """Run a generator step, logging every content problem; a content error aborts the build."""
    try:
        return step()
    except ContentError as exc:
        for problem in exc.problems:
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        raise PluginError(str(exc)) from None
    except PlaybookError as exc:
        raise PluginError(str(exc)) from None


def _relative(path: Path, root: Path) -> str:
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else f"{relative}/"
