"""What may pass from content into a page: the links allowed, and how they are recognised.

Used twice on purpose: ``model`` rejects an unsafe link with a message at its line, and
``render`` disarms any that reach a page by another road (a fork's template, say).
"""

from __future__ import annotations

import re

__all__ = ["LINK_TARGET", "SAFE_SCHEMES", "is_safe_link"]

SAFE_SCHEMES = ("http", "https", "mailto")

# The target of a Markdown link or image: ``](target)``, allowing one level of parentheses.
LINK_TARGET = re.compile(r"\]\(\s*<?([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_safe_link(target: str) -> bool:
    """True for http(s) and mailto links and for relative links within the site."""
    target = target.strip()
    if target.startswith("//") or target.startswith("\\"):
        return False  # protocol-relative: another host
    scheme = _SCHEME.match(target)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES
