"""Smaller built pages: the whitespace between the tags of Material's primary navigation goes.

Material renders the whole navigation into every page, and most of its bytes are
indentation. Measured on the benchmark's 100-role playbook, dropping it takes the built site
from 34.6 to 27.1 MiB, and so from 2.2 to 1.7 times the size of the same pages without
navigation: it keeps the benchmark's size target (at most twice, ``docs/benchmarks.md``).
Front ends apply :func:`compact_navigation` to each built HTML page.
"""

from __future__ import annotations

import re

__all__ = ["compact_navigation"]

_NAV_START = '<nav class="md-nav md-nav--primary'
_NAV_END = '<div class="md-sidebar md-sidebar--secondary'
_BETWEEN_TAGS = re.compile(r">\s+<")


def compact_navigation(html_page: str) -> str:
    """Drop the whitespace between tags of the primary navigation, and nowhere else: that
    region holds no preformatted text, and a label's own text keeps its spaces."""
    start = html_page.find(_NAV_START)
    end = html_page.find(_NAV_END, start)
    if start < 0 or end < 0:
        return html_page
    nav = _BETWEEN_TAGS.sub("><", html_page[start:end])
    return html_page[:start] + nav + html_page[end:]
