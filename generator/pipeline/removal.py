"""Part of stage 1b, layer: what a fork's removal or merge of an entity does to every file that
names it, so that nothing is left naming an entity the fork does not have.

- ``merge_into: devops-engineer`` in a role's overlay file: the role's activities, RACI
  letters, handoffs, decisions, checklists, seats and mentions in prose move to that role.
- ``remove: true``: references are dropped as each reference path of the kind registry says
  (an id leaves its list, a handoff of a removed role goes); text that names a removed entity
  in prose is left out, a list item whole, otherwise the sentence. Where the fork must choose
  (who is accountable for an activity, who decides), one message names the exact overlay lines
  that would make the removal build.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..content.keypaths import KeyPath
from ..content.kinds import KINDS, Reference, kind_named, kind_of_file, walk_references
from ..content.prose import TOKEN, without, words
from ..content.words import RACI_FIELDS
from ..errors import Location, Problem, did_you_mean
from .load import SourceFile

__all__ = ["Merge", "Removal", "drop_removed", "merge_roles"]

Files = dict[str, SourceFile]
Dropped = tuple[KeyPath, Any]  # where an item stood, and the item
_LETTER_STRENGTH = {letter: n for n, letter in enumerate(("A", "R", "C", "I"))}
_GONE = object()  # what prose that named only removed entities leaves behind


@dataclass(frozen=True)
class Merge:
    """A role folded into another by an overlay's ``merge_into``."""

    role: str
    into: str
    source: SourceFile  # the merged role's file, as the layers below made it
    where: Location  # the overlay line that asks for it


@dataclass(frozen=True)
class Removal:
    """An entity removed by an overlay's ``remove: true``."""

    kind: str  # the kind's key: "roles"
    id: str
    where: Location  # the overlay line that asks for it
    layer: str  # the overlay folder it is written in, as messages name it


def merge_roles(files: Files, merges: list[Merge], problems: list[Problem]) -> list[str]:
    """Fold each merged role into its target; return the ids of handoffs that became a role's
    handoff to itself and were dropped."""
    roles = {PurePosixPath(r).stem for r in files if r.startswith("roles/")}
    into = {merge.role: merge.into for merge in merges}
    dropped: list[str] = []
    for merge in merges:
        target = _final(merge.into, into)
        if target == merge.role or target in into:
            chain = _chain(merge.role, into)
            message = (
                f"role '{merge.role}' cannot merge into itself"
                if merge.into == merge.role
                else f"roles merge in a circle: {' → '.join(chain)}"
            )
            keep = "one role of the circle keeps its file: write merge_into in the others only"
            problems.append(Problem(merge.where, message, hint=keep))
            continue
        if target not in roles:
            hint = did_you_mean(merge.into, roles)
            problems.append(Problem(merge.where, f"unknown role '{merge.into}'", hint=hint))
            continue
        _fold_role_data(files, f"roles/{target}.yml", merge, problems)
        for relative, source in sorted(files.items()):
            new = _renamed(source, {merge.role: target})
            if new is None:
                continue
            if relative.startswith("handoffs/") and new.get("from") == new.get("to"):
                del files[relative]  # work the role once handed itself stays inside it
                dropped.append(PurePosixPath(relative).stem)
                what = f"the handoff '{new.get('id')}', now from and to '{target}'"
                why = f"with the fork's merge of role '{merge.role}' into '{target}'"
                _left_out(source, [((), what)], why, problems)
            elif new != source.data:
                files[relative] = replace(source, data=new)
    return dropped


def drop_removed(
    files: Files,
    removals: list[Removal],
    problems: list[Problem],
    items: Mapping[str, set[str]] | None = None,
    within: Mapping[str, Mapping[str, set[str]]] | None = None,
) -> None:
    """Drop every reference to a removed entity, in data and in prose, and to the ``items``
    taken out of the lists files define (levels, competencies, sources, decisions, by what
    they are; ``within`` holds them file by file, for the references that name an item of
    their own file); then the references to whatever went with them, until nothing more goes."""
    gone = {kind.name: {r.id for r in removals if r.kind == kind.key} for kind in KINDS}
    gone.update({name: set(ids) for name, ids in (items or {}).items()})
    needed: dict[str, dict[tuple[str, KeyPath], SourceFile]] = {}
    why = _why(removals, items)
    while True:
        _drop_references(files, gone, within or {}, needed, why, problems)
        mentioned = {kind.mention: gone[kind.name] for kind in KINDS if kind.mention}
        went = _drop_mentions(files, mentioned, why, problems)
        if not went:
            break
        for relative in went:
            gone[kind_of_file(relative).name].add(PurePosixPath(relative).stem)  # type: ignore[union-attr]
    for removal in removals:
        uses = needed.get(removal.id, {}) if removal.kind == "roles" else {}
        if uses:
            found = [(source, at) for (_, at), source in uses.items()]
            problems.append(_still_needed(removal, found))


