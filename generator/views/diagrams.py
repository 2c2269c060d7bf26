"""Diagrams drawn from the data at build time, as static SVG: nothing fetched.

- The lifecycle swimlane: one drawing per phase, with a column for each role that gives or
  receives a handoff in it, and each handoff an arrow from the giving role's column to the
  receiving role's, named beside it or above it. A role page shows its own slice. Each phase
  is drawn twice, for a wide and for a narrow column (the stylesheet shows the one that fits).
- The collaboration map: the roles twice, as givers on the left and receivers on the right,
  and a band from giver to receiver for the handoffs between them, thicker for more. Drawn
  with a wide gap for the bands, and narrow for a phone. Pointing at or focusing a role's name
  picks out its bands (site_overrides' ``diagrams.js``; without it the map reads the same).

Neither is ever shown smaller than drawn, so no text is under 12 CSS pixels: a drawing
wider than its column scrolls sideways instead.

Every label is measured (with the widths of DejaVu Sans, the widest of the usual sans-serif
faces), so nothing is cut at a diagram's edge. Colours come from CSS classes (site_overrides'
stylesheet), so the diagrams follow the light and dark palettes and print in black; only a
role's category colours are set on each dot and band, from ``words.CATEGORY_COLOURS``, which
the sentence under the map names too. Every label is escaped; each diagram carries a title and
a description for screen readers, and the pages give the same information in words beside it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import repeat

from markupsafe import Markup

from ..content.model import Category, Handoff, Role
from ..content.words import CATEGORY_COLOURS, CATEGORY_ORDER, Swatch
from ..pipeline.link import LinkedPlaybook

__all__ = ["collaboration_map", "map_legend", "swimlane", "text_width"]

# Advance widths of DejaVu Sans, in thousandths of an em, for the characters " " to "~".
# fmt: off
_WIDTHS = (
     318,  401,  460,  838,  636,  950,  780,  275,  390,  390,  500,  838,  318,  361,  318,  337,
     636,  636,  636,  636,  636,  636,  636,  636,  636,  636,  337,  337,  838,  838,  838,  531,
    1000,  684,  686,  698,  770,  632,  575,  775,  752,  295,  295,  656,  557,  863,  748,  787,
     603,  787,  695,  635,  611,  732,  684,  989,  685,  611,  685,  390,  337,  390,  838,  500,
     500,  613,  635,  550,  635,  615,  352,  635,  634,  278,  278,  579,  278,  974,  634,  612,
     635,  635,  411,  521,  392,  634,  592,  818,  592,  592,  525,  636,  337,  636,  838,
)
# fmt: on
_OTHER_WIDTH = 700  # any other character: as wide as most capitals
_WIDTH_OF = {chr(32 + offset): width for offset, width in enumerate(_WIDTHS)}
_BOLD = 1.1  # bold text is about a tenth wider


@dataclass(frozen=True)
class _Shape:
    """The geometry of one drawing of the swimlane."""

    name: str  # "wide" or "narrow": the stylesheet shows one of them
    pitch: float  # between two role columns
    font: float  # size of the names
    slant: float  # angle of the role names over the columns, in degrees
    width: float  # the width to fill, at least
    scale: float  # shown this much larger than its units where there is room


WIDE = _Shape("wide", pitch=38, font=13, slant=50, width=640, scale=1.1)
NARROW = _Shape("narrow", pitch=24, font=12, slant=90, width=340, scale=1)
MARGIN = 6
PHASE_BAND = 24
LINE = 1.3  # line height, in ems


def swimlane(playbook: LinkedPlaybook, role_id: str | None = None) -> Markup:
    """The swimlane of every handoff, or only of those ``role_id`` gives or receives: one
    drawing per phase, with a column for each role that gives or receives a handoff in it, so
    the drawing stays as wide as one phase needs however many roles the playbook has."""
    if role_id is None:
        handoffs = list(playbook.handoffs.values())
    else:
        handoffs = list(playbook.handoffs_between(role_id))
    subject = playbook.roles[role_id].title if role_id else "the team"
    drawings = []
    for shape in (WIDE, NARROW):
        for phase in playbook.phases.values():
            in_phase = [h for h in handoffs if h.phase == phase.id]
            if not in_phase:
                continue
            roles = _columns(playbook, in_phase, role_id)
            title = f"Lifecycle swimlane of {subject}: {phase.title}"
            description = (
                f"{len(in_phase)} handoff{'s' if len(in_phase) != 1 else ''} in {phase.title} "
                f"between {len(roles)} roles: a "
                "column for each role, and an arrow for each handoff from the role that gives "
                "it to the role that receives it. The list after the diagram gives each one in "
                "words."
            )
            key = f"pb-swimlane-{shape.name}-{phase.id}"
            drawings.append(
                _swimlane_svg(playbook, in_phase, roles, role_id, shape, title, description, key)
            )
    return Markup("".join(drawings))


PHONE_GUTTER = 44  # on a phone, the strip the bands cross, left of the names


@dataclass(frozen=True)
class _MapShape:
    """The geometry of one drawing of the collaboration map."""

    name: str  # "wide" or "narrow": the stylesheet shows one of them
    font: float
    band: float  # the gap the bands cross, between givers and receivers


MAP_WIDE = _MapShape("wide", font=13, band=220)
MAP_NARROW = _MapShape("narrow", font=12, band=PHONE_GUTTER)


def collaboration_map(playbook: LinkedPlaybook) -> Markup:
    """Every role twice, giver and receiver, and a band for the handoffs from one to the other.
    Drawn twice: with a wide gap for the bands where there is room, and for a phone in rows.
    Each role's name carries its id (``data-role``) and each band its giver and receiver, so
    the page can pick out one role's bands when a reader points at or focuses the name."""
    return Markup(_map_svg(playbook, MAP_WIDE) + _phone_map_svg(playbook))


