"""The whole playbook, or one role's part of it, as one PDF to print or hand round.

The book is the site's own pages, in the order of its navigation, each rendered from its
Markdown with the site's Markdown extensions and styled by the theme's and the project's
stylesheets, without the site around them (no header, navigation, search or footer). It opens
with a cover naming the organisation and the day it was printed, and a table of contents.

Chromium prints it, through Playwright (the optional ``pdf`` extra), twice: the first print
tells on which sheet each page of the site begins (read from the PDF's named destinations
with pypdf), the second prints those numbers in the table of contents; their boxes have a fixed
width, so the numbers move nothing. Chromium prints CSS page-margin boxes, so the running
header (the playbook's title, and the title of the page a sheet belongs to) and the page
numbers are ``@page`` rules: one named page per page of the site. A link from one page to
another becomes a link to that page in the PDF; a link to a page the book leaves out goes to
the published site when ``site_url`` is set, and is plain text otherwise. Diagrams stay SVG,
so they print as vector drawings.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import io
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown as markdown_lib
import yaml

from ..build import Generated
from ..errors import PlaybookError, did_you_mean, one_line, shown_path
from ..fsio import files_under, inside
from ..pipeline.plan import NavItem, page_path
from ..views.checklists import long_date
from .branding import brand_files
from .printable import PDF_HELP, chromium_page

__all__ = ["BookPage", "book_html", "book_pages", "book_pdf"]

PAPERS = ("A4", "Letter")
_LEFT_OUT = ("tags",)  # pages that only make sense on the site: the tag index search fills
# Markdown extensions MkDocs always adds to those mkdocs.yml names.
_MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class BookPage:
    """One page of the site in the book: where it is on the site, its anchor in the book,
    its title, and the titles of the navigation sections it sits in."""

    path: str
    anchor: str
    title: str
    sections: tuple[str, ...]
    markdown: str


@dataclass(frozen=True)
class Site:
    """What the book takes from the site's configuration."""

    extensions: list[Any]
    extension_configs: dict[str, Any]
    stylesheets: list[str]
    site_url: str | None
    use_directory_urls: bool
    colours: tuple[str, str] = ("indigo", "indigo")  # the theme's primary and accent


def book_pages(generated: Generated, role: str | None = None) -> list[BookPage]:
    """The pages of the book in navigation order: every page of the site, or, for ``role``,
    its profile, the handoffs it gives and receives, the phases it takes part in, its
    onboarding pack and the guides written for it."""
    rendered = {page.page.path: page for page in generated.pages}
    wanted = set(rendered) - {page_path(kind) for kind in _LEFT_OUT}
    if role is not None:
        wanted &= _role_slice(generated, role)
    found: list[BookPage] = []
    for path, title, sections in _walk(generated.plan.nav, ()):
        if path in wanted and path in rendered:
            page = rendered[path]
            found.append(
                BookPage(
                    path, f"p{len(found) + 1}", title or page.page.title, sections, page.markdown
                )
            )
    return found


def _role_slice(generated: Generated, role: str) -> set[str]:
    playbook = generated.playbook
    if role not in playbook.roles:
        hint = did_you_mean(role, playbook.roles)
        raise PlaybookError(f"no role '{role}'" + (f" ({hint})" if hint else ""))
    handoffs = [*playbook.gives.get(role, ()), *playbook.receives.get(role, ())]
    phases = {part.phase.id for part in playbook.activities_of.get(role, ())}
    phases |= {handoff.phase for handoff in handoffs}
    return {
        page_path("roles", role),
        page_path("onboarding", role),
        *(page_path("handoffs", handoff.id) for handoff in handoffs),
        *(page_path("phases", phase) for phase in phases),
        *(page_path("guides", guide.id) for guide in playbook.guides_for.get(role, ())),
    }


