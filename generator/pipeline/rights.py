"""Part of stage 3, link: decision rights, checked across the whole playbook.

- Every decision has an id of its own across all phases, so another decision may name it as
  the one it escalates to; following those names never comes back to where it started.
- Separation of duties: a decision that approves an artefact is not taken by a role that
  produced it (accountable for it, or accountable or responsible in an activity that produces
  it), unless the decision records a visible exception with its reason.
- A role's profile does not claim, in its own words, an activity the RACI gives to others
  (a warning of ``playbook validate``).
- An organisation's own rules (``rules`` in ``playbook.yml``): the artefacts they cover are
  approved only by the roles they name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..content.model import Decision, Phase
from ..content.prose import sentences, words
from ..errors import Location, Problem
from .validate import Parsed, ValidContent

__all__ = ["check_rights", "claimed_activities", "decision_ids", "producers", "stem"]


def decision_ids(content: ValidContent) -> frozenset[str]:
    """The ids of every decision of every phase."""
    return frozenset(decision.id for _, _, decision in _decisions(content))


def producers(content: ValidContent) -> dict[str, set[str]]:
    """For each artefact, the roles that produce it: the one accountable for it, and those
    accountable or responsible in an activity that produces it."""
    found: dict[str, set[str]] = {
        parsed.entity.id: {parsed.entity.produced_by} for parsed in content.entities("artefacts")
    }
    for parsed in content.entities("phases"):
        for activity in parsed.entity.activities:
            for artefact in activity.produces:
                found.setdefault(artefact, set()).update(
                    (activity.accountable, *activity.responsible)
                )
    return found


def check_rights(content: ValidContent) -> list[Problem]:
    """Every problem with who decides what: duplicate decision ids, escalations in a circle,
    builders approving their own work without a recorded exception, and broken rules."""
    problems: list[Problem] = []
    problems += _duplicates(content)
    problems += _circles(content)
    problems += _separation(content)
    problems += _rules(content)
    return problems


def _decisions(content: ValidContent) -> Iterator[tuple[Parsed[Phase], int, Decision]]:
    for parsed in content.entities("phases"):
        for index, decision in enumerate(parsed.entity.decisions):
            yield parsed, index, decision


def _at(parsed: Parsed[Any], index: int, *key: str | int) -> Location:
    return parsed.source.locate(("decisions", index, *key))


def _duplicates(content: ValidContent) -> list[Problem]:
    first: dict[str, str] = {}
    problems = []
    for parsed, index, decision in _decisions(content):
        if decision.id in first and first[decision.id] != parsed.entity.id:
            problems.append(
                Problem(
                    _at(parsed, index, "id"),
                    f"decision id '{decision.id}' is also a decision of the phase "
                    f"'{first[decision.id]}'",
                    hint="decisions name each other by id, so each id is used once",
                )
            )
        first.setdefault(decision.id, parsed.entity.id)
    return problems


def _circles(content: ValidContent) -> list[Problem]:
    """An escalation that comes back to where it started settles nothing."""
    escalates = {d.id: d.escalates_to for _, _, d in _decisions(content) if d.escalates_to}
    problems, reported = [], set()
    for parsed, index, decision in _decisions(content):
        path, current = [decision.id], decision.escalates_to
        while current is not None and current not in path:
            path.append(current)
            current = escalates.get(current)
        if current is None or current != decision.id or frozenset(path) in reported:
            continue
        reported.add(frozenset(path))
        circle = " → ".join([*path, decision.id])
        problems.append(
            Problem(
                _at(parsed, index, "escalates_to"),
                f"decisions escalate in a circle: {circle}",
                hint="the last decision of a chain escalates to none; name who settles it there",
            )
        )
    return problems


def _separation(content: ValidContent) -> list[Problem]:
    made = producers(content)
    problems = []
    for parsed, index, decision in _decisions(content):
        if decision.exception is not None:
            continue
        for artefact in decision.approves:
            if decision.by in made.get(artefact, ()):
                problems.append(
                    Problem(
                        _at(parsed, index, "by"),
                        f"role '{decision.by}' decides '{decision.id}', which approves the "
                        f"artefact '{artefact}' it produces (separation of duties)",
                        hint=_reviewers_hint(content, artefact, decision.by),
                    )
                )
    return problems


def _reviewers_hint(content: ValidContent, artefact: str, builder: str) -> str:
    reviewers = [
        role
        for parsed in content.entities("artefacts")
        if parsed.entity.id == artefact
        for role in parsed.entity.reviewed_by
        if role != builder
    ]
    others = f"a role that reviews it ({', '.join(reviewers)})" if reviewers else "another role"
    return f"let {others} decide, or record why not with 'exception: {{reason: ...}}'"


def _rules(content: ValidContent) -> list[Problem]:
    rules = content.playbook.entity.rules
    problems = []
    for parsed, index, decision in _decisions(content):
        for rule in rules:
            covered = set(rule.artefacts) & set(decision.approves)
            if covered and decision.by not in rule.decided_by:
                problems.append(
                    Problem(
                        _at(parsed, index, "by"),
                        f"role '{decision.by}' decides '{decision.id}', but the rule "
                        f"'{rule.id}' lets only {', '.join(rule.decided_by)} approve "
                        f"{', '.join(sorted(covered))}",
                        hint=rule.text,
                    )
                )
    return problems


# Words that say nothing about which activity a sentence means.
_SMALL = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "by", "from", "into"}
_SMALL |= {"its", "their", "it", "or", "as", "at", "be", "is", "are", "each", "every", "all"}


def stem(word: str) -> str:
    """A word without the endings that change with who does it (runs, running, ran aside)."""
    for ending in ("ing", "es", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _stems(text: str) -> list[str]:
    """The words of ``text`` that matter, as stems."""
    return [stem(word) for word in words(text) if word not in _SMALL]


def claimed_activities(content: ValidContent) -> list[Problem]:
    """A role's own words claiming an activity the RACI gives to others: a sentence of its
    summary, responsibilities or phase involvement that opens with the activity's title (at
    least three words that matter, in order and close together: "Runs the staged release…"),
    from a role neither accountable nor responsible for it. The RACI is the one answer; the
    profile should not say another. A sentence is held only against the activities whose
    title starts as it does."""
    starting: dict[str, list[tuple[Parsed[Phase], int, Any, list[str]]]] = {}
    for parsed in content.entities("phases"):
        for index, activity in enumerate(parsed.entity.activities):
            title = _stems(activity.title)
            if len(title) >= 3:
                starting.setdefault(title[0], []).append((parsed, index, activity, title))
    problems = []
    for role in content.entities("roles"):
        claimed: set[str] = set()
        for at, text in _role_claims(role.entity):
            words = _stems(text)
            for phase, index, activity, title in starting.get(words[0] if words else "", ()):
                doers = (activity.accountable, *activity.responsible)
                if activity.id in claimed or role.entity.id in doers or not _says(words, title):
                    continue
                claimed.add(activity.id)  # one warning a role and activity
                owner = phase.source.locate(("activities", index, "accountable"))
                problems.append(
                    Problem(
                        role.source.locate(at),
                        f"claims '{activity.title}', which the RACI gives to "
                        f"'{activity.accountable}' (accountable, {owner})",
                        severity="warning",
                        hint="say what this role does in it as the RACI has it, or change the RACI",
                        fails_strict_build=False,
                    )
                )
    return problems


def _says(words: list[str], title: list[str]) -> bool:
    """Whether ``words`` hold ``title``'s words in order, within twice its length."""
    for start, word in enumerate(words):
        if word != title[0]:
            continue
        found, window = 1, words[start + 1 : start + 2 * len(title)]
        for later in window:
            if found < len(title) and later == title[found]:
                found += 1
        if found == len(title):
            return True
    return False


def _role_claims(role: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each sentence in which a role's profile says what it does, with where it stands."""
    texts: list[tuple[tuple[str | int, ...], str]] = [(("summary",), role.summary)]
    texts += [(("responsibilities", n), text) for n, text in enumerate(role.responsibilities)]
    texts += [(("phases", phase, "does"), part.does) for phase, part in role.phases.items()]
    for at, text in texts:
        for sentence in sentences(text):
            yield at, sentence
