"""Stage 3, link: resolve every reference between content files and build the indexes pages
need (which handoffs a role gives and receives, which guides address it, where it acts).

All unknown references are reported at once, each at the line that makes it, with a
did-you-mean hint. Ids must be unique inside each list (checklist items, activities, terms).
"""

from __future__ import annotations

import functools
import re
import typing
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from pydantic import BaseModel

from ..content.keypaths import KeyPath
from ..content.kinds import KINDS, Kind, Reference, folder_kinds, kind_named, walk_references
from ..content.model import (
    Activity,
    Artefact,
    Competency,
    Decision,
    Guide,
    HandedArtefact,
    Handoff,
    Level,
    Phase,
    Playbook,
    Progression,
    Raci,
    Role,
    Seat,
    Source,
    Team,
    Term,
)
from ..content.prose import COUNTS, TOKEN, Mention, apply_forms, number, prose_problems, resolve
from ..content.review import ReviewState
from ..content.words import RACI_FIELDS, RACI_NAMES
from ..errors import Problem, did_you_mean
from .load import SourceFile
from .rights import check_rights, decision_ids
from .validate import Parsed, ValidContent

__all__ = [
    "Citation",
    "DecisionRight",
    "LinkedPlaybook",
    "Participation",
    "link_content",
    "plain_mentions",
]

E = TypeVar("E")
MENTIONED = {kind.mention: kind for kind in KINDS if kind.mention}  # {role:...} -> roles
MAX_TITLE_DEPTH = 3
MAX_WRITTEN_TITLE = 1_000  # characters of a title with its references written out
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Participation:
    """A role's part in one activity of one phase."""

    phase: Phase
    activity: Activity
    letter: Raci


@dataclass(frozen=True)
class DecisionRight:
    """A decision and the phase it opens or closes."""

    phase: Phase
    decision: Decision


@dataclass(frozen=True)
class Citation:
    """A page that draws on a source."""

    kind: str
    id: str
    title: str


