"""The forums' Atom feeds (communities/feeds.py hosts them): latest threads, a category, a tag, articles.

Every feed goes through `selectors.thread_list(viewer, ...)`, the rule the list pages use, so an entry is only what
the feed's reader may read (anonymous for a public feed; the member for a secret address).
"""

from communities.extensions import FeedEntry, FeedSource

from . import selectors
from .models import Category, Thread


def _entries(threads, limit: int) -> list[FeedEntry]:
    return [
        FeedEntry(
            uid=f"thread-{thread.pk}",
            title=thread.title,
            url=thread.get_absolute_url(),
            updated=thread.last_activity_at,
            published=thread.created_at,
            author=thread.author.display_name if thread.author else "",
            summary=(
                f"{thread.get_kind_display()} in {thread.category.name} · "
                f"{thread.reply_count} repl{'y' if thread.reply_count == 1 else 'ies'}"
            ),
            categories=tuple(tag.name for tag in thread.tags.all()),
        )
        for thread in threads.order_by("-created_at", "-pk")[:limit]
    ]


def latest(community, viewer, limit: int, params: dict) -> list[FeedEntry]:
    return _entries(selectors.thread_list(viewer, community), limit)


def category(community, viewer, limit: int, params: dict) -> list[FeedEntry]:
    found = Category.objects.filter(community=community, slug=params.get("category_slug", "")).first()
    if found is None:
        return []
    return _entries(selectors.thread_list(viewer, community, category=found), limit)


def tag(community, viewer, limit: int, params: dict) -> list[FeedEntry]:
    slug = params.get("tag_slug", "")
    return _entries(selectors.thread_list(viewer, community, tag=slug), limit) if slug else []


def articles(community, viewer, limit: int, params: dict) -> list[FeedEntry]:
    return _entries(selectors.thread_list(viewer, community, kind=Thread.Kind.ARTICLE), limit)


SOURCES = (
    FeedSource(key="threads", title="Latest threads", entries=latest, page_url_name="forums:latest", order=10),
    FeedSource(key="category", title="Category", entries=category, page_url_name="forums:category_detail", order=11),
    FeedSource(key="tag", title="Tag", entries=tag, page_url_name="forums:tag_detail", order=12),
    FeedSource(key="articles", title="Articles", entries=articles, page_url_name="forums:articles", order=13),
)
