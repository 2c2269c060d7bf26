"""Diagrams drawn from the data at build time, as static SVG: no script, nothing fetched.

- The lifecycle swimlane: phases across, roles down, each handoff an arrow from the giving
  role's lane to the receiving role's lane inside its phase. A role page shows its own slice.
- The collaboration map: roles on a circle, a line for every pair of roles with handoffs
  between them, thicker for more.

Colours come from CSS classes (site_overrides' stylesheet), so the diagrams follow the light and
dark palettes and print in black; a role's dot takes its category's colours from
``words.CATEGORY_COLOURS``, as the map's legend and the sentence under it do. Every label is
escaped; each diagram carries a title and a description for screen readers, and the pages
print a text version beside it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from .link import LinkedPlaybook
from .model import Category, Handoff, Role
from .words import CATEGORY_COLOURS, CATEGORY_ORDER, CATEGORY_TITLES, Swatch

__all__ = ["collaboration_map", "map_legend", "swimlane"]

LABEL_WIDTH = 160
PHASE_WIDTH = 170
LANE_HEIGHT = 30
HEADER_HEIGHT = 44
ARROW_GAP = 14


def swimlane(playbook: LinkedPlaybook, role_id: str | None = None) -> Markup:
    """The swimlane of every handoff, or only of those ``role_id`` gives or receives."""
    if role_id is None:
        handoffs = list(playbook.handoffs.values())
    else:  # the role's own handoffs, in the playbook's order: by phase, then title
        phase_ids = list(playbook.phases)
        handoffs = sorted(
            playbook.handoffs_between(role_id),
            key=lambda h: (phase_ids.index(h.phase), h.title.casefold()),
        )
    roles = _lanes(playbook, handoffs, role_id)
    phases = list(playbook.phases.values())
    lane = {role.id: n for n, role in enumerate(roles)}
    width = LABEL_WIDTH + PHASE_WIDTH * len(phases)
    height = HEADER_HEIGHT + LANE_HEIGHT * len(roles) + 8
    subject = playbook.roles[role_id].title if role_id else "the team"
    title = f"Lifecycle swimlane of {subject}"
    description = (
        f"{len(handoffs)} handoffs across {len(phases)} phases between {len(roles)} roles; "
        "the list after the diagram gives each one in words."
    )
    parts = [_open_svg(width, height, title, description, "pb-swimlane")]
    for n, role in enumerate(roles):
        y = HEADER_HEIGHT + n * LANE_HEIGHT
        stripe = " pb-lane--own" if role.id == role_id else (" pb-lane--alt" if n % 2 else "")
        parts.append(
            f'<rect class="pb-lane{stripe}" x="0" y="{y}" width="{width}" height="{LANE_HEIGHT}"/>'
            f'<text class="pb-label" x="10" y="{y + LANE_HEIGHT / 2 + 4}">'
            f"{escape(role.title)}</text>"
        )
    for n, phase in enumerate(phases):
        x = LABEL_WIDTH + n * PHASE_WIDTH
        parts.append(
            f'<line class="pb-divider" x1="{x}" y1="0" x2="{x}" y2="{height}"/>'
            + _phase_label(phase.title, x + PHASE_WIDTH / 2)
        )
        in_phase = [h for h in handoffs if h.phase == phase.id]
        parts += _arrows(in_phase, x, lane)
    parts.append("</svg>")
    return Markup("".join(parts))


def collaboration_map(playbook: LinkedPlaybook) -> Markup:
    """Every role on a circle; a line joins two roles for each handoff between them."""
    roles = list(playbook.roles.values())
    size, radius = 760, 250
    centre = size / 2
    spot = {}
    for n, role in enumerate(roles):
        angle = 2 * math.pi * n / len(roles) - math.pi / 2
        spot[role.id] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    pairs = Counter(tuple(sorted((h.from_role, h.to_role))) for h in playbook.handoffs.values())
    title = "Who works with whom"
    description = (
        f"{len(roles)} roles on a circle; {len(pairs)} lines join roles that hand work to each "
        "other, thicker for more handoffs. The table after the diagram lists each pair."
    )
    parts = [_open_svg(size, size, title, description, "pb-map")]
    for (a, b), count in sorted(pairs.items()):
        (x1, y1), (x2, y2) = spot[a], spot[b]
        names = f"{playbook.roles[a].title} and {playbook.roles[b].title}"
        parts.append(
            f'<line class="pb-edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{1 + count:.0f}"><title>{escape(names)}: {count} handoff'
            f"{'s' if count > 1 else ''}</title></line>"
        )
    for role in roles:
        x, y = spot[role.id]
        anchor = "start" if x > centre + 1 else "end" if x < centre - 1 else "middle"
        dx = 12 if anchor == "start" else -12 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (-12 if y < centre else 20)
        parts.append(
            _dot(role.category, x, y, escape(role.title))
            + f'<text class="pb-label" x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">'
            f"{escape(role.title)}</text>"
        )
    for n, (category, _) in enumerate(map_legend(playbook)):
        y = 24 + 22 * n
        parts.append(
            _dot(category, 18, y, "")
            + f'<text class="pb-label" x="34" y="{y + 4}">{CATEGORY_TITLES[category]} roles</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def map_legend(playbook: LinkedPlaybook) -> list[tuple[Category, Swatch]]:
    """The categories the collaboration map shows, in order, each with its colours."""
    shown = {role.category for role in playbook.roles.values()}
    return [(c, CATEGORY_COLOURS[c]) for c in CATEGORY_ORDER if c in shown]


def _dot(category: Category, x: float, y: float, title: str) -> str:
    swatch = CATEGORY_COLOURS[category]
    tooltip = f"<title>{title}</title>" if title else ""
    return (
        f'<circle class="pb-node pb-node--{category}" cx="{x:.1f}" cy="{y:.1f}" r="8" '
        f'style="--pb-fill: {swatch.light}; --pb-fill-dark: {swatch.dark}">{tooltip}</circle>'
    )


def _phase_label(title: str, centre: float) -> str:
    """A phase's name over its column, on two lines when it would not fit on one."""
    lines = [title]
    if len(title) > 20 and " " in title:
        words = title.split()
        half = len(words) // 2 or 1
        lines = [" ".join(words[:half]), " ".join(words[half:])]
    first_y = 27 if len(lines) == 1 else 19
    spans = "".join(
        f'<tspan x="{centre}" y="{first_y + 16 * n}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text class="pb-phase" text-anchor="middle">{spans}</text>'


def _lanes(
    playbook: LinkedPlaybook, handoffs: Sequence[Handoff], role_id: str | None
) -> list[Role]:
    if role_id is None:
        return list(playbook.roles.values())
    involved = ({h.from_role for h in handoffs} | {h.to_role for h in handoffs}) - {role_id}
    others = sorted(
        (playbook.roles[r] for r in involved),
        key=lambda role: (CATEGORY_ORDER.index(role.category), role.title.casefold()),
    )
    return [playbook.roles[role_id], *others]


def _arrows(handoffs: Sequence[Handoff], x0: float, lane: dict[str, int]) -> list[str]:
    parts = []
    step = min(ARROW_GAP, (PHASE_WIDTH - 24) / max(len(handoffs), 1))
    start = x0 + PHASE_WIDTH / 2 - step * (len(handoffs) - 1) / 2
    for n, handoff in enumerate(handoffs):
        x = start + n * step
        y1 = HEADER_HEIGHT + lane[handoff.from_role] * LANE_HEIGHT + LANE_HEIGHT / 2
        y2 = HEADER_HEIGHT + lane[handoff.to_role] * LANE_HEIGHT + LANE_HEIGHT / 2
        end = y2 - 7 if y2 > y1 else y2 + 7  # stop short so the arrowhead meets the lane centre
        parts.append(
            f'<g class="pb-handoff"><title>{escape(handoff.title)}</title>'
            f'<circle cx="{x:.1f}" cy="{y1:.1f}" r="3.5"/>'
            f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{end:.1f}" '
            'marker-end="url(#pb-arrow)"/></g>'
        )
    return parts


def _open_svg(width: float, height: float, title: str, description: str, kind: str) -> str:
    return (
        f'<svg class="pb-diagram {kind}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="{kind}-title {kind}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{kind}-title">{escape(title)}</title>'
        f'<desc id="{kind}-desc">{escape(description)}</desc>'
        '<defs><marker id="pb-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path class="pb-arrowhead" '
        'd="M 0 0 L 10 5 L 0 10 z"/></marker></defs>'
    )
