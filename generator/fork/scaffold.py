"""``playbook init``: turn a clone of the playbook into an organisation's fork.

Writes an overlay folder holding the organisation's name and, in its ``examples/`` folder (which
no build reads), one worked example of each kind of change; a README for the fork; publishing
workflows for GitHub Pages and GitLab Pages; a pre-commit configuration; a ``catalog-info.yaml``
that makes the playbook a Backstage entity TechDocs publishes; and names the overlay in
mkdocs.yml. Existing files are never overwritten, and the files written are listed in
``.playbook-init`` so that running ``init`` again never brings back one the fork deleted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..content.prose import possessive
from ..errors import PlaybookError
from ..pipeline.emit import write_if_changed

__all__ = ["INIT_MANIFEST", "InitReport", "init_fork"]

SCAFFOLD = Path(__file__).resolve().parent / "scaffold_files"
INIT_MANIFEST = ".playbook-init"
_MANIFEST_HEADER = (
    "# Files `playbook init` wrote. It never writes them again, so a file you delete stays\n"
    "# deleted; take a line out to have that file written anew by the next `playbook init`.\n"
)
_PLUGIN_LINE = re.compile(r"^(?P<indent>\s*)- playbook(?P<colon>:?)\s*$", re.M)
_LAYER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Folders of the project itself, never an overlay.
_NOT_LAYERS = {"content", "templates", "docs", "site", "site_overrides", "generator", "tests"}


@dataclass
class InitReport:
    """What ``init`` did with each file of the scaffold, as paths relative to the fork."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there: left as it is
    deleted: list[str] = field(default_factory=list)  # written before, deleted since: left out


def init_fork(directory: Path, org: str, layer: str = "company") -> InitReport:
    """Scaffold the fork in ``directory`` for the organisation ``org``."""
    config = directory / "mkdocs.yml"
    if not config.is_file():
        raise PlaybookError(f"{config}: not found; run init in a clone of the playbook")
    _check(org, layer)
    manifest = directory / INIT_MANIFEST
    recorded = _read_manifest(manifest)
    report = InitReport()
    for source in sorted(p for p in SCAFFOLD.rglob("*") if p.is_file()):
        relative = source.relative_to(SCAFFOLD).as_posix()
        if relative.startswith("company/"):
            relative = f"{layer}/{relative.removeprefix('company/')}"
        target = directory / relative
        if target.exists():
            report.kept.append(relative)
        elif relative in recorded:
            report.deleted.append(relative)
        else:
            text = _filled(source.read_text(encoding="utf-8"), org, layer, source.suffix)
            write_if_changed(target, text.encode("utf-8"))
            report.written.append(relative)
    if _name_layer(config, layer):
        report.written.append("mkdocs.yml")
    new = [name for name in report.written if name != "mkdocs.yml" and name not in recorded]
    if new:
        lines = sorted({*recorded, *new})
        text = _MANIFEST_HEADER + "".join(f"{n}\n" for n in lines)
        write_if_changed(manifest, text.encode("utf-8"))
    return report


def _check(org: str, layer: str) -> None:
    if not _LAYER.fullmatch(layer) or layer in _NOT_LAYERS:
        raise PlaybookError(
            f"--layer '{layer}': name a new folder at the project's top, in letters, digits, "
            f"'-' and '_' (not one of {', '.join(sorted(_NOT_LAYERS))})"
        )
    if not org.strip() or not org.isprintable():
        raise PlaybookError("--org: give the organisation's name as one line of text")


def _filled(text: str, org: str, layer: str, suffix: str) -> str:
    """The scaffold's ``text`` with the overlay folder, the organisation's name and its
    possessive filled in. In YAML the name stands inside double quotes: it is escaped for them."""
    names = {"{layer}": layer, "{org's}": possessive(org), "{org}": org}
    for placeholder, name in names.items():
        quoted = suffix in (".yml", ".yaml") and placeholder != "{layer}"
        text = text.replace(placeholder, json.dumps(name)[1:-1] if quoted else name)
    return text


def _read_manifest(manifest: Path) -> set[str]:
    if not manifest.is_file():
        return set()
    lines = manifest.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


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
