"""The kind registry is the one place that says where content refers to other content: every
field of the content model that holds another entity's id must be one of its reference paths,
and every reference path must lead to such a field."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from generator.content.kinds import KINDS, kind_of_file
from generator.content.model import Owner, Slug


def id_fields(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Reference paths, in the registry's syntax, of every field typed as an id (``Slug``)
    other than an item's own ``id`` (an item whose id names another, such as a role's
    competency, says so in ``id_names``)."""
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        if name == "id" and not getattr(model, "id_names", None):
            continue
        yield from _paths(info.annotation, key, info.metadata)


def _paths(annotation: Any, key: str, metadata: list[Any]) -> Iterator[str]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is str and (_is_slug(metadata) or _is_owner(metadata)):
        yield key
    elif origin is typing.Annotated:
        yield from _paths(args[0], key, [*metadata, *args[1:]])
    elif origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                yield from _paths(arg, key, metadata)
    elif origin is tuple:
        yield from _paths(args[0], f"{key}[*]", [])
    elif origin is dict:
        if _is_slug_type(args[0]):
            yield f"{key}{{}}"
        yield from _paths(args[1], f"{key}{{*}}", [])
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from id_fields(annotation, f"{key}.")


def _is_slug(metadata: list[Any]) -> bool:
    return any(m in typing.get_args(Slug)[1:] for m in metadata)


def _is_owner(metadata: list[Any]) -> bool:
    """An owner may be a role's id (or a team's name, which link checks as well)."""
    marker = typing.get_args(Owner)[-1]  # its description, which no other text type has
    return any(m is marker for m in metadata)


def _is_slug_type(annotation: Any) -> bool:
    return typing.get_origin(annotation) is typing.Annotated and _is_slug(
        list(typing.get_args(annotation)[1:])
    )


def test_every_field_that_holds_an_id_is_a_reference_path() -> None:
    for kind in KINDS:
        listed = sorted(reference.path for reference in kind.references)
        assert sorted(id_fields(kind.model)) == listed, kind.name


def test_each_content_file_has_one_kind() -> None:
    assert kind_of_file("roles/data-scientist.yml").name == "role"  # type: ignore[union-attr]
    assert kind_of_file("phases/design.yml").key == "phases"  # type: ignore[union-attr]
    assert kind_of_file("playbook.yml").name == "playbook"  # type: ignore[union-attr]
    assert kind_of_file("onboarding/x.yml") is None  # pages, not content
    assert kind_of_file("roles.yml") is None
    assert kind_of_file("roles/a/b.yml") is None
