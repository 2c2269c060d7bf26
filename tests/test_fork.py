"""Forks: the example fork in examples/acme builds end to end with its overlay applied, upstream
content stays byte-identical, and overlay mistakes are reported at their lines."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.build import check, generate
from generator.errors import ContentError
from generator.project import project_from_options, read_project

from conftest import ROOT, build_site

ACME = ROOT / "examples" / "acme"


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def acme_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    before = fingerprint(ROOT / "content")
    site = build_site(ACME / "mkdocs.yml", tmp_path_factory.mktemp("acme") / "site")
    assert fingerprint(ROOT / "content") == before  # upstream untouched
    return site


def test_an_added_role_is_everywhere(acme_site: Path) -> None:
    assert (acme_site / "roles" / "analytics-engineer" / "index.html").is_file()
    assert (acme_site / "onboarding" / "analytics-engineer" / "index.html").is_file()
    for page in (
        "index.html",
        "roles/index.html",
        "lifecycle/raci/index.html",
        "onboarding/index.html",
        "lifecycle/index.html",
    ):
        assert "Analytics Engineer" in (acme_site / page).read_text(), page
    nav = (acme_site / "roles" / "data-scientist" / "index.html").read_text()
    assert 'href="../analytics-engineer/"' in nav  # in the navigation of other role pages
    index = json.loads((acme_site / "search" / "search_index.json").read_text())
    assert any(doc["location"] == "roles/analytics-engineer/" for doc in index["docs"])


def test_a_removed_role_is_gone_from_every_page_matrix_and_index(acme_site: Path) -> None:
    assert not (acme_site / "roles" / "ux-designer").exists()
    assert not (acme_site / "handoffs" / "interface-requirements-to-software-engineering").exists()
    for page in acme_site.rglob("*.html"):
        text = page.read_text()
        assert "ux-designer" not in text, page  # no link, no page, no nav entry
        assert ">UX Designer<" not in text and "UX Designer</text>" not in text, page
    index = (acme_site / "search" / "search_index.json").read_text()
    assert "ux-designer" not in index


def test_overridden_fields_and_checklist_items_show(acme_site: Path) -> None:
    home = (acme_site / "index.html").read_text()
    assert "<title>Acme ML Playbook</title>" in home and "Acme Corp" in home
    role = (acme_site / "roles" / "data-scientist" / "index.html").read_text()
    assert "Decision Scientist" in role and "Machine Learning Scientist" not in role
    assert "Acme&rsquo;s MLflow server" in role or "Acme's MLflow server" in role
    assert "Ask the service desk for VPN access" in role
    assert "each model in production with its intended use" not in role  # removed by id
    handoff = (
        acme_site / "handoffs" / "model-package-to-ml-engineering" / "index.html"
    ).read_text()
    assert "registered-in-acme-registry" in handoff and "installs-cleanly" in handoff
    assert "Metric layer" in (acme_site / "glossary" / "index.html").read_text()


def test_a_renamed_level_and_an_added_question_show_on_the_careers_pages(acme_site: Path) -> None:
    matrix = (acme_site / "careers" / "skills-matrix" / "index.html").read_text()
    assert "Distinguished" in matrix and ">Principal<" not in matrix
    role = (acme_site / "roles" / "data-scientist" / "index.html").read_text()
    assert 'id="level-principal">Distinguished Data Scientist' in role
    guide = (acme_site / "careers" / "interviews" / "data-scientist" / "index.html").read_text()
    assert "Walk us through the last model you built" in guide
    assert "What do you ask before you start" in guide  # upstream's questions stay


def overlay_errors(tmp_path: Path, files: dict[str, str]) -> list[str]:
    fork = tmp_path / "fork"
    shutil.copytree(ACME / "company", fork / "company")
    for relative, text in files.items():
        (fork / "company" / relative).parent.mkdir(parents=True, exist_ok=True)
        (fork / "company" / relative).write_text(text)
    project = project_from_options(fork, {"content": str(ROOT / "content"), "layers": ["company"]})
    with pytest.raises(ContentError) as caught:
        check(project)
    problems = [p for p in caught.value.problems if p.severity != "note"]
    return [str(p).replace(str(fork) + "/", "") for p in problems]


def test_overlay_mistakes_are_reported_at_their_lines(tmp_path: Path) -> None:
    found = overlay_errors(
        tmp_path,
        {
            "roles/data-scientst.yml": "summary: A change to a role that is not there.\n",
            "roles/ml-engineer.yml": "id: ml-engineer\nonboarding:\n  remove: [no-such-item]\n"
            "  apend: []\nsumary: Typo.\n",
        },
    )
    assert found == [
        "company/roles/data-scientst.yml:1:1: error: nothing upstream to change at "
        "'roles/data-scientst.yml' (did you mean 'roles/data-scientist.yml'?)",
        "company/roles/ml-engineer.yml:3:12: error: cannot remove item 'no-such-item': the list "
        "has no item with that id",
        "company/roles/ml-engineer.yml:4:3: error: unknown list operation 'apend' "
        "(did you mean 'append'?)",
        "company/roles/ml-engineer.yml:5:1: error: unknown key 'sumary' (did you mean 'summary'?)",
    ]


def test_removing_an_accountable_role_names_the_overlay_lines_that_make_it_build(
    tmp_path: Path,
) -> None:
    found = overlay_errors(tmp_path, {"roles/report-writer.yml": "remove: true\n"})
    assert found == [
        "company/roles/report-writer.yml:1:9: error: cannot remove role 'report-writer' while "
        "others need it; write 'merge_into: data-analyst' instead of 'remove: true' to fold it "
        "into the role that would take most of its work (or hand each use to another role: in "
        "company/phases/operations.yml write {activities: {replace: [{id: "
        "report-to-decision-makers, accountable: data-analyst}]}})"
    ]
    lines = found[0].split(" write ", 2)[2].removesuffix(")")
    operations = tmp_path / "fork" / "company" / "phases" / "operations.yml"
    overlay = yaml.safe_load(operations.read_text())  # Acme's own, which hands on the UX work
    overlay["activities"]["replace"] += yaml.safe_load(lines)["activities"]["replace"]
    operations.write_text(yaml.safe_dump(overlay))
    fork = tmp_path / "fork"
    project = project_from_options(fork, {"content": str(ROOT / "content"), "layers": ["company"]})
    playbook, _ = check(project)
    assert "report-writer" not in playbook.roles
    [reporting] = [a for a in playbook.phases["operations"].activities if a.id.startswith("report")]
    assert reporting.accountable == "data-analyst"


def test_the_example_validates_from_its_own_folder() -> None:
    playbook, warnings = check(read_project(ACME / "mkdocs.yml"))
    assert [w for w in warnings if w.severity != "note"] == []
    assert "analytics-engineer" in playbook.roles
    assert "ux-designer" not in playbook.roles


def test_the_fork_brands_the_site_from_its_playbook_settings(acme_site: Path) -> None:
    css = (acme_site / "assets" / "stylesheets" / "brand.css").read_text()
    assert "--md-primary-fg-color: #283593" in css and "--md-accent-fg-color: #ff6f00" in css
    home = (acme_site / "index.html").read_text()
    assert 'href="assets/stylesheets/brand.css"' in home
    assert 'src="assets/images/brand-logo.svg"' in home
    assert (acme_site / "assets" / "images" / "brand-logo.svg").is_file()


def test_init_scaffolds_a_fork_and_drift_follows_upstream(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.frontends.cli import main

    fork = tmp_path / "fork"
    shutil.copytree(ROOT / "content", fork / "content")
    shutil.copytree(ROOT / "templates", fork / "templates")
    shutil.copy(ROOT / "mkdocs.yml", fork / "mkdocs.yml")
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(fork), "--org", "Nimbus Analytics"])
    assert result.exit_code == 0, result.output
    for name in (
        "FORK.md",
        ".github/workflows/pages.yml",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        ".playbook-init",
        "company/playbook.yml",
        "company/examples/roles/data-scientist.yml",
    ):
        assert (fork / name).is_file(), name
    assert "layers: [company]" in (fork / "mkdocs.yml").read_text()
    assert "Nimbus Analytics' own version" in (fork / "FORK.md").read_text()
    example = (fork / "company" / "examples" / "roles" / "data-scientist.yml").read_text()
    assert "Nimbus Analytics' experiment tracker" in example and "'s" not in example

    config = ["-f", str(fork / "mkdocs.yml")]
    validated = runner.invoke(main, ["validate", *config])
    upstream_roles = len(list((ROOT / "content" / "roles").glob("*.yml")))
    assert validated.exit_code == 0, validated.output
    assert f"{upstream_roles} roles" in validated.output  # the examples are not published
    playbook, _ = check(read_project(fork / "mkdocs.yml"))
    assert playbook.settings.title == "Nimbus Analytics ML Playbook"
    assert "analytics-engineer" not in playbook.roles

    (fork / "company" / "roles").mkdir()
    (fork / "company" / "examples" / "roles" / "data-scientist.yml").rename(
        fork / "company" / "roles" / "data-scientist.yml"
    )
    (fork / "FORK.md").unlink()
    again = runner.invoke(main, ["init", str(fork), "--org", "Nimbus Analytics"])
    assert again.exit_code == 0 and "wrote" not in again.output
    assert "kept company/playbook.yml (already there)" in again.output
    assert "left out FORK.md (deleted since an earlier init; see .playbook-init)" in again.output
    assert not (fork / "FORK.md").exists()
    assert not (fork / "company" / "examples" / "roles" / "data-scientist.yml").exists()

    # Outside git, a first --mark-reviewed records the base drift compares with.
    assert runner.invoke(main, ["drift", "--mark-reviewed", *config]).exit_code == 0
    assert (fork / "company" / ".upstream" / "roles" / "data-scientist.yml").is_file()
    assert runner.invoke(main, ["drift", *config]).exit_code == 0
    upstream = fork / "content" / "roles" / "data-scientist.yml"
    upstream.write_text(
        upstream.read_text().replace(
            "Statistics and experimental design", "Statistics and causal inference"
        )
    )
    drifted = runner.invoke(main, ["drift", *config])
    assert drifted.exit_code == 1
    assert drifted.output.startswith(
        "company/roles/data-scientist.yml: upstream changed content/roles/data-scientist.yml "
        "since the last review\n--- content/roles/data-scientist.yml (at the last review)\n"
    )
    assert "-  - Statistics and experimental design" in drifted.output
    assert "+  - Statistics and causal inference" in drifted.output
    marked = runner.invoke(main, ["drift", "--mark-reviewed", *config])
    assert marked.output == "reviewed company/roles/data-scientist.yml\n"
    assert runner.invoke(main, ["drift", *config]).exit_code == 0


def test_drift_neither_reads_nor_writes_through_a_link_out_of_the_project(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.frontends.cli import main

    fork = tmp_path / "fork"
    shutil.copytree(ROOT / "content", fork / "content")
    shutil.copy(ROOT / "mkdocs.yml", fork / "mkdocs.yml")
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(fork), "--org", "Globex"]).exit_code == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=abc\n")
    snapshot = fork / "company" / ".upstream" / "roles" / "data-scientist.yml"
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    snapshot.unlink(missing_ok=True)
    snapshot.symlink_to(secret)
    (fork / "company" / "roles").mkdir(exist_ok=True)
    overlay = fork / "company" / "roles" / "data-scientist.yml"
    overlay.write_text("id: data-scientist\n")
    config = ["-f", str(fork / "mkdocs.yml")]
    for command in (["drift"], ["drift", "--mark-reviewed"]):
        result = runner.invoke(main, [*command, *config])
        assert (result.exit_code, result.stdout) == (1, ""), command
        assert result.stderr == (
            "company/.upstream/roles/data-scientist.yml: "
            "error: a link to a place outside the project\n"
        )
    assert secret.read_text() == "TOKEN=abc\n"


def test_init_refuses_a_layer_that_is_not_a_folder_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.frontends.cli import main

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--org", "X", "--layer", "../up"])
    assert result.exit_code == 1
    assert result.output.startswith("error: --layer '../up': name a new folder at the project's")


def test_a_template_in_the_overlay_takes_precedence(tmp_path: Path) -> None:
    fork = tmp_path / "fork"
    shutil.copytree(ACME / "company", fork / "company")
    template = (ROOT / "templates" / "team.md.j2").read_text()
    (fork / "company" / "templates").mkdir()
    (fork / "company" / "templates" / "team.md.j2").write_text(
        template.replace("## Who covers what", "## Who covers what at Acme")
    )
    project = project_from_options(fork, {"content": str(ROOT / "content"), "layers": ["company"]})
    pages = {p.page.path: p.markdown for p in generate(project).pages}
    assert "## Who covers what at Acme" in pages["teams/startup.md"]


def test_drift_in_a_shallow_clone_asks_for_the_whole_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI checkout fetches one commit by default, in which every file seems just added: drift
    says it cannot tell what upstream changed instead of reporting nothing to review."""
    from click.testing import CliRunner

    from generator.frontends.cli import main

    for variable in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{variable}_NAME", "Playbook Test")
        monkeypatch.setenv(f"GIT_{variable}_EMAIL", "test@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    fork = tmp_path / "fork"
    shutil.copytree(ROOT / "content", fork / "content")
    shutil.copy(ROOT / "mkdocs.yml", fork / "mkdocs.yml")
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(fork), "--org", "Nimbus Analytics"]).exit_code == 0

    def git(*args: str, where: Path = fork) -> None:
        subprocess.run(["git", *args], cwd=where, check=True, capture_output=True)

    git("init", "--quiet", "--initial-branch=main")
    git("add", ".")
    git("commit", "--quiet", "-m", "Our fork")
    git("clone", "--quiet", "--depth=1", fork.as_uri(), "ci", where=tmp_path)
    config = ["-f", str(tmp_path / "ci" / "mkdocs.yml")]
    assert runner.invoke(main, ["drift", *config]).output == (
        "error: company/playbook.yml: the commit that added it is older than this "
        "shallow clone's history, which drift compares upstream with; fetch the whole history "
        "(git fetch --unshallow, or fetch-depth: 0 for actions/checkout)\n"
    )
    git("fetch", "--quiet", "--unshallow", where=tmp_path / "ci")
    assert runner.invoke(main, ["drift", *config]).output == "no upstream change to review\n"


def test_roles_merged_in_a_circle_are_told_so(tmp_path: Path) -> None:
    found = overlay_errors(
        tmp_path,
        {
            "roles/data-analyst.yml": "merge_into: data-scientist\n",
            "roles/data-scientist.yml": "merge_into: data-analyst\n",
            "roles/report-writer.yml": "merge_into: report-writer\n",
        },
    )
    assert [line.split(": error: ")[1] for line in found if ": error: " in line] == [
        "roles merge in a circle: data-analyst → data-scientist → data-analyst (one role of "
        "the circle keeps its file: write merge_into in the others only)",
        "roles merge in a circle: data-scientist → data-analyst → data-scientist (one role of "
        "the circle keeps its file: write merge_into in the others only)",
        "role 'report-writer' cannot merge into itself (one role of the circle keeps its file: "
        "write merge_into in the others only)",
    ]
