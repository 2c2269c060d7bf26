"""The site engine under ``playbook build`` and ``playbook serve``: which one runs, its
configuration, logging and build, with the pages the pipeline already generated. The command
and the live preview reach the engine through this module only; the generator's core never
does.

Two engines run the ``playbook`` plugin: MkDocs 1.6 and ProperDocs, its continuation by former
MkDocs maintainers. ProperDocs answers imports of ``mkdocs.*`` with its own modules once
``properdocs.replacement`` is imported (that is how Material and every other MkDocs plugin run
on it), so the plugin and the preview are written once, against ``mkdocs.*``, and
:func:`use_engine` decides, before anything imports them, which engine those names mean:
the one named by ``--engine`` or ``PLAYBOOK_ENGINE``, else ProperDocs when it is installed
(Material needs the ``mkdocs`` package, so ProperDocs installed means it was chosen), else
MkDocs.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build import Generated
from ..errors import PlaybookError
from ..pipeline.emit import replaced_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = [
    "ENGINES",
    "ENGINE_VARIABLE",
    "Engine",
    "build_site",
    "load_config",
    "run_build",
    "show_engine_messages",
    "use_engine",
]

ENGINES = ("properdocs", "mkdocs")  # in the order they are looked for
ENGINE_VARIABLE = "PLAYBOOK_ENGINE"
INSTALL = {
    "properdocs": "pip install 'mlops-team-playbook[properdocs]'",
    "mkdocs": "pip install mlops-team-playbook",
}
_LABELS = {"properdocs": "ProperDocs", "mkdocs": "MkDocs"}


@dataclass(frozen=True)
class Engine:
    name: str  # the package: "mkdocs" or "properdocs"
    version: str

    @property
    def label(self) -> str:
        return f"{_LABELS[self.name]} {self.version}"


_chosen: Engine | None = None


def use_engine(name: str | None = None) -> Engine:
    """Choose the engine (``name``, else ``PLAYBOOK_ENGINE``, else the first of
    :data:`ENGINES` installed) and make ``mkdocs.*`` mean it from now on. A process keeps the
    engine it first used."""
    global _chosen
    wanted = (name or os.environ.get(ENGINE_VARIABLE, "")).strip().lower() or None
    if wanted is not None and wanted not in ENGINES:
        raise PlaybookError(
            f"unknown site engine '{wanted}' (choose {' or '.join(sorted(ENGINES))})"
        )
    if _chosen is not None and wanted in (None, _chosen.name):
        return _chosen
    found = [e for e in ([wanted] if wanted else ENGINES) if _installed(e)]
    if not found:
        if wanted:
            raise PlaybookError(f"{_LABELS[wanted]} is not installed: {INSTALL[wanted]}")
        raise PlaybookError(
            f"no site engine (ProperDocs or MkDocs) is installed: {INSTALL['properdocs']}"
        )
    engine = found[0]
    loaded = sys.modules.get("mkdocs")
    running = None if loaded is None else loaded.__name__  # "properdocs" once replaced
    if _chosen is not None or (running is not None and running != engine):
        raise PlaybookError(
            f"{_LABELS[running or engine]} is already running in this process; "
            f"set {ENGINE_VARIABLE}={engine} before it starts"
        )
    if engine == "properdocs":
        importlib.import_module("properdocs.replacement")
    _chosen = Engine(engine, _version(engine))
    return _chosen


def _installed(engine: str) -> bool:
    if engine == "mkdocs" and getattr(sys.modules.get("mkdocs"), "__name__", "") == "properdocs":
        return False  # mkdocs.* already means ProperDocs here
    try:
        return importlib.util.find_spec(engine) is not None
    except (ImportError, ValueError):
        return False


def _version(engine: str) -> str:
    try:
        return version(engine)
    except PackageNotFoundError:
        return "?"


def load_config(config_file: Path, **options: Any) -> MkDocsConfig:
    """The engine's configuration from ``config_file``, with ``options`` over it."""
    from mkdocs.config import load_config as load

    return load(str(config_file), **options)


def run_build(config: MkDocsConfig, *, serve_url: str | None = None, dirty: bool = False) -> None:
    """The engine's own build of ``config``."""
    from mkdocs.commands.build import build

    build(config, serve_url=serve_url, dirty=dirty)


def build_site(
    config_file: Path, site_dir: Path | None, strict: bool, generated: Generated
) -> Path:
    """Build the site into ``site_dir`` (default: the configuration's), replacing the folder
    only once the build succeeded; the pages are ``generated``, so the pipeline runs once."""
    use_engine()
    target = site_dir or Path(load_config(config_file).site_dir)
    with replaced_site(target, config_file.resolve().parent) as staging:
        config = load_config(config_file, site_dir=str(staging), strict=strict)
        _build(config, generated)
    return target


def _build(config: MkDocsConfig, generated: Generated) -> None:
    """The engine's build, as its own ``build`` command runs it, with the pages given to the
    ``playbook`` plugin: their problems were reported the command's way already."""
    from .plugin import PlaybookPlugin

    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins.get("playbook")
    if isinstance(plugin, PlaybookPlugin):
        plugin.give(generated)
    try:
        run_build(config)
    finally:
        config.plugins.on_shutdown()


def show_engine_messages() -> None:
    """Show the engine's messages as its own commands do (warnings count under --strict).
    ProperDocs logs as ``properdocs`` and counts warnings there; plugins log as ``mkdocs``,
    which its command makes a child of ``properdocs``, and so does this."""
    engine = use_engine()
    logger = logging.getLogger(engine.name)
    logger.handlers = [h for h in logger.handlers if not isinstance(h.formatter, _LevelFormatter)]
    handler = logging.StreamHandler()
    handler.setFormatter(_LevelFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    if engine.name == "properdocs":
        logger.propagate = False
        legacy = logging.getLogger("mkdocs")
        legacy.parent = logger
        legacy.setLevel(logging.NOTSET)
        legacy.propagate = True


class _LevelFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"
