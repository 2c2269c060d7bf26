"""The content model: what each YAML file under ``content/`` may hold.

These pydantic models are the *parsing* stage of the pipeline. ``validate`` feeds them the
plain data that ``load`` read; every later stage works on the frozen objects they produce and
never checks them again. Cross-references between files (a handoff naming a role, a phase
naming an accountable role) are checked later, by ``link``, because they need the whole tree.

Text fields hold Markdown. Raw HTML in them is shown as text, never passed through.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .review import DURATION_PATTERN, parse_date
from .safety import address_text_problem, link_problem, link_texts, links_in, logo_problem

__all__ = [
    "NAMES",
    "PATTERN_MESSAGES",
    "TEXT_LIMIT",
    "TEXT_LIMITS",
    "Activity",
    "Artefact",
    "ArtefactSection",
    "Branding",
    "Category",
    "ChecklistItem",
    "Collaboration",
    "Competency",
    "Decision",
    "Glossary",
    "Guide",
    "GuideChecklist",
    "GuideSection",
    "HandedArtefact",
    "Handoff",
    "Home",
    "Interview",
    "InterviewQuestion",
    "Involvement",
    "Level",
    "OnboardingItem",
    "Phase",
    "Playbook",
    "Progression",
    "QuestionFormat",
    "Review",
    "Role",
    "RoleCompetency",
    "Rule",
    "Seat",
    "Source",
    "Team",
    "Term",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
# What a value that does not match a pattern is told.
PATTERN_MESSAGES = {
    SLUG_PATTERN: "is not an id: use lowercase letters, digits and single hyphens",
    COLOUR_PATTERN: "is not a colour: write it as #rrggbb, e.g. #1f6feb",
    DURATION_PATTERN: "is not a duration: write a whole number and days, weeks, months or "
    "years, e.g. 12 months",
}

# The most characters a text may hold, by its key: what names a thing is short, a guide's
# section may run long, and every other text holds up to TEXT_LIMIT. Far above what the
# playbook writes (its longest section body is about 2,100), they keep any pass over one text
# short, and are listed in docs/content-model.md.
TEXT_LIMIT = 5_000
# The texts that name something, shown in navigation, titles and search results.
NAMES = (
    "title",
    "name",
    "term",
    "aliases",
    "organization",
    "publisher",
    "author",
    "size",
    "owner",
    "owner_teams",
)
TEXT_LIMITS = dict.fromkeys(NAMES, 200) | {"url": 2_000, "body": 20_000}
# Characters that reorder the text around them: in any text they could make a sentence read
# as another. A name holds no invisible character at all (Unicode's format characters, such
# as U+200B ZERO WIDTH SPACE), so that two names that look alike are alike.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
    Field(description="A lowercase identifier: letters, digits and single hyphens."),
]


def _checked_link(value: str) -> str:
    problem = link_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _checked_logo(value: str) -> str:
    problem = logo_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _checked_markdown(value: str) -> str:
    for target, image in links_in(value):
        problem = link_problem(target, image=image)
        if problem:
            raise ValueError(problem)
    for shown, target in link_texts(value):
        problem = address_text_problem(shown, target)
        if problem:
            raise ValueError(problem)
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_checked_markdown)
]
Link = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_checked_link)
]
ImageFile = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_checked_logo)
]
Texts = tuple[Text, ...]
# An owner names a role by its id, or a team the playbook declares by its name.
Owner = Annotated[
    Text, Field(description="A role id, or a team named in the playbook's owner_teams.")
]
Duration = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=DURATION_PATTERN),
    Field(description="A whole number and days, weeks, months or years: '12 months'."),
]


def _review_date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ValueError("should be a date written as YYYY-MM-DD, e.g. 2026-12-05")
    return parse_date(value.strip())


ReviewDate = Annotated[
    dt.date,
    BeforeValidator(_review_date),
    Field(description="When the entity was last reviewed, as YYYY-MM-DD; not in the future."),
]
Category = Literal["business", "technical", "supporting"]
Raci = Literal["R", "A", "C", "I"]
When = Literal["first-day", "first-week", "first-month", "first-90-days"]
QuestionFormat = Literal["question", "exercise"]
Track = Literal["individual", "manager"]


class Model(BaseModel):
    """Base of every content model: unknown keys are errors and objects never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _checked_text(cls, value: Any, info: ValidationInfo) -> Any:
        """Every text of every model within its limit and showing what it holds, checked
        before anything reads it."""
        field = info.field_name or ""
        limit = TEXT_LIMITS.get(field, TEXT_LIMIT)
        texts: Iterable[Any] = [value]
        if isinstance(value, dict):
            texts = value.values()
        elif isinstance(value, (list, tuple)):
            texts = value
        for text in texts:
            if isinstance(text, str) and len(text) > limit:
                raise ValueError(
                    f"{len(text):,} characters, over the {limit:,} this text may hold; "
                    "shorten it or split it"
                )
            if isinstance(text, str) and (hidden := _hidden_character(text, field in NAMES)):
                raise ValueError(
                    f"holds the invisible character U+{ord(hidden):04X} "
                    f"({unicodedata.name(hidden, 'a format character')}), which can make text "
                    "read as other text; remove it"
                )
        return value