def _why(removals: list[Removal], items: Mapping[str, set[str]] | None) -> str:
    """What a fork removes, as the notes of what went with it say it."""
    named = [f"{kind_named(r.kind).name} '{r.id}'" for r in removals if r.layer]
    named += [
        f"{what} '{item}'" for what, ids in sorted((items or {}).items()) for item in sorted(ids)
    ]
    if not named:
        return "with what the fork merges"
    shown = ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    return f"with the fork's removal of {shown}"


def _drop_references(
    files: Files,
    gone: dict[str, set[str]],
    within: Mapping[str, Mapping[str, set[str]]],
    needed: dict[str, dict[tuple[str, KeyPath], SourceFile]],
    why: str,
    problems: list[Problem],
) -> None:
    """Drop the data references to gone ids as the kind registry says; note the ones the fork
    must hand to someone else in ``needed``."""
    for relative, source in sorted(files.items()):
        kind = kind_of_file(relative)
        if kind is None or not isinstance(source.data, dict):
            continue
        new = copy.deepcopy(source.data)
        for reference in kind.references:
            here = within.get(relative, {}) if reference.within else gone
            ids = here.get(reference.target)
            if not ids:
                continue
            if reference.removal == "refuse":
                for at, value in walk_references(new, reference.steps):
                    if value in ids:
                        needed.setdefault(value, {})[(relative, at)] = source
                continue
            if not any(value in ids for _, value in walk_references(new, reference.steps)):
                continue
            pruning = _Pruning(ids, reference)
            before = source.with_data(copy.deepcopy(new))  # what the notes describe
            if pruning.prune(new, reference.steps):
                del files[relative]  # "entity": the whole file goes, and so do its mentions
                gone[kind.name].add(PurePosixPath(relative).stem)
                _left_out(before, [((), f"the {kind.name} '{new.get('id')}'")], why, problems)
                break
            _left_out(before, pruning.dropped + pruning.cleared, why, problems)
            source = source.with_data(new, [at for at, _ in pruning.dropped])
        else:
            if new != files[relative].data:
                files[relative] = source


def _chain(role: str, into: dict[str, str]) -> list[str]:
    """The roles a merge passes through from ``role``, back to the first one seen twice."""
    chain = [role]
    while into.get(chain[-1]) is not None and into[chain[-1]] not in chain:
        chain.append(into[chain[-1]])
    return [*chain, into.get(chain[-1], chain[-1])]


def _final(role: str, into: dict[str, str]) -> str:
    seen = {role}
    while role in into and into[role] not in seen:
        role = into[role]
        seen.add(role)
    return role


def _renamed(source: SourceFile, names: dict[str, str]) -> dict[str, Any] | None:
    """The file's data with every reference to a renamed role pointing at its new id, in data
    and in prose; None when nothing in it changes."""
    kind = kind_of_file(source.relative)
    if kind is None or not isinstance(source.data, dict):
        return None
    new = _rewrite_strings(copy.deepcopy(source.data), lambda text: _rename_mentions(text, names))
    for reference in kind.references:
        if reference.target == "role":
            _rename(new, reference.steps, names)
    if kind.key == "phases":
        for activity in new.get("activities") or []:
            if isinstance(activity, dict):
                _strongest_letter_only(activity)
    if kind.key == "roles":
        works = [w for w in new.get("works_with") or [] if isinstance(w, dict)]
        kept = {w.get("role"): w for w in works if w.get("role") != new.get("id")}
        if works:
            new["works_with"] = list(kept.values())
    return new if new != source.data else None


def _rename(node: Any, steps: tuple[str, ...], names: dict[str, str]) -> None:
    step, rest = steps[0], steps[1:]
    if step == "{}":
        if isinstance(node, dict):
            for key in [key for key in node if key in names]:
                value = node.pop(key)
                node.setdefault(names[key], value)
        return
    if step == "*":
        if not isinstance(node, list):
            return
        if not rest:
            node[:] = list(dict.fromkeys(names.get(value, value) for value in node))
            return
        for item in node:
            _rename(item, rest, names)
        return
    if not isinstance(node, dict) or step not in node:
        return
    if rest:
        _rename(node[step], rest, names)
    elif node[step] in names:
        node[step] = names[node[step]]


