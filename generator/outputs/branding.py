"""The playbook's look as site files: its colours as a stylesheet and its logo as an image.

``playbook.yml`` (or a fork's overlay of it) names the colours and the logo once; front ends
add what :func:`brand_files` returns to the site and point the theme at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.model import Branding
from ..content.safety import logo_file

__all__ = ["BRAND_CSS", "BrandFiles", "brand_css", "brand_files"]

BRAND_CSS = "assets/stylesheets/brand.css"
_BRAND_LOGO = "assets/images/brand-logo"


@dataclass(frozen=True)
class BrandFiles:
    """What the site gains: a stylesheet's text, and a logo's place in the site and source."""

    css: str | None = None
    logo: str | None = None
    logo_source: Path | None = None


def brand_files(branding: Branding | None, root: Path) -> BrandFiles:
    """The files ``branding`` asks for; the logo is looked up relative to ``root`` and must be
    an image inside the project that can run nothing
    (:func:`~generator.content.safety.logo_file`)."""
    if branding is None:
        return BrandFiles()
    css = None
    if branding.primary_color or branding.accent_color:
        css = brand_css(branding.primary_color, branding.accent_color)
    if not branding.logo:
        return BrandFiles(css)
    source = logo_file(root, branding.logo)
    return BrandFiles(css, _BRAND_LOGO + source.suffix, source)


def brand_css(primary: str | None, accent: str | None) -> str:
    """CSS that sets the theme's colours; doubled selectors outrank the playbook's defaults."""
    rules = []
    if primary:
        rules.append(
            ":root:root, [data-md-color-scheme][data-md-color-scheme] {\n"
            f"  --md-primary-fg-color: {primary};\n"
            f"  --md-primary-fg-color--light: {primary};\n"
            f"  --md-primary-fg-color--dark: {primary};\n"
            "}\n"
        )
    if accent:
        rules.append(
            ":root:root, [data-md-color-scheme][data-md-color-scheme] {\n"
            f"  --md-accent-fg-color: {accent};\n"
            "}\n"
        )
    return "".join(rules)