def _hidden_character(text: str, name: bool) -> str | None:
    if name:
        return next((char for char in text if unicodedata.category(char) == "Cf"), None)
    found = _BIDI.search(text)
    return found.group() if found else None


class Entity(Model):
    """Something that lives in a file of its own, named after its id."""

    id: Slug
    title: Text
    sources: tuple[Slug, ...] = Field(
        default=(), description="Ids of the playbook sources this entity draws on."
    )
    owner: Owner | None = Field(default=None, description="Who keeps the page true.")
    reviewed: ReviewDate | None = None
    review_every: Duration | None = Field(
        default=None,
        description="How often this entity is reviewed, over the playbook's review intervals.",
    )


class ChecklistItem(Model):
    """One box to tick. Its id is stable: forks and saved progress refer to it."""

    noun: ClassVar[str] = "checklist item"  # how messages name one: "duplicate checklist item id"

    id: Slug
    text: Text
    when: When | None = Field(default=None, description="When in a new hire's start it falls.")
    details: Text | None = None


class OnboardingItem(ChecklistItem):
    when: When


class HandedArtefact(Model):
    """Something a handoff passes on or a phase leaves with: an artefact of the playbook, by
    id (what it contains is written once, in its own file), or a thing named here."""

    artefact: Slug | None = Field(default=None, description="Id of an artefact under artefacts/.")
    name: Text | None = Field(default=None, description="A thing with no artefact file: its name.")
    description: Text | None = Field(
        default=None, description="What it is, or for an artefact, what this handoff adds."
    )

    @model_validator(mode="after")
    def _one_name(self) -> HandedArtefact:
        if (self.artefact is None) == (self.name is None):
            raise ValueError("give either 'artefact' (an artefact's id) or 'name', not both")
        return self


class ArtefactSection(Model):
    """One section or field of an artefact, and what a good one says."""

    noun: ClassVar[str] = "section"
    id: Slug
    title: Text
    good: Text = Field(description="What good looks like: what a reviewer checks it says.")


class Artefact(Entity):
    """``content/artefacts/<id>.yml``: a document or record the team produces, such as a model
    card: what it is for, what it contains, who produces and reviews it, and how long it is
    kept. Handoffs, phases and decisions name it by id; its template is published with it."""

    summary: Text = Field(description="What it is for.")
    produced_by: Slug = Field(description="Id of the role accountable for producing it.")
    reviewed_by: tuple[Slug, ...] = Field(
        default=(), description="Ids of the roles that must review it before it is used."
    )
    retention: Text = Field(description="How long it is kept, and where.")
    sections: tuple[ArtefactSection, ...] = Field(min_length=1)


class Source(Model):
    noun: ClassVar[str] = "source"
    id: Slug
    title: Text
    author: Text | None = None
    publisher: Text
    url: Link | None = None
    note: Text | None = Field(default=None, description="What the playbook takes from it.")

    @property
    def site(self) -> str:
        """The host the source is published on: its link's text, which, unlike a whole
        address, fits a phone's width."""
        return (urlsplit(self.url).hostname or self.url) if self.url else ""


