"""Marking an entity reviewed: ``playbook review role:ml-engineer`` writes the date (and, if
given, the owner) into the file that holds the entity, changing that line and nothing else.

In a fork, upstream's files are never written: the date goes into the last overlay's file for
the entity, which is made (with the entity's id and the new keys only) when there is none, so
a review in the fork stays the fork's and pulling upstream brings no conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..content.kinds import Kind, folder_kinds
from ..content.review import with_keys
from ..errors import PlaybookError, did_you_mean, shown_path
from ..fsio import inside
from ..pipeline.emit import write_if_changed
from ..pipeline.link import LinkedPlaybook
from ..project import Project

__all__ = ["Marked", "entity_named", "mark_reviewed"]


@dataclass(frozen=True)
class Marked:
    path: Path  # the file written
    created: bool  # a new overlay file
    upstream: bool  # the entity's file is upstream's, left as it is


def entity_named(project: Project, playbook: LinkedPlaybook, name: str) -> tuple[Kind, str]:
    """The kind and id of the entity ``name`` names: ``role:ml-engineer`` (or ``roles:…``), or
    the path of its file, in the content folder or an overlay."""
    kinds = folder_kinds()
    if name.endswith(".yml"):
        kind, entity_id = _by_path(project, Path(name), kinds)
    else:
        written, colon, entity_id = name.partition(":")
        by_name = {str(k.mention): k for k in kinds} | {k.key: k for k in kinds}
        if not colon or written not in by_name:
            hint = did_you_mean(written, by_name) if colon else None
            examples = ", ".join(f"{k.mention}:ID" for k in kinds)
            raise PlaybookError(
                f"'{name}' names no kind of entity; write one of {examples}, or a file's path"
                + (f" ({hint})" if hint else "")
            )
        kind = by_name[written]
    known = playbook.entities(kind.key)
    if entity_id not in known:
        hint = did_you_mean(entity_id, known)
        raise PlaybookError(f"no {kind.name} '{entity_id}'" + (f" ({hint})" if hint else ""))
    return kind, entity_id


def _by_path(project: Project, path: Path, kinds: list[Kind]) -> tuple[Kind, str]:
    found = path.resolve()
    for folder in (project.content_dir, *project.layers):
        if found.is_relative_to(folder):
            relative = found.relative_to(folder)
            kind = next((k for k in kinds if relative.parent.as_posix() == k.key), None)
            if kind is not None:
                return kind, relative.stem
    raise PlaybookError(
        f"{path}: not an entity's file; name one in a kind's folder of the content or an "
        "overlay, such as content/roles/<id>.yml"
    )


def mark_reviewed(
    project: Project, kind: Kind, entity_id: str, on: dt.date, owner: str | None = None
) -> Marked:
    """Write ``reviewed: <on>`` (and ``owner``) into the file for the entity; see the module."""
    values = {"owner": owner} if owner else {}
    values["reviewed"] = on.isoformat()
    folder = project.layers[-1] if project.layers else project.content_dir
    target = inside(folder / kind.key / f"{entity_id}.yml", project.root, write=True)
    upstream = bool(project.layers) and (project.content_dir / kind.key / target.name).is_file()
    created = not target.exists()
    try:
        # bytes, not text: reading text would turn each CRLF into LF
        before = f"id: {entity_id}\n" if created else target.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise PlaybookError(f"{shown_path(target, project.root)}: not UTF-8 text") from None
    after = with_keys(before, values)
    if after is None:
        lines = ", ".join(f"{key}: {value}" for key, value in values.items())
        raise PlaybookError(
            f"{shown_path(target, project.root)}: cannot set {lines} without rewriting "
            "the file; write it there by hand"
        )
    write_if_changed(target, after.encode("utf-8"))
    return Marked(target, created, upstream)
