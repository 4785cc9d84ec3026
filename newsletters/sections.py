"""What goes into a monthly newsletter. Each builder returns one section; apps add builders to SECTION_BUILDERS.

A section is {"key", "title", "items": [{"title", "url", "summary", "meta"}]}; items link to pages by path, and
only public-to-members content is chosen (nothing hidden or held by moderators).
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.utils.text import Truncator

from communities.models import Community, Membership, Theme
from cop_platform.markup import html_to_text
from forums.models import Post, Thread
from hotseats.models import HotSeat

SECTION_BUILDERS: list[tuple[str, Callable]] = []
ITEMS = 5


def builder(key: str):
    def register(func):
        SECTION_BUILDERS.append((key, func))
        return func

    return register


def _excerpt(html: str, words: int = 30) -> str:
    return Truncator(" ".join(html_to_text(html).split())).words(words)


def _thread_item(thread: Thread, meta: str, summary: str = "") -> dict:
    return {"title": thread.title, "url": thread.get_absolute_url(), "summary": summary, "meta": meta}


def _live_threads(community: Community):
    return Thread.objects.filter(community=community, is_hidden=False).select_related("community", "author")


@builder("theme")
def current_theme(community: Community, start: datetime, end: datetime) -> dict:
    themes = Theme.objects.filter(community=community, ends_on__gte=end.date()).order_by("starts_on")[:2]
    items = [
        {
            "title": t.title,
            "url": t.get_absolute_url(),
            "summary": _excerpt(t.description_html),
            "meta": f"{t.starts_on:%-d %b} – {t.ends_on:%-d %b}",
        }
        for t in themes
    ]
    return {"key": "theme", "title": "Our theme", "items": items}


@builder("new_members")
def new_members(community: Community, start: datetime, end: datetime) -> dict:
    joined = (
        Membership.objects.active()
        .filter(community=community, joined_at__gte=start, joined_at__lt=end)
        .select_related("user__profile")
        .order_by("joined_at")[:20]
    )
    items = [
        {
            "title": m.user.display_name,
            "url": m.user.get_absolute_url(),
            "summary": getattr(getattr(m.user, "profile", None), "organisation", ""),
            "meta": "joined",
        }
        for m in joined
    ]
    return {"key": "new_members", "title": "Please welcome our new members", "items": items}


@builder("active_threads")
def most_active(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .annotate(
            recent=Count(
                "posts",
                filter=Q(
                    posts__created_at__gte=start,
                    posts__created_at__lt=end,
                    posts__status=Post.Status.PUBLISHED,
                    posts__is_opening=False,
                ),
            )
        )
        .filter(recent__gt=0)
        .order_by("-recent", "-last_activity_at")[:ITEMS]
    )
    items = [_thread_item(t, f"{t.recent} new repl{'y' if t.recent == 1 else 'ies'}") for t in threads]
    return {"key": "active_threads", "title": "Most active conversations", "items": items}


@builder("helpful_threads")
def most_helpful(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .filter(posts__created_at__gte=start, posts__created_at__lt=end, posts__status=Post.Status.PUBLISHED)
        .annotate(score=Sum("posts__helpful_count") + Sum("posts__thanks_count"))
        .filter(score__gt=0)
        .order_by("-score")[:ITEMS]
    )
    items = [_thread_item(t, f"{t.score} thanks and helpful marks") for t in threads]
    return {"key": "helpful_threads", "title": "Most helpful", "items": items}


@builder("unanswered")
def unanswered(community: Community, start: datetime, end: datetime) -> dict:
    threads = _live_threads(community).unanswered().filter(created_at__lt=end).order_by("-created_at")[:ITEMS]
    items = [_thread_item(t, "no replies yet") for t in threads]
    return {"key": "unanswered", "title": "Can you help? Questions waiting for an answer", "items": items}


@builder("accepted_answers")
def accepted(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .filter(accepted_post__isnull=False, accepted_post__created_at__gte=start, accepted_post__created_at__lt=end)
        .select_related("accepted_post__author")
        .order_by("-accepted_post__created_at")[:ITEMS]
    )
    items = [
        _thread_item(
            t,
            f"answered by {t.accepted_post.author.display_name if t.accepted_post.author else '—'}",
            _excerpt(t.accepted_post.body_html),
        )
        for t in threads
    ]
    return {"key": "accepted_answers", "title": "Questions solved this month", "items": items}


@builder("hotseats")
def hotseats(community: Community, start: datetime, end: datetime) -> dict:
    upcoming = list(
        HotSeat.objects.filter(community=community, closes_at__gt=end)
        .select_related("community")
        .order_by("opens_at")[:3]
    )
    last = (
        HotSeat.objects.filter(community=community, closes_at__lte=end)
        .select_related("community")
        .order_by("-closes_at")
        .first()
    )
    items = [
        {
            "title": h.title,
            "url": h.get_absolute_url(),
            "summary": _excerpt(h.topic_html),
            "meta": f"{h.opens_at:%-d %b} – {h.closes_at:%-d %b}",
        }
        for h in upcoming
    ]
    if last is not None:
        items.append(
            {
                "title": f"Catch up: {last.title}",
                "url": last.get_absolute_url(),
                "summary": _excerpt(last.summary_html or last.topic_html, 50),
                "meta": "summary",
            }
        )
    return {"key": "hotseats", "title": "Hot seats", "items": items}


@builder("articles")
def new_articles(community: Community, start: datetime, end: datetime) -> dict:
    threads = (
        _live_threads(community)
        .filter(kind=Thread.Kind.ARTICLE, created_at__gte=start, created_at__lt=end)
        .order_by("-created_at")[:ITEMS]
    )
    opening = {p.thread_id: p for p in Post.objects.filter(thread__in=threads, is_opening=True)}
    items = [
        _thread_item(
            t,
            f"by {t.author.display_name if t.author else '—'}",
            _excerpt(opening[t.pk].body_html) if t.pk in opening else "",
        )
        for t in threads
    ]
    return {"key": "articles", "title": "New articles", "items": items}


def build_sections(community: Community, start: datetime, end: datetime) -> list[dict]:
    """Every builder's section for the period, empty ones left out."""
    sections = [build(community, start, end) for _, build in SECTION_BUILDERS]
    return [s for s in sections if s["items"]]
