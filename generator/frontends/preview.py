"""The live preview behind ``playbook serve``: the site engine's own server and builds (MkDocs'
or ProperDocs', as :mod:`~generator.frontends.engine` chose before this module is imported;
the ``mkdocs.*`` names below then mean that engine), with each save rebuilding only the pages
it changed.

- The pages are kept as files in a folder (a
  :class:`~generator.frontends.regenerate.Regenerator` with a folder), each rewritten only
  when its Markdown changes, and handed to MkDocs as files there. So a *dirty* MkDocs
  build, which builds only the pages whose file is newer than their HTML, builds exactly the
  changed pages.
- After a save, the pages made from the edited files are rendered first and built. MkDocs
  builds the whole site instead when a file other than content and templates changed
  (``mkdocs.yml``, ``docs/``, the theme's overrides). When the layout changed (navigation,
  titles, tags: every page shows them), the edited pages are built first all the same, so the
  author sees the edit in about the time a text edit takes, and a clean build of every page
  follows at once. Otherwise the other pages are rendered in the background; if any of them
  changed, a dirty build follows. The site served then equals a clean build of the content.
- A dirty build does not read the pages it does not build, so what other pages show of them
  is kept from the last clean build: their titles, the tags page (Material's tags plugin lists
  only the pages it read, so the tags page is read for its links but its HTML kept) and their
  entries in the search index.
- A content or template error is printed as ``path:line:col: error: message`` and shown in a
  banner on every served page, over the last good build, until a save fixes it.
"""

from __future__ import annotations

import html
import json
import logging
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..build import Generated
from ..errors import ContentError, PlaybookError, one_line
from ..fsio import files_under
from ..pipeline.render import RenderedPage
from ..project import read_project
from .engine import load_config, run_build
from .plugin import PlaybookPlugin
from .regenerate import CompiledTemplates, Regenerator, Update

__all__ = ["LivePreview", "serve"]

log = logging.getLogger("mkdocs.plugins.playbook")

POLLING_INTERVAL = 0.25  # seconds between looks at the watched files (MkDocs' own: 0.5)
UP_TO_DATE = "Every page is up to date"
_LISTING = "<!-- material/tags"  # where Material's tags plugin lists tagged pages
_SEARCH_INDEX = ("search", "search_index.json")