def _walk(
    items: Sequence[NavItem], sections: tuple[str, ...]
) -> Iterator[tuple[str, str | None, tuple[str, ...]]]:
    """Each page of the navigation ``items``: its path, its title there (None for a bare
    path) and the sections it is in."""
    for item in items:
        if isinstance(item, str):
            yield item, None, sections
            continue
        for title, value in item.items():
            # the navigation's titles are escaped for themes that print them as they are
            if isinstance(value, str):
                yield value, html.unescape(str(title)), sections
            else:
                yield from _walk(value, (*sections, html.unescape(str(title))))


def book_html(
    generated: Generated,
    pages: Sequence[BookPage],
    site: Site,
    *,
    paper: str,
    printed_on: dt.date,
    numbers: Mapping[str, int] | None = None,
    role: str | None = None,
) -> str:
    """The book as one HTML document; ``numbers`` are the sheets the pages begin on, by
    anchor (left blank before the first print)."""
    settings = generated.playbook.settings
    converter = markdown_lib.Markdown(
        extensions=site.extensions, extension_configs=site.extension_configs
    )
    anchors = {page.path: page.anchor for page in pages}
    bodies = []
    across = set()
    for page in pages:
        converter.reset()
        body = converter.convert(_without_front_matter(page.markdown))
        body = _relinked(body, page, anchors, site)
        if _WIDE.search(body):
            across.add(page.anchor)
        bodies.append(
            f'<article class="md-typeset pb-book-page" id="{page.anchor}" '
            f'style="page: {page.anchor}">{body}</article>'
        )
    title = settings.title
    subtitle = None
    if role is not None:
        subtitle = f"The {generated.playbook.roles[role].title}'s part of the playbook"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        *(f"<style>{css}</style>" for css in site.stylesheets),
        f"<style>{_page_rules(pages, title, paper, across)}\n{BOOK_CSS}</style>",
        '</head><body dir="ltr" data-md-color-scheme="default" '
        f'data-md-color-primary="{html.escape(site.colours[0])}" '
        f'data-md-color-accent="{html.escape(site.colours[1])}">',
        _cover(settings.organization, title, subtitle, printed_on, settings.description),
        _contents(pages, numbers or {}),
        *bodies,
        "</body></html>",
    ]
    return "\n".join(parts)


def _without_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[end + 5 :]
    return markdown


_ID = re.compile(r'(\s(?:id|for)=")([^"]*)(")')
_REFS = re.compile(r'(\saria-(?:labelledby|describedby|controls)=")([^"]*)(")')
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
_WIDE = re.compile(r'class="[^"]*\bpb-matrix\b')  # the skills matrix prints across the sheet
_HREF = re.compile(r'(\s(?:xlink:)?href=")([^"]*)(")')


def _relinked(body: str, page: BookPage, anchors: Mapping[str, str], site: Site) -> str:
    """``body`` with its ids made unique in the book (prefixed with the page's anchor) and
    its links to pages of the site turned into links into the book."""
    own = page.anchor

    def prefixed(found: re.Match[str]) -> str:
        names = " ".join(f"{own}--{name}" for name in found.group(2).split())
        return f"{found.group(1)}{names}{found.group(3)}"

    body = _ID.sub(prefixed, body)
    body = _REFS.sub(prefixed, body)
    body = _URL_REF.sub(lambda found: f"url(#{own}--{found.group(1)})", body)
    link = _link_maker(page, anchors, site)
    return _HREF.sub(lambda found: link(html.unescape(found.group(2)), found), body)


def _link_maker(
    page: BookPage, anchors: Mapping[str, str], site: Site
) -> Callable[[str, re.Match[str]], str]:
    def link(target: str, found: re.Match[str]) -> str:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            return found.group(0)
        if not parts.path:
            return f'{found.group(1)}#{page.anchor}--{html.escape(parts.fragment)}"'
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), parts.path))
        if target.endswith("/") or not posixpath.splitext(path)[1]:
            path = posixpath.join(path, "index.md")
        anchor = anchors.get(path)
        if anchor is not None:
            inner = f"{anchor}--{parts.fragment}" if parts.fragment else anchor
            return f'{found.group(1)}#{html.escape(inner)}"'
        if site.site_url:
            address = site.site_url.rstrip("/") + "/" + _site_address(path, site)
            if parts.fragment:
                address += "#" + parts.fragment
            return f'{found.group(1)}{html.escape(address)}"'
        return ""  # a link to nothing in the book and no site to send it to: plain text

    return link