class Home(Model):
    intro: Text
    reading_guide: Texts = ()


Colour = Annotated[
    str,
    StringConstraints(pattern=COLOUR_PATTERN),
    Field(description="A colour as #rrggbb."),
]


class Branding(Model):
    """How the site looks: set once here (a fork sets it in its overlay's playbook.yml)."""

    logo: ImageFile | None = Field(
        default=None, description="Image file for the header, relative to the project root."
    )
    primary_color: Colour | None = Field(default=None, description="Header and link colour.")
    accent_color: Colour | None = Field(default=None, description="Hover and tick colour.")


class Rule(Model):
    """A separation-of-duties rule of the organisation's own: decisions that approve these
    artefacts are taken only by these roles."""

    noun: ClassVar[str] = "rule"
    id: Slug
    text: Text = Field(description="The rule in a sentence, as the decision-rights page shows it.")
    artefacts: tuple[Slug, ...] = Field(min_length=1, description="Ids of artefacts it covers.")
    decided_by: tuple[Slug, ...] = Field(
        min_length=1, description="Ids of the only roles that may approve them."
    )


class Review(Model):
    """How often entities are reviewed: one interval for all, and others per kind."""

    every: Duration | None = Field(
        default=None, description="The interval for every entity; none: only the kinds listed."
    )
    kinds: dict[str, Duration] = Field(
        default_factory=dict,
        description="Intervals by kind folder (roles, phases, handoffs, guides, teams, "
        "artefacts), over 'every'.",
    )


class Playbook(Model):
    """``content/playbook.yml``: the settings of the whole playbook. Its title names the site."""

    title: Text
    organization: Text | None = Field(
        default=None, description="The organisation whose playbook it is, shown under the title."
    )
    description: Text
    home: Home
    phases: tuple[Slug, ...] = Field(min_length=1, description="Phase ids in lifecycle order.")
    sources: tuple[Source, ...] = ()
    branding: Branding | None = None
    rules: tuple[Rule, ...] = Field(
        default=(), description="Separation-of-duties rules beyond the built-in one."
    )
    owner_teams: Texts = Field(
        default=(),
        description="Teams that may own entities besides roles, by name: 'Platform team'.",
    )
    review: Review | None = Field(
        default=None, description="How often entities must be reviewed; none: never due."
    )
    generator_pages: bool = Field(
        default=True,
        description="Whether the generator's own pages (its content model, the fork guide, the "
        "benchmarks) are published; `playbook init` turns them off in a fork.",
    )
    what_changed: bool = Field(
        default=True,
        description="Whether the What changed page (read from the project's git history), its "
        "Atom feed and the marks on pages changed since a reader's last visit are published.",
    )


class Involvement(Model):
    """How a role takes part in one phase."""

    raci: Raci
    does: Text


class Collaboration(Model):
    role: Slug
    why: Text


class RoleCompetency(Model):
    """A competency a role needs, and what it looks like at each level of the role. Its id is
    the competency's, so a fork removes or replaces it by that id."""

    noun: ClassVar[str] = "competency"
    id_names: ClassVar[str] = "competency"  # its id is not its own: it names a competency

    id: Slug = Field(description="The id of a competency in progression.yml.")
    levels: dict[Slug, Text] = Field(
        min_length=1,
        description="Per level id of progression.yml: what is expected at that level. The "
        "lowest level given is the one from which the role needs the competency.",
    )


class InterviewQuestion(Model):
    """One question or exercise of a role's interview guide, and what a strong answer shows."""

    noun: ClassVar[str] = "question"

    id: Slug
    competency: Slug = Field(description="The id of the competency it assesses.")
    format: QuestionFormat = Field(default="question", description="A question or an exercise.")
    ask: Text = Field(description="What the interviewer asks or sets.")
    strong: Text = Field(description="What a strong answer looks like.")
    handoff: Slug | None = Field(
        default=None, description="The id of a handoff of this role the question is about."
    )