def _phone_map_svg(playbook: LinkedPlaybook) -> str:
    """The map on a phone, where two columns of names do not fit: each role is one row, with
    its name once, a dot on the left for what it hands over and one on the right, beside its
    name, for what it receives; the bands cross the strip between the dots."""
    roles = list(playbook.roles.values())
    flows = Counter((h.from_role, h.to_role) for h in playbook.handoffs.values())
    font, row = MAP_NARROW.font, MAP_NARROW.font * 2
    left, right = MARGIN + 6, MARGIN + 6 + PHONE_GUTTER
    note = "Left dot: hands over. Right dot: receives."
    width = (
        max(
            right + 10 + max((text_width(role.title, font) for role in roles), default=0),
            MARGIN + text_width(note, font, bold=True),
        )
        + MARGIN
    )
    top = 34.0
    height = top + row * len(roles) + 4
    place = {role.id: top + row * (n + 0.5) for n, role in enumerate(roles)}
    description = (
        f"{len(roles)} roles, one a row, each with a dot on the left for the handoffs it gives "
        f"and one on the right for those it receives. {len(flows)} bands join a giver to a "
        "receiver, thicker for more handoffs. The table after the diagram lists them."
    )
    kind = "pb-map pb-diagram--narrow"
    parts = [
        _open_svg(width, height, 1, "Who hands work to whom", description, kind, "pb-map-narrow"),
        f'<text class="pb-heading" x="{MARGIN:.1f}" y="16">{note}</text>',
    ]
    for n, role in enumerate(roles):
        if n % 2:
            parts.append(
                f'<rect class="pb-lane pb-lane--alt" x="0" y="{place[role.id] - row / 2:.1f}" '
                f'width="{width:.1f}" height="{row:.1f}"/>'
            )
    for (giver, receiver), count in sorted(flows.items(), key=lambda kv: (-kv[1], kv[0])):
        y1, y2 = place[giver], place[receiver]
        parts.append(_band(playbook, giver, receiver, count, left, y1, right, y2))
    involved = {role for flow in flows for role in flow}
    for role in roles:
        y = place[role.id]
        idle = "" if role.id in involved else " pb-label--idle"
        parts.append(
            f'<g class="pb-role" data-role="{role.id}" data-side="both" tabindex="0">'
            + _dot(role.category, left, y, 4.5)
            + _dot(role.category, right, y, 4.5)
            + f'<text class="pb-label{idle}" x="{right + 10:.1f}" y="{y + font * 0.35:.1f}">'
            f"{escape(role.title)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _band(
    playbook: LinkedPlaybook,
    giver: str,
    receiver: str,
    count: int,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
) -> str:
    middle = (x1 + x2) / 2
    names = f"{playbook.roles[giver].title} to {playbook.roles[receiver].title}"
    return (
        f'<path class="pb-flow" data-from="{giver}" data-to="{receiver}" '
        f'style="{_colours(playbook.roles[giver].category)}" '
        f'd="M {x1 + 5:.1f} {y1:.1f} C {middle:.1f} {y1:.1f} {middle:.1f} {y2:.1f} '
        f'{x2 - 5:.1f} {y2:.1f}" stroke-width="{1 + 2.5 * count:.1f}">'
        f"<title>{escape(names)}: {count} handoff{'s' if count > 1 else ''}</title></path>"
    )


