"""What the playbook is turned into besides its pages: checklist and skills exports, the printable
onboarding sheet, the JSON Schemas for editors, the configuration of the generated tree for
engines that run no plugin, and the site files its branding asks for. Each reads the linked
playbook and the views, never a front end.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["UnknownFormat", "format_of"]


class UnknownFormat(ValueError):
    """A file name whose extension names no format the output writes."""


def format_of(output: Path | None, formats: tuple[str, ...], default: str) -> str:
    """The format ``output``'s extension names (``.markdown`` is ``md``, ``.htm`` is ``html``);
    ``default`` for a name without one, or for standard output."""
    suffix = output.suffix.lstrip(".").lower() if output else ""
    suffix = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
    if suffix and suffix not in formats:
        known = ", ".join(f".{name}" for name in formats)
        raise UnknownFormat(
            f"cannot write '{output}': '.{suffix}' is not a format this command writes "
            f"(use {known}, or name one with --format)"
        )
    return suffix or default