class LivePreview:
    """The state of one preview between builds: the pages, what the last clean build knew,
    and the problems to show."""

    def __init__(self, config_file: Path, work: Path) -> None:
        self.config_file = config_file
        self.folder = work / "pages"
        self.site_dir = work / "site"
        self.trigger = work / "rebuild"
        for folder in (self.folder, self.site_dir, self.trigger):
            folder.mkdir(parents=True, exist_ok=True)
        self.regenerator = Regenerator(read_project(config_file), self.folder)
        self.problems: list[str] = []
        self.dirty = False
        self._clean_build_done = False
        self._clean_owed = False  # a dirty build showed a changed layout on the edited pages
        self._others: dict[str, tuple[int, int]] = {}
        self._titles: dict[str, str | None] = {}
        self._listings: set[str] = set()
        self._rebuilt: set[str] = set()
        self._search = _SearchIndex()
        self.compiled_theme = CompiledTemplates()
        self._finishing: tuple[threading.Thread, threading.Event] | None = None

    @property
    def generated(self) -> Generated:
        return self.regenerator.generated

    # -- one build ------------------------------------------------------------------------

    def build(self, config: MkDocsConfig, serve_url: str) -> None:
        """Bring the pages up to date and build the site; a content error is reported and
        shown instead, and the last good site stays."""
        self.stop_finishing()
        others = _stamps(_other_sources(config))
        try:
            update = self._update()
            clean = not self._clean_build_done or self._clean_owed or others != self._others
            # A changed layout is shown first on the edited pages, in a dirty build; the
            # clean build every page needs then follows at once.
            first = update.layout_changed and not clean
            if clean and update.pending:
                update = self.regenerator.finish()
        except PlaybookError as exc:
            self._report(exc)
            return
        self.dirty = not clean
        self._listings = set()
        self._clean_build_done = False  # until this build succeeds
        _playbook_plugin(config, self.config_file).give(self.generated)
        try:
            run_build(config, serve_url=serve_url, dirty=self.dirty)
        except Abort as exc:  # MkDocs has logged why
            self.problems = [f"error: {one_line(str(exc))}"]
            return
        self._clean_build_done, self._others = True, others
        self._clean_owed = first
        if first:
            self._ask_for_rebuild()
        elif update.pending:
            self._finish_in_background()
        else:
            log.info(UP_TO_DATE)

    def _update(self) -> Update:
        project = read_project(self.config_file)
        if project != self.regenerator.project:
            self.regenerator = Regenerator(project, self.folder)
        update = self.regenerator.update()
        self.problems = []
        return update

    def _report(self, exc: PlaybookError) -> None:
        problems = exc.problems if isinstance(exc, ContentError) else []
        for problem in problems:
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        if not problems:
            log.error(f"error: {one_line(str(exc))}")
        self.problems = [str(p) for p in problems] or [f"error: {one_line(str(exc))}"]

    def _finish_in_background(self) -> None:
        """Render the pages the last build did not, while the author reads; if any changed,
        ask for a rebuild (by touching the watched trigger file)."""
        stop = threading.Event()

        def finish() -> None:
            try:
                update = self.regenerator.finish(stop.is_set)
            except PlaybookError as exc:
                self._report(exc)
                self._ask_for_rebuild()
                return
            if update.changed:
                self._ask_for_rebuild()
            elif not update.pending:
                log.info(UP_TO_DATE)

        thread = threading.Thread(target=finish, name="playbook-finish", daemon=True)
        thread.start()
        self._finishing = (thread, stop)

    def stop_finishing(self) -> None:
        if self._finishing is not None:
            thread, stop = self._finishing
            stop.set()
            thread.join()
            self._finishing = None

    def _ask_for_rebuild(self) -> None:
        (self.trigger / "stamp").write_text(str(time.monotonic_ns()))

    # -- what the plugin asks during a build ----------------------------------------------

    def configure(self, config: MkDocsConfig) -> None:
        """A dirty build keeps the theme's own pages (404.html, sitemap.xml) of the last clean
        build: they show the navigation and the list of pages, which only a clean build
        changes, and the 404 page, with the whole navigation, costs as much as any page."""
        if self.dirty:
            config.theme.static_templates.clear()

    def page_files(self, files: Files, config: MkDocsConfig) -> None:
        """Each generated page's file swapped for the one in the pages folder."""
        for rendered in self.generated.pages:
            given = files.get_file_from_path(rendered.page.path)
            if given is None:
                continue
            file = self.page_file(config, rendered)
            file.edit_uri = given.edit_uri
            files.remove(given)
            files.append(file)

    def page_file(self, config: MkDocsConfig, rendered: RenderedPage) -> File:
        """The page as a file in the pages folder; a page listing tags, as text (so that a
        dirty build reads it: the tags plugin links each page's tags to a listing it read)."""
        path = rendered.page.path
        if self.dirty and _LISTING in rendered.markdown:
            self._listings.add(path)
            return File.generated(config, path, content=rendered.markdown)
        return File.generated(config, path, abs_src_path=str(self.folder / path))

    def before_pages(self, nav: Navigation) -> None:
        """In a dirty build, give the pages it will not read their titles from the last clean
        build, and note which pages it builds."""
        if not self.dirty:
            return
        self._rebuilt = set()
        for page in nav.pages:
            if page.file.is_modified():
                if page.file.src_uri not in self._listings:
                    self._rebuilt.add(page.url)
            elif page.title is None:
                page.title = self._titles.get(page.file.src_uri)

    def page_output(self, page: Page, output: str) -> str:
        if not self.dirty:
            self._titles[page.file.src_uri] = page.title
            return output
        if page.file.src_uri in self._listings:
            return ""  # MkDocs writes no empty page: the last clean build's listing stays
        return output

    def after_build(self, site_dir: Path) -> None:
        index = site_dir.joinpath(*_SEARCH_INDEX)
        if not index.is_file():
            return
        if self.dirty:
            self._search.merge(index, self._rebuilt)
        else:
            self._search.keep(index)


