"""The MkDocs plugin ``playbook``: a thin adapter from MkDocs events to the pipeline.

- ``on_config`` runs the pipeline (so ``mkdocs serve`` regenerates on every rebuild) and
  reports content problems through MkDocs' logger, where ``--strict`` counts warnings.
- ``on_files`` adds the rendered pages as in-memory files, sets the planned navigation, and
  points every page's edit link at the file it is written in (the YAML source for generated
  pages), relative to the repository root.
- ``on_serve`` watches ``content/`` and the project's templates.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .config import DEFAULT_CONTENT, DEFAULT_TEMPLATES, project_from_options
from .errors import ContentError, PlaybookError
from .pipeline import Generated, Project, builtin_templates, generate
from .plan import NavItem
from .safety import logo_file

__all__ = ["PlaybookPlugin", "PlaybookPluginConfig"]

log = logging.getLogger("mkdocs.plugins.playbook")


class PlaybookPluginConfig(base.Config):
    content = c.Type(str, default=DEFAULT_CONTENT)
    templates = c.ListOfItems(c.Type(str), default=list(DEFAULT_TEMPLATES))
    layers = c.ListOfItems(c.Type(str), default=[])
    extra_section = c.Type(str, default="About")


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):
    project: Project
    generated: Generated
    user_nav: Any = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        options = {
            "content": self.config.content,
            "templates": self.config.templates,
            "layers": self.config.layers,
        }
        self.project = project_from_options(root, options)
        self.user_nav = config.nav
        self.generated = _cached_pipeline(self.project)
        settings = self.generated.playbook.settings
        # One place for the name: playbook.yml. Themes print it unescaped.
        config.site_name = html.escape(settings.title)
        branding = settings.branding
        if branding and (branding.primary_color or branding.accent_color):
            config.extra_css.append(BRAND_CSS)
        if branding and branding.logo:
            config.theme["logo"] = BRAND_LOGO + Path(branding.logo).suffix
        return config

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
            file = File.generated(config, page.path, content=rendered.markdown)
            file.edit_uri = page.source
            files.append(file)
        if self.user_nav is None:
            config.nav = self.nav_with(hand_written)
        self._add_branding(files, config)
        return files

    def _add_branding(self, files: Files, config: MkDocsConfig) -> None:
        branding = self.generated.playbook.settings.branding
        if branding is None:
            return
        if branding.primary_color or branding.accent_color:
            css = brand_css(branding.primary_color, branding.accent_color)
            files.append(File.generated(config, BRAND_CSS, content=css))
        if branding.logo:
            logo = logo_file(self.project.root, branding.logo, PluginError)
            name = BRAND_LOGO + logo.suffix
            files.append(File.generated(config, name, abs_src_path=str(logo)))

    def nav_with(self, hand_written: list[str]) -> list[NavItem]:
        """The planned navigation, with hand-written pages in a section of their own."""
        nav = list(self.generated.plan.nav)
        if hand_written:
            nav.append({self.config.extra_section: sorted(hand_written)})
        return nav

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        return compact_navigation(output)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for path in self.project.watched:
            server.watch(str(path))
        return server


BRAND_CSS = "assets/stylesheets/brand.css"
BRAND_LOGO = "assets/images/brand-logo"


def brand_css(primary: str | None, accent: str | None) -> str:
    """CSS that sets the theme's colours; doubled selectors outrank the playbook's defaults."""
    rules = []
    if primary:
        rules.append(
            ":root:root, [data-md-color-scheme][data-md-color-scheme] {\n"
            f"  --md-primary-fg-color: {primary};\n"
            f"  --md-primary-fg-color--light: {primary};\n"
            f"  --md-primary-fg-color--dark: {primary};\n"
            "}\n"
        )
    if accent:
        rules.append(
            ":root:root, [data-md-color-scheme][data-md-color-scheme] {\n"
            f"  --md-accent-fg-color: {accent};\n"
            "}\n"
        )
    return "".join(rules)


# `mkdocs serve` loads the configuration, and so a new plugin, for every rebuild; the content
# is generated again only when a file it comes from has changed.
_cache: dict[Project, tuple[tuple[tuple[str, int, int], ...], Generated]] = {}


def _cached_pipeline(project: Project) -> Generated:
    stamp = _stamp(project)
    cached = _cache.get(project)
    if cached and cached[0] == stamp:
        log.debug("content unchanged; reusing the generated pages")
        return cached[1]
    generated = run_pipeline(project)
    _cache.clear()
    _cache[project] = (stamp, generated)
    return generated


def _stamp(project: Project) -> tuple[tuple[str, int, int], ...]:
    """Path, size and modification time of every file the pages are made from."""
    folders = [*project.watched, builtin_templates()]
    return tuple(
        (str(path), stat.st_size, stat.st_mtime_ns)
        for folder in dict.fromkeys(folders)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


_NAV_START = '<nav class="md-nav md-nav--primary'
_NAV_END = '<div class="md-sidebar md-sidebar--secondary'
_BETWEEN_TAGS = re.compile(r">\s+<")


def compact_navigation(html_page: str) -> str:
    """Drop the whitespace between tags of Material's primary navigation.

    The navigation is rendered into every page and most of its bytes are indentation, so on
    a large playbook this shrinks the site by a third. Only that region is touched: it holds
    no preformatted text, and a label's own text keeps its spaces."""
    start = html_page.find(_NAV_START)
    end = html_page.find(_NAV_END, start)
    if start < 0 or end < 0:
        return html_page
    nav = _BETWEEN_TAGS.sub("><", html_page[start:end])
    return html_page[:start] + nav + html_page[end:]


def run_pipeline(project: Project) -> Generated:
    """Generate, logging every content problem; a content error aborts the build."""
    try:
        generated = generate(project)
    except ContentError as exc:
        for problem in exc.problems:
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        raise PluginError(str(exc)) from None
    except PlaybookError as exc:
        raise PluginError(str(exc)) from None
    for problem in generated.warnings:
        log.warning(str(problem))
    return generated


def _relative(path: Path, root: Path) -> str:
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else f"{relative}/"
