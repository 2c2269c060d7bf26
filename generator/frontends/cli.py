"""The ``playbook`` command. The only place where errors become exit codes:
0 success, 1 content or build errors, 2 usage errors (click's own).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .. import __version__
from ..build import check, generate
from ..content.kinds import KINDS
from ..errors import ContentError, PlaybookError, Problem, did_you_mean, one_line, shown_path
from ..fork.drift import find_drift
from ..fork.drift import mark_reviewed as mark_drift_reviewed
from ..fork.review import entity_named, mark_reviewed
from ..fork.scaffold import INIT_MANIFEST, init_fork
from ..outputs import UnknownFormat, format_of
from ..outputs.book import PAPERS, book_pdf
from ..outputs.export import EXPORT_FORMATS, export_checklists, export_skills, page_address
from ..outputs.printable import SHEET_FORMATS, pdf_bytes, sheet_html, sheet_markdown
from ..outputs.schema import schema_texts
from ..outputs.standalone import write_tree
from ..pipeline.emit import write_if_changed, write_output
from ..pipeline.link import LinkedPlaybook
from ..pipeline.review import TODAY_VARIABLE, today
from ..project import page_addressing, read_project
from ..views.checklists import (
    Checklist,
    NewHire,
    OnboardingPack,
    all_checklists,
    due_date,
    onboarding_pack,
    written_out,
    written_out_pack,
)
from .engine import ENGINE_VARIABLE, ENGINES, build_site, show_engine_messages, use_engine
from .tree_preview import serve_tree

__all__ = ["main"]

config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The mkdocs.yml that names the content and template folders.",
)

strict_review_option = click.option(
    "--strict-review",
    is_flag=True,
    help="Fail on entities due for review (their review is judged as of $PLAYBOOK_TODAY, "
    "else today).",
)

engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    envvar=ENGINE_VARIABLE,
    help=f"Site engine [default: ${ENGINE_VARIABLE}, else ProperDocs if installed, else MkDocs].",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="playbook")
def main() -> None:
    """Render a team playbook (roles, handoffs, ways of working) from YAML into a site."""


@main.command()
@config_option
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on warnings that would fail a strict build.",
)
@strict_review_option
def validate(config_file: Path, strict: bool, strict_review: bool) -> None:
    """Check the content and report every problem as path:line:col."""
    with _reporting():
        project = read_project(config_file)
        playbook, warnings = check(project, mentions=True, strict_review=strict_review)
        _print_problems(warnings)
        counts = [
            (f"{kind.name}s", len(playbook.entities(kind.key))) for kind in KINDS if kind.mention
        ]
        counts.append(("glossary terms", len(playbook.glossary)))
        summary = ", ".join(f"{n} {what}" for what, n in counts)
        failing = sum(warning.fails_strict_build for warning in warnings)
        if strict and failing:
            click.echo(
                f"{failing} warning(s) would fail a strict build; fix them, or pass --no-strict "
                "to both validate and build",
                err=True,
            )
            sys.exit(1)
        click.echo(f"{shown_path(project.content_dir, Path.cwd())}: ok: {summary}")


@main.command(name="generate")
@config_option
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the Markdown pages and nav.yml into.",
)
@click.option(
    "--config",
    "standalone",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a plugin-free mkdocs.yml for the tree (for Zensical or plain MkDocs).",
)
@strict_review_option
def generate_command(
    config_file: Path, out: Path, standalone: Path | None, strict_review: bool
) -> None:
    """Write the playbook as Markdown pages and a nav.yml, without MkDocs.

    Only files whose bytes changed are rewritten.
    """
    with _reporting():
        report, warnings = write_tree(config_file, out, standalone, strict_review=strict_review)
        _print_problems(warnings)
        if standalone is not None:
            click.echo(f"{standalone}: written")
        click.echo(
            f"{out}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
            f"{len(report.removed)} removed"
        )


@main.command()
@config_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site_dir of mkdocs.yml).",
)
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on warnings.")
@strict_review_option
@engine_option
def build(
    config_file: Path, site_dir: Path | None, strict: bool, strict_review: bool, engine: str | None
) -> None:
    """Build the static site. The previous site stays in place unless the build succeeds."""
    with _reporting():
        use_engine(engine)
        generated = generate(read_project(config_file), strict_review=strict_review)
        show_engine_messages()
        target = build_site(config_file, site_dir, strict, generated)
        click.echo(f"site written to {target}")


@main.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP:PORT")
@click.option(
    "--engine",
    type=click.Choice([*ENGINES, "zensical"]),
    default=None,
    envvar=ENGINE_VARIABLE,
    help="Site engine; zensical serves the generated tree and writes it again on each save "
    f"[default: ${ENGINE_VARIABLE}, else ProperDocs if installed, else MkDocs].",
)
def serve(config_file: Path, dev_addr: str, engine: str | None) -> None:
    """Preview the site with live reload; a save rebuilds only the pages it changed."""
    with _reporting():
        if engine == "zensical":
            serve_tree(config_file, dev_addr, functools.partial(click.echo, err=True))
            return
        use_engine(engine)
        show_engine_messages()
        from .preview import serve as live_preview

        live_preview(config_file, dev_addr)


@main.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the JSON Schemas into.",
)
def schema(out: Path) -> None:
    """Write a JSON Schema per kind of content file, for autocompletion in editors."""
    with _reporting():
        texts = schema_texts()
        changed = [
            name for name, text in texts.items() if write_if_changed(out / name, text.encode())
        ]
        click.echo(f"{out}: {len(changed)} written, {len(texts) - len(changed)} unchanged")


@main.command()
@config_option
@click.argument("role")
@click.option("--name", default="", help="The new hire's name.")
@click.option(
    "--start-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First day, as YYYY-MM-DD; due dates are counted from it in working days.",
)
@click.option("--buddy", default="", help="The buddy's name.")
@click.option("--manager", default="", help="The manager's name.")
@click.option("--team", default="", help="The team's name.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SHEET_FORMATS),
    default=None,
    help="Output format [default: from the file's extension, else md].",
)
@click.option("--paper", type=click.Choice(["A4", "Letter"]), default="A4", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="File to write ('-' for standard output).",
)
def checklist(
    config_file: Path,
    role: str,
    name: str,
    start_date: dt.datetime | None,
    buddy: str,
    manager: str,
    team: str,
    fmt: str | None,
    paper: str,
    output: Path | None,
) -> None:
    """Write ROLE's onboarding checklist for one new hire, with due dates (md, html or pdf)."""
    with _reporting():
        playbook, _ = check(read_project(config_file))
        _require_role(playbook, role)
        fmt = fmt or _format_from(output, SHEET_FORMATS, "md")
        if fmt == "pdf" and output is None:
            raise click.UsageError(
                "PDF needs a file: add -o FILE.pdf (or -o - for standard output)"
            )
        pack = written_out_pack(playbook, onboarding_pack(playbook, role))
        start = start_date.date() if start_date else None
        if start and start.weekday() >= 5:
            first = due_date(start, "first-day")
            click.echo(
                f"warning: {start:%Y-%m-%d} is a {start:%A}; the first day's items are due on "
                f"{first:%A} {first.day} {first:%B %Y}, the next working day",
                err=True,
            )
        person = NewHire(name, start, buddy, manager, team)
        organization = playbook.settings.organization or playbook.settings.title
        if fmt == "md":
            _write(sheet_markdown(pack, person, organization), output)
        elif fmt == "html":
            _write(sheet_html(pack, person, organization), output)
        else:
            _write(pdf_bytes(sheet_html(pack, person, organization), paper), output)