@dataclass(frozen=True)
class LinkedPlaybook:
    """The whole playbook with every reference resolved; what ``plan`` and templates read."""

    settings: Playbook
    # The entities of every folder kind by id, in their kind's order, by the kind's key.
    by_kind: Mapping[str, Mapping[str, Any]]
    glossary: tuple[Term, ...]
    sources: Mapping[str, Source]
    levels: Mapping[str, Level]  # the level scale, lowest first
    competencies: Mapping[str, Competency]
    origin: Mapping[tuple[str, str], str]
    gives: Mapping[str, tuple[Handoff, ...]]
    receives: Mapping[str, tuple[Handoff, ...]]
    handoffs_in: Mapping[str, tuple[Handoff, ...]]
    guides_for: Mapping[str, tuple[Guide, ...]]
    activities_of: Mapping[str, tuple[Participation, ...]]
    seats_for: Mapping[str, tuple[tuple[Team, Seat], ...]]
    cited_by: Mapping[str, tuple[Citation, ...]]
    roles_needing: Mapping[str, tuple[Role, ...]]  # by competency id
    decisions: Mapping[str, DecisionRight]  # every decision by id, in phase order
    decided_by: Mapping[str, tuple[DecisionRight, ...]]  # by role id
    consulted_on: Mapping[str, tuple[DecisionRight, ...]]  # by role id
    approved_in: Mapping[str, tuple[DecisionRight, ...]]  # by artefact id
    taken_on: Mapping[str, tuple[DecisionRight, ...]]  # the decisions resting on an artefact
    artefacts_of: Mapping[str, tuple[Artefact, ...]]  # what a role is accountable for producing
    reviews: Mapping[str, tuple[Artefact, ...]]  # what a role must review, by role id
    handed_in: Mapping[str, tuple[Handoff, ...]]  # the handoffs that pass an artefact on
    produced_in: Mapping[str, tuple[tuple[Phase, Activity], ...]]  # by artefact id
    # Owner and review of the entities that name either, by kind key and id (the review stage).
    owned: Mapping[tuple[str, str], ReviewState] = field(default_factory=dict)

    def review_of(self, key: str, entity_id: str) -> ReviewState | None:
        """The owner and review of the entity ``entity_id`` of the kind ``key``, if it names
        either."""
        return self.owned.get((key, entity_id))

    def has(self, key: str) -> bool:
        """Whether the single file of the kind ``key`` (``"glossary"``) is in the content."""
        return (key, key) in self.origin

    def entities(self, key: str) -> Mapping[str, Any]:
        """The entities of the kind whose key is ``key`` (``"roles"``), by id, in page order."""
        return self.by_kind[key]

    @property
    def roles(self) -> Mapping[str, Role]:
        return self.by_kind["roles"]

    @property
    def phases(self) -> Mapping[str, Phase]:
        return self.by_kind["phases"]

    @property
    def handoffs(self) -> Mapping[str, Handoff]:
        return self.by_kind["handoffs"]

    @property
    def guides(self) -> Mapping[str, Guide]:
        return self.by_kind["guides"]

    @property
    def teams(self) -> Mapping[str, Team]:
        return self.by_kind["teams"]

    @property
    def artefacts(self) -> Mapping[str, Artefact]:
        return self.by_kind["artefacts"]

    def artefact_title(self, item: HandedArtefact) -> str:
        """What a handed-over thing is called: its artefact's title, or its own name."""
        return self.artefacts[item.artefact].title if item.artefact else str(item.name)

    def roles_in(self, category: str) -> list[Role]:
        return [role for role in self.roles.values() if role.category == category]

    def roles_not_covered(self, team: Team) -> list[Role]:
        covered = {role_id for seat in team.people for role_id in seat.covers}
        return [role for role in self.roles.values() if role.id not in covered]

    def handoffs_between(self, role_id: str) -> tuple[Handoff, ...]:
        return self.gives.get(role_id, ()) + self.receives.get(role_id, ())

    def plain(self, text: str) -> str:
        """``text`` with every reference in prose written out, without links."""
        return resolve(text, str, self.mention_text) if "{" in text else text

    def mention_text(self, mention: Mention) -> str:
        """What a reference in prose reads as: the named entity's title, in its forms."""
        if mention.kind == "count":
            return number(len(self._countable(mention.id)), mention.forms)
        if mention.kind == "term":
            title = next(t.term for t in self.glossary if t.id == mention.id)
        else:
            title = self.entities(MENTIONED[mention.kind].key)[mention.id].title
        return apply_forms(title, mention.forms)

    def mention_target(self, mention: Mention) -> tuple[str, str]:
        """The kind key (or page key) and the id or anchor a linked reference points at."""
        if mention.kind == "term":
            return "glossary", mention.id
        return MENTIONED[mention.kind].key, mention.id

    def _countable(self, what: str) -> Collection[Any]:
        return self.glossary if what == "terms" else self.entities(what)


