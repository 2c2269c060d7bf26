"""The words and orders the pages show for the content model's codes: one place for each, so
that a page, a printed sheet and a diagram can never disagree.

Orders come from the model's own ``Literal`` types; only their display words are written here.
"""

from __future__ import annotations

import re
import typing

from .model import Category, QuestionFormat, Raci, Track, When

__all__ = [
    "CATEGORY_COLOURS",
    "CATEGORY_ORDER",
    "CATEGORY_TITLES",
    "QUESTION_FORMATS",
    "RACI_FIELDS",
    "RACI_NAMES",
    "RACI_ORDER",
    "RATINGS",
    "SIGN_OFF",
    "SIGN_OFF_ASSESSMENT",
    "TRACK_TITLES",
    "WHEN_ORDER",
    "WHEN_TITLES",
    "first_sentence",
]

CATEGORY_ORDER: tuple[Category, ...] = typing.get_args(Category)
CATEGORY_TITLES: dict[Category, str] = {
    "business": "Business",
    "technical": "Technical",
    "supporting": "Supporting",
}


class Swatch(typing.NamedTuple):
    name: str  # as a sentence says it
    light: str  # on the light palette
    dark: str  # on the dark palette


# How a role's category is coloured wherever roles are drawn. These are not the theme's colours,
# so a fork's brand colours can never paint two categories alike or make a legend wrong.
CATEGORY_COLOURS: dict[Category, Swatch] = {
    "business": Swatch("orange", "#e65100", "#ffb74d"),
    "technical": Swatch("teal", "#00796b", "#4db6ac"),
    "supporting": Swatch("purple", "#6a1b9a", "#ce93d8"),
}

# The two ways up from the levels every track shares.
TRACK_TITLES: dict[Track, str] = {
    "individual": "Individual contributor track",
    "manager": "Manager track",
}

WHEN_ORDER: tuple[When, ...] = typing.get_args(When)
WHEN_TITLES: dict[When, str] = {
    "first-day": "First day",
    "first-week": "First week",
    "first-month": "First month",
    "first-90-days": "First 90 days",
}

RACI_ORDER: tuple[Raci, ...] = typing.get_args(Raci)
RACI_NAMES: dict[Raci, str] = {
    "R": "Responsible",
    "A": "Accountable",
    "C": "Consulted",
    "I": "Informed",
}
# The activity field that gives each letter, most decisive first: a role named twice in one
# activity takes the first letter it has here.
RACI_FIELDS: dict[str, Raci] = {
    "accountable": "A",
    "responsible": "R",
    "consulted": "C",
    "informed": "I",
}

# The lines to sign at the end of an onboarding pack, on screen, on paper and on a sheet.
SIGN_OFF = ("New hire — signature and date", "Manager — signature and date")
SIGN_OFF_ASSESSMENT = ("Signature and date", "Manager — signature and date")

# How often one's work shows an expectation: the boxes of a self-assessment sheet, in order.
RATINGS = ("Not yet", "Sometimes", "Consistently")

QUESTION_FORMATS: dict[QuestionFormat, str] = {"question": "Question", "exercise": "Exercise"}


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of ``text`` as plain text, for descriptions and summaries."""
    plain = re.sub(r"[*_`]", "", " ".join(text.split()))
    match = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    if " " in cut:  # between words, never inside one (unless one word is all there is)
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-") + "…"