@main.command(name="export")
@config_option
@click.option(
    "--role", "roles", multiple=True, help="Only this role's onboarding or skills (repeatable)."
)
@click.option(
    "--skills", is_flag=True, help="The skills matrix instead: competencies and levels per role."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="csv, json or md (a task list for an issue) [default: from the extension, else csv].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="File to write ('-' for standard output).",
)
def export_command(
    config_file: Path, roles: tuple[str, ...], skills: bool, fmt: str | None, output: Path | None
) -> None:
    """Export checklists for spreadsheets and trackers: every checklist, or roles' onboarding;
    or, with --skills, the skills matrix of every role or of the roles named."""
    with _reporting():
        playbook, _ = check(read_project(config_file))
        for role in roles:
            _require_role(playbook, role)
        fmt = fmt or _format_from(output, EXPORT_FORMATS, "csv")
        directory_urls, site_url = page_addressing(config_file)
        address = functools.partial(page_address, directory_urls=directory_urls, site_url=site_url)
        if skills:
            _write(export_skills(playbook, list(roles), fmt, address), output)
            return
        if roles:
            lists = [c for r in roles for c in _pack_checklists(onboarding_pack(playbook, r))]
        else:
            lists = list(all_checklists(playbook))
        lists = [written_out(playbook, checklist) for checklist in lists]
        _write(export_checklists(lists, fmt, playbook.settings.title, address), output)


@main.command(name="pdf")
@config_option
@click.option(
    "--role",
    default=None,
    help="Only this role's part: its profile, handoffs, "
    "phases, onboarding pack and the guides written for it.",
)
@click.option("--paper", type=click.Choice(PAPERS), default="A4", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    help="File to write ('-' for standard output) [default: playbook.pdf, or "
    "playbook-ROLE.pdf with --role].",
)
def pdf_command(config_file: Path, role: str | None, paper: str, output: Path | None) -> None:
    """Write the whole playbook, or one role's part of it, as one PDF: a cover, a table of
    contents with page numbers, every page, and links that lead within the PDF."""
    with _reporting():
        generated = generate(read_project(config_file))
        if role is not None:
            _require_role(generated.playbook, role)
        output = output or Path(f"playbook-{role}.pdf" if role else "playbook.pdf")
        if str(output) != "-":
            _check_writable(output)
        _write(book_pdf(config_file, generated, role=role, paper=paper), output)


