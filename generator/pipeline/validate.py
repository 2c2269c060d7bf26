"""Stage 2, validate: turn each loaded file into a typed, frozen content object.

The file's place decides its kind (``roles/x.yml`` is a role, ``playbook.yml`` the settings).
Every schema error in every file is reported with its file, line and column, and with a
did-you-mean hint where a close name exists.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..content.keypaths import KeyPath
from ..content.kinds import KINDS, Kind, kind_of_entity, kind_of_file, walk_references
from ..content.model import PATTERN_MESSAGES, Glossary, Playbook
from ..errors import Location, Problem, did_you_mean
from .load import SourceFile

__all__ = ["ParseMemo", "Parsed", "ValidContent", "validate_content"]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Parsed(Generic[M]):
    """A validated content object and the file it came from."""

    entity: M
    source: SourceFile

    @functools.cached_property
    def named(self) -> Mapping[str, tuple[tuple[KeyPath, str], ...]]:
        """The ids the entity names, with where each stands, by the path of its kind's
        reference: walked once per file, so a check after an edit walks only the files the
        edit changed."""
        kind = kind_of_entity(self.entity)
        return {
            reference.path: tuple(walk_references(self.entity, reference.steps))
            for reference in kind.references
        }


@dataclass(frozen=True)
class ValidContent:
    """The files that passed, by kind (the key of :class:`~generator.content.kinds.Kind`)."""

    by_kind: Mapping[str, tuple[Parsed[Any], ...]]

    @property
    def playbook(self) -> Parsed[Playbook]:
        return self.by_kind["playbook"][0]

    @property
    def glossary(self) -> Parsed[Glossary] | None:
        found = self.by_kind.get("glossary")
        return found[0] if found else None

    def entities(self, key: str) -> tuple[Parsed[Any], ...]:
        return self.by_kind.get(key, ())

    def all_entities(self) -> Iterator[tuple[Kind, Parsed[Any]]]:
        """Every entity that lives in a folder of its kind, kind by kind."""
        for kind in KINDS:
            if kind.model is not None and not kind.single_file:
                for parsed in self.entities(kind.key):
                    yield kind, parsed


def validate_content(
    files: Sequence[SourceFile], content_label: str, memo: ParseMemo | None = None
) -> tuple[ValidContent | None, list[Problem]]:
    """Validate every file. The content that passed is returned whenever the playbook settings
    did, so that references can be checked in the same run; the problems say what failed.
    With a ``memo``, a file validated before (the same object) is not validated again."""
    problems: list[Problem] = []
    parsed: dict[str, list[Parsed[Any]]] = {kind.key: [] for kind in KINDS if kind.model}
    parse = memo.parse if memo is not None else _parse
    for source in files:
        kind = _kind_of(source, problems)
        if kind is None or kind.model is None:
            continue
        result = parse(kind.model, source, problems)
        if result is not None:
            parsed[kind.key].append(result)
    if not any(source.relative == "playbook.yml" for source in files):
        where = Location(f"{content_label}/playbook.yml")
        problems.append(Problem(where, "missing: the playbook settings file is required"))
    if memo is not None:
        memo.keep_only(files)
    if not parsed["playbook"]:
        return None, problems
    return ValidContent({key: tuple(found) for key, found in parsed.items()}), problems


class ParseMemo:
    """The validation of each file an earlier run validated. A file loaded through a
    :class:`~generator.pipeline.load.LoadMemo` stays the same object until its bytes change, and a
    file's validation depends on nothing else, so it is reused for that object."""

    def __init__(self) -> None:
        self._parsed: dict[int, tuple[SourceFile, Parsed[Any] | None, list[Problem]]] = {}

    def parse(
        self, model: type[M], source: SourceFile, problems: list[Problem]
    ) -> Parsed[M] | None:
        known = self._parsed.get(id(source))
        if known is None or known[0] is not source:
            found: list[Problem] = []
            known = (source, _parse(model, source, found), found)
            self._parsed[id(source)] = known
        problems += known[2]
        return known[1]

    def keep_only(self, files: Sequence[SourceFile]) -> None:
        current = {id(source) for source in files}
        self._parsed = {key: value for key, value in self._parsed.items() if key in current}


