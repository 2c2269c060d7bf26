"""safety: content text reaches a page only as text, its few Markdown marks and safe links.

The escaped text is rendered here by Python-Markdown with the site's extensions (and a few more
that forks commonly add), as MkDocs renders it, and the HTML is read back: only the elements
and attributes content may produce are there, and every character of plain text shows as it
was written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.safety import link_problem, links_in, logo_file, markdown_text
from generator.errors import PlaybookError

from conftest import ROOT

EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "toc",
    "def_list",
    "abbr",
    "footnotes",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.keys",
    "pymdownx.tabbed",
]
ALLOWED = {"p": set(), "ul": set(), "ol": set(), "li": set(), "em": set(), "strong": set()}
ALLOWED |= {"code": set(), "a": {"href"}, "img": {"src", "alt"}}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(text: str) -> _Elements:
    page = markdown.markdown(markdown_text(text), extensions=EXTENSIONS)
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def assert_only_content_markup(text: str) -> None:
    for tag, attrs in rendered(text).found:
        assert tag in ALLOWED, (text, tag, attrs)
        assert set(attrs) <= ALLOWED[tag], (text, tag, attrs)
        if tag == "a":
            assert link_problem(str(attrs["href"])) is None, (text, attrs)
        if tag == "img":
            assert link_problem(str(attrs["src"]), image=True) is None, (text, attrs)


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\\`<img src=x onerror=alert(1)>`",
    "``<img src=x onerror=alert(1)>`",
    "`a`<b onmouseover=alert(1)>x</b>`",
    "Read me {: onmouseover=alert(1) }",
    "Read me\n{: onload=alert(1) }",
    "[x](https://example.org){: onclick=alert(1) }",
    "[a](javascript:alert(1))",
    "[a](jav&#97;script:alert(1))",
    "[a](javascript&colon;alert(1))",
    "[a](javascript&amp;#58;alert(1))",
    "[a](java\tscript:alert(1))",
    "[a](<java script:alert(1)>)",
    "[a](/\\evil.example)",
    "[a](//evil.example)",
    "[a](data:text/html,<script>alert(1)</script>)",
    "[w]: javascript:alert(1)\n\nSee [w].",
    "[w][r]\n\n[r]: javascript:alert(1)",
    "![x](https://tracker.example/pixel.png)",
    "![x](//tracker.example/pixel.png)",
    "<https://evil.example>",
    "<!-- hidden --> text",
    "<div markdown>*x*</div>",
    '!!! danger "x"\n    <b>y</b>',
    "??? note\n    hidden",
    "| a | b |\n|---|---|\n| <i>x</i> | y |",
    "*[HTML]: Hyper <b>Text</b>",
    "Term\n: <b>definition</b>",
    "Footnote[^1]\n\n[^1]: <b>x</b>",
    "```\n<script>alert(1)</script>\n```",
    "~~~{ onclick=alert(1) }\nx\n~~~",
    "```` ```{ onclick=alert(1) } ````",
    "` `\t\t<b>indented after a blank code span</b>",
    "Text\x02wzxhzdk:0\x03 more",
    "# Heading {: #id onclick=alert(1) }",
    "Title\n=====",
    "==mark== ^^ins^^ ~~del~~ ++ctrl+alt++",
    '--8<-- "/etc/passwd"',
    ';--8<-- "/etc/passwd"',
    "- item {: onclick=alert(1) }\n- [ ] task",
    "1. one\n2. <b>two</b>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "[![img](../a.png)](javascript:alert(1))",
    '[x](https://example.org "title" onclick=alert(1))',
    "[x](https://example.org 'a' )",
    '[x](https://example.org/" onmouseover="alert(1))',
]


HOSTILE += yaml.safe_load((ROOT / "tests" / "fixtures" / "hostile-text.yml").read_text())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_yields_only_content_markup(text: str) -> None:
    assert_only_content_markup(text)


def assert_nothing_active_as_html(text: str) -> None:
    """Templates may also put text inside an HTML element, where Markdown does not work: read
    as HTML, the written text holds at most plain code elements, and no quote to leave an
    attribute by."""
    written = markdown_text(text)
    parser = _Elements()
    parser.feed(f"<span>{written}</span>")
    parser.close()
    assert [tag for tag, attrs in parser.found if tag != "code" or attrs] == ["span"], text
    assert '"' not in written, text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_inside_an_html_element(text: str) -> None:
    assert_nothing_active_as_html(text)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Ships the model.", "Ships the model."),
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("Use `len(x)` here", "Use `len(x)` here"),
        ("Use `List<int>` here", "Use <code>List&#60;int&#62;</code> here"),
        ('Say "yes"', "Say &quot;yes&quot;"),
        ("` `- not a list", "\\- not a list"),
        ("` `\t\tnot code", "not code"),
        ("**bold**, *italic* and `code`", "**bold**, *italic* and `code`"),
        ("[home](https://example.org)", "[home](https://example.org)"),
        (
            "[me](mailto:a@b.c) or [page](../roles/x.md)",
            "[me](mailto:a@b.c) or [page](../roles/x.md)",
        ),
        ("[click](javascript:alert(1)) here", "click here"),
        ("![chart](https://example.org/c.png)", "chart"),
        ("![chart](../img/c.png)", "![chart](../img/c.png)"),
        ("x {: onclick=alert(1) }", "x \\{: onclick&#61;alert\\(1\\) \\}"),
        ("- one\n- two", "- one\n- two"),
        ("e.g. this", "e\\.g. this"),
        ("- a\n\n  more\n\n- b", "- a\n\n    more\n\n- b"),
        (", ", ", "),
    ],
)
def test_text_is_written_as_markdown_that_shows_it(text: str, written: str) -> None:
    assert markdown_text(text) == written


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        (
            "[a](jav&#97;script:x) ![b](https://h/i.png)",
            [("javascript:x", False), ("https://h/i.png", True)],
        ),
        ("[w]: javascript:x", []),
        ("`[a](javascript:x)`", []),
    ],
)
def test_links_are_read_as_the_page_reads_them(text: str, targets: list[tuple[str, bool]]) -> None:
    assert list(links_in(text)) == targets


@pytest.mark.parametrize(
    ("target", "image", "allowed"),
    [
        ("https://example.org/a?b=1&c=2", False, True),
        ("http://intranet.example/", False, True),
        ("mailto:team@example.org", False, True),
        ("../roles/x.md#part", False, True),
        ("#anchor", False, True),
        ("../img/logo.png", True, True),
        ("JavaScript:alert(1)", False, False),
        ("javascript&#58;alert(1)", False, False),
        ("java%0Ascript:alert(1)", False, False),
        ("vbscript:x", False, False),
        ("data:text/html,x", False, False),
        ("//evil.example", False, False),
        ("/\\evil.example", False, False),
        ("/absolute/path", False, False),
        ("ftp://example.org", False, False),
        ("https://example.org/i.png", True, False),
        ("mailto:a@b.c", True, False),
    ],
)
def test_link_rules(target: str, image: bool, allowed: bool) -> None:
    assert (link_problem(target, image=image) is None) is allowed


PUNCTUATION = st.sampled_from([*"\\`*_{}[]()#+-.!|<>&\"'$~^=:;,?/%@ \n\t", "\n\n"])
WORDS = st.sampled_from(
    ["a", "b1", "x y", "é", "script", "onclick", "javascript", "1.", "- ", "    "]
)
HOSTILE_TEXT = st.lists(st.one_of(PUNCTUATION, WORDS), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(HOSTILE_TEXT)
def test_no_text_yields_other_markup(text: str) -> None:
    assert_only_content_markup(text)
    assert_nothing_active_as_html(text)


PLAIN = st.lists(
    st.one_of(st.sampled_from(list("{}[]()#+-.!|<>&\"'$~^=:;,?/%@ ")), WORDS), max_size=30
).map("".join)


@settings(max_examples=400, deadline=None)
@given(PLAIN)
def test_text_without_markdown_marks_shows_every_character(text: str) -> None:
    """Brackets and other marks without a link, emphasis or an entity (content may spell a
    character as one) show exactly as written."""
    expected = " ".join(text.split())
    construct = r"\]\(|^\s*(?:[-+]|\d+[.)])(?:\s|$)|&#?\w+;"
    assume_no_construct = not re.search(construct, text, re.M)
    if assume_no_construct:
        shown = " ".join("".join(rendered(text).text).split())
        assert shown == expected


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_the_shortcut_for_plain_text_is_what_the_full_road_gives(text: str) -> None:
    from generator.content.safety import _plain, _rendered

    if _plain(text):
        assert _rendered(text, True) == text


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">{}</svg>'


@pytest.mark.parametrize(
    ("document", "refused"),
    [
        ('<?xml version="1.0"?>' + SVG.format(""), None),
        ('<?xml-stylesheet href="https://t.example/s.css"?>' + SVG.format(""), "instruction"),
        (
            '<?xml-stylesheet type="text/xsl" href="#x"?><xsl:stylesheet version="1.0" '
            'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
            "instruction",
        ),
        ('<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', "root"),
        ("<svg><rect/></svg>", "root is not an <svg> element of SVG"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.format("&a;"), "document type"),
        (SVG.format("<rect"), "not a readable SVG"),
    ],
)
def test_an_svg_logo_is_an_svg_document(tmp_path: Path, document: str, refused: str | None) -> None:
    (tmp_path / "logo.svg").write_text(document, encoding="utf-8")
    if refused is None:
        assert logo_file(tmp_path, "logo.svg") == (tmp_path / "logo.svg").resolve()
        return
    with pytest.raises(PlaybookError) as raised:
        logo_file(tmp_path, "logo.svg")
    assert str(raised.value).startswith("branding.logo: 'logo.svg' ")
    assert refused in str(raised.value)


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ('<rect width="4" height="4" fill="#1f6feb"/>', None),
        ("<script>alert(1)</script>", "holds a <script> element"),
        ('<set attributeName="onmouseover" to="alert(1)"/>', "holds a <set> element"),
        ('<animate attributeName="href" values="#a;#b"/>', "holds a <animate> element"),
        ('<image href="https://tracker.example/p.png"/>', "holds a <image> element"),
        ('<use href="https://tracker.example/p.svg#a"/>', "href attribute that runs or loads"),
        ('<use xlink:href="//t.example/a#b" xmlns:xlink="http://www.w3.org/1999/xlink"/>', "href"),
        ('<rect onclick="alert(1)"/>', "has a onclick attribute"),
        ('<rect fill="url(https://t.example/p.svg#g)"/>', "fill attribute that runs or loads"),
        ('<foreignObject><img xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>', "<fore"),
        ('<g><img xmlns="http://www.w3.org/1999/xhtml" src="//t.example/p"/></g>', "another kind"),
        ('<a href="#x"><rect/></a>', "holds a <a> element"),
        ('<linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>', None),
        ('<rect fill="url(#g)" xml:space="preserve"/><use href="#g"/>', None),
        ("<style>@im\\port 'https://tracker.example/s.css';</style>", "a style that loads"),
        ('<rect style="fill: image-set(&quot;https://t.example/p.png&quot; 1x)"/>', "style"),
    ],
)
def test_an_svg_logo_may_only_draw(tmp_path: Path, body: str, refused: str | None) -> None:
    (tmp_path / "logo.svg").write_text(SVG.format(body), encoding="utf-8")
    if refused is None:
        assert logo_file(tmp_path, "logo.svg") == (tmp_path / "logo.svg").resolve()
        return
    with pytest.raises(PlaybookError) as raised:
        logo_file(tmp_path, "logo.svg")
    assert str(raised.value).startswith("branding.logo: 'logo.svg' ")
    assert refused in str(raised.value)
