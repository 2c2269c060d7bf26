"""The project: where a playbook keeps its content, overlays and templates, read from the
``playbook`` plugin's entry in ``mkdocs.yml`` so that the CLI and ``mkdocs build`` always agree.

MkDocs is not imported: ``mkdocs.yml`` is read as plain YAML, with MkDocs' and Python's custom
tags (``!ENV``, ``!!python/name:``) accepted and ignored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import PlaybookError, one_line
from .fsio import inside, path_problem

__all__ = [
    "DEFAULT_CONTENT",
    "DEFAULT_TEMPLATES",
    "EXAMPLES",
    "Project",
    "builtin_templates",
    "generator_page",
    "load_mkdocs_yml",
    "page_addressing",
    "project_from_options",
    "read_project",
]

# An overlay's folder of worked examples: never read, so nothing in it is published until it is
# moved into the overlay proper.
EXAMPLES = "examples"


def builtin_templates() -> Path:
    """The page templates that ship with the generator: ``_templates`` in the package, a link
    to the project's ``templates/`` in a checkout, which a built wheel carries as files."""
    return Path(__file__).resolve().parent / "_templates"


@dataclass(frozen=True)
class Project:
    """Where a playbook's content and templates are; paths are absolute."""

    root: Path
    content_dir: Path
    template_dirs: tuple[Path, ...] = ()
    layers: tuple[Path, ...] = ()  # a fork's overlay folders, applied in order

    @property
    def search_path(self) -> list[Path]:
        """Template folders in lookup order: each overlay's ``templates/`` (the last overlay
        first, as its content wins too), the project's own, then the built-in ones."""
        overlays = [layer / "templates" for layer in reversed(self.layers)]
        found = [inside(f, self.root) for f in overlays if f.is_dir()]
        return [*found, *self.template_dirs, builtin_templates()]

    @property
    def watched(self) -> list[Path]:
        folders = [self.content_dir, *self.layers, *self.template_dirs]
        return [folder for folder in folders if folder.is_dir()]


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


def generator_page(text: str) -> bool:
    """Whether the hand-written page ``text`` is the generator's own (its content model, the
    fork guide, the benchmarks), by ``generator_page: true`` in its front matter: a fork
    publishes those only when its playbook.yml says ``generator_pages: true``."""
    if not text.startswith("---\n"):
        return False
    front, found, _ = text[4:].partition("\n---")
    try:
        meta = yaml.safe_load(front) if found else None
    except yaml.YAMLError:
        return False
    return isinstance(meta, dict) and meta.get("generator_page") is True


def page_addressing(config_file: Path) -> tuple[bool, str]:
    """How the site publishes a page, as ``mkdocs.yml`` says: whether each page is a folder of
    its own (``use_directory_urls``), and the site's address, if it names one."""
    site = load_mkdocs_yml(config_file) if config_file.is_file() else {}
    return site.get("use_directory_urls", True) is not False, str(site.get("site_url") or "")


def load_mkdocs_yml(
    config_file: Path, loader: type[yaml.SafeLoader] = _TolerantLoader
) -> dict[str, Any]:
    """The settings in ``config_file`` as plain data (``loader`` says what a tagged value
    becomes: by default its plain data)."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=loader)
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
