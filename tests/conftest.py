"""Shared helpers: content trees built from dicts in tmp_path, and the bundled project."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import project_from_options
from generator.pipeline import Project

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "small"

WriteTree = Callable[..., Project]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the fixtures"
    )


@pytest.fixture
def small_tree(tmp_path: Path) -> Path:
    """A copy of the small fixture project that a test may change."""
    target = tmp_path / "small"
    shutil.copytree(SMALL, target)
    return target


@pytest.fixture
def write_tree(small_tree: Path) -> WriteTree:
    """Change files of the small fixture (None removes one) and return its project."""

    def write(files: dict[str, str | bytes | None] | None = None, **options: object) -> Project:
        for relative, text in (files or {}).items():
            path = small_tree / "content" / relative
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return project_from_options(small_tree, dict(options))

    return write


def chromium_or_skip() -> str:
    """Chromium's path; browser tests skip without it, except in CI, where they must run."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI (apt-get install chromium)")
    pytest.skip("Chromium is not installed")