class _Checker:
    """Collects reference problems, each located in the file that makes the reference."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def refer(
        self, source: SourceFile, at: KeyPath, value: str, known: Collection[str], what: str
    ) -> None:
        """``known`` is a set (or a mapping) of ids: one lookup per reference, however many."""
        if value not in known:
            retired = Progression.retired_levels.get(value) if what == "level" else None
            hint = retired or did_you_mean(value, known)
            self.problems.append(Problem(source.locate(at), f"unknown {what} '{value}'", hint=hint))

    def unique(self, parsed: Parsed[Any]) -> None:
        """Ids are unique inside every list of items that have one (checklists, activities…)."""
        model: type[BaseModel] = type(parsed.entity)
        for steps, noun in _id_lists(model):
            for at, items in _lists_at(parsed.entity, steps):
                seen: set[str] = set()
                for index, item in enumerate(items):
                    if item.id in seen:
                        where = parsed.source.locate((*at, index, "id"))
                        self.problems.append(Problem(where, f"duplicate {noun} id '{item.id}'"))
                    seen.add(item.id)


def link_content(
    content: ValidContent,
    files_present: Mapping[str, Iterable[str]] | None = None,
    *,
    complete: bool = True,
    fork: bool = False,
) -> tuple[LinkedPlaybook | None, list[Problem]]:
    """Check every reference; return the linked playbook and any warnings, or the errors.

    ``files_present`` names, per folder, the ids of files that exist even if they failed to
    validate (and, by its key, each single file there is): a reference to one of them, or to
    an item of a single file that failed, is not reported as unknown. When some files failed
    (``complete`` is false) only the references are checked; nothing is built.
    """
    present = files_present or {}
    check = _Checker()
    phase_ids = _check_phases(content, check, set(present.get("phases", ())))
    known: dict[str, Collection[str]] = {
        kind.name: frozenset({p.entity.id for p in content.entities(kind.key)})
        | set(present.get(kind.key, ()))
        for kind in KINDS
        if not kind.single_file
    }
    known["phase"] = phase_ids  # a phase exists for the others once it is in the order
    known["decision"] = decision_ids(content)
    known.update(_defined_items(content))
    unsure = _items_of_failed_files(content, present)
    for kind, parsed in _every_file(content):
        check.unique(parsed)
        for reference in kind.references:
            if not reference.checked or reference.target in unsure:
                continue
            ids = _items_of(parsed.entity, reference) if reference.within else None
            for at, value in parsed.named[reference.path]:
                found = known[reference.target] if ids is None else ids
                check.refer(parsed.source, at, value, found, reference.target)
    _check_prose(content, known, check)
    if not check.problems:
        _check_decisions(content, check)
        _check_interviews(content, check)
        check.problems += check_rights(content)
    for parsed_handoff in content.entities("handoffs"):
        handoff = parsed_handoff.entity
        if handoff.from_role == handoff.to_role:
            where = parsed_handoff.source.locate(("to",))
            check.problems.append(Problem(where, "a handoff goes from one role to another role"))
    if check.problems or not complete:
        return None, check.problems
    linked = _build(_titles_written_out(content), phase_ids)
    return linked, _lonely_roles(content, linked, fork)


def _defined_items(content: ValidContent) -> dict[str, frozenset[str]]:
    """The ids of the items single files define for others to name (sources, levels…)."""
    return {
        target: frozenset(
            value
            for parsed in content.entities(kind.key)
            for _, value in walk_references(parsed.entity, (key, "*", "id"))
        )
        for kind in KINDS
        for target, key in kind.defines
    }


def _items_of_failed_files(content: ValidContent, present: Mapping[str, Iterable[str]]) -> set[str]:
    """What the single files that are there but failed to validate define: which ids exist
    is not known until they are fixed."""
    return {
        target
        for kind in KINDS
        if kind.key in present and not content.entities(kind.key)
        for target, _ in kind.defines
    }


def _items_of(entity: Any, reference: Reference) -> set[str]:
    """The ids of the items of the same entity that a ``within`` reference may name."""
    items: tuple[Any, ...] = getattr(entity, str(reference.within), ())
    return {item.id for item in items}


def _check_decisions(content: ValidContent, check: _Checker) -> None:
    """Who decides follows the RACI: a role signs off only where it is accountable or
    responsible, for the activity named, or else in the phase."""
    roles = {parsed.entity.id: parsed.entity for parsed in content.entities("roles")}
    for parsed in content.entities("phases"):
        phase = parsed.entity
        activities = {activity.id: activity for activity in phase.activities}
        for index, decision in enumerate(phase.decisions):
            where = parsed.source.locate(("decisions", index, "by"))
            if decision.activity is not None:
                activity = activities[decision.activity]
                if decision.by not in (activity.accountable, *activity.responsible):
                    letter = _letter_in(activity, decision.by)
                    check.problems.append(
                        Problem(
                            where,
                            f"role '{decision.by}' decides '{decision.id}' but is {letter} in "
                            f"the activity '{activity.id}'",
                            hint=f"name '{activity.accountable}', which is accountable for it, "
                            "or make the role accountable or responsible in the activity",
                        )
                    )
                continue
            involvement = roles[decision.by].phases.get(phase.id)
            if involvement is None or involvement.raci not in ("A", "R"):
                letter = RACI_NAMES[involvement.raci].lower() if involvement else "not involved"
                check.problems.append(
                    Problem(
                        where,
                        f"role '{decision.by}' decides '{decision.id}' but is {letter} in the "
                        f"phase '{phase.id}'",
                        hint="make it accountable or responsible there, or name the activity "
                        "in which it decides",
                    )
                )


def _check_interviews(content: ValidContent, check: _Checker) -> None:
    """An interview question assesses a competency the role needs and asks about a handoff the
    role gives or receives: it is the role's guide, not any role's."""
    handoffs: dict[str, set[str]] = defaultdict(set)
    for parsed in content.entities("handoffs"):
        handoffs[parsed.entity.from_role].add(parsed.entity.id)
        handoffs[parsed.entity.to_role].add(parsed.entity.id)
    for parsed in content.entities("roles"):
        role = parsed.entity
        needed = [competency.id for competency in role.competencies]
        for index, question in enumerate(role.interview.questions if role.interview else ()):
            at = ("interview", "questions", index)
            if question.competency not in needed:
                check.problems.append(
                    Problem(
                        parsed.source.locate((*at, "competency")),
                        f"question '{question.id}' assesses '{question.competency}', which the "
                        "role does not describe under 'competencies'",
                        hint=did_you_mean(question.competency, needed),
                    )
                )
            if question.handoff is not None and question.handoff not in handoffs[role.id]:
                check.problems.append(
                    Problem(
                        parsed.source.locate((*at, "handoff")),
                        f"question '{question.id}' asks about the handoff '{question.handoff}', "
                        f"which role '{role.id}' neither gives nor receives",
                        hint=did_you_mean(question.handoff, handoffs[role.id]),
                    )
                )


def _letter_in(activity: Activity, role_id: str) -> str:
    for steps, letter in _raci_paths():
        if any(value == role_id for _, value in walk_references(activity, steps)):
            return RACI_NAMES[letter].lower()
    return "not named"


def _check_prose(
    content: ValidContent, known: Mapping[str, Collection[str]], check: _Checker
) -> None:
    """References in every text field name things that exist, in forms that exist."""
    named = {
        **{mention: known[kind.name] for mention, kind in MENTIONED.items()},
        "term": {term.id for term in content.glossary.entity.terms} if content.glossary else set(),
        "count": COUNTS,
    }
    for _, parsed in _every_file(content):
        for at, text in parsed.source.braced_texts:
            for message, hint in prose_problems(text, named):
                check.problems.append(Problem(parsed.source.locate(at), message, hint=hint))


# Keys whose text is a name, not prose: a role's own title is not a mention of the role.
# Keys whose values are names, not prose; a title is prose (a seat's, a section's, a guide's),
# except the one that names the entity itself.
NAME_KEYS = frozenset(
    {"id", "term", "name", "aliases", "organization", "author", "publisher", "url"}
)


def plain_mentions(content: ValidContent, linked: LinkedPlaybook) -> list[Problem]:
    """Warnings for prose that names a role, handoff, guide or team shape by its title (or a
    phase as "the design phase") instead of by a reference, which would not follow a rename."""
    # Role and phase names are written in lower case mid-sentence; a handoff's, guide's or
    # team shape's title is a phrase ("domain knowledge") only when its capitals are kept.
    patterns = [
        (
            re.compile(
                rf"\b{re.escape(title)}s?\b",
                re.IGNORECASE if kind.key in ("roles", "phases") else 0,
            ),
            kind,
            entity_id,
        )
        for kind, entity_id, title in _titles_to_find(linked)
    ]
    # Each text is searched only for the titles whose first two words it holds in a row: with
    # a thousand roles, every title in every text would take minutes.
    by_words: dict[_Words, list[int]] = {}
    for index, (_, _, title) in enumerate(_titles_to_find(linked)):
        words = [word.lower() for word in _WORD.findall(title)]
        key: _Words = ""
        if _WORD.match(title):
            key = words[0] if len(words) == 1 else (words[0], words[1])
        by_words.setdefault(key, []).append(index)
    problems = []
    for kind, parsed in _every_file(content):
        for at, text in _prose_texts(parsed.source.data):
            if at == ("title",) and kind.mention:
                continue  # the entity's own name
            bare = TOKEN.sub(lambda match: " " * len(match.group(0)), text)
            held = _words_held(bare)
            candidates = sorted(n for words in held for n in by_words.get(words, ()))
            for pattern, kind, entity_id in (patterns[n] for n in candidates):
                found = pattern.search(bare)
                if found:
                    form = "" if kind.key != "roles" else "|lower"
                    problems.append(
                        Problem(
                            parsed.source.locate(at),
                            f"'{found.group(0)}' names the {kind.name} '{entity_id}' in plain "
                            "words",
                            severity="warning",
                            hint=f"write {{{kind.mention}:{entity_id}{form}}} so a rename follows",
                            fails_strict_build=False,
                        )
                    )
    return problems


_Words = str | tuple[str, str]  # a word, or two words in a row, in lower case


def _words_held(text: str) -> set[_Words]:
    """The words of ``text`` and each two in a row, in lower case, a plural also without its
    's' (a title is found followed by one), and "" (which keys every title not starting with a
    word)."""
    words = [word.lower() for word in _WORD.findall(text)]
    singular = [word[:-1] if word.endswith("s") else word for word in words]
    pairs = zip(words[:-1], words[1:], singular[1:], strict=True)
    return {"", *words, *singular} | {
        pair for first, second, single in pairs for pair in ((first, second), (first, single))
    }


def _titles_to_find(linked: LinkedPlaybook) -> Iterator[tuple[Kind, str, str]]:
    """Titles that name an entity in prose: every role's, a phase's as "the design phase", and
    a handoff's, guide's or team shape's when it is more than one word ("Pairing" is also the
    word for what a guide is about)."""
    for kind in KINDS:
        if kind.mention:
            for entity_id, entity in linked.entities(kind.key).items():
                if kind.key == "phases":
                    yield kind, entity_id, f"{entity.title} phase"
                elif kind.key == "roles" or " " in entity.title:
                    yield kind, entity_id, entity.title


def _prose_texts(node: Any, at: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(node, str):
        yield at, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in NAME_KEYS and not (key == "title" and "sources" in at):
                yield from _prose_texts(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _prose_texts(value, (*at, index))


def _titles_written_out(content: ValidContent) -> ValidContent:
    """The content with every reference in a title written out as plain text, so that
    navigation, diagrams, exports and links print a title as it reads."""
    titles = {
        (kind.mention, parsed.entity.id): parsed.entity.title
        for kind, parsed in content.all_entities()
        if kind.mention
    }
    terms = content.glossary.entity.terms if content.glossary else ()
    titles |= {("term", term.id): term.term for term in terms}
    counts = {key: len(content.entities(key)) for key in COUNTS} | {"terms": len(terms)}

    written: dict[tuple[str, str, int], str] = {}

    def text(mention: Mention, depth: int = 0) -> str:
        if mention.kind == "count":
            return number(counts[mention.id], mention.forms)
        key = (mention.kind, mention.id, depth)
        if key not in written:  # once per title and depth, however many titles name it
            title = titles[(mention.kind, mention.id)]
            if depth < MAX_TITLE_DEPTH and "{" in title:  # a title may name another, whose…
                title = resolve(title, str, lambda inner: text(inner, depth + 1))
            # Titles naming titles that name titles would otherwise grow with a power of the
            # references in each.
            written[key] = title[:MAX_WRITTEN_TITLE]
        return apply_forms(written[key], mention.forms)

    by_kind = dict(content.by_kind)
    for kind in KINDS:
        if kind.mention:
            by_kind[kind.key] = tuple(
                replace(
                    p,
                    entity=p.entity.model_copy(
                        update={"title": resolve(p.entity.title, str, text)}
                    ),
                )
                if "{" in p.entity.title
                else p
                for p in content.entities(kind.key)
            )
    return ValidContent(by_kind)


def _every_file(content: ValidContent) -> Iterator[tuple[Kind, Parsed[Any]]]:
    for kind in KINDS:
        if kind.model is not None:
            for parsed in content.entities(kind.key):
                yield kind, parsed


@functools.cache
def _id_lists(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The paths, by YAML key, to every list of items with an id in ``model``, and the noun
    that names such an item."""
    found: list[tuple[tuple[str, ...], str]] = []
    for name, info in model.model_fields.items():
        args = typing.get_args(info.annotation)
        item = args[0] if typing.get_origin(info.annotation) is tuple and args else None
        if isinstance(item, type) and issubclass(item, BaseModel) and "id" in item.model_fields:
            key = info.alias or name
            found.append(((key,), getattr(item, "noun", "item")))
            found += [((key, "*", *steps), noun) for steps, noun in _id_lists(item)]
    return tuple(found)


