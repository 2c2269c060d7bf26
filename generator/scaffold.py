"""``playbook init``: turn a clone of the playbook into an organisation's fork.

Writes an overlay folder with one worked example of each kind of change, a README for the fork,
publishing workflows for GitHub Pages and GitLab Pages, a pre-commit configuration, and names
the overlay in mkdocs.yml. Existing files are never overwritten.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from .drift import SNAPSHOTS
from .emit import write_if_changed
from .errors import PlaybookError

__all__ = ["init_fork"]

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
_PLUGIN_LINE = re.compile(r"^(?P<indent>\s*)- playbook(?P<colon>:?)\s*$", re.M)
_LAYER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Folders of the project itself, never an overlay.
_NOT_LAYERS = {"content", "templates", "docs", "site", "site_overrides", "generator", "tests"}
# A line of a YAML file whose value names the organisation: the value is written quoted.
_YAML_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+: )(.*\{org\}.*)$", re.M)


def init_fork(directory: Path, org: str, layer: str = "company") -> tuple[list[str], list[str]]:
    """Scaffold the fork in ``directory``; return the files written and those left as they were."""
    config = directory / "mkdocs.yml"
    if not config.is_file():
        raise PlaybookError(f"{config}: not found; run init in a clone of the playbook")
    _check(org, layer)
    written, kept = [], []
    for source in sorted(p for p in SCAFFOLD.rglob("*") if p.is_file()):
        relative = source.relative_to(SCAFFOLD).as_posix()
        if relative.startswith("company/"):
            relative = f"{layer}/{relative.removeprefix('company/')}"
        target = directory / relative
        if target.exists():
            kept.append(relative)
            continue
        text = _filled(source.read_text(encoding="utf-8"), org, source.suffix == ".yml")
        write_if_changed(target, text.encode("utf-8"))
        written.append(relative)
        _snapshot(directory, layer, relative)
    if _name_layer(config, layer):
        written.append("mkdocs.yml")
    return written, kept


def _check(org: str, layer: str) -> None:
    if not _LAYER.fullmatch(layer) or layer in _NOT_LAYERS:
        raise PlaybookError(
            f"--layer '{layer}': name a new folder at the project's top, in letters, digits, "
            f"'-' and '_' (not one of {', '.join(sorted(_NOT_LAYERS))})"
        )
    if not org.strip() or not org.isprintable():
        raise PlaybookError("--org: give the organisation's name as one line of text")


def _filled(text: str, org: str, yaml_file: bool) -> str:
    """A scaffold file with the organisation's name in it; in YAML, as a quoted value, so that
    no name can add keys or change the file's structure."""
    if not yaml_file:
        return text.replace("{org}", org)
    return _YAML_VALUE.sub(
        lambda line: line.group(1) + json.dumps(line.group(2).replace("{org}", org)), text
    )


def _snapshot(directory: Path, layer: str, relative: str) -> None:
    """Record the upstream file an example changes, as the base ``playbook drift`` compares."""
    inside = relative.removeprefix(f"{layer}/")
    upstream = directory / "content" / inside
    if relative.startswith(f"{layer}/") and upstream.is_file():
        snapshot = directory / layer / SNAPSHOTS / inside
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(upstream, snapshot)


def _name_layer(config: Path, layer: str) -> bool:
    """Add the overlay to the playbook plugin's options in mkdocs.yml, keeping the rest as is."""
    text = config.read_text(encoding="utf-8")
    if re.search(r"^\s*layers:", text, re.M):
        return False
    match = _PLUGIN_LINE.search(text)
    if match is None:
        raise PlaybookError(f"{config}: no '- playbook' plugin entry to add the overlay to")
    indent = match.group("indent") + "    "
    line = f"{match.group('indent')}- playbook:\n{indent}layers: [{layer}]\n"
    config.write_text(text[: match.start()] + line + text[match.end() + 1 :], encoding="utf-8")
    return True
