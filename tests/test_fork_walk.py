"""The fork path as a new user follows it: the README sends them to the page "Make this playbook
your own", whose steps this test runs in order on a scratch git repository, with FORK.md's once
`init` has written it; its commands are run as written, its YAML examples written to the files
they name. The page's `UPSTREAM-URL` is a local "upstream" repository, which gets a commit of
its own before the fork pulls it. Every step is validated; the site is built strictly once
scaffolded and once changed and branded (then no page, diagram, download or search entry names a
role the fork removed, merged or renamed), and each error message the page shows is the one
`playbook validate` gives for it, with the build refusing it alike.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import check
from generator.content.prose import apply_forms, number
from generator.content.words import CATEGORY_COLOURS
from generator.frontends.cli import main
from generator.project import read_project

from conftest import ROOT

PAGE = ROOT / "docs" / "make-it-your-own.md"
ORG = "Nimbus Analytics"  # a name whose possessive takes no extra s
UPSTREAM_FILES = ("content", "templates", "site_overrides", "docs", "mkdocs.yml", ".gitignore")
HAND_WRITTEN = {path.stem for path in (ROOT / "docs").glob("*.md")}
READABLE = {".html", ".svg", ".json", ".csv", ".ics", ".md", ".txt", ".xml"}
MISTAKES = {  # what a user writes to meet each message the page shows
    "company/roles/report-writer.yml": "remove: true\n",
    "company/roles/data-scientst.yml": "aliases: [Applied Scientist]\n",
    "company/roles/ml-engineer.yml": "title: ML Engineer\nonboarding:\n  remove: [no-such-item]\n",
}
FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```$", re.M | re.S)


def fenced(markdown: str) -> list[tuple[str, str]]:
    """The fenced blocks of ``markdown`` in order, as (language, text), list indents removed."""
    return [(m.group(2), textwrap.dedent(m.group(3))) for m in FENCE.finditer(markdown)]


def section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


class Fork:
    """A scratch fork of the playbook, and the commands of the documentation run in it."""

    def __init__(self, tmp_path: Path) -> None:
        self.upstream = tmp_path / "upstream"
        self.path = tmp_path / "fork"
        self.runner = CliRunner()
        self.written: set[Path] = set()  # the overlay files the documentation's examples wrote
        self.upstream.mkdir()
        for name in UPSTREAM_FILES:
            source = ROOT / name
            copy = shutil.copytree if source.is_dir() else shutil.copy
            copy(source, self.upstream / name)
        self.git(self.upstream, "init", "--quiet", "--initial-branch=main")
        self.commit(self.upstream, "The playbook")
        # The fork on the hosting service, and its clone on the user's machine.
        self.git(tmp_path, "clone", "--quiet", "--bare", str(self.upstream), "fork.git")
        self.git(tmp_path, "clone", "--quiet", "fork.git", str(self.path))

    def git(self, where: Path, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, where: Path, message: str) -> None:
        self.git(where, "add", ".")
        self.git(where, "commit", "--quiet", "-m", message)

    def run(self, line: str) -> tuple[int, str]:
        """One command line of the documentation, run in the fork."""
        line = line.replace("UPSTREAM-URL", str(self.upstream)).replace('"Acme"', f'"{ORG}"')
        argv = shlex.split(line, comments=True)
        if argv == ["make", "site"]:  # upstream's own site, as tests/test_site.py builds it
            argv = [".venv/bin/playbook", "validate"]
        if argv[0] == ".venv/bin/playbook":
            result = self.runner.invoke(main, argv[1:])
            return result.exit_code, result.output
        if argv[0] == "mkdir":
            (self.path / argv[-1]).mkdir(parents=True, exist_ok=True)
            return 0, ""
        assert argv[0] == "git", f"a command the documentation should not need: {line}"
        return 0, self.git(self.path, *argv[1:])

    def follow(self, markdown: str) -> Iterator[tuple[str, str]]:
        """Run every command and write every overlay file of ``markdown``, in order; yield
        each block after it has been carried out."""
        for language, text in fenced(markdown):
            if language == "console":
                for line in text.splitlines():
                    code, output = self.run(line)
                    assert code == 0, f"{line}\n{output}"
            elif language == "yaml" and text.startswith("# company/"):
                # The file says what the example says; two examples for one file go in it
                # together, as a user writes them.
                target = self.path / text.splitlines()[0].removeprefix("# ")
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("a" if target in self.written else "w") as overlay:
                    overlay.write(text)
                self.written.add(target)
            yield language, text

    def validate(self) -> tuple[int, str]:
        result = self.runner.invoke(main, ["validate"])
        return result.exit_code, result.output

    def build(self) -> Path:
        """Validate, then build strictly: both succeed, or the test fails."""
        code, output = self.validate()
        assert code == 0, output
        result = self.runner.invoke(main, ["build"])
        assert result.exit_code == 0, result.output
        return self.path / "site"


@pytest.fixture
def fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fork:
    for variable in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{variable}_NAME", "Playbook Test")
        monkeypatch.setenv(f"GIT_{variable}_EMAIL", "test@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_MERGE_AUTOEDIT", "no")
    created = Fork(tmp_path)
    monkeypatch.chdir(created.path)
    return created


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def seen_by_a_reader(site: Path) -> Iterator[tuple[str, str]]:
    """The text of every page, diagram, download and search entry of the built ``site``, but
    for the hand-written pages, whose story of a fork names upstream's roles on purpose."""
    for path in sorted(p for p in site.rglob("*") if p.suffix in READABLE):
        where = path.relative_to(site).as_posix()
        if where.split("/")[0] in HAND_WRITTEN:
            continue
        text = path.read_text(encoding="utf-8")
        if where == "search/search_index.json":
            for entry in json.loads(text)["docs"]:
                if entry["location"].split("/")[0] not in HAND_WRITTEN:
                    yield f"search entry {entry['location']}", f"{entry['title']} {entry['text']}"
        else:
            yield where, text