class Interview(Model):
    """How to interview for a role."""

    focus: Text = Field(description="What matters most when hiring for this role.")
    questions: tuple[InterviewQuestion, ...] = ()
    warning_signs: Texts = Field(default=(), description="Answers that should worry you.")


class Role(Entity):
    """``content/roles/<id>.yml``: a role profile."""

    retired: ClassVar[dict[str, str]] = {
        key: "what a role produces and receives is read from the artefacts it is named "
        "'produced_by' in and from its handoffs; move the item to one of those"
        for key in ("produces", "consumes")
    }

    aliases: Texts = ()
    category: Category
    summary: Text
    responsibilities: Texts = Field(min_length=1)
    skills: Texts = ()
    cares_about: Texts = ()
    overlooks: Texts = Field(default=(), description="What this role tends to miss.")
    phases: dict[Slug, Involvement] = Field(
        default_factory=dict, description="Involvement per phase id, as R, A, C or I."
    )
    works_with: tuple[Collaboration, ...] = ()
    tips: Texts = Field(default=(), description="How to work well with this role.")
    onboarding: tuple[OnboardingItem, ...] = ()
    competencies: tuple[RoleCompetency, ...] = Field(
        default=(), description="The competencies the role needs, with expectations per level."
    )
    interview: Interview | None = None
    recognition: Text | None = Field(
        default=None,
        description="For a role lent to the team with no ladder here (no competencies): how "
        "the team makes its holders' contribution count where they are assessed.",
    )

    @field_validator("recognition")
    @classmethod
    def _one_way_to_grow(cls, recognition: str | None, info: ValidationInfo) -> str | None:
        if recognition and info.data.get("competencies"):
            raise ValueError(
                "a role has either competencies (a ladder in the team) or 'recognition' (how "
                "people lent to the team are recognised), not both; remove one"
            )
        return recognition


class Activity(Model):
    """One piece of work in a phase, with exactly one accountable role."""

    noun: ClassVar[str] = "activity"

    id: Slug
    title: Text
    description: Text
    accountable: Slug
    responsible: tuple[Slug, ...] = ()
    consulted: tuple[Slug, ...] = ()
    informed: tuple[Slug, ...] = ()
    produces: tuple[Slug, ...] = Field(
        default=(), description="Ids of the artefacts this activity produces."
    )


class DutyException(Model):
    """A visible exception to the separation of duties, for a team too small to keep it."""

    reason: Text = Field(description="Why the builder decides here, and what makes up for it.")


class Decision(Model):
    """A sign-off that opens or closes a phase, and everything that makes it a decision right:
    who decides, who must be consulted, which decision may override it, the artefacts it rests
    on and approves, and what happens on "no".

    The role must be accountable or responsible for the named activity (or, without one, in
    the phase): who decides is checked against the RACI, never written twice. It must not
    have produced what it approves (separation of duties) unless ``exception`` says why."""

    noun: ClassVar[str] = "decision"

    id: Slug
    text: Text = Field(description="What is decided, as a criterion: 'Full rollout is approved.'")
    by: Slug = Field(description="Id of the role that decides.")
    activity: Slug | None = Field(
        default=None, description="Id of the activity of this phase in which it is decided."
    )
    stage: Literal["entry", "exit"] = Field(
        default="exit", description="Whether it opens (entry) or closes (exit) the phase."
    )
    consulted: tuple[Slug, ...] = Field(
        default=(), description="Ids of the roles that must be heard before it is taken."
    )
    rests_on: tuple[Slug, ...] = Field(
        default=(), description="Ids of the artefacts the decision is taken on."
    )
    approves: tuple[Slug, ...] = Field(
        default=(), description="Ids of the artefacts it approves; their producers may not decide."
    )
    escalates_to: Slug | None = Field(
        default=None,
        description="Id of the decision (in any phase) that may override this one, or settle it "
        "when those consulted disagree.",
    )
    on_no: Text | None = Field(default=None, description='What happens when the answer is "no".')
    exception: DutyException | None = Field(
        default=None, description="An exception to the separation of duties, shown with it."
    )


