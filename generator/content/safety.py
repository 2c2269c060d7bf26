"""What may pass from content into a page, and the one way content text is written into one.

Content text is Markdown, but only the Markdown that content needs: paragraphs, bullet and
numbered lists, emphasis, code spans, links and images. :func:`markdown_text` parses a text with
markdown-it (CommonMark) configured for exactly that, and writes it back as Markdown in which
every other character that Markdown or HTML could act on is escaped. Whatever the parse did not
recognise (raw HTML, attribute lists, reference definitions, headings, tables, admonitions) can
therefore only show as the characters it is made of.

Links and images are judged on the targets the parse produced, entities decoded, by
:func:`link_problem`: ``model`` reports an unsafe one at its line, and ``markdown_text`` writes
one that reaches a page by another road (a fork's template, say) as plain text. The rules:
links go to a path relative to the page, or to ``https:``, ``http:`` or ``mailto:``; images are
files of the site, given by a relative path. ``http:`` stays allowed for links because a link
sends nothing until a reader follows it, intranet tools are often served without TLS, and the
playbook promises http(s) links; an image from any other host would be fetched by every
reader's browser, telling that host who reads the page.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from xml.parsers import expat

import jinja2
import mdurl
from jinja2.filters import make_attrgetter
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from ..errors import PlaybookError
from ..fsio import path_problem

__all__ = [
    "LINK_SCHEMES",
    "LOGO_TYPES",
    "TEMPLATE_FILTERS",
    "address_text_problem",
    "link_problem",
    "link_texts",
    "links_in",
    "logo_file",
    "logo_problem",
    "markdown_prose",
    "markdown_text",
]

LINK_SCHEMES = ("https", "http", "mailto")
# Image files a logo may be, by name, and how each kind of file starts.
LOGO_TYPES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".svg": (),  # read as XML instead
}


class _Parser(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return True  # every target is parsed, then judged by link_problem


_PARSER = _Parser("zero").enable(
    ["list", "emphasis", "backticks", "link", "image", "escape", "entity", "newline"]
)

# Escaped wherever they stand: Markdown's own syntax (backslash escapes), what HTML acts on,
# and the inline marks of common extensions that Python-Markdown cannot backslash-escape.
_ALWAYS = {char: f"\\{char}" for char in "\\`*_{}[]()#+!"} | {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "|": "&#124;",
    "$": "&#36;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
}
# Control characters never reach a page (Python-Markdown uses some as placeholders); a line
# or paragraph separator would end a line where the Markdown around the text does not expect it.
_CONTROLS = {code: "\ufffd" for code in [*range(0x20), *range(0x7F, 0xA0)] if code not in (9, 10)}
_TEXT = str.maketrans(_ALWAYS | _CONTROLS | {"\u2028": " ", "\u2029": " "})
# Of the rest of ASCII punctuation (. , - : ; ? / % ' @), a few start something at the start of
# a line only (a list, a definition, a details or a generic block), where they are escaped too,
# as is the mark after a list number ("1." or "a.").
_LINE_START = re.compile(r"[ \t]*(?:[A-Za-z0-9]+\.|[-:?/])")
_BACKSLASHABLE = set("\\`*_{}[]()#+-.!")
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9 ,.;:?'%/@\-\u00a0-\u2027\u202a-\U0010ffff]")
_LISTED = re.compile(r"[A-Za-z0-9]+\.")  # would be escaped at the start of a line
# Characters a link target keeps as they are; the rest are percent-encoded, and '&' becomes
# '&amp;' so that the browser, which decodes entities in attributes, sees the target as checked.
_URL_KEEP = frozenset(string.ascii_letters + string.digits + "-.~:/?#@!$=+,;%")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# In code, what HTML acts on (in an element or an attribute), and every mark as an entity.
_HTML_ACTIVE = re.compile(r'[<>&"]')
_ENTITIES = {ord(char): f"&#{ord(char)};" for char in string.punctuation}
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")  # what browsers drop from or around a URL
# References in prose stand in the parsed text as characters of a private-use plane; any such
# character already in the text is replaced first.
_MARKS = 0xF0000
_NO_MARKS = {code: "\ufffd" for code in range(_MARKS, _MARKS + 0x10000)}


def markdown_text(text: str, *, links: bool = True) -> str:
    """``text`` (content Markdown) as Markdown that can only show it: escaped, its lists,
    emphasis, code spans and safe links kept. With ``links=False`` links keep only their text
    (for text that will itself be a link's)."""
    if _plain(text):
        return text  # nothing in it needs escaping: most text takes this road
    core = text.strip(" ")
    # A space around a value (", " in a template) stays; more would show no more in a page,
    # and four at the start of a line would make code of the text.
    before = " " if text.startswith(" ") else ""
    after = " " if text.endswith(" ") and core else ""
    return before + (_rendered(core, links) if core else "") + after


def markdown_prose(
    text: str, spans: Sequence[tuple[int, int]], reference: Callable[[int], str]
) -> str:
    """``text`` as :func:`markdown_text` writes it, each of ``spans`` (a reference in prose,
    as start and end) replaced by ``reference(n)``, trusted Markdown. The text is parsed whole,
    so emphasis or a link may span a reference; inside a code span a reference shows as it is
    written."""
    if not spans:
        return markdown_text(text)
    marks: dict[str, tuple[str, str]] = {}
    parts: list[str] = []
    last = 0
    for number, (start, end) in enumerate(spans):
        mark = chr(_MARKS + number)
        marks[mark] = (reference(number), text[start:end])
        parts += [text[last:start].translate(_NO_MARKS), mark]
        last = end
    parts.append(text[last:].translate(_NO_MARKS))
    marked = "".join(parts)
    core = marked.strip(" ")
    before = " " if marked.startswith(" ") else ""
    after = " " if marked.endswith(" ") and core else ""
    tokens = _tokens(core)
    written = "\n\n".join(_Writer(True, marks).blocks(tokens, 0, len(tokens)))
    return before + written + after


def links_in(text: str) -> Iterator[tuple[str, bool]]:
    """Every link and image target in ``text`` as the parse reads it, and whether it is an
    image's."""
    if "](" not in text:
        return
    for block in _tokens(text):
        for token in block.children or []:
            if token.type == "link_open":
                yield str(token.attrs["href"]), False
            elif token.type == "image":
                yield str(token.attrs["src"]), True


def link_texts(text: str) -> Iterator[tuple[str, str]]:
    """Every link in ``text`` as the text it shows and its target."""
    if "](" not in text:
        return
    for block in _tokens(text):
        shown: list[str] | None = None
        for token in block.children or []:
            if token.type == "link_open":
                shown, target = [], str(token.attrs["href"])
            elif token.type == "link_close" and shown is not None:
                yield "".join(shown), target
                shown = None
            elif shown is not None:
                shown.append(token.content)


def link_problem(target: str, *, image: bool = False) -> str | None:
    """Why ``target`` may not be a link (or an image) on a page, or None if it may."""
    shown = " ".join(target.split())
    if image and not _relative(target):
        return (
            f"'{shown}' is not an allowed image: give a path relative to the page to an image "
            "of the site (an image from another host tells it who reads the page)"
        )
    if _relative(target):
        return None
    if _scheme(target) not in LINK_SCHEMES:
        return f"'{shown}' is not an allowed link: use http(s), mailto or a relative link"
    unread = _unreadable_address(target)
    if unread:
        return f"'{shown}' is not an address every reader reads alike ({unread}); write it in ASCII"
    return None


def address_text_problem(text: str, target: str) -> str | None:
    """Why a link may not show ``text``: text that is itself an address must lead where the
    link does, or a reader who trusts what they see is sent elsewhere."""
    shown = " ".join(text.split())
    words = shown.removeprefix("<").removesuffix(">")
    if not _ADDRESS.match(words):
        return None
    seen = _host(words if "://" in words or words.startswith("mailto:") else f"https://{words}")
    if seen is None or seen == _host(target):
        return None
    return (
        f"the link's text '{shown}' is an address on another host than the link leads to "
        f"('{' '.join(target.split())}'); show the address it leads to, or words"
    )


# Text that reads as an address: a scheme or "www.", or a host name in lower case (after a
# mailbox's "name@") that ends in a top-level domain, alone or followed by a path. "Node.js"
# and "ASP.NET" are names.
_ADDRESS = re.compile(
    r"(?:(?i:https?://|mailto:|www\.)|(?:[^\s@/]+@)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/|$))"
)


def _host(address: str) -> str | None:
    try:
        parts = urlsplit(address)
        host = parts.hostname or (parts.path.rpartition("@")[2] if parts.scheme == "mailto" else "")
    except ValueError:
        return None
    return host.lower().removeprefix("www.") or None


def _unreadable_address(target: str) -> str | None:
    """Why Python cannot read ``target`` as an address (a host that does not survive Unicode
    normalisation, an unclosed IPv6 bracket, a label IDNA refuses), or None: what validate lets
    through, the build must be able to read."""
    try:
        host = urlsplit(target).hostname
        if host:
            host.encode("idna")
    except (ValueError, UnicodeError) as exc:
        return " ".join(str(exc).split())
    return None


@jinja2.pass_environment
def _join(
    environment: jinja2.Environment,
    values: Iterable[Any],
    separator: str = "",
    attribute: str | int | None = None,
) -> Markup:
    """Jinja's ``join``, escaping each value that is not Markup yet as content text (Jinja's
    own escapes for HTML only, which leaves Markdown live)."""
    if attribute is not None:
        values = map(make_attrgetter(environment, attribute), values)
    return _as_markup(separator).join(_as_markup(value) for value in values)


def _as_markup(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(markdown_text("" if value is None else str(value)))


# Filters that replace Jinja's own where those would mark HTML-escaped text as trusted.
TEMPLATE_FILTERS = {"join": _join, "e": _as_markup, "escape": _as_markup}


def _variants(target: str) -> set[str]:
    """The target as the parse gave it and as a browser may read it: entities and percent
    escapes decoded, the characters browsers ignore removed, backslashes taken as slashes."""
    forms = {target}
    for form in (html.unescape(target), mdurl.decode(target), html.unescape(html.unescape(target))):
        forms.add(form)
        forms.add(mdurl.decode(form))
    return {_URL_IGNORED.sub("", form).replace("\\", "/") for form in forms}


def _scheme(target: str) -> str | None:
    schemes = {match.group(1).lower() for v in _variants(target) if (match := _SCHEME.match(v))}
    if len(schemes) == 1:
        return schemes.pop()
    return None if not schemes else "?"  # two readings disagree: trust neither


def _relative(target: str) -> bool:
    """A path inside the site: no scheme, no other host, not from the host's root."""
    for form in _variants(target):
        if form.startswith("/") or _SCHEME.match(form) or ":" in form.split("/")[0]:
            return False
    return True


def _tokens(text: str) -> list[Token]:
    return _PARSER.parse(text)


def _rendered(text: str, links: bool) -> str:
    tokens = _tokens(text)
    return "\n\n".join(_Writer(links).blocks(tokens, 0, len(tokens)))


class _Writer:
    """Writes a parsed text back as Markdown: each block on lines of its own, every character
    of text escaped. The parse is a flat list of tokens, a block's opening and closing tokens
    at the same level."""

    def __init__(self, links: bool, marks: dict[str, tuple[str, str]] | None = None) -> None:
        self.links = links
        self.marks = marks or {}  # reference marks: (trusted Markdown, the reference as written)

    def blocks(self, tokens: list[Token], start: int, stop: int) -> list[str]:
        written: list[str] = []
        index = start
        while index < stop:
            token = tokens[index]
            if token.type == "inline":
                written.append(self.inline(token.children or []))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                close = _closing(tokens, index)
                written.append(self.list_block(tokens, index, close))
                index = close
            index += 1  # paragraphs open and close around their inline token
        return [block for block in written if block]

    def list_block(self, tokens: list[Token], start: int, stop: int) -> str:
        opening = tokens[start]
        tight = all(
            token.hidden
            for token in tokens[start:stop]
            if token.type == "paragraph_open" and token.level == opening.level + 2
        )
        between = "\n" if tight else "\n\n"
        number = int(str(opening.attrs.get("start", 1)))
        items: list[str] = []
        index = start + 1
        while index < stop:
            close = _closing(tokens, index)
            body = between.join(self.blocks(tokens, index + 1, close))
            index = close + 1
            if not body:
                continue  # an empty item would read as a rule or a heading's underline
            marker = f"{number}. " if opening.type == "ordered_list_open" else "- "
            number += 1
            items.append(marker + body.replace("\n", "\n    ").replace("\n    \n", "\n\n"))
        return between.join(items)

    def inline(self, children: list[Token]) -> str:
        out: list[str] = []
        opened: list[tuple[list[str], Token]] = []  # emphasis and links not closed yet
        at_start = True  # nothing written on the line yet
        for token in children:
            kind = token.type
            if kind in ("em_open", "strong_open", "link_open"):
                opened.append((out, token))
                out = []
                at_start &= kind == "link_open"  # a link may end up as its bare text
                continue
            if kind in ("em_close", "strong_close", "link_close"):
                inner = "".join(out)
                out, opening = opened.pop()
                out.append(self.closed(opening, inner))
            elif kind == "text":
                out.append(self.marked(_escaped(token.content, at_start), 0))
            elif kind == "code_inline":
                out.append(_code(self.marked(token.content, 1), at_start))
            elif kind == "image":
                out.append(_image(token, at_start))
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")  # one line: a line break could end the block the text is in
            else:
                out.append(_escaped(token.content, at_start))
            at_start &= not out[-1].strip()  # a blank code span shows as the blank it is
        # Blanks at the start of the line would indent what follows into a code block.
        return "".join(out).lstrip(" \t")

    def marked(self, text: str, part: int) -> str:
        """``text`` with each reference mark replaced: by the reference's Markdown (part 0) or
        by the reference as written (part 1)."""
        for mark, forms in self.marks.items():
            text = text.replace(mark, forms[part])
        return text

    def closed(self, opening: Token, inner: str) -> str:
        if opening.type == "em_open":
            return f"*{inner}*"
        if opening.type == "strong_open":
            return f"**{inner}**"
        href = str(opening.attrs["href"])
        if not self.links or link_problem(href):
            return inner
        return f"[{inner}]({_target(href)})"


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the block ``tokens[start]`` opens."""
    level = tokens[start].level
    index = start + 1
    while tokens[index].level != level or tokens[index].nesting != -1:
        index += 1
    return index


def _image(token: Token, at_start: bool) -> str:
    src = str(token.attrs["src"])
    if link_problem(src, image=True):
        return _escaped(token.content, at_start)
    return f"![{_escaped(token.content, False)}]({_target(src)})"


def _plain(text: str) -> bool:
    """True if ``text`` is written as it is: nothing in it is escaped, and the parse would find
    nothing but one paragraph of text, which starts and ends with a visible character."""
    return not (
        _NOT_PLAIN.search(text)
        or not text
        or text[0] in " -,.;:?'%/@"
        or text[0].isspace()
        or text[-1].isspace()
        or _LISTED.match(text)
    )


def _escaped(text: str, at_start: bool) -> str:
    escaped = text.translate(_TEXT)
    if at_start and (mark := _LINE_START.match(text)):
        char = mark.group(0)[-1]
        if char not in _ALWAYS:
            end = mark.end() - 1
            escape = f"\\{char}" if char in _BACKSLASHABLE else f"&#{ord(char)};"
            escaped = text[:end].translate(_TEXT) + escape + text[end + 1 :].translate(_TEXT)
    return escaped


def _code(code: str, at_start: bool) -> str:
    """A code span: its text as it is, between backticks that nothing inside can close. Code
    that HTML could act on is written as a ``<code>`` element with every mark an entity, which
    reads the same inside an HTML element of a template, where Markdown does not work. Text
    that would need a run of three backticks or more around it (a fence) is written as
    escaped text instead."""
    code = code.translate(_CONTROLS | {0x2028: " ", 0x2029: " "})
    if _HTML_ACTIVE.search(code) and code.strip():
        return f"<code>{code.translate(_ENTITIES)}</code>"
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    if longest >= 2 or not code.strip():
        return _escaped(code, at_start)
    fence = "``" if longest else "`"
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _target(url: str) -> str:
    return "".join(
        char if char in _URL_KEEP else "&amp;" if char == "&" else mdurl.encode(char, "")
        for char in url
    )


def logo_problem(value: str) -> str | None:
    """Why ``value`` cannot name the logo, judged on the path alone: it must be an image file's
    path relative to the project root, never leaving it."""
    path = PurePosixPath(value)
    if (
        "\\" in value
        or path.is_absolute()
        or _SCHEME.match(value)
        or any(part in ("..", "") or part.startswith(".") for part in value.split("/"))
    ):
        return (
            f"'{value}' is not a path inside the project: give the image file's path "
            "relative to the project root, without '..'"
        )
    if path.suffix.lower() not in LOGO_TYPES:
        return f"'{value}' is not an image file: use one of {', '.join(LOGO_TYPES)}"
    return None


def logo_file(root: Path, value: str, error: type[Exception] = PlaybookError) -> Path:
    """The logo's file, once it is known to be an image inside the project (links followed)
    that can run nothing: otherwise ``error`` says why."""
    problem = logo_problem(value)
    if problem is None and (outside := path_problem(root / value, root)):
        problem = f"'{value}': {outside}"
    real = root / value if problem else (root / value).resolve()
    if problem is None and not real.is_file():
        problem = f"no file at '{value}'"
    if problem is None:
        problem = _image_problem(real, value)
    if problem:
        raise error(f"branding.logo: {problem}")
    return real


def _image_problem(path: Path, value: str) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"'{value}' cannot be read ({exc.strerror})"
    starts = LOGO_TYPES[path.suffix.lower()]
    if starts:
        webp = path.suffix.lower() != ".webp" or data[8:12] == b"WEBP"
        if data.startswith(starts) and webp:
            return None
        return f"'{value}' is not a {path.suffix.lower().lstrip('.').upper()} image"
    return _svg_problem(data, value)


# What an SVG logo may hold: drawing, in the SVG namespace. Anything else (script, foreign
# content, links, images, animation, which can set a link or a handler) is refused.
_SVG = "http://www.w3.org/2000/svg"
_SVG_ELEMENTS = frozenset(
    "svg g defs title desc symbol use path rect circle ellipse line polyline polygon text "  # noqa: SIM905
    "tspan linearGradient radialGradient stop clipPath mask pattern marker style filter "
    "feGaussianBlur feOffset feBlend feFlood feComposite feMerge feMergeNode feColorMatrix "
    "feDropShadow".split()
)
_SVG_ATTRIBUTES = frozenset(
    "id class style transform d x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height viewBox "  # noqa: SIM905
    "preserveAspectRatio points pathLength fill fill-opacity fill-rule stroke stroke-width "
    "stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset "
    "stroke-opacity opacity color clip-path clip-rule mask filter display visibility overflow "
    "vector-effect shape-rendering paint-order mix-blend-mode isolation font-family font-size "
    "font-weight font-style font-variant text-anchor dominant-baseline alignment-baseline "
    "letter-spacing word-spacing text-decoration dx dy rotate textLength lengthAdjust offset "
    "stop-color stop-opacity gradientUnits gradientTransform spreadMethod patternUnits "
    "patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits "
    "markerWidth markerHeight markerUnits refX refY orient marker-start marker-mid marker-end "
    "filterUnits primitiveUnits stdDeviation in in2 result mode operator k1 k2 k3 k4 values "
    "type flood-color flood-opacity version baseProfile role aria-label aria-hidden "
    "focusable lang href".split()
)
# Attributes of other namespaces that only name or place: xlink:href (judged as href is) and
# xml:space or xml:lang.
_NAMESPACED = {
    ("http://www.w3.org/1999/xlink", "href"),
    ("http://www.w3.org/XML/1998/namespace", "space"),
    ("http://www.w3.org/XML/1998/namespace", "lang"),
}
# A CSS escape could spell any of the others, so a backslash is refused too.
_EXTERNAL = re.compile(r"url\(\s*['\"]?(?!#)|image-set|@import|javascript:|\\", re.IGNORECASE)


class _Refused(Exception):
    """Why an SVG logo is refused, raised from the parser's handlers to stop it at once."""


def _svg_problem(data: bytes, value: str) -> str | None:
    """An SVG logo may draw, but not run script or load anything: a reader who opens the file
    itself would run it on the site's own address. It is read by expat, stopped at the first
    thing that is not drawing, before a document type could declare an entity to expand."""
    check = _SvgCheck()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = check.start
    parser.EndElementHandler = check.end
    parser.CharacterDataHandler = check.text
    parser.ProcessingInstructionHandler = check.instruction
    parser.StartDoctypeDeclHandler = check.doctype
    parser.EntityDeclHandler = check.doctype
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        return f"'{value}' {exc}"
    except expat.ExpatError as exc:
        return f"'{value}' is not a readable SVG image ({expat.ErrorString(exc.code)})"
    return None


class _SvgCheck:
    """The parser's handlers: each refuses what is not on the lists above."""

    def __init__(self) -> None:
        self.open: list[str] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if not self.open and (namespace, local) != (_SVG, "svg"):
            raise _Refused("is not an SVG image: its root is not an <svg> element of SVG")
        if namespace != _SVG:
            raise _Refused(f"holds a <{local}> element of another kind than SVG")
        if local not in _SVG_ELEMENTS:
            raise _Refused(f"holds a <{local}> element; a logo may only draw")
        self.open.append(local)
        for attribute, text in attributes.items():
            space, _, key = attribute.rpartition(" ")
            if not (space == "" and key in _SVG_ATTRIBUTES) and (space, key) not in _NAMESPACED:
                raise _Refused(f"has a {key} attribute; a logo may only draw")
            if (key == "href" and not text.startswith("#")) or _EXTERNAL.search(text):
                raise _Refused(f"has a {key} attribute that runs or loads something")

    def end(self, name: str) -> None:
        self.open.pop()

    def text(self, text: str) -> None:
        if self.open and self.open[-1] == "style" and _EXTERNAL.search(text):
            raise _Refused("has a style that loads something")

    def instruction(self, target: str, data: str) -> None:
        raise _Refused(f"holds a processing instruction (<?{target}?>); a logo may only draw")

    def doctype(self, *declaration: object) -> None:
        raise _Refused("declares a document type; save the SVG without one")
