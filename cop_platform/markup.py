"""Markdown from users becomes safe HTML here, and nowhere else.

Text is rendered once, on write, and stored next to its source (`body` / `body_html`). The pipeline is
markdown-it (raw HTML disabled) -> bleach allow-list -> linkify, with every link marked as user content.
Swapping bleach for nh3 later touches only this module.
"""

import re
from functools import partial
from html.parser import HTMLParser

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Images are off: we do not let members hot-link pictures (tracking pixels); `![alt](url)` reads as a link.
_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .disable("image")
)


def _mark_user_link(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_mark_user_link], skip_tags={"pre", "code"}, parse_email=False)],
)


def sanitize_html(html: str) -> str:
    """Reduce arbitrary HTML to the allow-list; every surviving link gets rel="nofollow ugc noopener"."""
    return _cleaner.clean(html)


def render_markdown_safe(text: str) -> str:
    """Render user Markdown to HTML that is safe to output with |safe."""
    if not text:
        return ""
    # h1 is the page's own title; demote user headings so the document outline stays intact.
    html = _markdown.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitize_html(html)


class _TextWriter(HTMLParser):
    """Sanitised HTML (our allow-list) as plain text a person reads in an email: paragraphs, bullets, links."""

    BLOCKS = {"p", "div", "blockquote", "pre", "table", "tr", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # per open list: [ordered, next number]
        self.href: str | None = None
        self.link_text: list[str] = []
        self.quote = 0
        self.pre = 0

    def _break(self, blank: bool = True) -> None:
        """End the line (blank: and leave an empty one), never stacking more breaks than asked for."""
        tail = "".join(self.out[-3:])
        have = len(tail) - len(tail.rstrip("\n"))
        self.out.append("\n" * max(0, (2 if blank else 1) - have))

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._break(blank=not self.lists)
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", int(dict(attrs).get("start") or 1)])
        elif tag == "li":
            self._break(blank=False)
            indent = "  " * (len(self.lists) - 1)
            if self.lists and self.lists[-1][0]:
                self.out.append(f"{indent}{self.lists[-1][1]}. ")
                self.lists[-1][1] += 1
            else:
                self.out.append(f"{indent}- ")
        elif tag == "br":
            self._break(blank=False)
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.href, self.link_text = dict(attrs).get("href"), []
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "hr":
            self.out.append("----")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            if self.href and self.href not in (text, f"mailto:{text}"):
                self.out.append(f" ({self.href})")
            self.href = None
        if tag in self.BLOCKS:
            self._break(blank=not self.lists)

    def handle_data(self, data):
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if not self.out or "".join(self.out[-2:]).endswith(("\n", "- ", ". ")):
                data = data.lstrip()  # no stray spaces at the start of a line or after a bullet
            if not data:
                return
        if self.href is not None:
            self.link_text.append(data)
        if self.quote and data.strip():
            data = data.replace("\n", "\n> ")
            if not self.out or "".join(self.out[-3:]).endswith("\n"):
                data = "> " + data.lstrip()
        self.out.append(data)

    def text(self) -> str:
        text = "\n".join(line.rstrip() for line in "".join(self.out).splitlines())
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(html: str) -> str:
    """Plain text from sanitised HTML: entities decoded, paragraphs kept, links written as `text (url)`."""
    if not html:
        return ""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()


def markdown_to_text(text: str) -> str:
    """Markdown as a plain-text email shows it: rendered, so no `**bold**` or `[link](url)` syntax is left."""
    return html_to_text(render_markdown_safe(text))
