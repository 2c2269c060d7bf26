"""The playbook command: exit codes, messages, and no traceback for bad content."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.frontends.cli import main

from conftest import ROOT, WriteTree

BAD_HANDOFF = """id: model-to-engineering
title: Model package
from: scientist
to: ml-enginer
phase: build
summary: The model.
artefacts: [{name: Model package}]
done: [{id: installs, text: It installs.}]
"""


def run(tree: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "-f", str(tree / "mkdocs.yml")])
    return result.exit_code, result.stdout, result.stderr


def test_validate_reports_counts(small_tree: Path) -> None:
    code, out, err = run(small_tree, "validate")
    assert (code, err) == (0, "")
    assert out.endswith(
        "ok: 3 roles, 2 phases, 2 handoffs, 1 guides, 1 team shapes, 0 artefacts, 2 glossary terms\n"
    )


def test_an_unknown_role_exits_1_with_file_line_and_hint(write_tree: WriteTree) -> None:
    project = write_tree({"handoffs/model-to-engineering.yml": BAD_HANDOFF})
    code, out, err = run(project.root, "validate")
    assert code == 1 and out == ""
    assert err == (
        "content/handoffs/model-to-engineering.yml:4:5: error: unknown role 'ml-enginer' "
        "(did you mean 'engineer'?)\n1 error(s); nothing was written\n"
    )


def test_generate_writes_the_tree_then_only_changes(small_tree: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run(small_tree, "generate", "--out", str(out_dir))
    assert code == 0 and out.endswith(": 34 written, 0 unchanged, 0 removed\n")
    assert (out_dir / "roles" / "owner.md").read_text().startswith("---\ntitle: Product Owner\n")
    code, out, _ = run(small_tree, "generate", "--out", str(out_dir))
    assert out.endswith(": 0 written, 34 unchanged, 0 removed\n")


def test_generate_with_bad_content_writes_nothing(write_tree: WriteTree, tmp_path: Path) -> None:
    project = write_tree({"handoffs/model-to-engineering.yml": BAD_HANDOFF})
    code, _, _ = run(project.root, "generate", "--out", str(tmp_path / "out"))
    assert code == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args", [["generate"], ["validate", "--nope"], ["frobnicate"], ["build", "--strict=maybe"]]
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(main, args).exit_code == 2


def test_help_and_version() -> None:
    for command in ("validate", "generate", "build", "serve"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Usage: main " + command in result.output
    assert CliRunner().invoke(main, ["--version"]).output.startswith("playbook, version ")


def test_bad_content_never_prints_a_traceback(write_tree: WriteTree) -> None:
    project = write_tree({"roles/owner.yml": "id: owner\ntitle: [unclosed\n"})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-f", str(project.root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("content/roles/owner.yml:3:1: error: YAML syntax:")


def test_a_failed_build_leaves_the_previous_site_intact(small_tree: Path) -> None:
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", small_tree / "mkdocs.yml")
    (small_tree / "docs").mkdir()
    site = small_tree / "site"
    code, _, err = run(small_tree, "build", "--site-dir", str(site))
    assert code == 0, err
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert site / "roles" / "owner" / "index.html" in before

    role = small_tree / "content" / "roles" / "owner.yml"
    role.write_text(role.read_text().replace("category: business", "category: busines"))
    code, _, err = run(small_tree, "build", "--site-dir", str(site))
    assert code == 1 and "content/roles/owner.yml:4:11: error: category:" in err

    role.write_text(role.read_text().replace("category: busines", "category: business"))
    (small_tree / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](missing.md)\n")
    code, _, err = run(small_tree, "build", "--site-dir", str(site))
    assert code == 1 and "Aborted with 1 warnings in strict mode" in err

    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in small_tree.iterdir() if p.name.startswith(".site")) == []


def test_build_reads_each_content_file_once(
    small_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.pipeline.load

    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", small_tree / "mkdocs.yml")
    (small_tree / "docs").mkdir()
    reads: list[str] = []
    load_file = generator.pipeline.load.load_file

    def counted(path: Path, display: str, relative: str) -> object:
        reads.append(relative)
        return load_file(path, display, relative)

    monkeypatch.setattr(generator.pipeline.load, "load_file", counted)
    code, _, err = run(small_tree, "build", "--site-dir", str(small_tree / "site"))
    assert code == 0, err
    assert sorted(reads) == sorted(set(reads)) and "roles/owner.yml" in reads
    assert (small_tree / "site" / "roles" / "owner" / "index.html").is_file()


def test_a_bug_keeps_its_traceback(small_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.build

    def broken(*args: object) -> None:
        raise RuntimeError("a bug, not bad content")

    monkeypatch.setattr(generator.build, "plan_site", broken)
    shutil.copy(ROOT / "tests" / "fixtures" / "mkdocs.yml", small_tree / "mkdocs.yml")
    result = CliRunner().invoke(main, ["build", "-f", str(small_tree / "mkdocs.yml")])
    assert isinstance(result.exception, RuntimeError)