def _strongest_letter_only(activity: dict[str, Any]) -> None:
    """A role named twice in one activity keeps its most decisive letter only."""
    seen = {activity.get("accountable")}
    for key in list(RACI_FIELDS)[1:]:
        if isinstance(activity.get(key), list):
            activity[key] = [role for role in activity[key] if role not in seen]
            seen.update(activity[key])


def _fold_role_data(files: Files, target_file: str, merge: Merge, problems: list[Problem]) -> None:
    """The target role takes on the merged role's involvement (the stronger letter per phase),
    responsibilities, skills and onboarding items, and its title and other names as other
    names of its own, so that search still finds it. What would repeat the target's own
    items, or name the target as its own counterpart, is left out, with a note each."""
    source = files[target_file]
    target, merged = copy.deepcopy(source.data), merge.source.data
    target_id = str(target.get("id"))
    why = f"with the fork's merge of role '{merge.role}' into '{target_id}'"
    left: list[Dropped] = []
    phases = target.setdefault("phases", {})
    for phase_id, part in (merged.get("phases") or {}).items():
        mine = phases.get(phase_id)
        if mine is None or _LETTER_STRENGTH.get(part.get("raci"), 9) < _LETTER_STRENGTH.get(
            mine.get("raci"), 9
        ):
            phases[phase_id] = {**part, "does": (mine or part).get("does")}
    names = [merged.get("title"), *(merged.get("aliases") or [])]
    aliases = [*(target.get("aliases") or [])]
    for name in names:
        if isinstance(name, str) and name not in aliases and name != target.get("title"):
            aliases.append(name)
    if aliases:
        target["aliases"] = aliases
    for key in ("responsibilities", "skills", "onboarding"):
        own = target.get(key) or []
        said = _Said(_text_of(item) for item in own)
        ids = {item.get("id") for item in own if isinstance(item, dict)}
        for n, item in enumerate(merged.get(key) or []):
            text = _text_of(item)
            if _names_role(text, target_id) or said.repeats(text):
                left.append(((key, n), item))
                continue
            if isinstance(item, dict) and item.get("id") in ids:
                item = {**item, "id": f"{merge.role}-{item['id']}"}
            target.setdefault(key, []).append(item)
            said.add(text)
    _left_out(merge.source, left, why, problems)
    files[target_file] = replace(source, data=target)


def _names_role(text: str, role: str) -> bool:
    return any(m.group(1) == "role" and m.group(2) == role for m in TOKEN.finditer(text))


def _text_of(item: Any) -> str:
    """What a list item says: a checklist item's text, or the item itself."""
    return str(item.get("text")) if isinstance(item, dict) else str(item)


class _Said:
    """What a role's list already says, to tell an item that would only repeat it: the same
    words, or the same task in its first five ("Complete the security and data protection
    training"). Each text is looked up, not compared with every other, so a long list costs
    no more than reading it."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._whole: set[tuple[str, ...]] = set()
        self._openings: set[tuple[str, ...]] = set()
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        said = tuple(words(text))
        self._whole.add(said)
        self._openings.add(said[:5])

    def repeats(self, text: str) -> bool:
        said = tuple(words(text))
        return said in self._whole or said[:5] in self._openings


def _rename_mentions(text: str, names: dict[str, str]) -> str:
    def renamed(match: re.Match[str]) -> str:
        if match.group(1) != "role" or match.group(2) not in names:
            return match.group(0)
        return f"{{role:{names[match.group(2)]}{match.group(3)}}}"

    return TOKEN.sub(renamed, text) if "{" in text else text


def _rewrite_strings(node: Any, rewrite: Callable[[str], str]) -> Any:
    if isinstance(node, str):
        return rewrite(node)
    if isinstance(node, dict):
        return {key: _rewrite_strings(value, rewrite) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_strings(value, rewrite) for value in node]
    return node


class _Pruning:
    """Drops the ids in ``gone`` along one reference's path, noting the key path of each list
    item it drops, so that the file's locations can stay true."""

    def __init__(self, gone: set[str], reference: Reference) -> None:
        self.gone = gone
        self.reference = reference
        self.dropped: list[Dropped] = []  # list items left out
        self.cleared: list[Dropped] = []  # optional values left out: no list is shorter

    def prune(self, node: Any, steps: tuple[str, ...], at: KeyPath = ()) -> bool:
        """True when ``node`` itself must go (its reference's removal is "item" or "entity",
        or it was emptied)."""
        step, rest = steps[0], steps[1:]
        if step == "{}":
            if not isinstance(node, dict):
                return False
            for key in [key for key in node if key in self.gone]:
                del node[key]
            return self.reference.drop_empty and not node
        if step == "*":
            return isinstance(node, list) and self._prune_list(node, rest, at)
        if not isinstance(node, dict) or step not in node:
            return False
        if rest:
            return self.prune(node[step], rest, (*at, step))
        if node[step] not in self.gone:
            return False
        if self.reference.removal == "value":  # an optional field: only the id goes
            self.cleared.append(((*at, step), node.pop(step)))
            return False
        return True

    def _prune_list(self, node: list[Any], rest: tuple[str, ...], at: KeyPath) -> bool:
        if rest:
            node[:] = filtered(
                node, lambda n, item: not self.prune(item, rest, (*at, n)), at, self.dropped
            )
        else:
            node[:] = filtered(node, lambda n, value: value not in self.gone, at, self.dropped)
        # only the list nearest the ids takes its holder along: an emptied list of rules
        # leaves the playbook be
        return self.reference.drop_empty and not node and "*" not in rest


