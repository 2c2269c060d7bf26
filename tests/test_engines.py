"""The generated Markdown tree stands on its own: a plugin-free configuration builds it with plain
MkDocs and with Zensical (Material's successor, which runs no MkDocs plugins)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.frontends.cli import main

from conftest import ROOT


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project with a repository named, its tree generated into build/."""
    project = tmp_path_factory.mktemp("standalone")
    for folder in ("content", "docs", "templates", "site_overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.replace(
        "# repo_url: https://github.com/your-org/your-playbook",
        "repo_url: https://github.com/acme/playbook",
    )
    config = config.replace("# edit_uri: edit/main/", "edit_uri: edit/main/")
    (project / "mkdocs.yml").write_text(config)
    root = project / "build"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "-f",
            str(project / "mkdocs.yml"),
            "--out",
            str(root / "docs"),
            "--config",
            str(root / "mkdocs.yml"),
        ],
    )
    assert result.exit_code == 0, result.output
    return root


def test_the_standalone_configuration_has_no_playbook_plugin(standalone: Path) -> None:
    text = (standalone / "mkdocs.yml").read_text()
    assert "playbook" not in text.split("plugins:")[1].split("markdown_extensions:")[0]
    assert "docs_dir: docs" in text and "- About:" in text
    assert (standalone / "docs" / "content-model.md").is_file()  # hand-written pages too
    config = yaml.safe_load(text)
    assert config["theme"]["variant"] == "classic"  # Zensical's look that keeps the brand
    assert config["theme"]["custom_dir"] == "mkdocs.overrides"
    assert (standalone / "mkdocs.overrides" / "main.html").is_file()  # the project's own
    assert "/nav.yml" in config["exclude_docs"]
    assert config["edit_uri"] == "edit/main/docs/"  # hand-written pages are in docs/


def test_each_generated_page_names_its_yaml_for_edit_links(standalone: Path) -> None:
    role = (standalone / "docs" / "roles" / "data-scientist.md").read_text()
    assert role.startswith(
        "---\nedit_url: https://github.com/acme/playbook/edit/main/content/roles/data-scientist.yml\n"
    )


def test_plain_mkdocs_builds_the_tree(standalone: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(standalone / "mkdocs.yml"),
            "-d",
            str(standalone / "mkdocs-site"),
        ],
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    _check_standalone_site(standalone / "mkdocs-site")


def _check_standalone_site(site: Path) -> None:
    """Edit links at the YAML and at docs/, no nav.yml, no hidden tags shown."""
    role = (site / "roles" / "data-scientist" / "index.html").read_text()
    edit = re.compile(r'<a href="([^"]*)" title="Edit this page"')
    assert edit.findall(role) == [
        "https://github.com/acme/playbook/edit/main/content/roles/data-scientist.yml"
    ]
    hand_written = (site / "content-model" / "index.html").read_text()
    assert edit.findall(hand_written) == [
        "https://github.com/acme/playbook/edit/main/docs/content-model.md"
    ]
    assert not (site / "nav.yml").exists()
    assert ">Design</a>" in role  # a phase tag is shown
    assert "Also known as" not in role.split('class="md-tags"')[1].split("</nav>")[0]
    assert "(competency)" not in role.split('class="md-tags"')[1].split("</nav>")[0]


