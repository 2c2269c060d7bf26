"""Stage 3b, review: who owns each entity, and whether its review is due.

An entity may name an ``owner`` (a role id, or a team that ``owner_teams`` in playbook.yml
declares) and the date it was last ``reviewed``. The interval that applies is the entity's own
``review_every``, else its kind's in ``review.kinds``, else ``review.every``. An entity past its
interval is a warning that ``--strict-review`` turns into an error; an entity with no review
date is never due. Nothing here reads a file's time or the repository's history: a review is
the date written in the data.

Today's date is given (tests and CI set it) or read from ``PLAYBOOK_TODAY`` (YYYY-MM-DD), else
the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterable
from typing import Any

from ..content.kinds import Kind, folder_kinds
from ..content.model import Playbook
from ..content.review import ReviewState, add_duration, parse_date
from ..errors import PlaybookError, Problem, did_you_mean
from .validate import Parsed, ValidContent

__all__ = ["TODAY_VARIABLE", "interval_of", "review_problems", "review_states", "today"]

TODAY_VARIABLE = "PLAYBOOK_TODAY"


def today(given: dt.date | None = None) -> dt.date:
    """``given``, else the date ``PLAYBOOK_TODAY`` names, else the clock's."""
    if given is not None:
        return given
    written = os.environ.get(TODAY_VARIABLE, "").strip()
    if not written:
        return dt.date.today()
    try:
        return parse_date(written)
    except ValueError as exc:
        raise PlaybookError(f"${TODAY_VARIABLE}: {exc}") from None


def review_problems(
    content: ValidContent,
    roles: Collection[str],
    on: dt.date,
    *,
    strict: bool = False,
) -> list[Problem]:
    """Unknown owners and kinds, review dates after ``on``, and the entities due for review on
    ``on`` (warnings, or errors when ``strict``). ``roles`` holds the ids of every role file
    there is, valid or not, so that a broken role file is not also an unknown owner."""
    settings = content.playbook
    problems = _unknown_kinds(settings)
    teams = frozenset(settings.entity.owner_teams)
    owners = frozenset(roles) | teams
    for kind, parsed in content.all_entities():
        entity = parsed.entity
        if entity.owner is not None and entity.owner not in owners:
            problems.append(_unknown_owner(parsed, owners, teams))
        if entity.reviewed is None:
            continue
        if entity.reviewed > on:
            where = parsed.source.locate(("reviewed",))
            message = f"reviewed on {entity.reviewed}, which is after today ({on})"
            problems.append(Problem(where, message, hint="write the date the review was done"))
            continue
        state = _state(settings.entity, kind, entity, on, roles)
        if state.overdue:
            problems.append(_overdue(kind, parsed, state, strict))
    return problems


def review_states(
    content: ValidContent, roles: Collection[str], on: dt.date
) -> dict[tuple[str, str], ReviewState]:
    """What each entity's page says of its owner and review, by kind key and id: only the
    entities that name an owner or a review date."""
    settings = content.playbook.entity
    return {
        (kind.key, parsed.entity.id): _state(settings, kind, parsed.entity, on, roles)
        for kind, parsed in content.all_entities()
        if parsed.entity.owner is not None or parsed.entity.reviewed is not None
    }


def interval_of(settings: Playbook, kind: Kind, entity: Any) -> str | None:
    """The review interval that applies to ``entity``: its own, its kind's, or the default."""
    if entity.review_every:
        return str(entity.review_every)
    review = settings.review
    if review is None:
        return None
    return review.kinds.get(kind.key) or review.every


def _state(
    settings: Playbook, kind: Kind, entity: Any, on: dt.date, roles: Collection[str]
) -> ReviewState:
    interval = interval_of(settings, kind, entity)
    due = add_duration(entity.reviewed, interval) if entity.reviewed and interval else None
    return ReviewState(
        owner=entity.owner,
        owner_is_role=entity.owner in roles,
        reviewed=entity.reviewed,
        interval=interval,
        due=due,
        overdue=due is not None and due <= on,
    )


def _overdue(kind: Kind, parsed: Parsed[Any], state: ReviewState, strict: bool) -> Problem:
    return Problem(
        parsed.source.locate(("reviewed",)),
        f"last reviewed on {state.reviewed}, due for review since {state.due} "
        f"(every {state.interval})",
        severity="error" if strict else "warning",
        hint=f"review it, then run: playbook review {kind.mention}:{parsed.entity.id}",
        fails_strict_build=strict,
    )


def _unknown_owner(parsed: Parsed[Any], owners: Iterable[str], teams: Collection[str]) -> Problem:
    owner = parsed.entity.owner
    hint = did_you_mean(owner, owners) or (
        "name a role by its id, or a team listed in owner_teams in playbook.yml"
        if teams
        else "name a role by its id; to name a team, list it in owner_teams in playbook.yml first"
    )
    return Problem(parsed.source.locate(("owner",)), f"unknown owner '{owner}'", hint=hint)


def _unknown_kinds(settings: Parsed[Playbook]) -> list[Problem]:
    review = settings.entity.review
    kinds = [kind.key for kind in folder_kinds()]
    return [
        Problem(
            settings.source.locate(("review", "kinds", key), key=True),
            f"review.kinds: unknown kind '{key}'; expected one of: {', '.join(kinds)}",
            hint=did_you_mean(key, kinds),
        )
        for key in (review.kinds if review else {})
        if key not in kinds
    ]
