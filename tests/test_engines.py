"""The generated Markdown tree stands on its own: a plugin-free configuration builds it with plain
MkDocs and with Zensical (Material's successor, which runs no MkDocs plugins)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.frontends.cli import main

from conftest import ROOT


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("standalone")
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "-f",
            str(ROOT / "mkdocs.yml"),
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
    assert (standalone / "mkdocs-site" / "roles" / "data-scientist" / "index.html").is_file()


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