def filtered(
    items: list[Any], keep: Callable[[int, Any], bool], at: KeyPath, dropped: list[Dropped]
) -> list[Any]:
    """The ``items`` (the list at ``at``) that ``keep`` keeps; the others, with their key
    paths, are added to ``dropped``. Every list a removal or merge shortens goes through here."""
    kept = []
    for n, item in enumerate(items):
        if keep(n, item):
            kept.append(item)
        else:
            dropped.append(((*at, n), item))
    return kept


def _left_out(
    source: SourceFile, dropped: list[Dropped], why: str, problems: list[Problem]
) -> None:
    """A note for each item ``dropped`` from ``source`` (key paths as they were in it), at the
    item's own line, so that a fork sees exactly what went."""
    for at, item in dropped:
        if item is _GONE:
            continue
        problems.append(
            Problem(
                source.locate(at),
                f"left out {why}: {_described(source.data, at, item)}",
                severity="note",
                fails_strict_build=False,
            )
        )


def _described(data: Any, at: KeyPath, item: Any) -> str:
    """An item left out, as a fork finds it: the keys that lead to it from the nearest item
    with an id (``activities 'train' consulted``), and its own id or words."""
    if not at:  # the whole entity
        return str(item)
    owner, keys, node = "", [], data
    for step in at[:-1]:
        node = node[step] if isinstance(node, dict) or isinstance(step, int) else None
        if isinstance(step, str):
            keys.append(step)
        elif isinstance(node, dict) and node.get("id"):
            owner, keys = f"{' '.join(keys)} '{node['id']}' ", []
    if isinstance(at[-1], str):
        keys.append(at[-1])
    where = owner + " ".join(keys)
    if isinstance(item, dict):
        name = (
            item.get("id")
            or item.get("role")
            or item.get("artefact")
            or item.get("title")
            or item.get("name")
        )
        text = item.get("text") or item.get("why") or ""
        label = f"{where} '{name}'" if name else where
        return f"{label} ({_short(str(text))})" if text and text != name else label
    return f'{where} "{_short(str(item))}"'


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _drop_mentions(
    files: Files, gone: dict[str, set[str]], why: str, problems: list[Problem]
) -> list[str]:
    """Leave out the prose that names a removed entity: the sentences that name it; a field
    left empty goes, and with it the item that needs that field (a checklist item, a seat).
    An entity whose title named a removed one is about it, and goes too: its file is dropped
    and its relative path returned, so its own references and mentions go in turn."""
    if not any(gone.values()):
        return []

    def names_gone(text: str) -> bool:
        return any(m.group(2) in gone.get(m.group(1), ()) for m in TOKEN.finditer(text))

    dropped = []
    for relative, source in sorted(files.items()):
        kind = kind_of_file(relative)
        if kind is None or not isinstance(source.data, dict):
            continue
        prose = _Prose(names_gone)
        new = {}
        fields = _fields(kind.model)
        for key, value in source.data.items():
            field = fields.get(key)
            result = prose.kept(value, _inner_model(field.annotation) if field else None, (key,))
            if result is not _GONE:
                new[key] = result
            elif field is not None and field.is_required():
                new[key] = ""  # a field of the entity itself left empty: validate names it
        if new.get("title") == "" and not kind.single_file:
            del files[relative]
            dropped.append(relative)
            _left_out(source, [((), f"the {kind.name} '{source.data.get('id')}'")], why, problems)
        elif new != source.data:
            _left_out(source, prose.dropped + prose.sentences, why, problems)
            files[relative] = source.with_data(new, [at for at, _ in prose.dropped])
    return dropped