def assert_not_named(site: Path, *names: str, kept_as: tuple[str, ...] = ()) -> None:
    """No page of ``site`` names any of ``names`` (in title or lower case, one or many), nor
    links to a page of one of them, but as one of ``kept_as``: the other names of the role a
    merged role joined, by which search still finds it."""
    words = {form for name in names for form in (name, apply_forms(name, ("lower",)))}
    pattern = re.compile("|".join(rf"\b{re.escape(word)}s?\b" for word in words))
    for where, text in seen_by_a_reader(site):
        for alias in sorted(kept_as, key=len, reverse=True):
            text = text.replace(alias, "")
        found = pattern.search(text)
        assert found is None, f"{where}: …{text[max(0, found.start() - 80) : found.end() + 40]}…"


def test_the_readme_sends_a_forker_to_the_page_and_copies_none_of_its_steps() -> None:
    readme = section((ROOT / "README.md").read_text(encoding="utf-8"), "Making it yours")
    assert "(docs/make-it-your-own.md)" in readme and "git remote add upstream" in readme
    assert fenced(readme) == []  # the steps are on the page alone


def test_the_fork_path_as_written(fork: Fork) -> None:
    page = PAGE.read_text(encoding="utf-8")

    # 1. Fork and scaffold: a plain init-and-build publishes upstream's playbook, nothing made up.
    list(fork.follow(section(page, "1. Fork and scaffold")))
    assert fork.git(fork.path, "remote", "get-url", "upstream").strip() == str(fork.upstream)
    site = fork.build()
    upstream_roles = sorted(p.stem for p in (ROOT / "content" / "roles").glob("*.yml"))
    assert sorted(p.name for p in (site / "roles").iterdir() if p.is_dir()) == upstream_roles
    assert f"<title>{ORG} ML Playbook</title>" in (site / "index.html").read_text()
    # The generator's own pages stay upstream's: FORK.md sends readers to the file instead.
    assert not (site / "make-it-your-own").exists() and not (site / "benchmarks").exists()
    fork_md = (fork.path / "FORK.md").read_text(encoding="utf-8")
    assert "(docs/make-it-your-own.md)" in fork_md and "Nimbus Analytics' own" in fork_md

    # FORK.md: an example is published once it is moved up out of company/examples/.
    list(fork.follow(fork_md))
    assert fenced(fork_md), "FORK.md shows how to use an example"

    # 2. Change what you need: each example of the page validates (and builds, below).
    for language, text in fork.follow(section(page, "2. Change what you need")):
        if language == "console":
            continue
        for message in text.strip().splitlines() if language == "text" else ():
            # each message the page shows is validate's for what causes it; the build refuses too
            target = fork.path / message.split(":")[0]
            before = target.read_text() if target.exists() else None
            target.write_text(MISTAKES[message.split(":")[0]])
            code, output = fork.validate()
            assert code == 1 and message in output.splitlines(), output
            assert fork.runner.invoke(main, ["build"]).exit_code == 1
            if before is None:
                target.unlink()
            else:
                target.write_text(before)
        code, output = fork.validate()
        assert code == 0, f"{text}\n{output}"

    # 3. Name it, brand it: the brand's colours leave the role categories apart, legend true.
    (fork.path / "company" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    branding = section(page, "3. Name it, brand it")
    list(fork.follow(branding))
    # "copy its template from `templates/` into `company/templates/` and edit the copy"
    assert "into `company/templates/` and edit the copy" in " ".join(branding.split())
    (fork.path / "company" / "templates").mkdir()
    template = (fork.path / "templates" / "team.md.j2").read_text()
    assert "## Who covers what\n" in template
    (fork.path / "company" / "templates" / "team.md.j2").write_text(
        template.replace("## Who covers what\n", "## Who covers what at Nimbus\n")
    )
    site = fork.build()
    assert "Who covers what at Nimbus" in html(site, "teams/startup")
    assert not (site / "roles" / "ux-designer").exists()  # removed
    assert not (site / "roles" / "platform-engineer").exists()  # merged
    assert not list(site.rglob("*ux-designer*")) and not list(site.rglob("*platform-engineer*"))
    playbook, _ = check(read_project(fork.path / "mkdocs.yml"))
    kept_as = playbook.roles["devops-engineer"].aliases
    assert "Platform Engineer" in kept_as  # the merged role is still found by its title
    assert_not_named(site, "UX Designer", "Platform Engineer", "ML Engineer", kept_as=kept_as)
    roles_left = len([p for p in (site / "roles").iterdir() if p.is_dir()])
    assert roles_left == len(upstream_roles) - 2  # the home page counts the fork's roles
    assert f"the {number(roles_left, ('words',))} roles it needs" in html(site, "")
    assert "<h1" in html(site, "roles/ml-engineer") and "Machine Learning Engineer" in html(
        site, "roles/ml-engineer"
    )
    assert "Applied Scientist" in html(site, "roles/data-scientist")  # both examples of the file
    assert "Ask the service desk for VPN access." in html(site, "onboarding/data-scientist")
    handoff = html(site, "handoffs/model-package-to-ml-engineering")
    assert "Nimbus Analytics&rsquo; model registry" in handoff or (
        "Nimbus Analytics' model registry" in handoff
    )
    assert "Analytics's" not in handoff and "Analytics&rsquo;s" not in handoff

    css = (site / "assets" / "stylesheets" / "brand.css").read_text()
    assert "--md-primary-fg-color: #283593" in css
    roles = html(site, "roles")
    fills = set(re.findall(r'class="pb-node"[^>]*--pb-colour: (#\w+)', roles))
    assert fills == {s.light for s in CATEGORY_COLOURS.values()}  # each category its own colour
    legend = ", ".join(f"{s.name} for {c} roles" for c, s in CATEGORY_COLOURS.items())
    assert f"category:\n{legend}." in roles or f"category: {legend}." in roles

    # 4. Publish: what the page says the workflows run.
    assert "- run: make site" in (fork.path / ".github" / "workflows" / "pages.yml").read_text()
    assert "- make site" in (fork.path / ".gitlab-ci.yml").read_text()

    # 5. Pull upstream improvements, after upstream changed a role the fork changes.
    role = fork.upstream / "content" / "roles" / "data-scientist.yml"
    role.write_text(role.read_text().replace("experimental design", "causal inference", 1))
    fork.commit(fork.upstream, "Upstream improves the data scientist")
    pull, review = fenced(section(page, "5. Pull upstream improvements"))
    assert pull[0] == review[0] == "console"
    lines = pull[1].splitlines()
    assert fork.run(lines[0])[0] == 0  # git pull
    code, output = fork.run(lines[1])  # drift
    assert code == 1
    first = output.splitlines()[0]
    assert re.fullmatch(
        r"company/roles/data-scientist\.yml: upstream changed content/roles/data-scientist\.yml "
        r"since commit [0-9a-f]{10}, which added the overlay file",
        first,
    ), output
    assert "-  - Statistics and experimental design" in output
    assert "+  - Statistics and causal inference" in output
    assert str(fork.path) not in output and "1 overlay file(s) to review" in output
    assert len([n for n in output.splitlines() if n[:1] in "+-"]) < 10  # no whole file
    assert fork.validate()[0] == 0
    for line in review[1].splitlines():  # mark reviewed, commit
        assert fork.run(line)[0] == 0, line
    assert fork.run(lines[1]) == (0, "no upstream change to review\n")

    # Running init again brings back neither FORK.md's moved example nor anything deleted.
    shutil.rmtree(fork.path / "company" / "examples")
    code, output = fork.run(f'.venv/bin/playbook init . --org "{ORG}"')
    assert code == 0 and "wrote" not in output
    assert not (fork.path / "company" / "examples").exists()
