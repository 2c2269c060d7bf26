"""The benchmark: how the generator and the whole site build scale with the number of roles.

For each size (10, 100 and 1,000 roles by default) it writes synthetic content with
``bench/synthetic.py`` into a temporary copy of the project (``mkdocs.yml``,
``site_overrides/``, ``docs/``) and measures, each in a fresh process so that peak memory is
per run:

- the generator in process, ``generate`` + ``emit`` (``bench/timing.py``), and end to end as
  ``playbook generate --out DIR``;
- the full ``mkdocs build`` with the ``playbook`` plugin: the real site;
- a plain build, in turn with the full build: ``playbook generate --out DIR --config FILE``
  writes the same pages and a plugin-free mkdocs.yml with the planned navigation spelled out,
  and plain ``mkdocs build -f FILE`` builds them, so the difference is what the plugin costs;
- a baseline without navigation: the Markdown tree that ``playbook generate`` wrote, built with
  the same theme and extensions but without the plugin and with a navigation of the home page
  alone, so every page is built and no page carries the site's navigation;
- the live preview: with ``playbook serve`` running, the time from saving an edit to the edited
  page being served, for a role's text, a role's title and a handoff's checklist
  (``bench/preview.py``).

The bundled playbook (the repository's ``content/`` as shipped) is measured too, by the full
build and the plain build alone, and by ``playbook pdf``, the whole playbook as one PDF (when
Chromium is installed).

Each timing is the best of three runs, or a single run when the first takes over five minutes.
The results, the targets with PASS or FAIL, and the machine (with how much other work kept
its CPUs busy: the figures of a busy machine are marked) are written to
``docs/benchmarks.md`` (a page of the site, under "About")::

    .venv/bin/python bench/run.py                     # 10, 100 and 1,000 roles
    .venv/bin/python bench/run.py --sizes 10,100 --out /tmp/bench.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import yaml
from preview import EDITS, measure_edits
from synthetic import SEED, Counts, write_content

from generator.build import check
from generator.pipeline.parallel import JOBS_VARIABLE
from generator.project import read_project

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
COPIED = ("mkdocs.yml", "site_overrides", "docs")
DEFAULT_SIZES = (10, 100, 1000)
REPEATS = 3
LONG_RUN = 300.0  # seconds; a first run longer than this is not repeated
MIB = 1024 * 1024
TIMES = "\u00d7"  # the multiplication sign

# Targets, checked at the largest size measured (1,000 roles in a full run), but for the
# plugin's cost, checked at the bundled size and at PLUGIN_TARGET_ROLES.
TARGET_ROLES = 1000
MAX_GENERATOR_SHARE = 0.10
MAX_GROWTH = 11.0  # generator time at 1,000 roles over that at 100
MAX_NAV_TIME = 1.6  # full build over the build without navigation
MAX_NAV_SIZE = 2.0
MAX_PLUGIN_TIME = 1.2  # full build over the plain build of the same pages and navigation
MAX_PDF_SECONDS = 60.0  # the bundled playbook as one PDF
PLUGIN_TARGET_ROLES = 100
MAX_TEXT_EDIT = {100: 1.0, 1000: 2.0}  # seconds from save to served page, by roles
MIN_PARALLEL_SAVING = 0.10  # of the generator's time at 1,000 roles, or the render pool goes
# Speed-ups removed, or not added, under the rule that one stays only if it saves at least a
# tenth of the generator's time at 1,000 roles: measured once, when each was decided, and not
# rerun here.
# The one kept, the parallel render, is measured on every run (see targets()).
WEIGHED = (
    ("Caches of the escaped text", "8.73", "0.19", "2%", "removed"),
    ("A hand-written YAML data builder", "10.8–13.0", "0.8", "about 7%", "removed"),
    ("Reading files in several processes", "4.5", "0.31", "7%", "removed"),
    (
        "Keeping each text's parse for the next page that shows it",
        "8.95",
        "0.86",
        "9.6%",
        "not added",
    ),
)
BUSY = 0.5  # CPUs of other work (on average) from which the page says figures were slowed

_SIDEBAR = b'<div class="md-sidebar md-sidebar--primary"'
_SIDEBAR_END = b'<div class="md-sidebar md-sidebar--secondary"'
_NAV_LINK = b'class="md-nav__link'
# Material prints a notice about its successor on every build; it is not part of the work.
_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class BenchError(Exception):
    """A measured command failed; the message holds the end of its output."""


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_kib: int
    output: str


@dataclass(frozen=True)
class Timing:
    """The best of one or more runs of one command."""

    samples: tuple[Sample, ...]

    @property
    def seconds(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.max_rss_kib for s in self.samples) / 1024

    @property
    def runs(self) -> int:
        return len(self.samples)

    @property
    def best(self) -> Sample:
        return min(self.samples, key=lambda s: s.seconds)


@dataclass(frozen=True)
class SiteStats:
    pages: int
    bytes: int
    html_bytes: int
    nav_bytes: int = 0
    max_nav_links: int = 0


@dataclass(frozen=True)
class Builds:
    """The full build and the plain build of the same pages and navigation, run in turn."""

    full: Timing
    plain: Timing
    full_site: SiteStats
    plain_site: SiteStats

    @property
    def plugin_ratio(self) -> float:
        return self.full.seconds / self.plain.seconds

    @property
    def warnings(self) -> tuple[int, int]:
        return count_warnings(self.full.best.output), count_warnings(self.plain.best.output)


@dataclass(frozen=True)
class Bundled:
    """The bundled playbook, measured by its full and plain builds alone."""

    roles: int
    builds: Builds
    other_work: float | None = None
    pdf: Timing | None = None  # `playbook pdf`; None without Chromium


@dataclass
class Result:
    roles: int
    counts: Counts
    generator: Timing
    one_process: Timing  # the generator with PLAYBOOK_JOBS=1: what the render pool saves
    stages: dict[str, float]
    cli: Timing
    builds: Builds
    nonav: Timing
    nonav_site: SiteStats
    preview: dict[str, Timing] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    other_work: float | None = None  # CPUs kept busy by other processes, on average

    @property
    def full(self) -> Timing:
        return self.builds.full

    @property
    def full_site(self) -> SiteStats:
        return self.builds.full_site

    @property
    def share(self) -> float:
        return self.generator.seconds / self.full.seconds

    @property
    def parallel_saving(self) -> float:
        """The share of the one-process generator time that rendering in parallel saves."""
        return 1 - self.generator.seconds / self.one_process.seconds

    @property
    def time_ratio(self) -> float:
        return self.full.seconds / self.nonav.seconds

    @property
    def size_ratio(self) -> float:
        return self.full_site.bytes / self.nonav_site.bytes


# -- running and measuring --------------------------------------------------------------------


def run_measured(
    command: Sequence[str], cwd: Path, log: Path, env: dict[str, str] | None = None
) -> Sample:
    """Run ``command``; return its wall time and peak resident memory (its own, via wait4)."""
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env={**_ENV, **(env or {})}
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise BenchError(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    return Sample(seconds, usage.ru_maxrss, output)  # ru_maxrss is in KiB on Linux


Command = tuple[str, Sequence[str], Callable[[], None]]  # label, command, what to do before


def best_of(
    label: str,
    command: Sequence[str],
    cwd: Path,
    prepare: Callable[[], None],
    env: dict[str, str] | None = None,
) -> Timing:
    """Up to ``REPEATS`` runs; a first run longer than ``LONG_RUN`` seconds is the only one."""
    return in_turn([(label, command, prepare)], cwd, env)[0]


def in_turn(
    commands: Sequence[Command], cwd: Path, env: dict[str, str] | None = None
) -> list[Timing]:
    """Up to ``REPEATS`` rounds of the commands one after another, so that other work on the
    machine slows each alike; a command whose first run took over ``LONG_RUN`` seconds is run
    once."""
    samples: list[list[Sample]] = [[] for _ in commands]
    for attempt in range(REPEATS):
        for (label, command, prepare), done in zip(commands, samples, strict=True):
            if done and done[0].seconds > LONG_RUN:
                continue
            prepare()
            sample = run_measured(command, cwd, cwd / f"{label}.log", env)
            done.append(sample)
            print(f"    {label}: run {attempt + 1}: {sample.seconds:.2f} s", flush=True)
    return [Timing(tuple(done)) for done in samples]


def set_aside(path: Path) -> Callable[[], None]:
    """Before a run: move the last run's output out of the way, to be deleted with the whole
    work folder at the end, and flush what earlier runs wrote. Deleting hundreds of megabytes
    just before a run, or the kernel writing back earlier runs' files during it, slows that
    run's own writes several times over on some machines, which would be measured as the
    command's time."""

    def prepare() -> None:
        if path.exists():
            aside = path.parent / "set-aside"
            aside.mkdir(exist_ok=True)
            path.rename(aside / f"{path.name}-{time.monotonic_ns()}")
        if hasattr(os, "sync"):
            os.sync()

    return prepare


