"""Shared helpers: content trees built from dicts in tmp_path, and the bundled project."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
from playwright.sync_api import Browser, Page, sync_playwright

from generator.frontends.engine import ENGINE_VARIABLE, use_engine
from generator.pipeline.review import TODAY_VARIABLE
from generator.project import Project, project_from_options

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "small"

WriteTree = Callable[..., Project]

# Reviews are judged as of one fixed day, in this process and the builds it starts, so that no
# test depends on the clock.
TODAY = "2026-12-05"
os.environ[TODAY_VARIABLE] = TODAY

# The suite runs on one engine, MkDocs unless PLAYBOOK_ENGINE names another (CI runs the site and
# browser tests on ProperDocs too); it is chosen before any test imports the plugin.
ENGINE = use_engine(os.environ.setdefault(ENGINE_VARIABLE, "mkdocs")).name


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the fixtures"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Test files with browser tests first, each file's tests kept together and in order: they
    take longest, so in parallel runs (`make test`) none of them starts last and keeps one
    worker busy after the others are done."""
    browser_files = {item.path for item in items if item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in browser_files)


@pytest.fixture
def small_tree(tmp_path: Path) -> Path:
    """A copy of the small fixture project that a test may change."""
    target = tmp_path / "small"
    shutil.copytree(SMALL, target)
    return target


@pytest.fixture
def write_tree(small_tree: Path) -> WriteTree:
    """Change files of the small fixture (None removes one) and return its project."""

    def write(files: dict[str, str | bytes | None] | None = None, **options: object) -> Project:
        for relative, text in (files or {}).items():
            path = small_tree / "content" / relative
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return project_from_options(small_tree, dict(options))

    return write


def chromium_or_skip() -> str:
    """Chromium's path; browser tests skip without it, except in CI, where they must run."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI (apt-get install chromium)")
    pytest.skip("Chromium is not installed")


def build_site(config_file: Path, site: Path) -> Path:
    """Run a real ``mkdocs build`` (or ``properdocs build``: the suite's engine, as a user would)
    and return the site folder."""
    subprocess.run(
        [sys.executable, "-m", ENGINE, "build", "-q", "-f", str(config_file), "-d", str(site)],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` (or the suite's other engine) with nothing of the environment
    but the system's PATH."""
    return subprocess.run(
        [sys.executable, "-m", ENGINE, "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


@dataclass(frozen=True)
class Built:
    """A site built by :func:`mkdocs_build`, with how the build ended."""

    site: Path
    returncode: int
    stderr: str


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every pytest-xdist worker of the run shares (without
    workers, this process's own temporary folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled playbook built strictly, once per test run: the first worker to need it
    builds it, the others wait for it and read how the build ended."""
    folder = shared_folder(tmp_path_factory) / "bundled"
    outcome = folder / "outcome.json"
    with FileLock(f"{folder}.lock"):
        if not outcome.is_file():
            folder.mkdir(exist_ok=True)
            result = mkdocs_build(ROOT / "mkdocs.yml", folder / "site")
            outcome.write_text(json.dumps([result.returncode, result.stderr]))
    returncode, stderr = json.loads(outcome.read_text())
    return Built(folder / "site", returncode, stderr)


@pytest.fixture(scope="session")
def site_url(bundled_build: Built) -> Iterator[str]:
    """The bundled playbook, built once per test run and served on localhost."""
    assert bundled_build.returncode == 0, bundled_build.stderr
    with serve(bundled_build.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (empty storage) with every request it makes recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    opened.requested = requested  # type: ignore[attr-defined]
    yield opened
    context.close()