def _site_address(path: str, site: Site) -> str:
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if site.use_directory_urls else f"{stem}.html"


def _css_string(text: str) -> str:
    """``text`` as a CSS string that no character of it can end (nor the style element)."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


def _page_rules(pages: Sequence[BookPage], title: str, paper: str, across: set[str]) -> str:
    """The sheets: the playbook's title at the top left of each and the page's own at the top
    right, numbers at the foot; a cover without them; the skills matrix across the sheet."""
    small = "font-size: 7.5pt; color: #555; font-family: sans-serif;"
    rules = [
        f"@page {{ size: {paper}; margin: 12mm 12mm; "
        f"@top-left {{ content: {_css_string(title)}; {small} }} "
        f'@bottom-right {{ content: counter(page) " / " counter(pages); {small} }} }}',
        "@page cover { @top-left { content: none } @bottom-right { content: none } }",
        f'@page contents {{ @top-right {{ content: "Contents"; {small} }} }}',
    ]
    for page in pages:
        size = f" size: {paper} landscape;" if page.anchor in across else ""
        shown = " · ".join(dict.fromkeys((*page.sections[:1], page.title)))
        rules.append(
            f"@page {page.anchor} {{{size} "
            f"@top-right {{ content: {_css_string(shown)}; {small} }} }}"
        )
    return "\n".join(rules)


def _cover(
    organization: str | None, title: str, subtitle: str | None, printed_on: dt.date, about: str
) -> str:
    """The first sheet: the organisation (when it is not the title already), the title, for
    whom, what the playbook is, and the day it was printed."""
    lines = ['<section class="pb-book-cover md-typeset">']
    if organization and organization != title:
        lines.append(f'<p class="pb-book-organization">{html.escape(organization)}</p>')
    lines.append(f"<h1>{html.escape(title)}</h1>")
    if subtitle:
        lines.append(f'<p class="pb-book-subtitle">{html.escape(subtitle)}</p>')
    if about:
        lines.append(f'<p class="pb-book-about">{html.escape(about)}</p>')
    lines.append(f'<p class="pb-book-date">Printed {html.escape(long_date(printed_on))}</p>')
    lines.append("</section>")
    return "\n".join(lines)


def _contents(pages: Sequence[BookPage], numbers: Mapping[str, int]) -> str:
    """The table of contents: the navigation's sections as headings, each page a line with
    the sheet it begins on, the whole line a link to it."""
    lines = ['<nav class="pb-book-contents md-typeset">', "<h1>Contents</h1>"]
    shown: tuple[str, ...] = ()
    for page in pages:
        common = 0
        while (
            common < min(len(shown), len(page.sections)) and shown[common] == page.sections[common]
        ):
            common += 1
        for depth in range(common, len(page.sections)):
            lines.append(
                f'<p class="pb-toc-section pb-toc-depth-{depth}">'
                f"{html.escape(page.sections[depth])}</p>"
            )
        shown = page.sections
        number = numbers.get(page.anchor)
        lines.append(
            f'<a class="pb-toc-entry pb-toc-depth-{len(page.sections)}" href="#{page.anchor}">'
            f'<span class="pb-toc-title">{html.escape(page.title)}</span>'
            f'<span class="pb-toc-page">{number if number is not None else ""}</span></a>'
        )
    lines.append("</nav>")
    return "\n".join(lines)


BOOK_CSS = """
html { font-size: 125%; background: #fff; color-scheme: light; }
body { margin: 0; }
body:has(.pb-matrix) { page: auto; }
.pb-book-cover { page: cover; display: flex; flex-direction: column; justify-content: center;
  min-height: 230mm; break-after: page; }
.md-typeset.pb-book-cover h1 { font-size: 2.6rem; font-weight: 700; margin: 0.2em 0 0.4em;
  color: var(--md-default-fg-color); line-height: 1.2; }
.pb-book-organization { font-size: 1.2rem; font-weight: 600; letter-spacing: 0.02em;
  color: var(--md-primary-fg-color); margin: 0; }
.pb-book-subtitle { font-size: 1.15rem; margin: 0 0 1em; }
.pb-book-about { font-size: 0.95rem; max-width: 32em; color: var(--md-default-fg-color--light); }
.pb-book-date { margin-top: 3em; font-size: 0.85rem; }
.pb-book-contents { page: contents; break-after: page; }
.md-typeset.pb-book-contents h1 { margin-bottom: 0.6em; font-weight: 700;
  color: var(--md-default-fg-color); }
.pb-toc-section { font-weight: 700; margin: 0.9em 0 0.2em; break-after: avoid; }
.md-typeset .pb-toc-section.pb-toc-depth-1 { margin: 0.5em 0 0.1em 1.2em;
  font-weight: 600; color: var(--md-default-fg-color--light); }
.md-typeset a.pb-toc-entry { display: flex; align-items: baseline; gap: 0.4em;
  color: var(--md-default-fg-color); text-decoration: none; margin: 0.1em 0;
  break-inside: avoid; }
.pb-toc-entry.pb-toc-depth-1 { padding-left: 1.2em; }
.pb-toc-entry.pb-toc-depth-2 { padding-left: 2.4em; }
.pb-toc-title { flex: 0 1 auto; }
.pb-toc-entry::after { content: ""; flex: 1 1 auto; order: 1;
  border-bottom: 0.08em dotted var(--md-default-fg-color--lighter); }
.pb-toc-page { order: 2; flex: 0 0 3em; text-align: right; font-variant-numeric: tabular-nums; }
.pb-book-page { break-before: page; }
.md-typeset a:not([href]) { color: inherit; }
.md-typeset a.md-button:not([href]) { display: none; }  /* a download with no site to fetch from */
.md-typeset .headerlink { display: none; }
.md-typeset .pb-signoff { break-before: avoid; }  /* signed under the last items, not alone */
.md-typeset table:not([class]) { font-size: 0.95em; }
"""


# The site's look: the theme's stylesheets, then the project's own and its brand.
def site_of(mkdocs_yml: Path, generated: Generated) -> Site:
    """What the book takes from ``mkdocs_yml``: its Markdown extensions, its stylesheets
    (Material's, those of its theme folder and ``extra_css`` in the docs, the brand's) and
    how its pages are addressed."""
    from ..project import load_mkdocs_yml

    config = load_mkdocs_yml(mkdocs_yml, _MarkingLoader)
    root = mkdocs_yml.resolve().parent
    extensions, configs = _extensions(config.get("markdown_extensions") or [])
    sheets = _material_stylesheets()
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        custom = inside(root / str(theme["custom_dir"]), root)
        if custom.is_dir():
            found = sorted(path for path in files_under(custom) if path.suffix == ".css")
            sheets += [_read(path, root) for path in found]
    docs = root / str(config.get("docs_dir", "docs"))
    for name in config.get("extra_css") or []:
        path = docs / str(name)
        if isinstance(name, str) and not urlsplit(name).scheme and path.is_file():
            sheets.append(_read(path, root))
    brand = brand_files(generated.playbook.settings.branding, root)
    if brand.css is not None:
        sheets.append(brand.css)
    url = config.get("site_url")
    return Site(
        extensions,
        configs,
        sheets,
        url if isinstance(url, str) and url else None,
        config.get("use_directory_urls", True) is not False,
        _colours(theme),
    )


def _colours(theme: Any) -> tuple[str, str]:
    """The primary and accent colour of the theme's (first, light) palette, as Material names
    them in its ``data-md-color-*`` attributes."""
    palette = theme.get("palette") if isinstance(theme, dict) else None
    if isinstance(palette, list):
        palette = palette[0] if palette else None
    if not isinstance(palette, dict):
        return Site.colours
    primary, accent = (palette.get(key) for key in ("primary", "accent"))

    def named(value: Any, default: str) -> str:
        return str(value).lower().replace(" ", "-") if isinstance(value, str) else default

    return named(primary, Site.colours[0]), named(accent, Site.colours[1])


class _Tagged:
    """A value mkdocs.yml gives with a YAML tag, such as ``!!python/name:`` for a function of
    the theme: never constructed, so the book leaves the option at the extension's default."""


class _MarkingLoader(yaml.SafeLoader):
    pass


_MarkingLoader.add_multi_constructor("!", lambda loader, suffix, node: _Tagged())
_MarkingLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: _Tagged())


