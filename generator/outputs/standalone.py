"""A configuration for the generated Markdown tree alone, for engines that run no MkDocs plugin.

``playbook generate --out DIR --config FILE`` writes the pages to DIR, copies the hand-written
pages beside them, and writes FILE: the project's mkdocs.yml without the ``playbook`` plugin,
with DIR as ``docs_dir`` and the planned navigation spelled out. Plain ``mkdocs build`` and
Zensical (Material's successor, which reads mkdocs.yml but runs no plugins) build it as it is,
and keep what the plugin gives the site:

- "edit this page" links at the YAML a page comes from: each generated page names it in its
  front matter (``edit_url``), which the theme overrides written beside FILE show (Zensical
  and Material otherwise link at the Markdown file in DIR); hand-written pages link at
  ``docs/``;
- the brand: the playbook's title, colours and logo, and Zensical's ``classic`` look, which
  keeps Material's colours (its ``modern`` one replaces them);
- a role's other names and competencies stay tags that search finds and nobody sees;
- ``nav.yml`` is left out of the site (``exclude_docs``);
- the What changed page's feed and the times pages last changed, written into DIR.
"""

from __future__ import annotations

import dataclasses
import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..build import generate
from ..content.model import Playbook
from ..errors import Problem
from ..fsio import files_under, inside
from ..pipeline.emit import NAV_FILE, EmitReport, emit, write_if_changed
from ..pipeline.plan import HAND_WRITTEN, NavItem, Page, with_hand_written
from ..pipeline.render import RenderedPage
from ..project import generator_page, load_mkdocs_yml, page_addressing, read_project
from ..views.changes import WhatChanged
from .branding import BRAND_CSS, brand_files
from .changes import FEED, PAGES_JSON, atom_feed, changed_pages
from .export import page_address

__all__ = ["edit_url_of", "standalone_pages", "write_standalone", "write_tree"]

# Theme partials for the standalone tree, the same in Material and in Zensical: the edit
# buttons prefer the page's own edit_url, and tags marked hidden (a role's other names and
# competencies) are not shown; Zensical shows them, greyed, where Material leaves them out.
_ACTIONS = """{#- Written by `playbook generate`: a page's own edit_url comes first. -#}
{% set edit = page.meta.edit_url if page.meta and page.meta.edit_url else page.edit_url %}
{% if edit %}
  {% if "content.action.edit" in features %}
    <a href="{{ edit }}" title="{{ lang.t('action.edit') }}"
       class="md-content__button md-icon" rel="edit">
      {% set icon = config.theme.icon.edit or "material/file-edit-outline" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </a>
  {% endif %}
{% endif %}
"""
_TAGS = """{#- Written by `playbook generate`: hidden tags are searched, not shown. -#}
{% if page.meta and page.meta.hide %}
  {% set hidden = "hidden" if "tags" in page.meta.hide %}
{% endif %}
{% set shown = tags | rejectattr("hidden") | list if tags else [] %}
{% if shown %}
  <nav class="md-tags" {{ hidden }}>
    {% for tag in shown %}
      {% if tag.url %}
        <a href="{{ tag.url | url }}" class="md-tag">{{- tag.name -}}</a>
      {% else %}
        <span class="md-tag">{{- tag.name -}}</span>
      {% endif %}
    {% endfor %}
  </nav>
{% endif %}
"""
_PARTIALS = {"partials/actions.html": _ACTIONS, "partials/tags.html": _TAGS}


def write_tree(
    mkdocs_yml: Path, out_dir: Path, target: Path | None, *, strict_review: bool = False
) -> tuple[EmitReport, list[Problem]]:
    """Generate the project of ``mkdocs_yml`` into ``out_dir``, and, unless ``target`` is None,
    the plugin-free configuration for it; what was written and the content's warnings."""
    generated = generate(read_project(mkdocs_yml), strict_review=strict_review)
    pages = list(generated.pages)
    if target is not None:
        pages = standalone_pages(pages, edit_url_of(mkdocs_yml))
        if generated.changes is not None:
            title = generated.playbook.settings.title
            pages += _changes_files(generated.changes, pages, title, mkdocs_yml)
    report = emit(pages, generated.plan.nav, out_dir)
    if target is not None:
        settings = generated.playbook.settings
        nav = generated.plan.nav
        write_standalone(mkdocs_yml, out_dir, nav, target, settings.generator_pages, settings)
    return report, list(generated.warnings)


def _changes_files(
    changes: WhatChanged, pages: Sequence[RenderedPage], title: str, mkdocs_yml: Path
) -> list[RenderedPage]:
    """The feed and the times pages last changed, as the plugin adds them to a site."""
    directory_urls, site_url = page_addressing(mkdocs_yml)
    addresses = {
        r.page.path: page_address(r.page.path, directory_urls)
        for r in pages
        if r.page.path.endswith(".md")
    }
    feed = atom_feed(changes, title, addresses, site_url)
    times = changed_pages(changes, addresses)
    return [
        RenderedPage(Page(FEED, "", title, ""), feed.decode("utf-8")),
        RenderedPage(Page(PAGES_JSON, "", title, ""), times.decode("utf-8")),
    ]


def edit_url_of(mkdocs_yml: Path) -> str | None:
    """The address edit links start with (``repo_url`` and ``edit_uri``), or None when the
    configuration shows none."""
    config = load_mkdocs_yml(mkdocs_yml)
    repo, edit = config.get("repo_url"), config.get("edit_uri")
    if not isinstance(repo, str) or not repo or not isinstance(edit, str) or not edit:
        return None
    return f"{repo.rstrip('/')}/{edit.strip('/')}/"