def _check_writable(output: Path) -> None:
    """Refuse at once, not after printing, a file that cannot be written."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise PlaybookError(f"{output}: no folder '{folder}' to write it in")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise PlaybookError(f"{output}: cannot be written here (permission denied)")


def _require_role(playbook: LinkedPlaybook, role: str) -> None:
    if role not in playbook.roles:
        hint = did_you_mean(role, playbook.roles)
        raise PlaybookError(f"no role '{role}'" + (f" ({hint})" if hint else ""))


def _pack_checklists(pack: OnboardingPack) -> list[Checklist]:
    return [c for _, group in pack.groups for c in group] + [pack.handoffs]


def _format_from(output: Path | None, formats: tuple[str, ...], default: str) -> str:
    try:
        return format_of(output, formats, default)
    except UnknownFormat as exc:
        raise click.BadParameter(str(exc), param_hint="'-o' / '--output'") from None


def _write(text: str | bytes, output: Path | None) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_output(output, data)
        click.echo(f"{output}: written", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--org", required=True, help='Your organisation\'s name, e.g. "Acme".')
@click.option("--layer", default="company", show_default=True, help="The overlay folder.")
def init(directory: Path, org: str, layer: str) -> None:
    """Make DIRECTORY (a clone of the playbook) your organisation's fork."""
    with _reporting():
        report = init_fork(directory, org, layer)
        for name in report.written:
            click.echo(f"wrote {name}")
        for name in report.kept:
            click.echo(f"kept {name} (already there)")
        for name in report.deleted:
            click.echo(f"left out {name} (deleted since an earlier init; see {INIT_MANIFEST})")
        click.echo(f"next: read FORK.md, then `playbook validate -f {directory / 'mkdocs.yml'}`")


@main.command()
@config_option
@click.option("--mark-reviewed", is_flag=True, help="Take upstream as it is now as the base.")
def drift(config_file: Path, mark_reviewed: bool) -> None:
    """Show what upstream changed in the entities your overlay changes.

    Exits 1 while a change is unreviewed, so CI can remind you.
    """
    with _reporting():
        project = read_project(config_file)
        if mark_reviewed:
            for path in mark_drift_reviewed(project):
                click.echo(f"reviewed {path}")
            return
        pending = [d for d in find_drift(project) if d.diff]
        for change in pending:
            click.echo(f"{change.overlay}: upstream changed {change.upstream} since {change.since}")
            click.echo(change.diff)
        if pending:
            click.echo(f"{len(pending)} overlay file(s) to review", err=True)
            sys.exit(1)
        click.echo("no upstream change to review")


@main.command()
@config_option
@click.argument("entity")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=f"The day of the review, as YYYY-MM-DD [default: ${TODAY_VARIABLE}, else today].",
)
@click.option("--owner", default=None, help="Set the owner too: a role id or a team's name.")
def review(config_file: Path, entity: str, day: dt.datetime | None, owner: str | None) -> None:
    """Mark ENTITY reviewed: write the date into its file, changing nothing else in it.

    ENTITY is a kind and an id (role:ml-engineer, guide:your-first-week) or the entity's file.
    In a fork the date goes into the last overlay's file for the entity (made if there is
    none); upstream's file is never written.
    """
    with _reporting():
        project = read_project(config_file)
        playbook, _ = check(project)
        kind, entity_id = entity_named(project, playbook, entity)
        now = today()
        on = day.date() if day else now
        if on > now:
            raise click.BadParameter(f"{on} is after today ({now})", param_hint="'--date'")
        if owner is not None:
            _require_owner(playbook, owner)
        marked = mark_reviewed(project, kind, entity_id, on, owner)
        where = shown_path(marked.path, Path.cwd())
        click.echo(
            f"{where}: {kind.mention}:{entity_id} reviewed on {on}"
            + (f", owned by {owner}" if owner else "")
            + (" (a new overlay file; upstream's file is left as it is)" if marked.created else "")
        )


def _require_owner(playbook: LinkedPlaybook, owner: str) -> None:
    owners = [*playbook.roles, *playbook.settings.owner_teams]
    if owner not in owners:
        hint = did_you_mean(owner, owners) or "name a role id, or a team in owner_teams"
        raise click.BadParameter(f"unknown owner '{owner}' ({hint})", param_hint="'--owner'")


@contextmanager
def _reporting() -> Iterator[None]:
    """Turn the generator's errors into messages and exit code 1, never a traceback."""
    try:
        yield
        sys.stdout.flush()  # so that a full disk or a closed pipe is reported here
    except ContentError as exc:
        _print_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        click.echo(f"{errors} error(s); nothing was written", err=True)
        sys.exit(1)
    except PlaybookError as exc:
        text = one_line(str(exc))  # a message that names its place already starts with it
        click.echo(text if ": error: " in text else f"error: {text}", err=True)
        sys.exit(1)
    except click.UsageError:
        raise  # keeps click's message and exit code 2
    except OSError as exc:  # a full disk, a folder that cannot be written, a closed pipe...
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc}", err=True)
        _quiet_stdout()
        sys.exit(1)
    except click.ClickException as exc:  # the engine's own errors are click's
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(1)


def _quiet_stdout() -> None:
    """Point standard output at nothing, so that Python's last flush of what could not be
    written does not fail again on the way out."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())


def _print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