def _lists_at(
    node: Any, steps: tuple[str, ...], at: KeyPath = ()
) -> Iterator[tuple[KeyPath, Sequence[Any]]]:
    if not steps:
        yield at, node
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        for index, item in enumerate(node):
            yield from _lists_at(item, rest, (*at, index))
    else:
        for name, info in type(node).model_fields.items():
            if step in (name, info.alias):
                yield from _lists_at(getattr(node, name), rest, (*at, step))


def _check_phases(content: ValidContent, check: _Checker, present: set[str]) -> list[str]:
    """The phase order in playbook.yml names each phase file once, and every phase file."""
    settings = content.playbook
    files = {parsed.entity.id: parsed for parsed in content.entities("phases")}
    for index, phase_id in enumerate(settings.entity.phases):
        if phase_id not in files and phase_id not in present:
            check.problems.append(
                Problem(
                    settings.source.locate(("phases", index)),
                    f"phase '{phase_id}' has no file phases/{phase_id}.yml",
                    hint=did_you_mean(phase_id, [*files, *present]),
                )
            )
    for phase_id, parsed in files.items():
        if phase_id not in settings.entity.phases:
            check.problems.append(
                Problem(
                    parsed.source.locate(("id",)),
                    f"phase '{phase_id}' is not in the phase order of playbook.yml",
                    hint="add it to 'phases' in playbook.yml",
                )
            )
    if len(set(settings.entity.phases)) != len(settings.entity.phases):
        check.problems.append(
            Problem(settings.source.locate(("phases",)), "a phase is listed twice in 'phases'")
        )
    return list(settings.entity.phases)


