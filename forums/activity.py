"""What the forums tell the rest of the platform happened: their verbs, and what each means (communities/extensions).

Notices are built from the current state of the post or thread, so a digest that asks again tomorrow leaves out
what a moderator has hidden since.
"""

from django.db import models
from django.urls import reverse

from communities.activity import (
    ANNOUNCEMENTS,
    FOLLOWED,
    MENTIONS,
    MODERATION,
    REPLIES,
    excerpt,
    manager_ids,
    member_ids,
)
from communities.extensions import EventType, Notice, Rung
from communities.models import Flag

from . import permissions
from .models import CategoryFollow, Post, Thread, ThreadFollow


class Verb(models.TextChoices):
    THREAD_STARTED = "thread_started", "started a thread"
    POST_REPLIED = "post_replied", "replied in a thread"
    ANSWER_ACCEPTED = "answer_accepted", "had an answer accepted"
    ARTICLE_PUBLISHED = "article_published", "published an article"
    ANNOUNCEMENT_POSTED = "announcement_posted", "posted an announcement"
    MENTIONED = "mentioned", "mentioned someone"
    POST_FLAGGED = "post_flagged", "flagged a post"
    POST_HELD = "post_held", "wrote a post that waits for approval"
    POST_REACTED = "post_reacted", "reacted to a post"


def _author_name(post: Post) -> str:
    return post.author.display_name if post.author else "Someone"


def _readable(post: Post):
    return lambda user: permissions.can_read_post(user, post)


def _post(event) -> Post | None:
    return (
        Post.objects.select_related("thread__community", "thread__category", "author")
        .filter(pk=event.target_id)
        .first()
    )


def _reply_notices(event) -> list[Notice]:
    """A reply: its parent's author hears first, then the thread's followers."""
    post = _post(event)
    if post is None:
        return []
    thread, data = post.thread, event.data or {}
    common = {"url": post.get_absolute_url(), "excerpt": excerpt(post.body_html), "visible_to": _readable(post)}
    return [
        Notice(
            alert_type=REPLIES,
            recipients=[data.get("parent_author_id")],
            title=f"{_author_name(post)} replied to you in “{thread.title}”",
            **common,
        ),
        Notice(
            alert_type=FOLLOWED,
            recipients=ThreadFollow.objects.filter(thread=thread).values_list("user_id", flat=True),
            title=f"New reply in “{thread.title}”",
            **common,
        ),
    ]


def _mention_notices(event) -> list[Notice]:
    post = _post(event)
    if post is None:
        return []
    return [
        Notice(
            alert_type=MENTIONS,
            recipients=[(event.data or {}).get("mentioned_user_id")],
            title=f"{_author_name(post)} mentioned you in “{post.thread.title}”",
            url=post.get_absolute_url(),
            excerpt=excerpt(post.body_html),
            visible_to=_readable(post),
        )
    ]


def _thread_notices(event) -> list[Notice]:
    """A new thread: everyone hears an announcement; followers of its category hear of any new thread."""
    thread = Thread.objects.select_related("community", "author", "category").filter(pk=event.target_id).first()
    opening = Post.objects.filter(thread=thread, is_opening=True).first() if thread else None
    if thread is None or opening is None:
        return []
    opening.thread = thread
    common = {
        "url": thread.get_absolute_url(),
        "excerpt": excerpt(opening.body_html),
        "visible_to": _readable(opening),
    }
    notices = []
    if event.verb == Verb.ANNOUNCEMENT_POSTED:
        notices.append(
            Notice(
                alert_type=ANNOUNCEMENTS,
                recipients=member_ids(thread.community_id),
                title=f"Announcement: {thread.title}",
                **common,
            )
        )
    notices.append(
        Notice(
            alert_type=FOLLOWED,
            recipients=CategoryFollow.objects.filter(category=thread.category).values_list("user_id", flat=True),
            title=f"New in {thread.category.name}: {thread.title}",
            **common,
        )
    )
    return notices


def _queue_notice(post: Post, *, title: str, excerpt_text: str, still_waiting) -> Notice:
    """A notice for the community's facilitators about something in the moderation queue."""
    community = post.thread.community
    return Notice(
        alert_type=MODERATION,
        recipients=manager_ids(community.pk),
        title=title,
        url=reverse("forums:moderation_queue", args=[community.slug]),
        excerpt=excerpt_text,
        visible_to=lambda user: still_waiting() and permissions.can_moderate(user, community),
    )


def _flag_notices(event) -> list[Notice]:
    """Facilitators hear about a flag while it is still open."""
    post = _post(event)
    flag = Flag.objects.filter(pk=(event.data or {}).get("flag_id")).first()
    if post is None or flag is None or flag.status != Flag.Status.OPEN:
        return []
    return [
        _queue_notice(
            post,
            title=f"A post in “{post.thread.title}” was flagged: {flag.get_reason_display()}",
            excerpt_text=flag.note or excerpt(post.body_html, 25),
            still_waiting=lambda: Flag.objects.filter(pk=flag.pk, status=Flag.Status.OPEN).exists(),
        )
    ]


def _held_notices(event) -> list[Notice]:
    """Facilitators hear about a post held for approval while it still waits."""
    post = _post(event)
    if post is None or post.status != Post.Status.HELD:
        return []
    where = f"a new thread “{post.thread.title}”" if post.is_opening else f"“{post.thread.title}”"
    return [
        _queue_notice(
            post,
            title=f"A post by {_author_name(post)} in {where} waits for approval",
            excerpt_text=excerpt(post.body_html, 25),
            still_waiting=lambda: Post.objects.filter(pk=post.pk, status=Post.Status.HELD).exists(),
        )
    ]


EVENT_TYPES = (
    EventType(
        verb=Verb.THREAD_STARTED,
        phrase=Verb.THREAD_STARTED.label,
        notices=_thread_notices,
        rung=Rung.ASK,
        in_feed=True,
    ),
    EventType(
        verb=Verb.POST_REPLIED,
        phrase=Verb.POST_REPLIED.label,
        notices=_reply_notices,
        rung=Rung.ANSWER,
        in_feed=True,
    ),
    EventType(
        verb=Verb.ANSWER_ACCEPTED,
        phrase=Verb.ANSWER_ACCEPTED.label,
        rung=Rung.ACCEPTED_ANSWER,
        in_feed=True,
    ),
    EventType(
        verb=Verb.ARTICLE_PUBLISHED,
        phrase=Verb.ARTICLE_PUBLISHED.label,
        notices=_thread_notices,
        rung=Rung.ANSWER,
        in_feed=True,
    ),
    # Facilitation, not participation: no rung.
    EventType(
        verb=Verb.ANNOUNCEMENT_POSTED,
        phrase=Verb.ANNOUNCEMENT_POSTED.label,
        notices=_thread_notices,
        in_feed=True,
    ),
    # Recorded beside the reply for the mentioned member's alert; the reply itself counts and shows in feeds.
    EventType(verb=Verb.MENTIONED, phrase=Verb.MENTIONED.label, notices=_mention_notices),
    EventType(verb=Verb.POST_FLAGGED, phrase=Verb.POST_FLAGGED.label, notices=_flag_notices),
    EventType(verb=Verb.POST_HELD, phrase=Verb.POST_HELD.label, notices=_held_notices),
    # Thanks and "helpful" marks: the first step up from reading, and evidence for the knowledge map.
    EventType(verb=Verb.POST_REACTED, phrase=Verb.POST_REACTED.label, rung=Rung.REACT),
)
