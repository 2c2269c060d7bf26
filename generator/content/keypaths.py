"""Key paths: where a value stands in a content file, as the keys and list indexes that lead to
it (``("activities", 2, "accountable")``), and the walk along a reference path written as YAML
keys (``activities[*].accountable``; ``phases{}`` for the keys of a mapping).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

__all__ = ["KeyPath", "steps_of", "walk_references"]

KeyPath = tuple[str | int, ...]


def walk_references(
    node: Any, steps: tuple[str, ...], at: KeyPath = ()
) -> Iterator[tuple[KeyPath, str]]:
    """Every id found along ``steps`` below ``node``, with the YAML key path that leads to it.

    ``node`` may be plain data as loaded or a content model: a model's fields are reached by
    their YAML names (``from`` finds ``Handoff.from_role``)."""
    if not steps:
        if isinstance(node, str):
            yield at, node
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(node, list | tuple):
            for n, item in enumerate(node):
                yield from walk_references(item, rest, (*at, n))
    elif step == "{}":
        if isinstance(node, dict):
            for key in node:
                yield (*at, key), key
    else:
        child = _child(node, step)
        if child is not None:
            yield from walk_references(child, rest, (*at, step))


def _child(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, BaseModel):
        return getattr(node, _field_names(type(node)).get(key, key), None)
    return None


@functools.cache
def _field_names(model: type[BaseModel]) -> dict[str, str]:
    """A model's field names by the names YAML gives them (a field's alias, or its name)."""
    names = {name: name for name in model.model_fields}
    names.update((info.alias, name) for name, info in model.model_fields.items() if info.alias)
    return names


def steps_of(path: str) -> tuple[str, ...]:
    steps: list[str] = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name.endswith("{}"):
            steps += [name.removesuffix("{}"), "{}"]
            continue
        steps.append(name)
        if rest:
            steps.append("*")
    return tuple(steps)
