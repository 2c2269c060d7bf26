"""Views of the linked playbook that pages and exports share: checklists, skills and the
diagrams. They sit above the pipeline's stages (they read the linked playbook and where its
pages are) and below the outputs; the render stage receives them as template helpers from
:func:`template_helpers`, so that it never imports this layer.
"""

from __future__ import annotations

import functools
from typing import Any

from ..pipeline.link import LinkedPlaybook
from .checklists import checklists_of, onboarding_pack, sheet_fields
from .diagrams import collaboration_map, map_legend, swimlane
from .skills import (
    assessment_fields,
    growth_path,
    level_comparison,
    level_numbers,
    needed_by,
    questions_by_competency,
    role_skills,
    skills_matrix,
)

__all__ = ["template_helpers"]


def template_helpers(playbook: LinkedPlaybook) -> dict[str, Any]:
    """The names page templates call to show a view of ``playbook``."""
    bound = {
        name: functools.partial(view, playbook)
        for name, view in (
            ("growth_path", growth_path),
            ("level_comparison", level_comparison),
            ("needed_by", needed_by),
            ("level_numbers", level_numbers),
            ("role_skills", role_skills),
            ("skills_matrix", skills_matrix),
            ("questions_by_competency", questions_by_competency),
            ("onboarding_pack", onboarding_pack),
            ("swimlane", swimlane),
            ("collaboration_map", collaboration_map),
            ("map_legend", map_legend),
        )
    }
    return {
        "assessment_fields": assessment_fields,
        "checklists_of": checklists_of,
        "sheet_fields": sheet_fields,
        **bound,
    }