class _SearchIndex:
    """The search index of the last clean build, by page, in the order of the pages.

    After a dirty build the search plugin's index holds only the pages that build built;
    :meth:`merge` puts the rest back, so the index is the one a clean build writes."""

    def __init__(self) -> None:
        self._config = "{}"
        self._pages: dict[str, str] = {}  # page URL -> its entries as JSON, comma-separated

    def keep(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self._config = _dumps(data["config"])
        self._pages = {url: ",".join(_dumps(e) for e in docs) for url, docs in _by_page(data)}

    def merge(self, path: Path, rebuilt: set[str]) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh = {url: ",".join(_dumps(e) for e in docs) for url, docs in _by_page(data)}
        for url in rebuilt:
            self._pages[url] = fresh.get(url, "")
        docs = ",".join(entries for entries in self._pages.values() if entries)
        path.write_text(f'{{"config":{self._config},"docs":[{docs}]}}', encoding="utf-8")


def _by_page(index: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """The index's entries grouped by page (an entry's location is its page's URL, then
    '#' and the section's id)."""
    pages: dict[str, list[Any]] = {}
    for entry in index["docs"]:
        pages.setdefault(str(entry["location"]).partition("#")[0], []).append(entry)
    yield from pages.items()


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)  # as the search plugin writes


def _other_sources(config: MkDocsConfig) -> list[Path]:
    """What a build reads besides content and templates: its configuration, the hand-written
    pages and the theme's overrides."""
    found = [Path(config.docs_dir)]
    if config.config_file_path:
        found.append(Path(config.config_file_path))
    custom = config.theme.custom_dir
    if custom:
        found.append(Path(custom))
    return found + [Path(path) for path in config.watch]


def _stamps(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file at or under ``paths``."""
    found: dict[str, tuple[int, int]] = {}
    for top in paths:
        for path in files_under(top) if top.is_dir() else [top]:
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


# -- the server -------------------------------------------------------------------------------


def serve(config_file: Path, dev_addr: str) -> None:
    """Build the site, serve it on ``dev_addr`` and rebuild what each save changes, until
    interrupted. Content errors in the first build are raised; later ones are shown."""
    work = Path(tempfile.mkdtemp(prefix="playbook-serve-"))
    stopped_by = signal.signal(signal.SIGTERM, _interrupt)
    try:
        preview = LivePreview(config_file, work)
        preview.regenerator.generate()  # content errors stop here, before serving
        _serve(preview, dev_addr)
    finally:
        signal.signal(signal.SIGTERM, stopped_by)
        shutil.rmtree(work, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    """Stop on SIGTERM as on Ctrl+C, so that the temporary site is removed either way."""
    raise KeyboardInterrupt


def _serve(preview: LivePreview, dev_addr: str) -> None:
    config = _load(preview, dev_addr)
    config.plugins.on_startup(command="serve", dirty=False)
    _playbook_plugin(config, preview.config_file)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = config.site_url = f"http://{host}:{port}{mount_path}"

    def configured() -> MkDocsConfig:
        fresh = _load(preview, dev_addr)
        fresh.site_url = serve_url
        return fresh

    def builder(fresh: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        preview.build(fresh or configured(), serve_url)

    server = LiveReloadServer(
        builder=builder,
        host=host,
        port=port,
        root=str(preview.site_dir),
        mount_path=mount_path,
        polling_interval=POLLING_INTERVAL,
    )
    server.error_handler = _error_page(preview.site_dir)
    quiet = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        builder(config)
        for path in [*_other_sources(config), preview.trigger]:
            server.watch(str(path))
        config.plugins.on_serve(server, config=config, builder=builder)
        server.set_app(_with_banner(server.serve_request, lambda: preview.problems))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        except OSError as exc:  # the address is taken or not this machine's
            raise PlaybookError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
        finally:
            server.shutdown()
            preview.stop_finishing()
    finally:
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        config.plugins.on_shutdown()


class _DirtyWarning(logging.Filter):
    """MkDocs warns on each dirty build that navigation and links may be stale; the preview
    builds dirty only when they cannot be, so the warning would only mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _load(preview: LivePreview, dev_addr: str) -> MkDocsConfig:
    config = load_config(preview.config_file, site_dir=str(preview.site_dir), dev_addr=dev_addr)
    config.plugins[PreviewPlugin.NAME] = PreviewPlugin(preview)
    return config


def _playbook_plugin(config: MkDocsConfig, config_file: Path) -> PlaybookPlugin:
    plugin = config.plugins.get("playbook")
    if not isinstance(plugin, PlaybookPlugin):
        raise PlaybookError(f"{config_file.name}: the 'playbook' plugin is not listed")
    return plugin


class _NoOptions(base.Config):
    pass


class PreviewPlugin(BasePlugin[_NoOptions]):
    """The live preview's own MkDocs plugin, added beside ``playbook`` for each build of
    ``playbook serve``: it hands the preview's page files, titles and search index to MkDocs'
    dirty builds. The ``playbook`` plugin knows nothing of it."""

    NAME = "playbook-preview"

    def __init__(self, preview: LivePreview) -> None:
        self.preview = preview

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.preview.configure(config)
        return config

    @event_priority(-100)  # after the playbook plugin has added the pages
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.preview.page_files(files, config)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.preview.before_pages(nav)
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        env.bytecode_cache = self.preview.compiled_theme
        return env

    @event_priority(-100)  # after the playbook plugin has compacted the navigation
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return self.preview.page_output(page, output)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.preview.after_build(Path(config.site_dir))


def _error_page(site_dir: Path) -> Callable[[int], bytes | None]:
    def page(code: int) -> bytes | None:
        found = site_dir / f"{code}.html"
        return found.read_bytes() if code in (404, 500) and found.is_file() else None

    return page


# -- the error banner -------------------------------------------------------------------------

_BANNER_STYLE = (
    "position:fixed;left:0;right:0;bottom:0;z-index:10000;max-height:45vh;overflow:auto;"
    "margin:0;padding:.8rem 1.2rem;background:#b00020;color:#fff;"
    "font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 -2px 8px #0006"
)


def banner(problems: list[str]) -> bytes:
    """The banner a page shows while the content has errors (their text escaped)."""
    lines = "\n".join(html.escape(problem, quote=False) for problem in problems)
    heading = "The playbook has errors; this is the last good build. Fix and save to update."
    return (
        f'<div class="pb-preview-errors" role="alert" style="{_BANNER_STYLE}">'
        f"<strong>{heading}</strong>\n{lines}</div>"
    ).encode()


def _with_banner(app: Any, problems: Callable[[], list[str]]) -> Any:
    """A WSGI wrapper around MkDocs' server that puts the error banner into HTML pages."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        shown = problems()
        if not shown:
            return app(environ, start_response)  # type: ignore[no-any-return]
        answer: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers]
            return lambda data: None

        result = app(environ, remember)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        status, headers = answer
        if any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
            body = _insert_after_body_tag(body, banner(shown))
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    return wrapped


def _insert_after_body_tag(page: bytes, insert: bytes) -> bytes:
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + insert + page[end:]
