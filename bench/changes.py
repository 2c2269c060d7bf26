"""What the What changed page costs a build: ``playbook build`` timed with the page turned off
(``what_changed: false``), on with no cache (the history read and compared, as on CI's first
build of a new commit) and on with the cache of an earlier build at the same HEAD.

Two projects: a full clone of this repository (the bundled playbook and its real history), and
100 synthetic roles (``bench/synthetic.py``) in a new repository with a history of its own: a
first commit, then ``--commits`` commits that each reword a responsibility of three roles and
a done-item of one handoff. Each figure is the best of ``--runs`` builds, in seconds of time
and of CPU (the build's processes and git's: what a busy machine does not inflate)::

    .venv/bin/python bench/changes.py
    .venv/bin/python bench/changes.py --roles 100 --commits 200 --runs 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from run import REPO, copy_project
from synthetic import SEED, write_content

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "NO_MKDOCS_2_WARNING": "1",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)


def synthetic_project(work: Path, roles: int, commits: int) -> Path:
    """A repository of ``roles`` synthetic roles and ``commits`` commits that change them."""
    project = copy_project(work / f"roles-{roles}")
    write_content(roles, project / "content", SEED)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Synthetic playbook")
    role_files = sorted((project / "content" / "roles").glob("*.yml"))
    handoff_files = sorted((project / "content" / "handoffs").glob("*.yml"))
    for number in range(commits):
        for offset in range(3):
            path = role_files[(number * 3 + offset) % len(role_files)]
            _reword(path, "responsibilities", number)
        _reword(handoff_files[number % len(handoff_files)], "done", number)
        git(project, "commit", "-q", "-am", f"Change {number}")
    return project


def _reword(path: Path, field: str, number: int) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data[field]
    index = number % len(items)
    if isinstance(items[index], dict):
        items[index]["text"] = f"{items[index]['text'].rstrip('.')}, as revised ({number})."
    else:
        items[index] = f"{items[index].rstrip('.')}, as revised ({number})."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def bundled_project(work: Path) -> Path:
    project = work / "bundled"
    subprocess.run(
        ["git", "clone", "-q", "--no-local", str(REPO), str(project)], check=True, env=GIT_ENV
    )
    return project


def build_seconds(project: Path, runs: int, before: str) -> tuple[float, float]:
    """The best of ``runs`` builds, in seconds of time and of CPU; ``before`` says what each
    run starts from."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        if before == "cold":
            shutil.rmtree(project / ".cache", ignore_errors=True)
        used = _children_cpu()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "generator", "build", "-d", str(project / "site")],
            cwd=project,
            env=GIT_ENV,
            check=True,
            capture_output=True,
        )
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, _children_cpu() - used)
    return best, best_cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(project: Path, runs: int) -> dict[str, tuple[float, float]]:
    settings = project / "content" / "playbook.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + "\nwhat_changed: false\n", encoding="utf-8")
    off = build_seconds(project, runs, "off")
    settings.write_text(text, encoding="utf-8")
    cold = build_seconds(project, runs, "cold")
    build_seconds(project, 1, "warm")  # fills the cache
    warm = build_seconds(project, runs, "warm")
    return {"off": off, "cold": cold, "warm": warm}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roles", type=int, default=100)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        projects = {
            "bundled playbook": bundled_project(work),
            f"{options.roles} roles, {options.commits} commits": synthetic_project(
                work, options.roles, options.commits
            ),
        }
        print("| project | page off | on, no cache | on, cached |")
        print("|---|---|---|---|")
        for name, project in projects.items():
            seconds = measure(project, options.runs)
            cells = [_cell(seconds[key], seconds["off"]) for key in ("off", "cold", "warm")]
            print(f"| {name} | {' | '.join(cells)} |", flush=True)
    return 0


def _cell(seconds: tuple[float, float], off: tuple[float, float]) -> str:
    wall, cpu = seconds
    if seconds == off:
        return f"{wall:.2f} s ({cpu:.2f} s CPU)"
    return f"{wall:.2f} s ({cpu:.2f} s CPU), {wall / off[0] - 1:+.0%} ({cpu / off[1] - 1:+.0%} CPU)"


if __name__ == "__main__":
    sys.exit(main())
