"""Alerts: who hears about an activity event, and how (at once, in the daily digest, or not at all).

Never the actor, never someone who is not an active member, and never someone who can no longer see the content.
`ActivityEvent.dispatched_at` marks events already handled; the outbox sweep handles the rest, so an event whose
queueing failed (Redis down) is alerted on later rather than lost.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from communities.emails import build_email
from communities.models import ActivityEvent, Membership
from communities.permissions import can_view_community
from cop_platform.markup import html_to_text
from forums.models import CategoryFollow, Post, Thread, ThreadFollow
from hotseats.models import Answer, HotSeat
from hotseats.permissions import can_view_hotseat

from .models import DEFAULT_FREQUENCIES, Alert, AlertType, Frequency, MailSettings, Subscription
from .rendering import preferences_url

logger = logging.getLogger(__name__)


@dataclass
class Notice:
    alert_type: str
    title: str
    url: str
    excerpt: str
    visible_to: callable  # user -> bool: can they still see what the alert points at?


def _excerpt(html: str) -> str:
    return Truncator(" ".join(html_to_text(html).split())).words(40)


def _members(community_id: int) -> list[int]:
    return list(Membership.objects.active().filter(community_id=community_id).values_list("user_id", flat=True))


def _post_visible(post: Post):
    def check(user) -> bool:
        thread = post.thread
        return (
            post.status == Post.Status.PUBLISHED
            and not post.is_deleted
            and not thread.is_hidden
            and can_view_community(user, thread.community)
        )

    return check


def notices_for(event: ActivityEvent) -> dict[int, Notice]:
    """Who should hear about this event, each with the most specific reason (a reply to me beats following)."""
    verb, data = event.verb, event.data or {}
    notices: dict[int, Notice] = {}

    def add(user_ids, notice: Notice):
        for uid in user_ids:
            if uid and uid not in notices:
                notices[uid] = notice

    if verb in ("post_replied", "mentioned"):
        post = Post.objects.select_related("thread__community", "author").filter(pk=event.target_id).first()
        if post is None:
            return {}
        thread = post.thread
        by = post.author.display_name if post.author else "Someone"
        visible = _post_visible(post)
        url = post.get_absolute_url()
        if verb == "mentioned":
            add(
                [data.get("mentioned_user_id")],
                Notice(
                    AlertType.MENTIONS,
                    f"{by} mentioned you in “{thread.title}”",
                    url,
                    _excerpt(post.body_html),
                    visible,
                ),
            )
        else:
            add(
                [data.get("parent_author_id")],
                Notice(
                    AlertType.REPLIES,
                    f"{by} replied to you in “{thread.title}”",
                    url,
                    _excerpt(post.body_html),
                    visible,
                ),
            )
            followers = ThreadFollow.objects.filter(thread=thread).values_list("user_id", flat=True)
            add(
                followers,
                Notice(AlertType.FOLLOWED, f"New reply in “{thread.title}”", url, _excerpt(post.body_html), visible),
            )
    elif verb in ("thread_started", "announcement_posted", "article_published"):
        thread = Thread.objects.select_related("community", "author", "category").filter(pk=event.target_id).first()
        opening = Post.objects.filter(thread=thread, is_opening=True).first() if thread else None
        if thread is None or opening is None:
            return {}
        visible = _post_visible(opening)
        opening.thread = thread
        if verb == "announcement_posted":
            add(
                _members(thread.community_id),
                Notice(
                    AlertType.ANNOUNCEMENTS,
                    f"Announcement: {thread.title}",
                    thread.get_absolute_url(),
                    _excerpt(opening.body_html),
                    visible,
                ),
            )
        followers = CategoryFollow.objects.filter(category=thread.category).values_list("user_id", flat=True)
        add(
            followers,
            Notice(
                AlertType.FOLLOWED,
                f"New in {thread.category.name}: {thread.title}",
                thread.get_absolute_url(),
                _excerpt(opening.body_html),
                visible,
            ),
        )
    elif verb in ("hotseat_announced", "hotseat_opened", "hotseat_closing_soon"):
        hotseat = HotSeat.objects.select_related("community").filter(pk=event.target_id).first()
        if hotseat is None:
            return {}
        title = {
            "hotseat_announced": f"Hot seat coming up: {hotseat.title}",
            "hotseat_opened": f"Open now: put your questions to the experts in “{hotseat.title}”",
            "hotseat_closing_soon": f"Last 24 hours to ask in “{hotseat.title}”",
        }[verb]
        add(
            _members(hotseat.community_id),
            Notice(
                AlertType.HOTSEATS,
                title,
                hotseat.get_absolute_url(),
                _excerpt(hotseat.topic_html),
                lambda u: can_view_hotseat(u, hotseat),
            ),
        )
    elif verb == "hotseat_question_answered":
        answer = (
            Answer.objects.select_related("question__hotseat__community", "expert").filter(pk=event.target_id).first()
        )
        if answer is None:
            return {}
        hotseat = answer.question.hotseat
        visible = lambda u: can_view_hotseat(u, hotseat) and not answer.question.is_hidden  # noqa: E731
        add(
            [data.get("asker_id")],
            Notice(
                AlertType.REPLIES,
                f"Your question in “{hotseat.title}” was answered",
                f"{hotseat.get_absolute_url()}#{answer.question.anchor}",
                _excerpt(answer.body_html),
                visible,
            ),
        )
    notices.pop(event.actor_id, None)
    return notices


def dispatch(event_id: int) -> int:
    """Create the alerts for one event and send the immediate ones; safe to run twice. Returns alerts created."""
    event = ActivityEvent.objects.filter(pk=event_id).select_related("community").first()
    if event is None or event.dispatched_at is not None:
        return 0
    notices = notices_for(event) if event.community_id else {}
    created = 0
    if notices:
        user_ids = list(notices)
        active = set(_members(event.community_id))
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids, is_active=True)}
        muted = set(MailSettings.objects.filter(user_id__in=user_ids, no_email=True).values_list("user_id", flat=True))
        subs = {s.user_id: s for s in Subscription.objects.filter(community=event.community_id, user_id__in=user_ids)}
        for uid, notice in notices.items():
            user = users.get(uid)
            if user is None or uid not in active or uid in muted:
                continue
            sub = subs.get(uid)
            frequency = sub.frequency(notice.alert_type) if sub else DEFAULT_FREQUENCIES[notice.alert_type]
            if frequency == Frequency.OFF or not notice.visible_to(user):
                continue
            _, was_created = Alert.objects.get_or_create(
                user=user,
                event=event,
                defaults={
                    "community": event.community,
                    "alert_type": notice.alert_type,
                    "frequency": frequency,
                    "title": notice.title[:300],
                    "url": notice.url,
                    "excerpt": notice.excerpt,
                },
            )
            created += was_created
    # Send whatever is still unsent for this event, including alerts a failed earlier run created.
    unsent = Alert.objects.filter(event=event, frequency=Frequency.IMMEDIATE, sent_at__isnull=True)
    for alert in unsent.select_related("user", "community"):
        send_immediate(alert, alert.user)
    ActivityEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return created


def send_immediate(alert: Alert, user) -> bool:
    """Email one alert now, once (the sent_at claim makes a second run a no-op)."""
    if not Alert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
        return False
    message = build_email(
        to=user.email,
        subject=alert.title,
        template="alert",
        context={
            "alert": alert,
            "user": user,
            "community": alert.community,
            "preferences_url": preferences_url(user.pk),
        },
    )
    try:
        message.send()
    except Exception:
        Alert.objects.filter(pk=alert.pk).update(sent_at=None)
        raise
    return True


def send_daily_digests(now=None) -> int:
    """One email per member gathering their unsent daily alerts; returns how many emails went out."""
    now = now or timezone.now()
    pending = (
        Alert.objects.filter(frequency=Frequency.DAILY, sent_at__isnull=True, created_at__lte=now)
        .select_related("community", "event")
        .order_by("user_id", "community__name", "created_at")
    )
    by_user: dict[int, list[Alert]] = defaultdict(list)
    for alert in pending:
        by_user[alert.user_id].append(alert)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=list(by_user), is_active=True)}
    muted = set(
        MailSettings.objects.filter(user_id__in=list(by_user), no_email=True).values_list("user_id", flat=True)
    )
    members = set(Membership.objects.active().filter(user_id__in=list(by_user)).values_list("user_id", "community_id"))
    notices: dict[int, dict[int, Notice]] = {}

    def still_visible(alert: Alert, user) -> bool:
        # Gathered hours ago: drop what the member may no longer see (they left, or a moderator hid it since).
        if (alert.user_id, alert.community_id) not in members:
            return False
        if alert.event_id not in notices:
            notices[alert.event_id] = notices_for(alert.event)
        notice = notices[alert.event_id].get(alert.user_id)
        return notice is not None and notice.visible_to(user)

    sent = 0
    for uid, alerts in by_user.items():
        ids = [a.pk for a in alerts]
        with transaction.atomic():
            # Claim exactly the rows this run will mail: a concurrent run skips them rather than sending them too.
            claimed = set(
                Alert.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids, sent_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if not claimed:
                continue
            Alert.objects.filter(pk__in=claimed).update(sent_at=now)
            user = users.get(uid)
            if user is None or uid in muted:
                continue
            visible = [alert for alert in alerts if alert.pk in claimed and still_visible(alert, user)]
            if not visible:
                continue
            groups: dict[str, list[Alert]] = defaultdict(list)
            for alert in visible:
                groups[alert.community.name].append(alert)
            message = build_email(
                to=user.email,
                subject=f"Your daily digest: {len(visible)} update{'s' if len(visible) != 1 else ''}",
                template="digest",
                context={"groups": sorted(groups.items()), "user": user, "preferences_url": preferences_url(uid)},
            )
            message.send()
            sent += 1
    return sent


def outbox_events(limit: int = 500):
    """Events never dispatched that are old enough that their own task should have run."""
    cutoff = timezone.now() - timedelta(seconds=settings.ALERT_OUTBOX_GRACE_SECONDS)
    return list(
        ActivityEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