def _map_svg(playbook: LinkedPlaybook, shape: _MapShape) -> str:
    roles = list(playbook.roles.values())
    flows = Counter((h.from_role, h.to_role) for h in playbook.handoffs.values())
    font, row = shape.font, shape.font * 2
    label = max((text_width(role.title, font) for role in roles), default=0) + 10
    left, right = MARGIN + label, MARGIN + label + shape.band
    width = right + label + MARGIN
    top = 34.0
    height = top + row * len(roles) + 4
    place = {role.id: top + row * (n + 0.5) for n, role in enumerate(roles)}
    title = "Who hands work to whom"
    description = (
        f"{len(roles)} roles, each shown twice: on the left as the giver of handoffs, on the "
        f"right as their receiver. {len(flows)} bands join a giver to a receiver, thicker for "
        "more handoffs. The table after the diagram lists them."
    )
    kind = f"pb-map pb-diagram--{shape.name}"
    parts = [_open_svg(width, height, 1, title, description, kind, f"pb-map-{shape.name}")]
    parts.append(
        f'<text class="pb-heading" x="{left:.1f}" y="16" text-anchor="end">Hands over</text>'
        f'<text class="pb-heading" x="{right:.1f}" y="16">Receives</text>'
    )
    givers = {giver for giver, _ in flows}
    receivers = {receiver for _, receiver in flows}
    for n, role in enumerate(roles):
        y = place[role.id]
        if n % 2:
            parts.append(
                f'<rect class="pb-lane pb-lane--alt" x="0" y="{y - row / 2:.1f}" '
                f'width="{width:.1f}" height="{row:.1f}"/>'
            )
    for (giver, receiver), count in sorted(flows.items(), key=lambda kv: (-kv[1], kv[0])):
        y1, y2 = place[giver], place[receiver]
        parts.append(_band(playbook, giver, receiver, count, left, y1, right, y2))
    for role in roles:  # names over the bands, so the ends of the bands do not hide them
        y = place[role.id]
        for x, anchor, active, side in (
            (left, "end", givers, "giver"),
            (right, "start", receivers, "receiver"),
        ):
            idle = "" if role.id in active else " pb-label--idle"
            dx = -9 if anchor == "end" else 9
            parts.append(
                f'<g class="pb-role" data-role="{role.id}" data-side="{side}" tabindex="0">'
                + _dot(role.category, x, y, 4.5)
                + f'<text class="pb-label{idle}" x="{x + dx:.1f}" y="{y + font * 0.35:.1f}" '
                f'text-anchor="{anchor}">{escape(role.title)}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def map_legend(playbook: LinkedPlaybook) -> list[tuple[Category, Swatch]]:
    """The categories the diagrams show, in order, each with its colours: the sentence a page
    writes under the collaboration map is made from this, so it names the colours drawn."""
    shown = {role.category for role in playbook.roles.values()}
    return [(c, CATEGORY_COLOURS[c]) for c in CATEGORY_ORDER if c in shown]


def _colours(category: Category) -> str:
    """A role's category colours for the light and the dark palette (``words.CATEGORY_COLOURS``),
    which the stylesheet picks from: one place for them, not a theme colour a brand can change."""
    swatch = CATEGORY_COLOURS[category]
    return f"--pb-colour: {swatch.light}; --pb-colour-dark: {swatch.dark}"


def _dot(category: Category, x: float, y: float, radius: float) -> str:
    return (
        f'<circle class="pb-node" cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}" '
        f'style="{_colours(category)}"/>'
    )


def _swimlane_svg(
    playbook: LinkedPlaybook,
    handoffs: Sequence[Handoff],
    roles: Sequence[Role],
    role_id: str | None,
    shape: _Shape,
    title: str,
    description: str,
    key: str,
) -> str:
    font, pitch = shape.font, shape.pitch
    phases = list(playbook.phases.values())
    angle = math.radians(shape.slant)
    names = [text_width(role.title, font) for role in roles]
    head = max(names, default=0) * math.sin(angle) + font + 8
    column = {role.id: MARGIN + pitch * (n + 0.5) for n, role in enumerate(roles)}
    overhang = max(
        (column[r.id] + w * math.cos(angle) + font for r, w in zip(roles, names, strict=True)),
        default=0,
    )
    words = [word for h in handoffs for word in h.title.split()]
    width = max(
        shape.width,
        overhang + MARGIN,
        MARGIN * 2 + pitch * len(roles),
        *(text_width(word, font) + 2 * MARGIN for word in words),
        *(text_width(f"{p.title} 99 handoffs", font, bold=True) + 2 * MARGIN for p in phases),
    )
    rows, y = [], head + 6
    for phase in phases:
        in_phase = [h for h in handoffs if h.phase == phase.id]
        if not in_phase:
            continue
        rows.append(_phase_band(phase.title, len(in_phase), y, width, font))
        y += PHASE_BAND
        for handoff in in_phase:
            drawn, y = _handoff_row(handoff, column, y, width, font)
            rows.append(drawn)
        y += 4
    height = y + 2
    parts = [
        _open_svg(
            width,
            height,
            shape.scale,
            title,
            description,
            f"pb-swimlane pb-diagram--{shape.name}",
            key,
        )
    ]
    for n, role in enumerate(roles):
        x = column[role.id]
        kind = " pb-lane--own" if role.id == role_id else (" pb-lane--alt" if n % 2 else "")
        parts.append(
            f'<rect class="pb-lane{kind}" x="{x - pitch / 2:.1f}" y="{head - 6:.1f}" '
            f'width="{pitch:.1f}" height="{height - head + 6:.1f}"/>'
            f'<line class="pb-lifeline" x1="{x:.1f}" y1="{head:.1f}" x2="{x:.1f}" '
            f'y2="{height:.1f}"/>'
            + _dot(role.category, x, head, 3.5)
            + f'<text class="pb-label pb-label--role" transform="translate({x + font * 0.35:.1f} '
            f'{head - 7:.1f}) rotate({-shape.slant:g})">{escape(role.title)}</text>'
        )
    parts += rows
    parts.append("</svg>")
    return "".join(parts)


def _phase_band(title: str, count: int, y: float, width: float, font: float) -> str:
    note = f"{count} handoff{'s' if count != 1 else ''}"
    return (
        f'<rect class="pb-band" x="0" y="{y:.1f}" width="{width:.1f}" height="{PHASE_BAND - 4}"/>'
        f'<text class="pb-phase" x="{MARGIN:.1f}" y="{y + PHASE_BAND / 2 + 2:.1f}">'
        f'{escape(title)}<tspan class="pb-count" dx="{font * 0.6:.1f}">{note}</tspan></text>'
    )


def _handoff_row(
    handoff: Handoff, column: dict[str, float], y: float, width: float, font: float
) -> tuple[str, float]:
    """One handoff: its arrow, and its name beside the arrow or, if it does not fit, above."""
    x1, x2 = column[handoff.from_role], column[handoff.to_role]
    low, high = min(x1, x2), max(x1, x2)
    name = handoff.title
    size = text_width(name, font)
    line = font * LINE
    if size <= width - MARGIN - (high + 10):
        label, row = _text(name, high + 10, y + line / 2 + font * 0.35, "start"), line
        arrow_y = y + line / 2
    elif size <= low - 10 - MARGIN:
        label, row = _text(name, low - 10, y + line / 2 + font * 0.35, "end"), line
        arrow_y = y + line / 2
    else:
        lines = _wrap(name, font, width - 2 * MARGIN)
        widest = max(text_width(text, font) for text in lines)
        x = min(max(low - 4, MARGIN), width - MARGIN - widest)
        label = "".join(
            _text(text, x, y + line * n + font * 0.95, "start") for n, text in enumerate(lines)
        )
        arrow_y = y + line * len(lines) + 5
        row = line * len(lines) + 10
    head = -1 if x2 < x1 else 1
    tip = x2 - head * 1.5
    arrow = (
        f'<circle cx="{x1:.1f}" cy="{arrow_y:.1f}" r="3.5"/>'
        f'<line x1="{x1:.1f}" y1="{arrow_y:.1f}" x2="{tip - head * 7:.1f}" y2="{arrow_y:.1f}"/>'
        f'<path d="M {tip:.1f} {arrow_y:.1f} l {-head * 9:.1f} -4.5 v 9 z"/>'
    )
    drawn = (
        f'<g class="pb-handoff"><title>{escape(handoff.title)}</title>{arrow}'
        f'<g class="pb-name">{label}</g></g>'
    )
    return drawn, y + row + 6


def _text(text: str, x: float, y: float, anchor: str) -> str:
    return (
        f'<text class="pb-label" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _columns(
    playbook: LinkedPlaybook, handoffs: Sequence[Handoff], role_id: str | None
) -> list[Role]:
    involved = {h.from_role for h in handoffs} | {h.to_role for h in handoffs}
    if role_id is None:
        return [role for role in playbook.roles.values() if role.id in involved]
    involved -= {role_id}
    others = sorted(
        (playbook.roles[r] for r in involved),
        key=lambda role: (CATEGORY_ORDER.index(role.category), role.title.casefold()),
    )
    return [playbook.roles[role_id], *others]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is at ``size`` in DejaVu Sans (other faces are narrower)."""
    return _width(_thousandths(text), size) * (_BOLD if bold else 1)


def _thousandths(text: str) -> int:
    return sum(map(_WIDTH_OF.get, text, repeat(_OTHER_WIDTH)))


def _width(thousandths: int, size: float) -> float:
    return thousandths * size / 1000


def _wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (a word wider than that has a line alone).
    Widths add up, so each word is measured once."""
    lines: list[str] = []
    line = 0  # the last line's width, in thousandths of an em
    space = _thousandths(" ")
    for word in text.split():
        word_width = _thousandths(word)
        if lines and _width(line + space + word_width, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            line += space + word_width
        else:
            lines.append(word)
            line = word_width
    return lines or [""]


def _open_svg(
    width: float, height: float, scale: float, title: str, description: str, kind: str, key: str
) -> str:
    # width and height are the size it is shown at; the stylesheet never shrinks it
    return (
        f'<svg class="pb-diagram {kind}" viewBox="0 0 {math.ceil(width)} {math.ceil(height)}" '
        f'width="{math.ceil(width * scale)}" height="{math.ceil(height * scale)}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>'
    )