def _extensions(entries: Any) -> tuple[list[Any], dict[str, Any]]:
    """The Markdown extensions MkDocs would use, and their options but the tagged ones."""
    names: list[Any] = list(_MKDOCS_EXTENSIONS)
    configs: dict[str, Any] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            for name, options in entry.items():
                names.append(str(name))
                if isinstance(options, dict):
                    kept = {k: v for k, v in options.items() if not isinstance(v, _Tagged)}
                    configs[str(name)] = kept
        elif isinstance(entry, str):
            names.append(entry)
    configs.setdefault("toc", {})["permalink"] = False  # no pilcrows on paper
    return list(dict.fromkeys(names)), configs


def _material_stylesheets() -> list[str]:
    """Material's own stylesheets, so that admonitions, tables and checklists look as on the
    site; none when the theme is not installed."""
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent / "templates" / "assets" / "stylesheets"
    return [
        path.read_text(encoding="utf-8")
        for pattern in ("main.*.min.css", "palette.*.min.css")
        for path in sorted(folder.glob(pattern))
    ]


def _read(path: Path, root: Path) -> str:
    # a stylesheet's text inside a <style> element; "</" could close it
    raw = inside(path, root).read_bytes()
    try:
        return raw.decode("utf-8").replace("</", "<\\/")
    except UnicodeDecodeError as exc:
        raise PlaybookError(
            f"{shown_path(path, root)}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the stylesheet as UTF-8"
        ) from None