class OtherWork:
    """How much of the machine other processes used while one size was measured: the CPU
    time all processes spent (``/proc/stat``) minus the benchmark's own and its children's,
    over the wall time. On a shared machine this says which figures were slowed, and by how
    much, where the load average mixes in the benchmark's own work."""

    _BUSY = (0, 1, 2, 5, 6, 7)  # user, nice, system, irq, softirq, steal

    def __init__(self) -> None:
        self._start = self._sample()

    def cpus(self) -> float | None:
        """Other work since the start, in CPUs (0 to ``nproc``); None where unknown."""
        end = self._sample()
        if self._start is None or end is None:
            return None
        wall, busy, own = (b - a for a, b in zip(self._start, end, strict=True))
        return max(0.0, (busy - own) / wall) if wall > 0 else None

    def _sample(self) -> tuple[float, float, float] | None:
        try:
            fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        except OSError:
            return None
        busy = sum(int(fields[i]) for i in self._BUSY) / os.sysconf("SC_CLK_TCK")
        own = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            usage = resource.getrusage(who)
            own += usage.ru_utime + usage.ru_stime
        return time.monotonic(), busy, own


def count_warnings(output: str) -> int:
    return len(re.findall(r"^WARNING\b", output, flags=re.MULTILINE))


def site_stats(site: Path, with_nav: bool = False) -> SiteStats:
    """Pages (``index.html`` files), bytes on disk, and how much of the HTML is navigation."""
    pages = total = html = nav = max_links = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix != ".html":
            continue
        html += size
        if path.name != "index.html":
            continue
        pages += 1
        if with_nav:
            text = path.read_bytes()
            start = text.find(_SIDEBAR)
            end = text.find(_SIDEBAR_END, start)
            if start >= 0 and end > start:
                nav += end - start
                max_links = max(max_links, text.count(_NAV_LINK, start, end))
    return SiteStats(pages, total, html, nav, max_links)