def _kind_of(source: SourceFile, problems: list[Problem]) -> Kind | None:
    path = PurePosixPath(source.relative)
    where = Location(source.path, 1, 1)
    if path.suffix != ".yml":
        problems.append(
            Problem(where, "content files end in '.yml'", hint=f"rename it to {path.stem}.yml")
        )
        return None
    kind = kind_of_file(source.relative)
    if kind is not None:
        return kind
    singles = [f"{k.key}.yml" for k in KINDS if k.model and k.single_file]
    folders = [k.key for k in KINDS if k.model and not k.single_file]
    known = ", ".join([*singles, *(f"{folder}/<id>.yml" for folder in folders)])
    hint = did_you_mean(path.parts[0], [*folders, *singles])
    problems.append(Problem(where, f"not a place for content; expected one of: {known}", hint=hint))
    return None


def _parse(model: type[M], source: SourceFile, problems: list[Problem]) -> Parsed[M] | None:
    try:
        entity = model.model_validate(source.data)
    except ValidationError as exc:
        problems.extend(_problem(model, source, error) for error in _own_errors(exc.errors()))
        return None
    stem = PurePosixPath(source.relative).stem
    entity_id = getattr(entity, "id", stem)
    if entity_id == "index":
        problems.append(
            Problem(
                source.locate(("id",)),
                "the id 'index' is kept for the overview page of each section",
                hint="choose another id and rename the file to match",
            )
        )
        return None
    if entity_id != stem:
        problems.append(
            Problem(
                source.locate(("id",)),
                f"id '{entity_id}' does not match the file name '{stem}.yml'",
                hint=f"rename the file to {entity_id}.yml or set id: {stem}",
            )
        )
        return None
    return Parsed(entity, source)


def _problem(model: type[BaseModel], source: SourceFile, error: ErrorDetails) -> Problem:
    loc: KeyPath = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _field_names(model, loc[:-1])
        retired = {k: v for found in _models_at(model, loc[:-1]) for k, v in _retired(found)}
        return Problem(
            source.locate(loc, key=True),
            f"unknown key '{key}'{_under(loc[:-1])}",
            hint=retired.get(key) or did_you_mean(key, allowed),
        )
    if kind == "missing":
        return Problem(
            source.locate(loc[:-1], key=True),
            f"missing required key '{loc[-1]}'{_under(loc[:-1])}",
        )
    return Problem(source.locate(loc), f"{_dotted(loc)}: {_message(error)}", hint=_hint(error))


def _message(error: ErrorDetails) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern"))
        return f"'{given}' {PATTERN_MESSAGES.get(pattern, f'does not match {pattern}')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return f"'{given}' is not one of {error.get('ctx', {}).get('expected')}"
    if kind in ("string_type", "tuple_type", "dict_type", "model_type", "int_type"):
        wanted = {"string": "text", "tuple": "a list", "dict": "a mapping", "model": "a mapping"}
        return f"should be {wanted.get(kind.split('_')[0], kind)}, not {_describe(given)}"
    return str(error["msg"])


def _hint(error: ErrorDetails) -> str | None:
    if error["type"] != "literal_error":
        return None
    choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    return did_you_mean(str(error.get("input")), choices)


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; quote it for text)"
    if isinstance(value, int | float):
        return f"the number {value!r} (quote it for text)"
    return f"{type(value).__name__} {value!r}"


def _dotted(loc: KeyPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def _under(loc: KeyPath) -> str:
    return f" in {_dotted(loc)}" if loc else ""


def _own_errors(errors: list[Any]) -> list[Any]:
    """The errors, less a list's "too short" that only follows from its items' own errors
    (pydantic counts the items that passed)."""
    failed_inside = {tuple(error["loc"][:-1]) for error in errors if len(error["loc"]) > 1}
    return [
        error
        for error in errors
        if not (error["type"] == "too_short" and tuple(error["loc"]) in failed_inside)
    ]


def _retired(model: type[BaseModel]) -> Iterator[tuple[str, str]]:
    """Keys a model no longer has, with where what they said lives now."""
    yield from getattr(model, "retired", {}).items()


def _field_names(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed at ``loc`` inside ``model`` (by their YAML names)."""
    for found in _models_at(model, loc):
        return [field.alias or name for name, field in found.model_fields.items()]
    return []


def _models_at(model: type[BaseModel], loc: KeyPath) -> Iterator[type[BaseModel]]:
    annotation: Any = model
    parts = list(loc)
    while parts:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = _field_by_key(annotation, str(parts.pop(0)))
            if field is None:
                return
            annotation = field
        elif origin in (tuple, list):
            parts.pop(0)
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            parts.pop(0)
            annotation = typing.get_args(annotation)[1]
        else:
            return
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation


def _field_by_key(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field.annotation
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that holds the value."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = options[0]
        else:
            return annotation
