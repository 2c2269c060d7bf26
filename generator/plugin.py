"""The MkDocs plugin ``playbook``: an adapter from MkDocs events to the generator.

- ``on_startup`` is defined so that MkDocs keeps one plugin object for all of ``mkdocs
  serve``'s rebuilds, and with it a :class:`~generator.incremental.Regenerator` that parses
  and renders again only what an edit touched.
- ``on_config`` generates the pages (or takes the ones ``playbook build`` or ``playbook
  serve`` generated), reports content problems through MkDocs' logger (where ``--strict``
  counts warnings), names the site after the playbook and applies its branding.
- ``on_files`` adds the pages, sets the planned navigation, and points every page's edit link
  at the file it is written in (the YAML source for generated pages).
- ``on_post_page`` compacts the navigation of each built page.
- ``on_post_build`` rewrites the search index for readers (:mod:`generator.search`).
- ``on_serve`` watches ``content/``, overlay folders and the project's templates.
- Under ``playbook serve``, ``on_config``, ``on_nav``, ``on_env``, ``on_post_page`` and
  ``on_post_build`` also hand each build to the live preview (:mod:`generator.preview`),
  which rebuilds only changed pages.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .branding import BRAND_CSS, BrandFiles, brand_files
from .compact import compact_navigation
from .config import DEFAULT_CONTENT, DEFAULT_TEMPLATES, project_from_options
from .errors import ContentError, PlaybookError
from .incremental import Regenerator
from .pipeline import Generated, Project
from .plan import NavItem
from .search import rewrite_index

if TYPE_CHECKING:
    from .preview import LivePreview

__all__ = ["PlaybookPlugin", "PlaybookPluginConfig"]

log = logging.getLogger("mkdocs.plugins.playbook")
T = TypeVar("T")


class PlaybookPluginConfig(base.Config):
    content = c.Type(str, default=DEFAULT_CONTENT)
    templates = c.ListOfItems(c.Type(str), default=list(DEFAULT_TEMPLATES))
    layers = c.ListOfItems(c.Type(str), default=[])
    extra_section = c.Type(str, default="About")


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):
    project: Project
    generated: Generated
    brand: BrandFiles
    user_nav: Any = None
    preview: LivePreview | None = None  # set by `playbook serve`

    def __init__(self) -> None:
        self._regenerator: Regenerator | None = None
        self._given: Generated | None = None

    def give(self, generated: Generated) -> None:
        """Use ``generated`` for the next build instead of generating (``playbook build``
        has already generated the pages, and reported any problem its own way)."""
        self._given = generated

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._regenerator = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        options = {
            "content": self.config.content,
            "templates": self.config.templates,
            "layers": self.config.layers,
        }
        self.project = project_from_options(root, options)
        self.user_nav = config.nav
        self.generated = self._pages()
        for problem in self.generated.warnings:
            log.warning(str(problem))
        settings = self.generated.playbook.settings
        # One place for the name: playbook.yml. Themes print it unescaped.
        config.site_name = html.escape(settings.title)
        self.brand = _reported(lambda: brand_files(settings.branding, self.project.root))
        if self.brand.css is not None:
            config.extra_css.append(BRAND_CSS)
        if self.brand.logo is not None:
            config.theme["logo"] = self.brand.logo
        if self.preview is not None:
            self.preview.configure(config)
        return config

    def _pages(self) -> Generated:
        if self.preview is not None:  # it reads the same mkdocs.yml before every build
            return self.preview.generated
        if self._given is not None:
            given, self._given = self._given, None
            return given
        if self._regenerator is None or self._regenerator.project != self.project:
            self._regenerator = Regenerator(self.project)
        return _reported(self._regenerator.generate)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self.project.root
        docs_prefix = _relative(Path(config.docs_dir), root)
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
            if self.preview is not None:
                file = self.preview.page_file(config, rendered)
            else:
                file = File.generated(config, page.path, content=rendered.markdown)
            file.edit_uri = page.source
            files.append(file)
        if self.user_nav is None:
            config.nav = self.nav_with(hand_written)
        if self.brand.css is not None:
            files.append(File.generated(config, BRAND_CSS, content=self.brand.css))
        if self.brand.logo is not None and self.brand.logo_source is not None:
            logo = File.generated(config, self.brand.logo, abs_src_path=str(self.brand.logo_source))
            files.append(logo)
        return files

    def nav_with(self, hand_written: list[str]) -> list[NavItem]:
        """The planned navigation, with hand-written pages in a section of their own."""
        nav = list(self.generated.plan.nav)
        if hand_written:
            nav.append({self.config.extra_section: sorted(hand_written)})
        return nav

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.preview is not None:
            self.preview.before_pages(nav)
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if self.preview is not None:
            env.bytecode_cache = self.preview.compiled_theme
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        output = compact_navigation(output)
        if self.preview is not None:
            output = self.preview.page_output(page, output)
        return output

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        rewrite_index(Path(config.site_dir) / "search" / "search_index.json")
        if self.preview is not None:
            self.preview.after_build(Path(config.site_dir))

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for path in self.project.watched:
            server.watch(str(path))
        return server


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