def test_zensical_builds_the_tree(standalone: Path) -> None:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if zensical is None:
        pytest.skip("Zensical is not installed (pip install zensical)")
    result = subprocess.run(
        [zensical, "build"], cwd=standalone, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = standalone / "site"
    for page in (
        "index.html",
        "roles/data-scientist/index.html",
        "handoffs/model-package-to-ml-engineering/index.html",
        "onboarding/data-scientist/index.html",
        "lifecycle/raci/index.html",
    ):
        assert (site / page).is_file(), page
    role = (site / "roles" / "data-scientist" / "index.html").read_text()
    assert "Onboarding checklist" in role and "pb-checklist" in role
    _check_standalone_site(site)
    assert "assets/stylesheets/classic/" in role


# -- the engine under `playbook build`: MkDocs or ProperDocs ---------------------------------------

_BUILD_AND_LIST_MODULES = """
import sys
import time
import urllib.request
from generator.frontends.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(sorted({m.__file__.split('site-packages')[-1].split('/')[1] for m in list(sys.modules.values())
              if getattr(m, '__file__', None) and 'site-packages' in m.__file__
              and m.__file__.split('site-packages')[-1].split('/')[1] in ('mkdocs', 'properdocs')}))
sys.exit(code)
"""


def _playbook(
    *args: str, engine: str | None = None, code: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
    if engine:
        env["PLAYBOOK_ENGINE"] = engine
    program = code or "from generator.frontends.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


@pytest.fixture(scope="module")
def two_engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("properdocs")
    root = tmp_path_factory.mktemp("engines")
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        sites[engine] = root / engine
        args = ["build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(sites[engine])]
        result = _playbook(*args, engine=engine, code=_BUILD_AND_LIST_MODULES)
        assert result.returncode == 0, result.stderr
        files = result.stdout.strip().splitlines()[-1]
        # ProperDocs answers for mkdocs.*: no module of the mkdocs package is loaded at all
        assert files == ("['properdocs']" if engine == "properdocs" else "['mkdocs']"), files
    return sites


def test_properdocs_builds_the_pages_mkdocs_builds(two_engines: dict[str, Path]) -> None:
    mkdocs, properdocs = two_engines["mkdocs"], two_engines["properdocs"]
    pages = sorted(p.relative_to(mkdocs) for p in mkdocs.rglob("*") if p.is_file())
    assert pages == sorted(p.relative_to(properdocs) for p in properdocs.rglob("*") if p.is_file())
    assert len(pages) > 150
    generator = re.compile(r'<meta name="generator" content="[^"]*">')
    for page in pages:
        if page.suffix != ".html":
            assert (mkdocs / page).read_bytes() == (properdocs / page).read_bytes(), page
            continue
        ours, theirs = ((site / page).read_text() for site in (mkdocs, properdocs))
        assert generator.sub("", ours) == generator.sub("", theirs), page
    role = (properdocs / "roles" / "data-scientist" / "index.html").read_text()
    assert "ProperDocs" in role and "pb-checklist" in role


def test_no_site_engine_is_one_line_and_exit_1() -> None:
    hide = "import sys; sys.modules['mkdocs'] = sys.modules['properdocs'] = None; "
    result = _playbook(
        "build",
        "-f",
        str(ROOT / "mkdocs.yml"),
        code=hide + "from generator.frontends.cli import main; main()",
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: no site engine (ProperDocs or MkDocs) is installed: "
        "pip install 'mlops-team-playbook[properdocs]'\n"
    )
    result = _playbook(
        "serve",
        "-f",
        str(ROOT / "mkdocs.yml"),
        "--engine",
        "properdocs",
        code="import sys; sys.modules['properdocs'] = None; from generator.frontends.cli import main; main()",
    )
    assert (result.returncode, result.stderr) == (
        1,
        "error: ProperDocs is not installed: pip install 'mlops-team-playbook[properdocs]'\n",
    )


def test_serve_with_zensical_writes_the_tree_again_on_save(small_tree: Path) -> None:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if zensical is None:
        pytest.skip("Zensical is not installed (pip install zensical)")
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", small_tree / "mkdocs.yml")
    (small_tree / "docs").mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = f"http://127.0.0.1:{port}/roles/owner/"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--engine",
            "zensical",
            "-a",
            f"127.0.0.1:{port}",
        ],
        cwd=small_tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "<h1" in _wait_for(page, "Product Owner")
        role = small_tree / "content" / "roles" / "owner.yml"
        role.write_text(role.read_text().replace("title: Product Owner", "title: Product Lead"))
        assert "Product Lead" in _wait_for(page, "Product Lead")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err
    with pytest.raises(OSError):  # Zensical's server stopped with it
        urllib.request.urlopen(page, timeout=5)


def _wait_for(url: str, text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                body = answer.read().decode()
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not served at {url} in {timeout} s: {body[:300]}")


# -- Backstage TechDocs ---------------------------------------------------------------------------


def _techdocs_python() -> str:
    """A Python with mkdocs-techdocs-core: $TECHDOCS_PYTHON (make engines sets up one, since
    techdocs-core pins its own Material), else this one if it has it."""
    given = os.environ.get("TECHDOCS_PYTHON")
    if given:
        return given
    if importlib.util.find_spec("techdocs_core") is None:
        pytest.skip("mkdocs-techdocs-core is not installed (make engines sets up .venv-techdocs)")
    return sys.executable


def test_techdocs_builds_the_playbook_and_says_what_does_not_work_there(tmp_path: Path) -> None:
    python = _techdocs_python()
    for folder in ("content", "docs", "templates", "site_overrides"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.replace("plugins:\n", "plugins:\n  - techdocs-core\n", 1)
    config = config.replace(
        "      templates: [templates]\n", "      templates: [templates]\n      techdocs: true\n"
    )
    (tmp_path / "mkdocs.yml").write_text(config)
    result = subprocess.run(
        [python, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_MKDOCS_2_WARNING": "1",
            "DISABLE_MKDOCS_2_WARNING": "true",
        },
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    assert (site / "techdocs_metadata.json").is_file()  # techdocs-core ran
    pages = list(site.rglob("index.html"))
    assert len(pages) > 140
    note = "Ticking works on the playbook"
    pack = (site / "onboarding" / "data-scientist" / "index.html").read_text()
    assert note in pack and "playbook checklist ROLE" in pack and "pb-checklist" in pack
    assert note not in (site / "index.html").read_text()  # only where there are boxes
    with_boxes = [p for p in pages if 'class="pb-checklist"' in p.read_text()]
    assert with_boxes and all(note in p.read_text() for p in with_boxes)


def test_init_writes_a_backstage_entity_techdocs_builds(tmp_path: Path) -> None:
    fork = tmp_path / "fork"
    fork.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", fork / "mkdocs.yml")
    result = CliRunner().invoke(
        main, ["init", str(fork), "--org", 'Acme "Labs"', "--layer", "acme"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote catalog-info.yaml" in result.output
    entity = yaml.safe_load((fork / "catalog-info.yaml").read_text())
    assert entity["kind"] == "Component" and entity["spec"]["type"] == "documentation"
    assert entity["metadata"]["annotations"] == {"backstage.io/techdocs-ref": "dir:."}
    assert entity["metadata"]["name"] == "acme-playbook"
    assert entity["metadata"]["title"] == 'Acme "Labs"\'s team playbook'