def book_pdf(
    mkdocs_yml: Path,
    generated: Generated,
    *,
    role: str | None = None,
    paper: str = "A4",
    printed_on: dt.date | None = None,
) -> bytes:
    """The book as PDF, printed twice by Chromium to number its table of contents."""
    if importlib.util.find_spec("pypdf") is None:
        raise PlaybookError(PDF_HELP)
    pages = book_pages(generated, role)
    site = site_of(mkdocs_yml, generated)
    day = printed_on or dt.date.today()
    try:
        first = book_html(generated, pages, site, paper=paper, printed_on=day, role=role)
    except (ImportError, ValueError, TypeError, AttributeError) as exc:
        raise PlaybookError(
            f"{mkdocs_yml.name}: cannot render the pages with its markdown_extensions: "
            f"{one_line(str(exc))}"
        ) from None
    with chromium_page() as browser_page:  # which fetches nothing from elsewhere
        numbers = _first_sheets(_print(browser_page, first, final=False))
        final = book_html(
            generated, pages, site, paper=paper, printed_on=day, numbers=numbers, role=role
        )
        return _print(browser_page, final, final=True)


def _first_sheets(printed: bytes) -> dict[str, int]:
    """The sheet (counted from 1) each named destination of ``printed`` is on, by name:
    Chromium names one after each element a link of the document leads to."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(printed))
        found = {
            str(name).lstrip("/"): reader.get_destination_page_number(destination)
            for name, destination in reader.named_destinations.items()
        }
    except PdfReadError as exc:
        raise PlaybookError(f"cannot read the PDF Chromium printed: {exc}") from None
    return {name: index + 1 for name, index in found.items() if index is not None}


def _print(page: Any, document: str, *, final: bool) -> bytes:
    """``document`` printed by the Chromium ``page``; the final print with bookmarks from the
    headings and tags that let screen readers follow it (the first is only measured)."""
    page.set_content(document, wait_until="load")
    printed: bytes = page.pdf(
        prefer_css_page_size=True, print_background=True, outline=final, tagged=final
    )
    return printed
