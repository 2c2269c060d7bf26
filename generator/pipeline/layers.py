"""Stage 1b, layer: apply a fork's overlay folders, in order, on top of the upstream content.

An overlay file at the same place as an upstream file (``company/roles/data-scientist.yml``)
changes that entity: its keys replace upstream's, mappings merge key by key, and a list of
items with ids (checklists, activities, sections, terms) takes operations instead of a copy::

    onboarding:
      append:  [{id: get-vpn, text: Get VPN access., when: first-day}]
      replace: [{id: read-model-cards, text: Read the model cards in Confluence.}]
      remove:  [join-alerting-channels]

``remove: true`` alone removes an upstream entity, and ``merge_into: <role>`` folds a role into
another; :mod:`~generator.pipeline.removal` then fixes everything that named it, as it does
for an item a fork takes out of a list that others name by id (a level, a competency, a
source, a phase's activity or decision). A file with no upstream twin adds a new entity.
Upstream files are never written. Every mistake is reported at its line in the overlay.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any, TypeGuard

from ..content.keypaths import KeyPath
from ..content.kinds import kind_of_file
from ..content.model import Progression
from ..errors import Location, Problem, did_you_mean
from .load import SourceFile
from .removal import Merge, Removal, drop_removed, merge_roles

__all__ = ["LIST_OPERATIONS", "Layered", "apply_layers"]

LIST_OPERATIONS = ("append", "replace", "remove")


@dataclass
class Layered:
    """The content after all layers: files by their place in content/, and what was removed."""

    files: dict[str, SourceFile]
    removed: dict[str, set[str]] = field(default_factory=dict)  # folder -> ids
    removals: list[Removal] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)


def apply_layers(
    base: Iterable[SourceFile], layers: Iterable[Iterable[SourceFile]]
) -> tuple[Layered, list[Problem]]:
    result = Layered({source.relative: source for source in base})
    upstream = dict(result.files)
    problems: list[Problem] = []
    for layer in layers:
        for overlay in sorted(layer, key=lambda s: s.relative):
            _apply_file(result, overlay, problems)
    if result.merges:
        for handoff_id in merge_roles(result.files, result.merges, problems):
            where = Location(f"handoffs/{handoff_id}.yml")
            result.removals.append(Removal("handoffs", handoff_id, where, ""))
    within = _removed_items(upstream, result.files)
    items: dict[str, set[str]] = {}
    for removed in within.values():
        for target, ids in removed.items():
            items.setdefault(target, set()).update(ids)
    if result.removals or items:
        drop_removed(result.files, result.removals, problems, items, within)
    return result, problems


def _removed_items(
    upstream: Mapping[str, SourceFile], files: Mapping[str, SourceFile]
) -> dict[str, dict[str, set[str]]]:
    """The items of the lists files define that the layers took out, file by file and by what
    they are: removed by id, left out of a list given whole, or gone with their file."""
    removed: dict[str, dict[str, set[str]]] = {}
    for relative, source in upstream.items():
        kind = kind_of_file(relative)
        for target, key in kind.defines if kind else ():
            gone = _item_ids(source, key) - _item_ids(files.get(relative), key)
            if gone:
                removed.setdefault(relative, {})[target] = gone
    return removed


def _item_ids(source: SourceFile | None, key: str) -> set[str]:
    data = source.data if source else None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return set()
    return {item["id"] for item in items if isinstance(item, dict) and "id" in item}


def _apply_file(result: Layered, overlay: SourceFile, problems: list[Problem]) -> None:
    upstream = result.files.get(overlay.relative)
    data = overlay.data
    for action in ("remove", "merge_into"):
        if isinstance(data, dict) and action in data:
            _retire(result, overlay, upstream, action, problems)
            return
    if upstream is None:
        if isinstance(data, dict) and "title" not in data:
            # a change to an entity upstream does not have (a new one would need a title)
            folder = PurePosixPath(overlay.relative).parent.as_posix()
            names = [r for r in result.files if PurePosixPath(r).parent.as_posix() == folder]
            problems.append(
                Problem(
                    overlay.locate(()),
                    f"nothing upstream to change at '{overlay.relative}'",
                    hint=did_you_mean(overlay.relative, names)
                    or "to add a new entity, give it all its keys, a title first",
                )
            )
            return
        result.files[overlay.relative] = overlay  # a new entity: validated like any other
        return
    merger = _Merger(upstream, overlay, problems)
    merged = merger.merge(upstream.data, data, ())
    result.files[overlay.relative] = replace(
        upstream, path=overlay.path, data=merged, values=merger.values, keys=merger.keys
    )


def _retire(
    result: Layered,
    overlay: SourceFile,
    upstream: SourceFile | None,
    action: str,
    problems: list[Problem],
) -> None:
    """``remove: true`` or ``merge_into: <role>``: the entity leaves the playbook, and what
    named it is handled by :mod:`~generator.pipeline.removal` once every layer is applied."""
    data, where = overlay.data, overlay.locate((action,))
    folder, stem = PurePosixPath(overlay.relative).parts[0], PurePosixPath(overlay.relative).stem
    if upstream is None:
        problems.append(_nothing_there(overlay, (action,), action.replace("_into", "")))
        return
    if action == "remove" and data["remove"] is not True:
        problems.append(Problem(where, "'remove' takes the value true"))
        return
    if action == "merge_into" and (folder != "roles" or not isinstance(data[action], str)):
        problems.append(
            Problem(where, "'merge_into' names the role that takes this role's work over")
        )
        return
    for key in sorted(set(data) - {action, "id"}):
        problems.append(
            Problem(overlay.locate((key,), key=True), f"'{key}' has no effect beside '{action}'")
        )
    layer = overlay.path.removesuffix(overlay.relative).rstrip("/")
    if action == "remove":
        result.removals.append(Removal(folder, stem, where, layer))
    else:
        result.merges.append(Merge(stem, data[action], upstream, where))
    result.removed.setdefault(folder, set()).add(stem)
    del result.files[overlay.relative]


def _nothing_there(overlay: SourceFile, at: KeyPath, what: str) -> Problem:
    return Problem(
        overlay.locate(at),
        f"cannot {what} '{overlay.relative}': upstream has no such file",
        hint="check the id and the folder",
    )


class _Merger:
    """Merges an overlay's data into upstream's, carrying each value's location along."""

    def __init__(self, upstream: SourceFile, overlay: SourceFile, problems: list[Problem]):
        self.upstream, self.overlay, self.problems = upstream, overlay, problems
        self.values = dict(upstream.values)
        self.keys = dict(upstream.keys)

    def merge(self, base: Any, over: Any, at: KeyPath) -> Any:
        if not isinstance(base, dict) or not isinstance(over, dict):
            self._take_overlay(at)
            return copy.deepcopy(over)
        merged = dict(base)
        for key, value in over.items():
            here = (*at, key)
            if key == "id" and at == ():
                if value != base.get("id"):
                    where = self.overlay.locate(here)
                    message = (
                        f"id '{value}' does not match the file it changes ('{base.get('id')}')"
                    )
                    self.problems.append(Problem(where, message))
                continue
            old = base.get(key)
            if _is_operations(value) and _is_id_list(old):
                merged[key] = self._operate(old, value, here)
            elif isinstance(value, dict) and isinstance(old, dict):
                merged[key] = self.merge(old, value, here)
                self.keys[here] = self.overlay.locate(here, key=True)
            else:
                self._forget(here)
                self._take_overlay(here)
                self.keys[here] = self.overlay.locate(here, key=True)
                merged[key] = copy.deepcopy(value)
        return merged

    def _operate(self, items: list[dict[str, Any]], ops: dict[str, Any], at: KeyPath) -> list[Any]:
        for name in sorted(set(ops) - set(LIST_OPERATIONS)):
            where = self.overlay.locate((*at, name), key=True)
            hint = did_you_mean(name, LIST_OPERATIONS)
            self.problems.append(Problem(where, f"unknown list operation '{name}'", hint=hint))
        up, over = self.upstream, self.overlay
        # Each resulting item, with where its locations come from (later sources win).
        entries: list[tuple[dict[str, Any], list[tuple[SourceFile, KeyPath]]]] = [
            (item, [(up, (*at, n))]) for n, item in enumerate(items)
        ]
        ids = [item.get("id") for item in items]
        for n, item_id in enumerate(_as_list(ops.get("remove"))):
            if item_id in ids:
                index = ids.index(item_id)
                del entries[index], ids[index]
            else:
                self._no_item(item_id, ids, (*at, "remove", n), "remove")
        for n, new in enumerate(_as_list(ops.get("replace"))):
            item_id = new.get("id") if isinstance(new, dict) else None
            if item_id in ids and isinstance(new, dict):
                index = ids.index(item_id)
                item, sources = entries[index]
                entries[index] = (
                    {**item, **copy.deepcopy(new)},
                    [*sources, (over, (*at, "replace", n))],
                )
            else:
                self._no_item(item_id, ids, (*at, "replace", n), "replace")
        for n, new in enumerate(_as_list(ops.get("append"))):
            item_id = new.get("id") if isinstance(new, dict) else None
            if item_id in ids:
                where = over.locate((*at, "append", n, "id"))
                message = f"cannot append '{item_id}': the list has an item with that id"
                self.problems.append(Problem(where, message, hint="use 'replace' to change it"))
                continue
            entries.append((copy.deepcopy(new), [(over, (*at, "append", n))]))
            ids.append(item_id)
        self._forget(at)
        self.values[at] = over.locate(at)
        self.keys[at] = over.locate(at, key=True)
        for n, (_, sources) in enumerate(entries):
            for source, path in sources:
                self._copy(source.values, path, self.values, (*at, n))
                self._copy(source.keys, path, self.keys, (*at, n))
        return [item for item, _ in entries]

    def _no_item(self, item_id: Any, ids: list[Any], at: KeyPath, what: str) -> None:
        where = self.overlay.locate(at)
        retired = Progression.retired_levels.get(str(item_id)) if at[:1] == ("levels",) else None
        hint = retired or did_you_mean(str(item_id), [str(i) for i in ids])
        message = f"cannot {what} item '{item_id}': the list has no item with that id"
        self.problems.append(Problem(where, message, hint=hint))

    def _take_overlay(self, at: KeyPath) -> None:
        self._copy(self.overlay.values, at, self.values, at)
        self._copy(self.overlay.keys, at, self.keys, at)

    def _forget(self, at: KeyPath) -> None:
        self._drop(self.values, at)
        self._drop(self.keys, at)

    @staticmethod
    def _copy(
        source: Mapping[KeyPath, Location],
        prefix: KeyPath,
        target: dict[KeyPath, Location],
        new_prefix: KeyPath,
    ) -> None:
        size = len(prefix)
        for path, location in source.items():
            if path[:size] == prefix:
                target[new_prefix + path[size:]] = location

    @staticmethod
    def _drop(table: dict[KeyPath, Location], prefix: KeyPath) -> None:
        size = len(prefix)
        for path in [p for p in table if p[:size] == prefix]:
            del table[path]


def _is_operations(value: Any) -> bool:
    # a mapping cannot stand for a list of items, so over one it can only mean operations
    return isinstance(value, dict)


def _is_id_list(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(i, dict) and "id" in i for i in value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