def _lonely_roles(content: ValidContent, linked: LinkedPlaybook, fork: bool) -> list[Problem]:
    """Roles that neither give nor receive a handoff. In a fork, where removing other roles
    can leave one so, this is for the fork to look at, not a reason to stop its build."""
    return [
        Problem(
            parsed.source.locate(("id",)),
            f"role '{parsed.entity.id}' gives and receives no handoff",
            severity="warning",
            hint="add a handoff under handoffs/ that names it in 'from' or 'to'",
            fails_strict_build=not fork,
        )
        for parsed in content.entities("roles")
        if not linked.handoffs_between(parsed.entity.id)
    ]


def _build(content: ValidContent, phase_ids: list[str]) -> LinkedPlaybook:
    ranks = {phase_id: n for n, phase_id in enumerate(phase_ids)}
    by_kind = {kind.key: _in_order(content, kind, ranks) for kind in folder_kinds()}
    roles, handoffs, guides, teams, artefacts = (
        list(by_kind[key].values()) for key in ("roles", "handoffs", "guides", "teams", "artefacts")
    )
    phases = by_kind["phases"]
    terms = content.glossary.entity.terms if content.glossary else ()
    progression = content.entities("progression")
    levels = progression[0].entity.levels if progression else ()
    competencies = progression[0].entity.competencies if progression else ()
    seats_for: dict[str, list[tuple[Team, Seat]]] = defaultdict(list)
    for team, at, role_id in _named_by(teams, "teams", "people[*].covers[*]"):
        seat = team.people[int(at[1])]
        if (team, seat) not in seats_for[role_id]:
            seats_for[role_id].append((team, seat))

    return LinkedPlaybook(
        settings=content.playbook.entity,
        by_kind=by_kind,
        glossary=tuple(sorted(terms, key=lambda term: term.term.casefold())),
        sources={source.id: source for source in content.playbook.entity.sources},
        levels={level.id: level for level in levels},
        competencies={competency.id: competency for competency in competencies},
        origin=_origins(content),
        gives=_index(handoffs, "handoffs", "from"),
        receives=_index(handoffs, "handoffs", "to"),
        handoffs_in=_index(handoffs, "handoffs", "phase"),
        guides_for=_index(guides, "guides", "audience[*]"),
        activities_of=_freeze(_participations(phases.values())),
        seats_for=_freeze(seats_for),
        cited_by=_freeze(_citations(content)),
        roles_needing=_index(roles, "roles", "competencies[*].id"),
        **_rights(phases.values()),
        artefacts_of=_index(artefacts, "artefacts", "produced_by"),
        reviews=_index(artefacts, "artefacts", "reviewed_by[*]"),
        handed_in=_index(handoffs, "handoffs", "artefacts[*].artefact"),
        produced_in=_freeze(_produced_in(phases.values())),
    )