# -- one size ---------------------------------------------------------------------------------


def _report(sample: Sample) -> dict[str, Any]:
    """The JSON object that bench/timing.py prints last."""
    report: dict[str, Any] = json.loads(sample.output.strip().splitlines()[-1])
    return report


def _in_process(timing: Timing) -> Timing:
    """The generator's own times, as timing.py measured them (without Python's start-up)."""
    return Timing(tuple(replace(s, seconds=_report(s)["seconds"]) for s in timing.samples))


def nonav_config(project: Path, docs_dir: str) -> Path:
    """A copy of the project's mkdocs.yml without the playbook plugin and without navigation."""
    config: dict[str, Any] = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    config["plugins"] = [
        p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) != "playbook"
    ]
    config["docs_dir"] = docs_dir
    config["nav"] = [{"Home": "index.md"}]
    config["not_in_nav"] = "*.md\n"  # every other page is built, but left out of the nav
    path = project / "mkdocs-nonav.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def copy_project(work: Path, names: Sequence[str] = COPIED) -> Path:
    """A temporary copy of the project's ``names`` in ``work``."""
    project = work / "project"
    project.mkdir(parents=True)
    for name in names:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    return project


def measure_builds(project: Path) -> Builds:
    """The full build and, in turn with it, the plain build: the pages and the plugin-free
    mkdocs.yml that ``playbook generate --config`` writes, built by ``mkdocs build`` alone."""
    python = sys.executable
    full_site, plain_docs, plain_site = project / "site", project / "plain-docs", project / "plain"
    config = "mkdocs-plain.yml"
    run_measured(
        [python, "-m", "generator", "generate", "--out", plain_docs.name, "--config", config],
        project,
        project / "playbook-generate-plain.log",
    )
    full, plain = in_turn(
        [
            (
                "mkdocs-build",
                [python, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", str(full_site)],
                set_aside(full_site),
            ),
            (
                "mkdocs-build-plain",
                [python, "-m", "mkdocs", "build", "-f", config, "-d", str(plain_site)],
                set_aside(plain_site),
            ),
        ],
        project,
    )
    builds = Builds(full, plain, site_stats(full_site, with_nav=True), site_stats(plain_site))
    if builds.full_site.pages != builds.plain_site.pages:
        print(
            f"  note: {builds.full_site.pages} pages with the plugin, "
            f"{builds.plain_site.pages} in the plain build",
            flush=True,
        )
    return builds


def measure_bundled(work: Path) -> Bundled:
    """The full and the plain build of the bundled playbook."""
    project = copy_project(work, (*COPIED, "content"))
    other_work = OtherWork()
    playbook, _ = check(read_project(project / "mkdocs.yml"))
    print(f"  the bundled playbook ({len(playbook.roles)} roles)", flush=True)
    builds = measure_builds(project)
    pdf = None
    if shutil.which("chromium"):
        command = [sys.executable, "-m", "generator", "pdf", "-o", "playbook.pdf"]
        pdf = best_of("playbook-pdf", command, project, set_aside(project / "playbook.pdf"))
    return Bundled(len(playbook.roles), builds, other_work.cpus(), pdf)


def measure_size(roles: int, work: Path) -> Result:
    python = sys.executable
    project = copy_project(work)
    print(f"  {roles} roles: writing synthetic content", flush=True)
    other_work = OtherWork()
    counts = write_content(roles, project / "content", SEED)

    generated, inproc = project / "generated", project / "generated-inproc"
    nonav_docs, nonav_site = project / "nonav-docs", project / "nonav"

    timing = [python, str(BENCH / "timing.py"), "mkdocs.yml", str(inproc)]
    generator = _in_process(best_of("generator", timing, project, set_aside(inproc)))
    one_process = _in_process(
        best_of("generator-one-process", timing, project, set_aside(inproc), {JOBS_VARIABLE: "1"})
    )
    report = _report(generator.best)
    if report["warnings"]:
        raise BenchError(f"the synthetic content has {report['warnings']} warning(s)")
    cli = best_of(
        "playbook-generate",
        [python, "-m", "generator", "generate", "--out", str(generated)],
        project,
        set_aside(generated),
    )
    builds = measure_builds(project)

    shutil.rmtree(nonav_docs, ignore_errors=True)
    shutil.copytree(generated, nonav_docs, ignore=shutil.ignore_patterns("nav.yml", ".*"))
    shutil.copytree(project / "docs", nonav_docs, dirs_exist_ok=True)
    config = nonav_config(project, nonav_docs.name)
    nonav = best_of(
        "mkdocs-build-nonav",
        [python, "-m", "mkdocs", "build", "-f", config.name, "-d", str(nonav_site)],
        project,
        set_aside(nonav_site),
    )
    print(f"  {roles} roles: the live preview", flush=True)
    edits = measure_edits(project, REPEATS, LONG_RUN)
    result = Result(
        roles=roles,
        counts=counts,
        generator=generator,
        one_process=one_process,
        stages=report["stages"],
        cli=cli,
        builds=builds,
        nonav=nonav,
        nonav_site=site_stats(nonav_site),
        preview={
            name: Timing(tuple(Sample(seconds, 0, "") for seconds in runs))
            for name, runs in edits.items()
        },
        warnings={
            "full": builds.warnings[0],
            "plain": builds.warnings[1],
            "nonav": count_warnings(nonav.best.output),
        },
        other_work=other_work.cpus(),
    )
    if result.full_site.pages != result.nonav_site.pages:
        print(
            f"  note: {result.full_site.pages} pages with navigation, "
            f"{result.nonav_site.pages} without",
            flush=True,
        )
    return result


# -- the report -------------------------------------------------------------------------------


def seconds(timing: Timing) -> str:
    mark = "" if timing.runs > 1 else " ¹"
    return f"{timing.seconds:.2f}{mark}"


def mib(n: int | float) -> str:
    return f"{n / MIB:,.1f}"


def machine(
    results: Sequence[Result], bundled: Bundled | None, load_at_start: str
) -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return [
        ("CPUs (`nproc`)", str(cpus)),
        ("CPU", cpu),
        ("Memory", memory),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("MkDocs", version("mkdocs")),
        ("Material for MkDocs", version("mkdocs-material")),
        ("Generator", _generator_version()),
        ("Load average when the run started (1, 5, 15 min)", load_at_start),
        ("Load average when the run ended", _load_average()),
        (
            "Other work while measuring (CPUs busy besides the benchmark, on average)",
            "; ".join(f"{size}: {_cpus(cpus)}" for size, cpus in other_work(results, bundled)),
        ),
    ]


def _cpus(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f}"


def other_work(
    results: Sequence[Result], bundled: Bundled | None
) -> list[tuple[str, float | None]]:
    """Each size measured, with the CPUs other work kept busy while it was."""
    sizes = [(f"{r.roles:,} roles", r.other_work) for r in results]
    if bundled:
        sizes.insert(0, ("the bundled playbook", bundled.other_work))
    return sizes


def busy_note(sizes: Sequence[tuple[str, float | None]]) -> list[str]:
    """A warning under the results when other work on the machine slowed some sizes."""
    slowed = [(size, cpus) for size, cpus in sizes if cpus is not None and cpus >= BUSY]
    if not slowed:
        return []
    sizes_text = "; ".join(f"{size}, {cpus:.1f} of them" for size, cpus in slowed)
    return [
        "",
        "**Measured on a busy machine.** Other processes kept CPUs busy, on average, while "
        f"these sizes were measured: {sizes_text} (see *Machine* below). Their times are longer "
        "than on an idle machine of the same kind.",
    ]


def _load_average() -> str:
    """Other work on the machine slows every figure; this says how much there was."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{load:.1f}" for load in os.getloadavg())


def _generator_version() -> str:
    try:
        from generator import __version__
    except ImportError:
        return "unknown"
    return str(__version__)


def table(header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def targets(results: Sequence[Result], bundled: Bundled | None) -> list[list[str]]:
    by_roles = {r.roles: r for r in results}
    top = by_roles.get(TARGET_ROLES)
    prev = by_roles.get(TARGET_ROLES // 10)

    def row(target: str, limit: str, value: float | None, ok: bool, unit: str) -> list[str]:
        if value is None:
            return [target, limit, "not measured", "—"]
        return [target, limit, f"{value:.2f}{unit}" if unit else f"{value:.1%}", _verdict(ok)]

    rows = [
        row(
            "Generator time / full build time, 1,000 roles",
            f"≤ {MAX_GENERATOR_SHARE:.0%}",
            top.share if top else None,
            bool(top and top.share <= MAX_GENERATOR_SHARE),
            "",
        )
    ]
    growth = top.generator.seconds / prev.generator.seconds if top and prev else None
    rows.append(
        row(
            "Generator time, 1,000 roles / 100 roles",
            f"≤ {MAX_GROWTH:g}{TIMES}",
            growth,
            growth is not None and growth <= MAX_GROWTH,
            TIMES,
        )
    )
    rows.append(
        row(
            "Full build time / no-nav build time, 1,000 roles",
            f"≤ {MAX_NAV_TIME:g}{TIMES}",
            top.time_ratio if top else None,
            bool(top and top.time_ratio <= MAX_NAV_TIME),
            TIMES,
        )
    )
    rows.append(
        row(
            "Full output size / no-nav output size, 1,000 roles",
            f"≤ {MAX_NAV_SIZE:g}{TIMES}",
            top.size_ratio if top else None,
            bool(top and top.size_ratio <= MAX_NAV_SIZE),
            TIMES,
        )
    )
    mid = by_roles.get(PLUGIN_TARGET_ROLES)
    plugin_sizes = [
        ("bundled playbook", bundled.builds if bundled else None),
        (f"{PLUGIN_TARGET_ROLES:,} roles", mid.builds if mid else None),
    ]
    for size, builds in plugin_sizes:
        rows.append(
            row(
                f"Full build time / plain build time, {size}",
                f"≤ {MAX_PLUGIN_TIME:g}{TIMES}",
                builds.plugin_ratio if builds else None,
                bool(builds and builds.plugin_ratio <= MAX_PLUGIN_TIME),
                TIMES,
            )
        )
    pdf = bundled.pdf if bundled else None
    rows.append(
        row(
            "The bundled playbook as one PDF (`playbook pdf`)",
            f"≤ {MAX_PDF_SECONDS:g} s",
            pdf.seconds if pdf else None,
            bool(pdf and pdf.seconds <= MAX_PDF_SECONDS),
            " s",
        )
    )
    for roles, limit in MAX_TEXT_EDIT.items():
        text = by_roles[roles].preview.get("role text") if roles in by_roles else None
        rows.append(
            row(
                f"Role text edit to served page, {roles:,} roles",
                f"≤ {limit:g} s",
                text.seconds if text else None,
                bool(text and text.seconds <= limit),
                " s",
            )
        )
    title = top.preview.get("role title") if top else None
    ratio = title.seconds / top.full.seconds if top and title else None
    rows.append(
        row(
            "Role title edit to served page / full build, 1,000 roles",
            f"≤ 1{TIMES}",
            ratio,
            ratio is not None and ratio <= 1.0,
            TIMES,
        )
    )
    saving = top.parallel_saving if top else None
    rows.append(
        row(
            "Generator time the parallel render saves, 1,000 roles",
            f"≥ {MIN_PARALLEL_SAVING:.0%}",
            saving,
            saving is not None and saving >= MIN_PARALLEL_SAVING,
            "",
        )
    )
    return rows


def _verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"


def render_page(
    results: Sequence[Result], bundled: Bundled | None, total_seconds: float, load_at_start: str
) -> str:
    rerun = (
        "`make bench` or `.venv/bin/python bench/run.py`"
        if re.search(r"^bench:", _read(REPO / "Makefile"), flags=re.MULTILINE)
        else "`.venv/bin/python bench/run.py`"
    )
    lines = [
        "---",
        "title: Benchmarks",
        "description: How long the generator, the site build and the live preview take at "
        "10, 100 and 1,000 roles, and what the plugin and the navigation cost.",
        "# The generator's own page: a fork publishes it only with generator_pages: true.",
        "generator_page: true",
        "---",
        "",
        "# Benchmarks",
        "",
        "How the generator and the whole site build scale with the size of a playbook. The "
        "content is synthetic (`bench/synthetic.py`, fixed seed): for *N* roles, about 1.4·*N* "
        "handoffs, *N*/3 guides with checklists, *N*/10 team shapes, a glossary of *N*/2 terms "
        "and about two activities per role, with fields the size of the bundled playbook's. "
        "Each command runs in a fresh process; a time is the best of three runs, or of one "
        "run (marked ¹) when the first took over five minutes.",
        "",
        "- **Generator**: `generate` + `emit` in process, from loading the YAML to the "
        "Markdown tree on disk (`bench/timing.py`). `playbook generate`, the same work "
        "end to end with Python's start-up and imports, is in the second table. From 400 "
        "pages up the generator renders pages in one process per CPU (`PLAYBOOK_JOBS=1` "
        "keeps it to one); loading and emitting run in one. The parallel render is kept only "
        f"while it saves at least {MIN_PARALLEL_SAVING:.0%} of the generator's time at 1,000 "
        "roles: *Generator, one process* below is the same run with `PLAYBOOK_JOBS=1`.",
        "- **Full build**: `mkdocs build` of the real site, with the `playbook` plugin and the "
        "planned navigation.",
        "- **Plain build**: the same generated pages, hand-written pages and navigation built by "
        "`mkdocs build` without the plugin: `playbook generate --out DIR --config FILE` writes "
        "the pages and a plugin-free mkdocs.yml with the planned navigation spelled out. It runs "
        "in turn with the full build, so other work on the machine slows both alike; comparing "
        "the two shows what the plugin adds to a build (generating the pages, compacting every "
        "page's navigation). It is measured at every size and on the bundled playbook, the "
        "repository's `content/` as shipped.",
        "- **No-nav build**: the same generated pages and hand-written pages built with the "
        "same theme and extensions, without the plugin and with a navigation of the home page "
        "alone. Material renders the whole navigation into every page; comparing the two "
        "builds shows what that costs.",
        "- **Peak memory** is the largest resident set size of the build process; **output** "
        "is the size of all files in the built site.",
        "",
        f"Rerun with {rerun}; `--sizes 10,100` measures fewer sizes. A full run took "
        f"{total_seconds / 60:.0f} minutes on the machine below.",
        "",
        "## Results",
        "",
    ]
    lines += table(
        [
            "Roles",
            "Pages",
            "Generator (s)",
            "Full build (s)",
            "Generator / build",
            "Peak memory, build (MiB)",
            "Output (MiB)",
            "No-nav build (s)",
            "No-nav output (MiB)",
            "Build time / no-nav",
            "Output size / no-nav",
        ],
        "rrrrrrrrrrr",
        [
            [
                f"{r.roles:,}",
                f"{r.full_site.pages:,}",
                seconds(r.generator),
                seconds(r.full),
                f"{r.share:.1%}",
                f"{r.full.peak_mib:,.0f}",
                mib(r.full_site.bytes),
                seconds(r.nonav),
                mib(r.nonav_site.bytes),
                f"{r.time_ratio:.2f}{TIMES}",
                f"{r.size_ratio:.2f}{TIMES}",
            ]
            for r in results
        ],
    )
    timings = [
        (r.generator, r.one_process, r.cli, r.full, r.builds.plain, r.nonav, *r.preview.values())
        for r in results
    ]
    if bundled:
        timings.append((bundled.builds.full, bundled.builds.plain))
    if any(t.runs == 1 for group in timings for t in group):
        lines += ["", "¹ A single run: the first took longer than five minutes."]
    lines += busy_note(other_work(results, bundled))
    lines += [
        "",
        "## With and without the plugin",
        "",
        "The full build beside the plain build of the same pages and navigation, run in turn:",
        "",
    ]
    sizes = [(f"{r.roles:,} roles", r.builds) for r in results]
    if bundled:
        sizes.insert(0, (f"Bundled playbook ({bundled.roles:,} roles)", bundled.builds))
    lines += table(
        ["Size", "Pages", "Full build (s)", "Plain build (s)", "Full / plain"],
        "lrrrr",
        [
            [
                size,
                f"{builds.full_site.pages:,}",
                seconds(builds.full),
                seconds(builds.plain),
                f"{builds.plugin_ratio:.2f}{TIMES}",
            ]
            for size, builds in sizes
        ],
    )
    lines += [
        "",
        "## Live preview",
        "",
        "With `playbook serve` running, the time from saving a content file to the edited "
        "page being served with the edit (`bench/preview.py`): a role's text (its page "
        "changes), a role's title (every page's navigation changes: the edited pages are "
        "built first, and a clean build of the whole site follows) and a handoff's "
        "checklist. The pages an edit does not show first are brought up to date right after; "
        "the full build is the one above.",
        "",
    ]
    lines += table(
        ["Roles", *(f"{edit.name.capitalize()} (s)" for edit in EDITS), "Full build (s)"],
        "r" * (len(EDITS) + 2),
        [
            [
                f"{r.roles:,}",
                *(seconds(r.preview[edit.name]) for edit in EDITS if edit.name in r.preview),
                seconds(r.full),
            ]
            for r in results
        ],
    )
    lines += ["", "## Targets", ""]
    lines += table(["Target", "Limit", "Measured", "Result"], "llrl", targets(results, bundled))
    lines += [
        "",
        "## Where the time goes",
        "",
        "The generator's stages (in process), the generator in one process, and "
        "`playbook generate` end to end:",
        "",
    ]
    stage_names = ("load+validate+link", "plan", "render", "emit")
    lines += table(
        [
            "Roles",
            "Load, validate, link (s)",
            "Plan (s)",
            "Render (s)",
            "Emit (s)",
            "Generator, one process (s)",
            "`playbook generate` (s)",
            "Peak memory, generator (MiB)",
        ],
        "rrrrrrrr",
        [
            [
                f"{r.roles:,}",
                *(f"{r.stages.get(name, 0.0):.2f}" for name in stage_names),
                seconds(r.one_process),
                seconds(r.cli),
                f"{r.generator.peak_mib:,.0f}",
            ]
            for r in results
        ],
    )
    lines += [
        "",
        "The navigation in the built pages: the primary sidebar's share of all HTML, its mean "
        "size per page and the most links it holds on one page.",
        "",
    ]
    lines += table(
        [
            "Roles",
            "Navigation share of HTML",
            "Navigation per page (KiB)",
            "Most nav links on a page",
        ],
        "rrrr",
        [
            [
                f"{r.roles:,}",
                f"{r.full_site.nav_bytes / max(1, r.full_site.html_bytes):.0%}",
                f"{r.full_site.nav_bytes / max(1, r.full_site.pages) / 1024:,.0f}",
                f"{r.full_site.max_nav_links:,}",
            ]
            for r in results
        ],
    )
    lines += ["", "Content per size:", ""]
    lines += table(
        [
            "Roles",
            "Handoffs",
            "Guides",
            "Team shapes",
            "Glossary terms",
            "Activities",
            "Checklist items",
            "Build warnings",
        ],
        "rrrrrrrr",
        [
            [
                f"{r.roles:,}",
                f"{r.counts.handoffs:,}",
                f"{r.counts.guides:,}",
                f"{r.counts.teams:,}",
                f"{r.counts.terms:,}",
                f"{r.counts.activities:,}",
                f"{r.counts.checklist_items:,}",
                " / ".join(str(r.warnings.get(b, 0)) for b in ("full", "plain", "nonav")),
            ]
            for r in results
        ],
    )
    lines += [
        "",
        "Build warnings: from the full build / the plain build / the no-nav build (none is "
        "strict here).",
        "",
        "## Speed-ups weighed",
        "",
        "A speed-up that makes the code harder to read stays only if it saves at least "
        f"{MIN_PARALLEL_SAVING:.0%} of the generator's time at 1,000 roles. The parallel render "
        "is measured on every run (see *Targets*); these were removed or not added, each as "
        "measured when it was decided (the generator's time then, and what the speed-up saved "
        "of it):",
        "",
    ]
    lines += table(
        ["Speed-up", "Generator (s)", "Saved (s)", "Share", "Decision"], "lrrrl", WEIGHED
    )
    lines += [
        "",
        "## Machine",
        "",
    ]
    lines += [f"- **{name}**: {value}" for name, value in machine(results, bundled, load_at_start)]
    lines.append(f"- **Measured**: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines) + "\n"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


# -- command line -----------------------------------------------------------------------------


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError("sizes are numbers of roles, each at least 2")
    return tuple(sorted(set(sizes)))


R = TypeVar("R")


def in_work_folder(name: str, keep: bool, measure: Callable[[Path], R]) -> R:
    """``measure`` in a temporary folder of its own, deleted afterwards unless ``keep``."""
    work = Path(tempfile.mkdtemp(prefix=f"playbook-bench-{name}-"))
    try:
        return measure(work)
    finally:
        if keep:
            print(f"  kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=DEFAULT_SIZES,
        help="comma-separated numbers of roles (default: 10,100,1000)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "docs" / "benchmarks.md",
        help="the page to write (default: docs/benchmarks.md)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and sites")
    args = parser.parse_args()

    start, load_at_start = time.perf_counter(), _load_average()
    try:
        bundled = in_work_folder("bundled", args.keep, measure_bundled)
        results = [
            in_work_folder(str(roles), args.keep, partial(measure_size, roles))
            for roles in args.sizes
        ]
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    page = render_page(results, bundled, time.perf_counter() - start, load_at_start)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    print(f"\n{page}")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
