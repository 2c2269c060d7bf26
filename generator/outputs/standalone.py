"""A configuration for the generated Markdown tree alone, for engines that run no MkDocs plugin.

``playbook generate --out DIR --config FILE`` writes the pages to DIR, copies the hand-written
pages beside them, and writes FILE: the project's mkdocs.yml without the ``playbook`` plugin,
with DIR as ``docs_dir`` and the planned navigation spelled out. Plain ``mkdocs build`` and
Zensical (Material's successor, which reads mkdocs.yml but runs no plugins) build it as it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..fsio import files_under, inside
from ..pipeline.emit import write_if_changed
from ..pipeline.plan import HAND_WRITTEN, NavItem, with_hand_written
from ..project import generator_page, load_mkdocs_yml

__all__ = ["write_standalone"]


def write_standalone(
    mkdocs_yml: Path,
    out_dir: Path,
    nav: list[NavItem],
    target: Path,
    generator_pages: bool = True,
) -> list[str]:
    """Write ``target``; return the hand-written pages copied into ``out_dir`` (without the
    generator's own unless ``generator_pages``)."""
    config = load_mkdocs_yml(mkdocs_yml)
    source_root = mkdocs_yml.resolve().parent
    target_root = target.resolve().parent
    docs = inside(source_root / str(config.get("docs_dir", "docs")), source_root)
    copied = _copy_hand_written(docs, source_root, out_dir, generator_pages)
    nav = with_hand_written(nav, copied, HAND_WRITTEN)
    config["docs_dir"] = _relative(out_dir.resolve(), target_root)
    config["nav"] = nav
    config["plugins"] = [p for p in config.get("plugins") or [] if _plugin_name(p) != "playbook"]
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        custom = (source_root / str(theme["custom_dir"])).resolve()
        theme["custom_dir"] = _relative(custom, target_root)
    text = "# Written by `playbook generate`; edit mkdocs.yml instead.\n" + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False
    )
    write_if_changed(target, text.encode("utf-8"))
    return copied


def _copy_hand_written(
    docs_dir: Path, root: Path, out_dir: Path, generator_pages: bool
) -> list[str]:
    """Copy the files of ``docs_dir`` into ``out_dir``: none that is a link out of the project,
    which would publish whatever it leads to, and none of the generator's own pages unless
    ``generator_pages``."""
    copied: list[str] = []
    if not docs_dir.is_dir():
        return copied
    for path in sorted(files_under(docs_dir)):
        relative = path.relative_to(docs_dir).as_posix()
        data = inside(path, root).read_bytes()
        own = path.suffix == ".md" and generator_page(data.decode("utf-8", errors="replace"))
        if own and not generator_pages:
            continue
        write_if_changed(out_dir / relative, data)
        if path.suffix == ".md":
            copied.append(relative)
    return copied


def _plugin_name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()
