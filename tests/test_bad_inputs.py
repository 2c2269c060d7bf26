"""The bad-input corpus: each file in tests/bad_inputs/ changes the small fixture's content and
records the exact messages and exit code of ``playbook validate``.

Run ``pytest tests/test_bad_inputs.py --update-golden`` to rewrite the expected part after an
intended change, then review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.frontends.cli import main

from conftest import ROOT, SMALL

CASES = sorted((ROOT / "tests" / "bad_inputs").glob("*.yml"))


class _Dumper(yaml.SafeDumper):
    pass


def _block_strings(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _block_strings)


def apply(case: dict[str, Any], root: Path) -> None:
    for relative, text in (case.get("files") or {}).items():
        path = root / "content" / relative
        if text is None:
            path.unlink()
        elif isinstance(text, dict) and "bytes" in text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes.fromhex(text["bytes"]))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
def test_bad_input(case_file: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    root = tmp_path / "project"
    shutil.copytree(SMALL, root)
    apply(case, root)
    result = CliRunner().invoke(main, ["validate", "-f", str(root / "mkdocs.yml")])
    actual = {"exit_code": result.exit_code, "output": result.stderr}
    if request.config.getoption("--update-golden"):
        case["expected"] = actual
        case_file.write_text(
            yaml.dump(case, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
    assert "Traceback" not in result.output
    assert actual == case["expected"]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