class Phase(Entity):
    """``content/phases/<id>.yml``: a lifecycle phase."""

    summary: Text
    goal: Text
    entry_criteria: Texts = ()
    exit_criteria: Texts = ()
    decisions: tuple[Decision, ...] = ()
    activities: tuple[Activity, ...] = ()
    artefacts: tuple[HandedArtefact, ...] = Field(default=(), description="What leaves the phase.")


class Handoff(Entity):
    """``content/handoffs/<id>.yml``: work passed from one role to another."""

    from_role: Slug = Field(alias="from", description="Id of the role that hands the work over.")
    to_role: Slug = Field(alias="to", description="Id of the role that receives it.")
    phase: Slug = Field(description="Id of the phase in which the handoff happens.")
    summary: Text
    artefacts: tuple[HandedArtefact, ...] = Field(min_length=1)
    done: tuple[ChecklistItem, ...] = Field(
        min_length=1, description="Definition of done: what the receiver checks."
    )
    pitfalls: Texts = ()


class GuideSection(Model):
    noun: ClassVar[str] = "section"
    id: Slug
    title: Text
    body: Text


class GuideChecklist(Model):
    noun: ClassVar[str] = "checklist"
    id: Slug
    title: Text
    items: tuple[ChecklistItem, ...] = Field(min_length=1)


class Guide(Entity):
    """``content/guides/<id>.yml``: a ways-of-working document."""

    summary: Text
    audience: tuple[Slug, ...] = Field(default=(), description="Role ids it is written for.")
    sections: tuple[GuideSection, ...] = Field(min_length=1)
    checklists: tuple[GuideChecklist, ...] = ()


class Seat(Model):
    """One person (or one small group) in a team shape, and the roles they cover."""

    title: Text
    covers: tuple[Slug, ...] = Field(min_length=1)
    note: Text | None = None


class Team(Entity):
    """``content/teams/<id>.yml``: a team shape, e.g. a startup or an enterprise."""

    summary: Text
    size: Text
    people: tuple[Seat, ...] = Field(min_length=1)
    advice: Texts = ()


class Term(Model):
    noun: ClassVar[str] = "term"
    id: Slug
    term: Text
    definition: Text
    aliases: Texts = ()
    related_roles: tuple[Slug, ...] = ()


class Level(Model):
    """One step of the level scale, lowest first in its list."""

    noun: ClassVar[str] = "level"
    id: Slug
    title: Text
    summary: Text = Field(description="The scope and autonomy that this level means.")
    track: Track | None = Field(
        default=None,
        description="Where the scale splits: 'individual' (individual contributor) or "
        "'manager' for a level on one track only; none for a level every track shares.",
    )


class Competency(Model):
    noun: ClassVar[str] = "competency"
    id: Slug
    title: Text
    summary: Text = Field(description="What the competency covers, in any role.")


class Progression(Model):
    """``content/progression.yml``: the level scale and the competencies, defined once for
    every role."""

    levels: tuple[Level, ...] = Field(
        min_length=1,
        description="The level scale, lowest first: the levels every track shares, then "
        "each track's own, lowest first.",
    )
    competencies: tuple[Competency, ...] = Field(min_length=1)

    # Level ids the bundled scale once had, and what a fork that still names one should do.
    retired_levels: ClassVar[dict[str, str]] = {
        "lead": "the bundled scale split 'lead' into 'staff' and 'principal' for individual "
        "contributors and 'manager', 'senior-manager' and 'head' for managers; name one of "
        "those, or append 'lead' to the levels of your progression.yml to keep it"
    }

    @field_validator("levels")
    @classmethod
    def _shared_levels_first(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        split = next((n for n, level in enumerate(levels) if level.track), len(levels))
        late = next((level for level in levels[split:] if level.track is None), None)
        if late:
            raise ValueError(
                f"level '{late.id}' has no track but comes after '{levels[split].id}', "
                "which is on a track: list the levels every track shares first, or give "
                f"'{late.id}' a track (individual or manager)"
            )
        return levels


class Glossary(Model):
    """``content/glossary.yml``: the terms a newcomer meets."""

    terms: tuple[Term, ...] = Field(min_length=1)
