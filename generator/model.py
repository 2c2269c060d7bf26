"""The content model: what each YAML file under ``content/`` may hold.

These pydantic models are the *parsing* stage of the pipeline. ``validate`` feeds them the
plain data that ``load`` read; every later stage works on the frozen objects they produce and
never checks them again. Cross-references between files (a handoff naming a role, a phase
naming an accountable role) are checked later, by ``link``, because they need the whole tree.

Text fields hold Markdown. Raw HTML in them is shown as text, never passed through.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .safety import LINK_TARGET, is_safe_link

__all__ = [
    "Activity",
    "Artefact",
    "Branding",
    "Category",
    "ChecklistItem",
    "Collaboration",
    "Decision",
    "Glossary",
    "Guide",
    "GuideChecklist",
    "GuideSection",
    "Handoff",
    "Home",
    "Involvement",
    "OnboardingItem",
    "Phase",
    "Playbook",
    "Role",
    "Seat",
    "Source",
    "Team",
    "Term",
]

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
    Field(description="A lowercase identifier: letters, digits and single hyphens."),
]


def _checked_link(value: str) -> str:
    if not is_safe_link(value):
        raise ValueError(
            f"'{value}' is not an allowed link: use http(s), mailto or a relative link"
        )
    return value


def _checked_markdown(value: str) -> str:
    for target in LINK_TARGET.findall(value):
        _checked_link(target)
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_checked_markdown)
]
Link = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_checked_link)
]
Texts = tuple[Text, ...]
Category = Literal["business", "technical", "supporting"]
Raci = Literal["R", "A", "C", "I"]
When = Literal["first-day", "first-week", "first-month", "first-90-days"]


class Model(BaseModel):
    """Base of every content model: unknown keys are errors and objects never change."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, coerce_numbers_to_str=True
    )


class Entity(Model):
    """Something that lives in a file of its own, named after its id."""

    id: Slug
    title: Text
    sources: tuple[Slug, ...] = Field(
        default=(), description="Ids of the playbook sources this entity draws on."
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


class Artefact(Model):
    name: Text
    description: Text | None = None


class Source(Model):
    noun: ClassVar[str] = "source"
    id: Slug
    title: Text
    author: Text | None = None
    publisher: Text
    url: Link | None = None
    note: Text | None = Field(default=None, description="What the playbook takes from it.")


class Home(Model):
    intro: Text
    reading_guide: Texts = ()


Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour as #rrggbb."),
]


class Branding(Model):
    """How the site looks: set once here (a fork sets it in its overlay's playbook.yml)."""

    logo: Link | None = Field(
        default=None, description="Image file for the header, relative to the project root."
    )
    primary_color: Colour | None = Field(default=None, description="Header and link colour.")
    accent_color: Colour | None = Field(default=None, description="Hover and tick colour.")


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


class Involvement(Model):
    """How a role takes part in one phase."""

    raci: Raci
    does: Text


class Collaboration(Model):
    role: Slug
    why: Text


class Role(Entity):
    """``content/roles/<id>.yml``: a role profile."""

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
    produces: Texts = ()
    consumes: Texts = ()
    tips: Texts = Field(default=(), description="How to work well with this role.")
    onboarding: tuple[OnboardingItem, ...] = ()


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


class Decision(Model):
    """A sign-off that opens or closes a phase, and the role that gives it.

    The role must be accountable or responsible for the named activity (or, without one, in
    the phase): who decides is checked against the RACI, never written twice."""

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


class Phase(Entity):
    """``content/phases/<id>.yml``: a lifecycle phase."""

    summary: Text
    goal: Text
    entry_criteria: Texts = ()
    exit_criteria: Texts = ()
    decisions: tuple[Decision, ...] = ()
    activities: tuple[Activity, ...] = ()
    artefacts: tuple[Artefact, ...] = Field(default=(), description="What leaves the phase.")


class Handoff(Entity):
    """``content/handoffs/<id>.yml``: work passed from one role to another."""

    from_role: Slug = Field(alias="from", description="Id of the role that hands the work over.")
    to_role: Slug = Field(alias="to", description="Id of the role that receives it.")
    phase: Slug = Field(description="Id of the phase in which the handoff happens.")
    summary: Text
    artefacts: tuple[Artefact, ...] = Field(min_length=1)
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


class Glossary(Model):
    """``content/glossary.yml``: the terms a newcomer meets."""

    terms: tuple[Term, ...] = Field(min_length=1)
