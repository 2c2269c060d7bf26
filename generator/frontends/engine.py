"""The site engine under ``playbook build`` and ``playbook serve``: MkDocs' configuration,
logging and build, with the pages the pipeline already generated. The command and the live
preview reach the engine through this module only; the generator's core never does.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import Generated
from ..pipeline.emit import replaced_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["build_site", "show_engine_messages"]


def build_site(
    config_file: Path, site_dir: Path | None, strict: bool, generated: Generated
) -> Path:
    """Build the site into ``site_dir`` (default: the configuration's), replacing the folder
    only once the build succeeded; the pages are ``generated``, so the pipeline runs once."""
    from mkdocs.config import load_config

    target = site_dir or Path(load_config(str(config_file)).site_dir)
    with replaced_site(target, config_file.resolve().parent) as staging:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        _build(config, generated)
    return target


def _build(config: MkDocsConfig, generated: Generated) -> None:
    """The engine's build, as its own ``build`` command runs it, with the pages given to the
    ``playbook`` plugin: their problems were reported the command's way already."""
    from mkdocs.commands.build import build

    from .plugin import PlaybookPlugin

    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins.get("playbook")
    if isinstance(plugin, PlaybookPlugin):
        plugin.give(generated)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def show_engine_messages() -> None:
    """Show the engine's messages as its own commands do (warnings count under --strict)."""
    logger = logging.getLogger("mkdocs")
    logger.handlers = [h for h in logger.handlers if not isinstance(h.formatter, _LevelFormatter)]
    handler = logging.StreamHandler()
    handler.setFormatter(_LevelFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


class _LevelFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"
