"""The files published beside the What changed page: its Atom feed (RFC 4287), and the JSON
the site's script reads to mark pages changed since a reader's last visit (page address to
the time of its latest change).

Both are written from :class:`~generator.views.changes.WhatChanged` with the site's page
addresses (which depend on the engine's ``use_directory_urls``), so the front end passes
a mapping from each page's path in the docs tree to its address relative to the site root.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from xml.etree import ElementTree

from ..views.changes import WhatChanged, last_changed

__all__ = ["FEED", "PAGES_JSON", "atom_feed", "changed_pages"]

# At the root of the site: Material fetches the sitemap beside every rel="alternate" link.
FEED = "feed.xml"
PAGES_JSON = "what-changed/pages.json"
FEED_ENTRIES = 100  # the newest; the page lists the rest
_ATOM = "http://www.w3.org/2005/Atom"
_EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 cannot hold, which a commit subject may.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def atom_feed(
    changes: WhatChanged,
    title: str,
    addresses: Mapping[str, str],
    site_url: str = "",
) -> bytes:
    """The feed: one entry per entity and month, newest first. Links are absolute where the
    site names its address (``site_url`` in mkdocs.yml), else relative to the feed; ids are
    URNs made from the commit and the entity, so they never change once published."""
    ElementTree.register_namespace("", _ATOM)
    base = site_url.rstrip("/") + "/" if site_url else ""
    feed = ElementTree.Element(f"{{{_ATOM}}}feed")
    _add(feed, "title", f"{title}: what changed")
    page = addresses.get("what-changed.md", "what-changed/")
    _add(feed, "id", _urn(f"{base or title}/what-changed"))
    _add(feed, "updated", changes.newest or _EPOCH)
    ElementTree.SubElement(feed, f"{{{_ATOM}}}link", rel="alternate", href=_href(page, base))
    ElementTree.SubElement(feed, f"{{{_ATOM}}}link", rel="self", href=_href(FEED, base))
    author = ElementTree.SubElement(feed, f"{{{_ATOM}}}author")
    _add(author, "name", title)
    entries = [entry for month in changes.months for entry in month.entries][:FEED_ENTRIES]
    for entry in entries:
        item = ElementTree.SubElement(feed, f"{{{_ATOM}}}entry")
        _add(item, "title", entry.summary)
        _add(item, "id", _urn(f"{entry.commit}/{entry.key}"))
        _add(item, "updated", entry.iso)
        target = addresses.get(entry.page or "", page)
        ElementTree.SubElement(item, f"{{{_ATOM}}}link", rel="alternate", href=_href(target, base))
        why = f" Why: {'; '.join(entry.messages)}" if entry.messages else ""
        _add(item, "summary", f"{'; '.join(entry.notes)}.{why}")
    ElementTree.indent(feed)
    return bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def changed_pages(changes: WhatChanged, addresses: Mapping[str, str]) -> bytes:
    """Each changed page's address (relative to the site root) and the time it last changed."""
    latest = {
        addresses[path]: when for path, when in last_changed(changes).items() if path in addresses
    }
    return json.dumps(dict(sorted(latest.items())), indent=0).encode("utf-8") + b"\n"


def _add(parent: ElementTree.Element, name: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{_ATOM}}}{name}").text = _NOT_XML.sub("\ufffd", text)


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _href(address: str, base: str) -> str:
    """``address`` (relative to the site root) as the feed links it: from the site's address,
    or from the feed's own place, the site's root."""
    return f"{base}{address}" if base else (address or "./")
