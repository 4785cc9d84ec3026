"""What the forums offer the monthly newsletter: sections of live threads only (nothing hidden or held)."""

from datetime import datetime

from django.db.models import Count, Q, Sum

from communities.activity import excerpt
from communities.extensions import NewsletterSection
from communities.models import Community

from .models import Post, Thread

ITEMS = 5
# A post that counts: published and not deleted (the same rule as Post.objects.live(), inside an aggregate).
_LIVE_POST = Q(posts__status=Post.Status.PUBLISHED, posts__is_deleted=False)


def _item(thread: Thread, meta: str, summary: str = "") -> dict:
    return {"title": thread.title, "url": thread.get_absolute_url(), "summary": summary, "meta": meta}


def _live_threads(community: Community):
    return Thread.objects.filter(community=community, is_hidden=False).select_related("community", "author")


def _in(start: datetime, end: datetime) -> dict:
    return {"posts__created_at__gte": start, "posts__created_at__lt": end}


def most_active(community: Community, start: datetime, end: datetime) -> dict:
    recent = Count("posts", filter=_LIVE_POST & Q(posts__is_opening=False, **_in(start, end)))
    threads = (
        _live_threads(community)
        .annotate(recent=recent)
        .filter(recent__gt=0)
        .order_by("-recent", "-last_activity_at")[:ITEMS]
    )
    items = [_item(t, f"{t.recent} new repl{'y' if t.recent == 1 else 'ies'}") for t in threads]
    return {"key": "active_threads", "title": "Most active conversations", "items": items}


def most_helpful(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .filter(_LIVE_POST, **_in(start, end))
        .annotate(score=Sum("posts__helpful_count") + Sum("posts__thanks_count"))
        .filter(score__gt=0)
        .order_by("-score")[:ITEMS]
    )
    items = [_item(t, f"{t.score} thanks and helpful marks") for t in threads]
    return {"key": "helpful_threads", "title": "Most helpful", "items": items}


def unanswered(community: Community, start: datetime, end: datetime) -> dict:
    threads = _live_threads(community).unanswered().filter(created_at__lt=end).order_by("-created_at")[:ITEMS]
    items = [_item(t, "no replies yet") for t in threads]
    return {"key": "unanswered", "title": "Can you help? Questions waiting for an answer", "items": items}


def accepted(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .filter(accepted_post__isnull=False, accepted_post__created_at__gte=start, accepted_post__created_at__lt=end)
        .select_related("accepted_post__author")
        .order_by("-accepted_post__created_at")[:ITEMS]
    )
    items = [
        _item(
            t,
            f"answered by {t.accepted_post.author.display_name if t.accepted_post.author else '—'}",
            excerpt(t.accepted_post.body_html, 30),
        )
        for t in threads
    ]
    return {"key": "accepted_answers", "title": "Questions solved this month", "items": items}


def new_articles(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .filter(kind=Thread.Kind.ARTICLE, created_at__gte=start, created_at__lt=end)
        .order_by("-created_at")[:ITEMS]
    )
    opening = {p.thread_id: p for p in Post.objects.filter(thread__in=threads, is_opening=True)}
    items = [
        _item(
            t,
            f"by {t.author.display_name if t.author else '—'}",
            excerpt(opening[t.pk].body_html, 30) if t.pk in opening else "",
        )
        for t in threads
    ]
    return {"key": "articles", "title": "New articles", "items": items}


SECTIONS = (
    NewsletterSection(key="active_threads", build=most_active, order=30, article_choice=True),
    NewsletterSection(key="helpful_threads", build=most_helpful, order=40, article_choice=True),
    NewsletterSection(key="unanswered", build=unanswered, order=50, article_choice=True),
    NewsletterSection(key="accepted_answers", build=accepted, order=60, article_choice=True),
    NewsletterSection(key="articles", build=new_articles, order=80, article_choice=True, default_article=True),
)
