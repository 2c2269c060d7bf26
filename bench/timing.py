"""Time the generator in process: ``generator.build.generate`` and then ``emit``.

``bench/run.py`` starts this in a fresh interpreter for every measurement, so imports are not
counted and memory is per run. It prints one JSON object: the total seconds from load to emit
and the seconds spent in each stage. The stages are timed by wrapping the functions
``generate`` calls (``check``, ``plan_site``, ``Renderer.render_all``), so the numbers follow
whatever ``generate`` does without repeating its code here.

    .venv/bin/python bench/timing.py PROJECT/mkdocs.yml OUT_DIR
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from generator import build
from generator.pipeline.emit import emit
from generator.pipeline.render import Renderer
from generator.project import read_project

F = TypeVar("F", bound=Callable[..., Any])


def _timed(name: str, spent: dict[str, float], function: F) -> F:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    return wrapper  # type: ignore[return-value]


def measure(config_file: Path, out_dir: Path) -> dict[str, Any]:
    """Run generate + emit once; return the total and per-stage seconds and the page count."""
    spent: dict[str, float] = {}
    wrapped: list[tuple[object, str, str]] = [
        (build, "check", "load+validate+link"),
        (build, "plan_site", "plan"),
        (Renderer, "render_all", "render"),
    ]
    for owner, name, label in wrapped:
        setattr(owner, name, _timed(label, spent, getattr(owner, name)))

    project = read_project(config_file)
    start = time.perf_counter()
    generated = build.generate(project)
    rendered = time.perf_counter()
    emit(generated.pages, generated.plan.nav, out_dir)
    end = time.perf_counter()
    spent["emit"] = end - rendered
    return {
        "seconds": end - start,
        "stages": spent,
        "pages": len(generated.pages),
        "warnings": len(generated.warnings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_file", type=Path, help="the project's mkdocs.yml")
    parser.add_argument("out_dir", type=Path, help="folder to emit the Markdown tree into")
    args = parser.parse_args()
    print(json.dumps(measure(args.config_file, args.out_dir)))


if __name__ == "__main__":
    main()
