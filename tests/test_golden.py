"""The generated Markdown tree of the small fixture, compared with the checked-in copy.

Run ``pytest tests/test_golden.py --update-golden`` after an intended change, then review the
diff of tests/golden/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import generate
from generator.pipeline.emit import MANIFEST, emit
from generator.project import project_from_options

from conftest import ROOT, SMALL

GOLDEN = ROOT / "tests" / "golden" / "small"


def test_generated_tree_matches_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    generated = generate(project_from_options(SMALL, {}))
    out = tmp_path / "out"
    emit(generated.pages, generated.plan.nav, out)
    (out / MANIFEST).unlink()
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text() for p in GOLDEN.rglob("*") if p.is_file()
    }
    actual = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
    assert sorted(actual) == sorted(expected)
    for name, text in expected.items():
        assert actual[name] == text, f"{name} differs from tests/golden/small/{name}"