def _rights(phases: Iterable[Phase]) -> dict[str, Any]:
    """The decisions by id, and who takes them, is consulted on them and what they approve
    and rest on."""
    rights = [DecisionRight(phase, decision) for phase in phases for decision in phase.decisions]
    by: dict[str, list[DecisionRight]] = defaultdict(list)
    consulted: dict[str, list[DecisionRight]] = defaultdict(list)
    approved: dict[str, list[DecisionRight]] = defaultdict(list)
    taken_on: dict[str, list[DecisionRight]] = defaultdict(list)
    for right in rights:
        by[right.decision.by].append(right)
        for role_id in right.decision.consulted:
            consulted[role_id].append(right)
        for artefact in right.decision.approves:
            approved[artefact].append(right)
        for artefact in right.decision.rests_on:
            taken_on[artefact].append(right)
    return {
        "decisions": {right.decision.id: right for right in rights},
        "decided_by": _freeze(by),
        "consulted_on": _freeze(consulted),
        "approved_in": _freeze(approved),
        "taken_on": _freeze(taken_on),
    }


def _produced_in(phases: Iterable[Phase]) -> dict[str, list[tuple[Phase, Activity]]]:
    found: dict[str, list[tuple[Phase, Activity]]] = defaultdict(list)
    for phase in phases:
        for activity in phase.activities:
            for artefact in activity.produces:
                found[artefact].append((phase, activity))
    return found