def standalone_pages(pages: Sequence[RenderedPage], edit_url: str | None) -> list[RenderedPage]:
    """``pages`` with the address of the YAML each comes from in its front matter."""
    if edit_url is None:
        return list(pages)
    found = []
    for rendered in pages:
        markdown = rendered.markdown
        if rendered.page.source and markdown.startswith("---\n"):
            line = yaml.safe_dump({"edit_url": edit_url + rendered.page.source}, width=10**6)
            markdown = "---\n" + line + markdown[4:]
        found.append(dataclasses.replace(rendered, markdown=markdown))
    return found


def write_standalone(
    mkdocs_yml: Path,
    out_dir: Path,
    nav: list[NavItem],
    target: Path,
    generator_pages: bool = True,
    playbook: Playbook | None = None,
) -> list[str]:
    """Write ``target``, and the theme overrides beside it; return the hand-written pages
    copied into ``out_dir`` (without the generator's own unless ``generator_pages``)."""
    config = load_mkdocs_yml(mkdocs_yml)
    source_root = mkdocs_yml.resolve().parent
    target_root = target.resolve().parent
    docs_name = str(config.get("docs_dir", "docs"))
    docs = inside(source_root / docs_name, source_root)
    copied = _copy_hand_written(docs, source_root, out_dir, generator_pages)
    nav = with_hand_written(nav, copied, HAND_WRITTEN)
    config["docs_dir"] = _relative(out_dir.resolve(), target_root)
    config["nav"] = nav
    config["plugins"] = [p for p in config.get("plugins") or [] if _plugin_name(p) != "playbook"]
    excluded = config.get("exclude_docs")
    config["exclude_docs"] = (f"{excluded.rstrip()}\n" if excluded else "") + f"/{NAV_FILE}\n"
    if config.get("edit_uri") and config.get("repo_url"):  # hand-written pages: at docs/
        docs_uri = Path(os.path.normpath(docs_name)).as_posix()
        config["edit_uri"] = f"{str(config['edit_uri']).strip('/')}/{docs_uri}/"
    theme = config.get("theme")
    if not isinstance(theme, dict):
        theme = config["theme"] = {"name": theme or "material"}
    theme.setdefault("variant", "classic")  # Zensical's look of Material: the brand's colours
    custom = source_root / str(theme["custom_dir"]) if theme.get("custom_dir") else None
    overrides = target.with_name(f"{target.stem}.overrides")
    _write_overrides(custom, overrides)
    theme["custom_dir"] = _relative(overrides.resolve(), target_root)
    if playbook is not None:
        _brand(config, playbook, source_root, out_dir)
        if playbook.what_changed:  # the site's pages link the feed and mark what changed
            extra = config["extra"] = dict(config.get("extra") or {})
            extra["what_changed"] = {"feed": FEED, "pages": PAGES_JSON}
    text = "# Written by `playbook generate`; edit mkdocs.yml instead.\n" + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False
    )
    write_if_changed(target, text.encode("utf-8"))
    return copied


def _copy_hand_written(
    docs_dir: Path, root: Path, out_dir: Path, generator_pages: bool
) -> list[str]:
    """Copy the files of ``docs_dir`` into ``out_dir``: none that is a link out of the project,
    which would publish whatever it leads to, and none of the generator's own pages unless
    ``generator_pages``."""
    copied: list[str] = []
    if not docs_dir.is_dir():
        return copied
    for path in sorted(files_under(docs_dir)):
        relative = path.relative_to(docs_dir).as_posix()
        data = inside(path, root).read_bytes()
        own = path.suffix == ".md" and generator_page(data.decode("utf-8", errors="replace"))
        if own and not generator_pages:
            continue
        write_if_changed(out_dir / relative, data)
        if path.suffix == ".md":
            copied.append(relative)
    return copied


def _write_overrides(custom: Path | None, overrides: Path) -> None:
    """The project's theme overrides, with the partials the standalone tree needs unless the
    project has its own."""
    wanted: dict[str, bytes] = {}
    if custom is not None and custom.is_dir():
        for path in sorted(p for p in custom.rglob("*") if p.is_file()):
            wanted[path.relative_to(custom).as_posix()] = path.read_bytes()
    for name, text in _PARTIALS.items():
        wanted.setdefault(name, text.encode("utf-8"))
    for name, data in wanted.items():
        write_if_changed(overrides / name, data)
    if overrides.is_dir():
        for path in sorted(overrides.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(overrides).as_posix() not in wanted:
                path.unlink()


def _brand(config: dict[str, Any], playbook: Playbook, root: Path, out_dir: Path) -> None:
    """The playbook's name, colours and logo, as the plugin gives them to the site."""
    config["site_name"] = html.escape(playbook.title)  # themes print it unescaped
    brand = brand_files(playbook.branding, root)
    if brand.css is not None:
        write_if_changed(out_dir / BRAND_CSS, brand.css.encode("utf-8"))
        extra = [c for c in config.get("extra_css") or [] if c != BRAND_CSS]
        config["extra_css"] = [*extra, BRAND_CSS]
    if brand.logo is not None and brand.logo_source is not None:
        write_if_changed(out_dir / brand.logo, brand.logo_source.read_bytes())
        config["theme"]["logo"] = brand.logo


def _plugin_name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()
