"""References in prose: a text field names a role, phase, handoff, guide, team shape or
glossary term by id, and every page prints that entity's current title.

A reference is an id in braces, after the kind of thing it names, with optional forms::

    {role:data-scientist}                  Data Scientist, linked to the role's page
    {role:data-scientist|lower}            data scientist (capitals kept in ML, DevOps, UX)
    {role:ml-engineer|lower|plural}        ML engineers
    {role:business-stakeholder|possessive} Business Stakeholder's
    {role:data-scientist|lower|capital}    Data scientist, to start a sentence
    {phase:design|plain}                   Design, without a link
    {term:feature-store}                   Feature store, linked to its glossary entry
    {count:phases}  {count:phases|words}   4  four (in words below ten: 14 stays 14)

So a fork that renames, merges or removes a role changes every sentence that names it, and
``link`` reports a reference to an id that does not exist, with a did-you-mean hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from ..errors import did_you_mean

__all__ = [
    "COUNTS",
    "FORMS",
    "TOKEN",
    "Mention",
    "apply_forms",
    "mentions",
    "number",
    "possessive",
    "prose_problems",
    "resolve",
    "sentences",
    "with_article",
    "words",
]

TOKEN = re.compile(r"\{([a-z]+):([a-z0-9]+(?:-[a-z0-9]+)*)((?:\|[a-z]+)*)\}")
FORMS = ("lower", "capital", "plural", "possessive", "article", "plain", "words")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_SENTENCE_GAP = re.compile(r"(?<=[.!?])(\s+)(?=\S)")
_WORD = re.compile(r"[a-z0-9]+")
# Letters whose names start with a vowel sound ("an F1 score", "an ML engineer"), and words whose
# "u" is read "you" ("a user").
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
_YOU_SOUNDS = ("uni", "use", "usu", "uti", "ubi")
# What {count:...} can count: the kinds' keys, and the glossary's terms.
COUNTS = ("roles", "phases", "handoffs", "guides", "teams", "terms")
_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


@dataclass(frozen=True)
class Mention:
    """One reference found in a text: what it names and how it is to be written."""

    kind: str
    id: str
    forms: tuple[str, ...]
    start: int
    end: int

    @property
    def linked(self) -> bool:
        return "plain" not in self.forms and self.kind != "count"


def mentions(text: str) -> Iterator[Mention]:
    for match in TOKEN.finditer(text):
        forms = tuple(form for form in match.group(3).split("|") if form)
        yield Mention(match.group(1), match.group(2), forms, match.start(), match.end())


def sentences(text: str) -> list[str]:
    """``text`` cut after each full stop, question or exclamation mark."""
    return _SENTENCE_END.split(text)


def without(text: str, leave_out: Callable[[str], bool]) -> tuple[str, list[str]]:
    """``text`` with the sentences that ``leave_out`` picks taken out, and those sentences.
    What stood between two kept sentences stays as the widest gap it spanned, so a paragraph
    break or a list's line break outlives the sentence that ended its paragraph or item."""
    parts = _SENTENCE_GAP.split(text)  # sentence, gap, sentence, gap, ...
    kept: list[str] = []
    dropped: list[str] = []
    gap = ""
    for n in range(0, len(parts), 2):
        if n:
            gap = max(gap, parts[n - 1], key=lambda space: (space.count("\n"), len(space)))
        if leave_out(parts[n]):
            dropped.append(parts[n])
            continue
        kept += [gap, parts[n]] if kept else [parts[n]]
        gap = ""
    return "".join(kept), dropped


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, a reference in prose read as the words of the id
    it names (``{role:data-engineer|lower}`` as "data engineer"), not as its markup."""
    text = TOKEN.sub(lambda m: m.group(2).replace("-", " "), text)
    return _WORD.findall(text.casefold())


def prose_problems(
    text: str, known: Mapping[str, Collection[str]]
) -> Iterator[tuple[str, str | None]]:
    """What is wrong with the references in ``text``: message and hint, one per mistake.
    ``known`` holds the ids that exist for each kind that prose may name."""
    for mention in mentions(text):
        written = text[mention.start : mention.end]
        if mention.kind not in known:
            yield (
                f"unknown kind '{mention.kind}' in the reference '{written}'",
                did_you_mean(mention.kind, known) or f"use one of: {', '.join(sorted(known))}",
            )
            continue
        if mention.id not in known[mention.kind]:
            hint = did_you_mean(mention.id, known[mention.kind])
            if mention.kind == "count":
                countable = ", ".join(known["count"])
                yield f"cannot count '{mention.id}'", hint or f"count one of: {countable}"
            else:
                yield f"unknown {mention.kind} '{mention.id}'", hint
        for form in mention.forms:
            if form not in FORMS:
                yield (
                    f"unknown form '{form}' in the reference '{written}'",
                    did_you_mean(form, FORMS) or f"use one of: {', '.join(FORMS)}",
                )


def apply_forms(title: str, forms: tuple[str, ...]) -> str:
    """``title`` written as ``forms`` ask, in the order that reads right whatever their order:
    lower case, then plural, then possessive, then "a" or "an" before it, then a capital first
    letter."""
    text = title
    if "lower" in forms:
        text = " ".join(_lower(word) for word in text.split(" "))
    if "plural" in forms:
        text = _plural(text)
    if "possessive" in forms:
        text = possessive(text)
    if "article" in forms:
        text = with_article(text)
    if "capital" in forms and text:
        text = text[0].upper() + text[1:]
    return text


def number(count: int, forms: tuple[str, ...]) -> str:
    # Words below ten, figures from ten, so one sentence never mixes "nineteen" with "38".
    if "words" in forms and count < min(10, len(_NUMBER_WORDS)):
        return apply_forms(_NUMBER_WORDS[count], forms)
    return str(count)


def possessive(name: str) -> str:
    """``Nimbus Analytics'`` and ``Acme's``: the possessive of a name or a title."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def with_article(text: str) -> str:
    """``text`` after "a" or "an", as it is read out: "an ML engineer" (an initialism of up to
    three letters, or one without a vowel, is read letter by letter), "a UX designer", "a RACI
    chart" (a longer one with a vowel is read as a word), "an engineer", "a data scientist"."""
    first = text.split(" ", 1)[0]
    letters = [char for char in first if char.isalpha()]
    spelt = len(letters) <= 3 or not any(char in "AEIOU" for char in letters)
    if len(first) > 1 and first.isupper() and spelt:
        vowel = first[0] in _VOWEL_LETTERS
    else:
        vowel = first[:1].lower() in "aeio" or (
            first[:1].lower() == "u" and not first.lower().startswith(_YOU_SOUNDS)
        )
    return f"{'an' if vowel else 'a'} {text}"


def resolve(
    text: str,
    literal: Callable[[str], str],
    reference: Callable[[Mention], str],
) -> str:
    """``text`` with each reference replaced by ``reference(mention)`` and the text between
    them passed through ``literal`` (e.g. escaped as Markdown)."""
    parts: list[str] = []
    last = 0
    for mention in mentions(text):
        parts.append(literal(text[last : mention.start]))
        parts.append(reference(mention))
        last = mention.end
    parts.append(literal(text[last:]))
    return "".join(parts)


def _lower(word: str) -> str:
    # "Scientist" becomes "scientist"; "ML", "DevOps" and "UX" keep their capitals.
    return word.lower() if word[:1].isupper() and word[1:].islower() else word


def _plural(text: str) -> str:
    head, _, last = text.rpartition(" ")
    if re.search(r"(s|x|z|ch|sh)$", last, re.IGNORECASE):
        last += "es"
    elif re.search(r"[^aeiou]y$", last, re.IGNORECASE):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last
