"""``playbook init``: turn a clone of the playbook into an organisation's fork.

Writes an overlay folder with one worked example of each kind of change, a README for the fork,
publishing workflows for GitHub Pages and GitLab Pages, a pre-commit configuration, and names
the overlay in mkdocs.yml. Existing files are never overwritten.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .drift import SNAPSHOTS
from .emit import write_if_changed
from .errors import PlaybookError

__all__ = ["init_fork"]

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
_PLUGIN_LINE = re.compile(r"^(?P<indent>\s*)- playbook(?P<colon>:?)\s*$", re.M)


def init_fork(directory: Path, org: str, layer: str = "company") -> tuple[list[str], list[str]]:
    """Scaffold the fork in ``directory``; return the files written and those left as they were."""
    config = directory / "mkdocs.yml"
    if not config.is_file():
        raise PlaybookError(f"{config}: not found; run init in a clone of the playbook")
    written, kept = [], []
    for source in sorted(p for p in SCAFFOLD.rglob("*") if p.is_file()):
        relative = source.relative_to(SCAFFOLD).as_posix()
        if relative.startswith("company/"):
            relative = f"{layer}/{relative.removeprefix('company/')}"
        target = directory / relative
        if target.exists():
            kept.append(relative)
            continue
        text = source.read_text(encoding="utf-8").replace("{org}", org)
        write_if_changed(target, text.encode("utf-8"))
        written.append(relative)
        _snapshot(directory, layer, relative)
    if _name_layer(config, layer):
        written.append("mkdocs.yml")
    return written, kept


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
