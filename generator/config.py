"""Where a project keeps its content and templates, read from the ``playbook`` plugin's entry
in ``mkdocs.yml`` so that the CLI and ``mkdocs build`` always agree.

MkDocs is not imported: ``mkdocs.yml`` is read as plain YAML, with MkDocs' and Python's custom
tags (``!ENV``, ``!!python/name:``) accepted and ignored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .errors import PlaybookError, one_line
from .fsio import path_problem
from .pipeline import Project

__all__ = [
    "DEFAULT_CONTENT",
    "DEFAULT_TEMPLATES",
    "load_mkdocs_yml",
    "project_from_options",
    "read_project",
]

DEFAULT_CONTENT = "content"
DEFAULT_TEMPLATES = ("templates",)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; a tagged value is kept as plain data, never constructed."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def read_project(config_file: Path) -> Project:
    """The project described by ``config_file`` (an ``mkdocs.yml``), or defaults if absent."""
    root = config_file.resolve().parent
    options: dict[str, Any] = {}
    if config_file.is_file():
        options = _plugin_options(load_mkdocs_yml(config_file))
    return project_from_options(root, options)


def load_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    """The settings in ``config_file`` as plain data."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PlaybookError(f"{config_file.name}: cannot read it: {one_line(str(exc))}") from None
    except RecursionError:
        raise PlaybookError(f"{config_file.name}: cannot read it: nested too deeply") from None
    return config if isinstance(config, dict) else {}


def project_from_options(root: Path, options: dict[str, Any]) -> Project:
    """The project the ``playbook`` plugin's options describe; a wrong option is an error that
    names it (these options come from ``mkdocs.yml``, which MkDocs itself checks only when it
    builds)."""
    content = _folder(options, "content") or DEFAULT_CONTENT
    templates = _folders(options, "templates") or list(DEFAULT_TEMPLATES)
    layers = _folders(options, "layers")
    return Project(
        root=root,
        content_dir=_inside(root, "content", content),
        template_dirs=tuple(_inside(root, "templates", folder) for folder in templates),
        layers=tuple(_inside(root, "layers", folder) for folder in layers),
    )


def _inside(root: Path, name: str, folder: str) -> Path:
    """The absolute path of a folder an option names. mkdocs.yml is code, reviewed as code: it
    may name a folder outside the project in so many words (``../../content``, as the example
    fork does), but no folder may lead elsewhere through a link, which a pull request that
    changes only content could add."""
    written = Path(os.path.abspath(root / folder))
    problem = path_problem(written, root if written.is_relative_to(root) else written.parent)
    if problem:
        raise PlaybookError(
            f"mkdocs.yml: error: the playbook plugin's '{name}' folder '{folder}': {problem}"
        )
    return written.resolve()


def _folder(options: dict[str, Any], name: str) -> str | None:
    value = options.get(name)
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise PlaybookError(
        f"mkdocs.yml: the playbook plugin's '{name}' should be a folder, not {value!r}"
    )


def _folders(options: dict[str, Any], name: str) -> list[str]:
    value = options.get(name)
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return value
    example = f"[{value}]" if isinstance(value, str) else "[company]"
    raise PlaybookError(
        f"mkdocs.yml: the playbook plugin's '{name}' should be a list of folders, "
        f"e.g. {name}: {example}, not {value!r}"
    )


def _plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [next(iter(p.items())) if isinstance(p, dict) and p else (p, {}) for p in plugins]
    else:
        entries = []
    for name, options in entries:
        if name == "playbook":
            if options is None or isinstance(options, dict):
                return options or {}
            raise PlaybookError("mkdocs.yml: the playbook plugin's options should be a mapping")
    return {}