class _Prose:
    """Leaves out the sentences that ``names_gone`` finds, and the list items left without
    the text they need, noting the key path of each item dropped."""

    def __init__(self, names_gone: Callable[[str], bool]) -> None:
        self.names_gone = names_gone
        self.dropped: list[Dropped] = []  # list items, and sentences (the text at their path)
        self.sentences: list[Dropped] = []

    def kept(self, node: Any, model: type[BaseModel] | None, at: KeyPath) -> Any:
        if isinstance(node, str):
            if "{" not in node or not self.names_gone(node):
                return node
            left, named = without(node, self.names_gone)
            if left:
                self.sentences += [(at, sentence) for sentence in named]
            return left or _GONE
        if isinstance(node, list):
            results = [self.kept(value, model, (*at, n)) for n, value in enumerate(node)]
            gone = [n for n, item in enumerate(results) if item is _GONE]
            self.dropped += [((*at, n), node[n]) for n in gone]  # noted as they were
            return [item for item in results if item is not _GONE]
        if not isinstance(node, dict):
            return node
        fields = _fields(model)
        new = {}
        for key, value in node.items():
            field = fields.get(key)
            # a key that is not a field is a mapping's key: its values are the model's
            result = self.kept(
                value, _inner_model(field.annotation) if field else model, (*at, key)
            )
            if result is not _GONE:
                new[key] = result
            elif field is not None and field.is_required():
                return _GONE  # an item without its text has nothing left to say
        return new


def _fields(model: type[BaseModel] | None) -> dict[str, FieldInfo]:
    if model is None:
        return {}
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field's values are made of: ``Seat`` for ``tuple[Seat, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        model = _inner_model(argument)
        if model is not None:
            return model
    return None


def _still_needed(removal: Removal, uses: list[tuple[SourceFile, KeyPath]]) -> Problem:
    """One message for a removal that other files still need: first the one line that folds
    the role into the role that would take most of its work, then the overlay lines that would
    hand each use to another role instead."""
    lines = []
    takers: Counter[str] = Counter()
    by_file: dict[str, list[tuple[SourceFile, KeyPath]]] = {}
    for use in uses:
        by_file.setdefault(use[0].relative, []).append(use)
    for group in by_file.values():
        source = group[0][0]
        writes: list[str] = []  # a field of the entity itself: who produces an artefact
        operations: dict[str, list[str]] = {}  # an item of one of its lists
        for _, at in group:
            if len(at) == 1:
                other = _reviewer(source.data, removal.id)
                writes.append(f"{at[0]}: {other}")
            else:
                list_key, index, field_name = str(at[0]), int(at[1]), str(at[2])
                item = source.data[list_key][index]
                other = _successor(source.data, item, removal.id)
                operations.setdefault(list_key, []).append(
                    f"{{id: {item.get('id')}, {field_name}: {other}}}"
                )
            takers[other] += 1
        writes += [f"{key}: {{replace: [{', '.join(v)}]}}" for key, v in operations.items()]
        lines.append(f"in {removal.layer}/{source.relative} write {{{', '.join(writes)}}}")
    best = next((role for role, _ in takers.most_common() if role != "<role>"), "<role>")
    return Problem(
        removal.where,
        f"cannot remove role '{removal.id}' while others need it; write "
        f"'merge_into: {best}' instead of 'remove: true' to fold it into the role that would "
        f"take most of its work",
        hint="or hand each use to another role: " + "; ".join(lines),
    )


def _reviewer(artefact: dict[str, Any], role: str) -> str:
    """Who could produce an artefact in place of ``role``: a role that reviews it."""
    others = [r for r in artefact.get("reviewed_by") or [] if r != role]
    return str(others[0]) if others else "<role>"


def _successor(phase: dict[str, Any], item: dict[str, Any], role: str) -> str:
    """The role most likely to take over ``item`` (an activity or a decision) from ``role``:
    another role that already does the activity's work, or "<role>" for the fork to choose."""
    activity = item
    if "by" in item:  # a decision: the one accountable for its activity, if not the role
        activity = next(
            (a for a in phase.get("activities") or [] if a.get("id") == item.get("activity")),
            {},
        )
        if activity.get("accountable") not in (None, role):
            return str(activity["accountable"])
    others = [r for r in activity.get("responsible") or [] if r != role]
    return str(others[0]) if others else "<role>"
