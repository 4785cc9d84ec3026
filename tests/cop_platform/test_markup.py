"""render_markdown_safe against public XSS corpora, plus the Markdown features members rely on."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cop_platform import markup
from cop_platform.markup import render_markdown_safe, sanitize_html

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
XSS_FILES = sorted((CORPORA / "xss").glob("*.txt")) if (CORPORA / "xss").is_dir() else []
needs_corpora = pytest.mark.skipif(not XSS_FILES, reason=f"XSS corpus not found at {CORPORA / 'xss'}")

# Browsers ignore C0 controls and spaces when reading a URL's scheme ("java\tscript:" runs), so strip them all.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)  # attribute values arrive entity-decoded, as a browser sees them
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, attrs))


def tags_in(html: str):
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.found


def problems_in(html: str) -> list[str]:
    """Everything in the output that the allow-list should have made impossible."""
    problems = []
    for tag, attrs in tags_in(html):
        if tag not in markup.ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name} on <{tag}>")
            if name not in markup.ALLOWED_ATTRIBUTES.get(tag, []):
                problems.append(f"attribute {name} on <{tag}>")
            if name == "href":
                url = _URL_NOISE.sub("", value or "").lower()
                scheme = _SCHEME.match(url)
                # Relative links ("/page", "#top") have no scheme and are allowed; any scheme must be on the list.
                if url.startswith(DANGEROUS_SCHEMES) or (scheme and scheme.group(1) not in markup.ALLOWED_PROTOCOLS):
                    problems.append(f"href {value!r}")
        if tag == "a" and dict(attrs).get("rel") != markup.LINK_REL:
            problems.append(f"<a> without rel={markup.LINK_REL!r}: {attrs}")
    return problems


def payloads(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_all_safe(render, inputs: list[str]):
    failures = []
    for text in inputs:
        html = render(text)
        failures.extend(f"{text!r} -> {html!r}: {problem}" for problem in problems_in(html))
    assert not failures, f"{len(failures)} unsafe outputs, first ones:\n" + "\n".join(failures[:10])


# --- The corpora --------------------------------------------------------------------------------------------------


@needs_corpora
@pytest.mark.parametrize("path", XSS_FILES, ids=lambda p: p.name)
def test_xss_payloads_typed_as_text_render_harmless(path):
    assert_all_safe(render_markdown_safe, payloads(path))


@needs_corpora
@pytest.mark.parametrize("path", XSS_FILES, ids=lambda p: p.name)
def test_xss_payloads_used_as_markdown_link_targets_render_harmless(path):
    lines = payloads(path)
    assert_all_safe(render_markdown_safe, [f"[x]({line})" for line in lines])
    assert_all_safe(render_markdown_safe, [f"[x](<{line}>)" for line in lines])
    assert_all_safe(render_markdown_safe, [f'[x](https://example.org "{line}")' for line in lines])


@needs_corpora
@pytest.mark.parametrize("path", XSS_FILES, ids=lambda p: p.name)
def test_xss_payloads_given_straight_to_the_html_sanitiser_come_out_harmless(path):
    # Markdown escapes raw HTML before bleach sees it; this feeds bleach the payloads directly.
    assert_all_safe(sanitize_html, payloads(path))


@pytest.mark.skipif(not (CORPORA / "blns.txt").is_file(), reason=f"naughty strings not found at {CORPORA}")
def test_every_naughty_string_renders_without_error_and_stays_within_the_allow_list():
    lines = (CORPORA / "blns.txt").read_text(encoding="utf-8").splitlines()
    strings = [line for line in lines if line and not line.startswith("#")]
    assert len(strings) > 400

    assert_all_safe(render_markdown_safe, strings)
    assert_all_safe(render_markdown_safe, ["\n".join(strings)])


# --- Markdown members use ----------------------------------------------------------------------------------------


def test_emphasis_and_strikethrough_survive():
    html = render_markdown_safe("**bold**, *italic* and ~~struck~~")

    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<s>struck</s>" in html


def test_bulleted_and_numbered_lists_survive_with_their_start_number():
    html = render_markdown_safe("- apples\n- pears\n\n3. third\n4. fourth")

    assert "<ul>\n<li>apples</li>\n<li>pears</li>\n</ul>" in html
    assert '<ol start="3">' in html
    assert "<li>fourth</li>" in html


def test_tables_survive():
    html = render_markdown_safe("| Role | Count |\n|---|---|\n| Facilitator | 2 |")

    assert "<table>" in html
    assert "<th>Role</th>" in html
    assert "<td>Facilitator</td>" in html


def test_code_is_shown_literally_and_links_inside_it_are_not_made_clickable():
    html = render_markdown_safe("Use `<b>` tags:\n\n```\n<script>alert(1)</script> https://example.org\n```")

    assert "<code>&lt;b&gt;</code>" in html
    assert "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; https://example.org\n</code></pre>" in html
    assert "<a " not in html


def test_blockquotes_and_rules_survive():
    html = render_markdown_safe("> wise words\n\n---")

    assert "<blockquote>\n<p>wise words</p>\n</blockquote>" in html
    assert "<hr" in html


def test_headings_are_demoted_so_the_page_keeps_its_only_h1():
    html = render_markdown_safe("# Big title\n\nSetext title\n===\n\n## Section")

    assert "<h1" not in html
    assert "<h2>Big title</h2>" in html
    assert "<h2>Setext title</h2>" in html
    assert "<h2>Section</h2>" in html


def test_bare_urls_become_links_marked_as_user_content():
    html = render_markdown_safe("See https://example.org/guide and www.example.com today")

    assert '<a href="https://example.org/guide" rel="nofollow ugc noopener">https://example.org/guide</a>' in html
    assert '<a href="http://www.example.com" rel="nofollow ugc noopener">www.example.com</a>' in html


def test_markdown_links_keep_their_title_and_gain_the_user_content_rel():
    html = render_markdown_safe('[the guide](https://example.org "Read me")')

    assert '<a href="https://example.org" title="Read me" rel="nofollow ugc noopener">the guide</a>' in html


def test_a_javascript_link_is_not_clickable():
    html = render_markdown_safe("[win a prize](javascript:alert(document.cookie))")

    assert "<a" not in html
    assert "win a prize" in html


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown_safe('<img src=x onerror="alert(1)"> <script>alert(2)</script>')

    assert problems_in(html) == []
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


@pytest.mark.parametrize("empty", ["", None])
def test_nothing_renders_as_nothing(empty):
    assert render_markdown_safe(empty) == ""


def test_the_checker_itself_catches_what_it_is_meant_to_catch():
    # Guards the corpus tests against a checker that silently passes everything.
    assert problems_in('<a href=" JaVa&#x09;script:alert(1)" rel="nofollow ugc noopener">x</a>')
    assert problems_in('<a href="data:text/html,hi" rel="nofollow ugc noopener">x</a>')
    assert problems_in('<a href="https://example.org">no rel</a>')
    assert problems_in('<p onclick="x()">hi</p>')
    assert problems_in("<img src=x>")
    assert problems_in('<a href="/ok" rel="nofollow ugc noopener" style="x">styled</a>')
    assert problems_in('<a href="/relative" rel="nofollow ugc noopener">ok</a>') == []
