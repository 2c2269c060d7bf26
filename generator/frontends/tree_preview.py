"""``playbook serve --engine zensical``: the generated tree, served by Zensical's own server.

The tree and its plugin-free configuration are written to a folder (as ``playbook generate
--out DIR --config FILE`` writes them), ``zensical serve`` serves them, and each save under
content, overlays, templates, ``docs/`` or ``mkdocs.yml`` writes the tree again. Only pages
whose bytes changed are rewritten, and Zensical, which watches the tree, rebuilds and reloads
them. A content error is printed and the last good tree stays.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ContentError, PlaybookError, one_line
from ..outputs.standalone import write_tree
from ..project import load_mkdocs_yml, read_project

__all__ = ["serve_tree", "zensical_command"]

POLLING_INTERVAL = 0.5  # seconds between looks at the sources
INSTALL = "pip install zensical"


def zensical_command() -> str:
    """The ``zensical`` program beside this Python, else on the PATH."""
    found = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which(
        "zensical"
    )
    if found is None:
        raise PlaybookError(f"Zensical is not installed: {INSTALL}")
    return found


def serve_tree(
    config_file: Path, dev_addr: str, say: Callable[[str], None], work: Path | None = None
) -> None:
    """Serve the tree on ``dev_addr`` until interrupted (or until Zensical stops)."""
    program = zensical_command()
    folder = work or Path(tempfile.mkdtemp(prefix="playbook-zensical-"))
    config = folder / "mkdocs.yml"
    stopped_by = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _write(config_file, folder, say)  # content errors stop here, before serving
        server = subprocess.Popen([program, "serve", "-f", str(config), "-a", dev_addr])
        try:
            _watch(config_file, folder, server, say)
        except KeyboardInterrupt:
            say("Shutting down...")
        finally:
            server.terminate()
            server.wait()
    finally:
        signal.signal(signal.SIGTERM, stopped_by)
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    """Stop on SIGTERM as on Ctrl+C, so that Zensical stops and the folder goes either way."""
    raise KeyboardInterrupt


def _write(config_file: Path, folder: Path, say: Callable[[str], None]) -> None:
    report, warnings = write_tree(config_file, folder / "docs", folder / "mkdocs.yml")
    for problem in warnings:
        say(str(problem))
    if report.written or report.removed:
        say(f"{len(report.written)} page(s) written, {len(report.removed)} removed")


def _watch(
    config_file: Path, folder: Path, server: subprocess.Popen[bytes], say: Callable[[str], None]
) -> None:
    seen = _stamps(_sources(config_file))
    while server.poll() is None:
        time.sleep(POLLING_INTERVAL)
        now = _stamps(_sources(config_file))
        if now == seen:
            continue
        seen = now
        try:
            _write(config_file, folder, say)
        except ContentError as exc:
            for problem in exc.problems:
                say(str(problem))
        except PlaybookError as exc:
            say(f"error: {one_line(str(exc))}")
    if server.returncode:
        raise PlaybookError(f"zensical serve stopped (exit code {server.returncode})")


def _sources(config_file: Path) -> list[Path]:
    """What the tree is made from: content, overlays, templates, hand-written pages, the
    configuration and the theme's overrides."""
    found = [config_file]
    try:
        found += read_project(config_file).watched
        settings = load_mkdocs_yml(config_file)
    except PlaybookError:
        return found  # a broken mkdocs.yml: its next save is seen
    root = config_file.resolve().parent
    found.append(root / str(settings.get("docs_dir", "docs")))
    theme = settings.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        found.append(root / str(theme["custom_dir"]))
    return found


def _stamps(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for top in paths:
        for path in [top, *top.rglob("*")] if top.is_dir() else [top]:
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found
