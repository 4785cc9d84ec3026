"""The library's Atom feed (hosted by communities/feeds.py): the newest resources the reader may open."""

from communities.extensions import FeedEntry, FeedSource

from .models import Resource


def newest(community, viewer, limit: int, params: dict) -> list[FeedEntry]:
    resources = (
        Resource.objects.visible_to(viewer)
        .filter(community=community)
        .select_related("community", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        FeedEntry(
            uid=f"resource-{r.pk}",
            title=r.title,
            url=r.get_absolute_url(),
            updated=r.updated_at,
            published=r.created_at,
            author=r.author.display_name if r.author else "",
            summary=f"{r.get_kind_display()}: {r.summary}"[:500],
            categories=tuple(t.strip() for t in r.tags.split(",") if t.strip()),
        )
        for r in resources
    ]


SOURCES = (FeedSource(key="library", title="Library", entries=newest, page_url_name="library:home", order=30),)
