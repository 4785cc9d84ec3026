"""Markdown from users becomes safe HTML here, and nowhere else.

Text is rendered once, on write, and stored next to its source (`body` / `body_html`). The pipeline is
markdown-it (raw HTML disabled) -> bleach allow-list -> linkify, with every link marked as user content.
Swapping bleach for nh3 later touches only this module.
"""

from functools import partial

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
