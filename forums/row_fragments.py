"""The rows of a thread list, each rendered once and kept in the cache under a key made of everything it shows.

A row (`forums/_thread_row.html`) is a pure function of the flat dict `row_context` builds from a thread that
`selectors.attach_list_data` (and, for members, `mark_new`) prepared: its title, link, badges, names, category,
tags, counts and the time it was last active, as the list says it. The key hashes that dict with the template's
source, as for a thread page's posts (`post_fragments`): any change a reader would notice gives another key, so
nothing needs invalidating and nothing stale is served; readers who see a row alike share one rendering. A row
holds no form and nothing about the viewer but "new" / "new replies", which is in its key.
"""

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from cop_platform.fragments import content_keys

TEMPLATE = "forums/_thread_row.html"
TIMEOUT = 24 * 3600  # keys never go stale; this only lets unused renderings (yesterday's "3 hours ago") leave


def row_context(thread) -> dict:
    """Everything a list row shows, as plain values (the cache key hashes it)."""
    category = thread.category
    return {
        "is_pinned": thread.is_pinned,
        "kind_badge": thread.kind_badge,
        "link": thread.link,
        "title": thread.title,
        "is_new": bool(getattr(thread, "is_new", False)),
        "is_updated": bool(getattr(thread, "is_updated", False)),
        "is_locked": thread.is_locked,
        "is_closed": thread.is_closed,
        "author_name": thread.author_name,
        "category_link": category.link,
        "category_name": category.name,
        "tags_html": thread.tags_html,
        "reply_count": thread.reply_count,
        "replies_word": thread.replies_word,
        "active_iso": thread.active_iso,
        "active_ago": thread.active_ago,
        "last_post_author_name": thread.last_post_author_name,
    }


def render_rows(threads) -> list[SafeString]:
    """The HTML of each thread's row, from the cache where it was rendered before (one round trip to read them
    all, one to store those rendered now)."""
    if not threads:
        return []
    template = get_template(TEMPLATE)
    contexts = [row_context(thread) for thread in threads]
    keys = content_keys("forums:row", template, contexts)
    found = cache.get_many(keys)
    rendered = {}
    out = []
    for key, context in zip(keys, contexts, strict=True):
        html = found.get(key) or rendered.get(key)
        if html is None:
            html = rendered[key] = str(template.render({"row": context}))
        out.append(mark_safe(html))  # rendered by the template, autoescape on
    if rendered:
        cache.set_many(rendered, TIMEOUT)
    return out