def _in_order(content: ValidContent, kind: Kind, ranks: Mapping[str, int]) -> dict[str, Any]:
    """A folder kind's entities by id, in the order its registry entry gives (else by title)."""
    order = kind.order or (lambda entity, ranks: entity.title.casefold())
    entities = sorted((p.entity for p in content.entities(kind.key)), key=lambda e: order(e, ranks))
    return {entity.id: entity for entity in entities}


def _named_by(entities: Iterable[E], kind_key: str, path: str) -> Iterator[tuple[E, KeyPath, str]]:
    """Each id that ``entities`` name at ``path``, one of their kind's reference paths."""
    reference = next(r for r in kind_named(kind_key).references if r.path == path)
    for entity in entities:
        for at, value in walk_references(entity, reference.steps):
            yield entity, at, value


def _index(entities: Iterable[E], kind_key: str, path: str) -> dict[str, tuple[E, ...]]:
    """For every id named at ``path``, the entities that name it, each once, in their order."""
    found: dict[str, list[E]] = defaultdict(list)
    for entity, _, value in _named_by(entities, kind_key, path):
        if not found[value] or found[value][-1] is not entity:
            found[value].append(entity)
    return _freeze(found)


def _participations(phases: Iterable[Phase]) -> dict[str, list[Participation]]:
    found: dict[str, list[Participation]] = defaultdict(list)
    for phase in phases:
        for activity in phase.activities:
            letters: dict[str, Raci] = {}
            for steps, letter in _raci_paths():
                for _, role_id in walk_references(activity, steps):
                    letters.setdefault(role_id, letter)
            for role_id, letter in letters.items():
                found[role_id].append(Participation(phase, activity, letter))
    return found


@functools.cache
def _raci_paths() -> list[tuple[tuple[str, ...], Raci]]:
    """The reference paths inside an activity, with the letter each gives, the most decisive
    first: a role named twice in one activity takes the stronger letter."""
    paths = [
        (reference.steps[2:], RACI_FIELDS[reference.steps[2]])
        for reference in kind_named("phases").references
        if reference.steps[:2] == ("activities", "*") and reference.steps[2] in RACI_FIELDS
    ]
    precedence = list(RACI_FIELDS.values())
    return sorted(paths, key=lambda found: precedence.index(found[1]))


def _citations(content: ValidContent) -> dict[str, list[Citation]]:
    cited: dict[str, list[Citation]] = defaultdict(list)
    for kind, parsed in content.all_entities():
        for source_id in dict.fromkeys(parsed.entity.sources):
            cited[source_id].append(Citation(kind.key, parsed.entity.id, parsed.entity.title))
    for citations in cited.values():
        citations.sort(key=lambda c: (c.kind, c.title.casefold()))
    return cited


def _origins(content: ValidContent) -> dict[tuple[str, str], str]:
    """The file each entity comes from, by (kind, id); a single file's id is its kind's key."""
    return {
        (kind.key, getattr(parsed.entity, "id", kind.key)): parsed.source.path
        for kind, parsed in _every_file(content)
    }


def _freeze(index: Mapping[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {key: tuple(values) for key, values in sorted(index.items())}
