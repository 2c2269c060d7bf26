"""Edit-to-page latency of the live preview, for ``bench/run.py``.

``playbook serve`` runs on the synthetic playbook on a free port of 127.0.0.1. For each edit
the content file is saved and the edited page is fetched again and again until it shows the
edit: the time from the save to that answer is the latency. Before the next edit the preview
is left to settle (it logs that every page is up to date). Three edits:

- **role text**: a role's first responsibility (its page changes);
- **role title**: a role's title (every page's navigation changes);
- **handoff checklist**: the first definition-of-done item of a handoff (its page changes).

Run on its own against a project that has ``mkdocs.yml`` and ``content/``::

    .venv/bin/python bench/preview.py PROJECT_DIR
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EDITS", "Edit", "measure_edits"]

UP_TO_DATE = "Every page is up to date"  # what the preview logs once it has settled
START_TIMEOUT = 1800.0  # seconds; the first build of 1,000 roles takes minutes
EDIT_TIMEOUT = 900.0
POLL = 0.02


@dataclass(frozen=True)
class Edit:
    """A change to one content file, and the page that must show it."""

    name: str
    folder: str  # under content/: the first file in it (by name) is edited
    change: Callable[[str, int], tuple[str, str]]  # (text, run) -> (new text, what shows it)
    section: str  # the page's folder in the site


def _role_text(text: str, run: int) -> tuple[str, str]:
    marker = f"Revised in run {run}."
    return text.replace("responsibilities:\n- ", f"responsibilities:\n- {marker} ", 1), marker


def _role_title(text: str, run: int) -> tuple[str, str]:
    title = re.search(r"^title: (.*)$", text, flags=re.MULTILINE)
    assert title is not None
    new = f"{title.group(1).split(' Mk ')[0]} Mk {run}"
    return text[: title.start(1)] + new + text[title.end(1) :], f"<title>{new} - "


def _checklist(text: str, run: int) -> tuple[str, str]:
    marker = f"Checked in run {run}."
    start = text.index("\ndone:")
    at = text.index("  text: ", start) + len("  text: ")
    return text[:at] + marker + " " + text[at:], marker


EDITS = (
    Edit("role text", "roles", _role_text, "roles"),
    Edit("role title", "roles", _role_title, "roles"),
    Edit("handoff checklist", "handoffs", _checklist, "handoffs"),
)


def measure_edits(project: Path, repeats: int, long_run: float) -> dict[str, list[float]]:
    """Seconds from save to served page, per edit: up to ``repeats`` runs each, or one when
    the first takes longer than ``long_run`` seconds."""
    results: dict[str, list[float]] = {}
    with previewing(project) as preview:
        run = 0
        for edit in EDITS:
            results[edit.name] = []
            for attempt in range(repeats):
                run += 1
                seconds = preview.time_edit(edit, run)
                results[edit.name].append(seconds)
                print(f"    preview, {edit.name}: run {attempt + 1}: {seconds:.2f} s", flush=True)
                if attempt == 0 and seconds > long_run:
                    break
    return results


@dataclass
class _Preview:
    project: Path
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def time_edit(self, edit: Edit, run: int) -> float:
        path = sorted((self.project / "content" / edit.folder).glob("*.yml"))[0]
        page = f"{self.url}{edit.section}/{path.stem}/"
        text, marker = edit.change(path.read_text(encoding="utf-8"), run)
        settled = self.settled_count()
        start = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        while marker not in self.fetch(page):
            self.check_alive(start, EDIT_TIMEOUT, f"{page} to show the edit")
            time.sleep(POLL)
        seconds = time.perf_counter() - start
        while self.settled_count() <= settled:
            self.check_alive(start, EDIT_TIMEOUT, "the preview to settle")
            time.sleep(0.2)
        return seconds

    def fetch(self, url: str) -> str:
        try:
            with urllib.request.urlopen(url, timeout=EDIT_TIMEOUT) as answer:
                body: bytes = answer.read()
        except (urllib.error.URLError, ConnectionError):
            return ""
        return body.decode("utf-8", errors="replace")

    def settled_count(self) -> int:
        return self.log.read_text(encoding="utf-8", errors="replace").count(UP_TO_DATE)

    def check_alive(self, start: float, timeout: float, what: str) -> None:
        if self.process.poll() is not None or time.perf_counter() - start > timeout:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"gave up waiting for {what}:\n{tail}")


@contextmanager
def previewing(project: Path) -> Iterator[_Preview]:
    """``playbook serve`` in ``project``, stopped (by its pid) at the end."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = project / "preview.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    preview = _Preview(project, f"http://127.0.0.1:{port}/", log, process)
    try:
        start = time.perf_counter()
        while not preview.fetch(preview.url):
            preview.check_alive(start, START_TIMEOUT, "the preview to start")
            time.sleep(0.2)
        yield preview
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a folder with mkdocs.yml and content/")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for name, runs in measure_edits(args.project.resolve(), args.repeats, 300.0).items():
        print(f"{name}: best {min(runs):.2f} s of {len(runs)}")


if __name__ == "__main__":
    main()
