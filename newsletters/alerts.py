"""Alerts: who hears about an activity event, and how (at once, in the daily digest, or not at all).

Never the actor, never someone who is not an active member, and never someone who can no longer see the content.
`ActivityEvent.dispatched_at` marks events already handled; the outbox sweep handles the rest, so an event whose
queueing failed (Redis down) is alerted on later rather than lost.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.activity import member_ids
from communities.emails import build_email
from communities.extensions import Notice, event_type
from communities.models import ActivityEvent, Membership

from .models import Alert, Frequency, MailSettings, Subscription, default_frequency, group_key_for
from .rendering import preferences_url

logger = logging.getLogger(__name__)


def notices_for(event: ActivityEvent) -> dict[int, Notice]:
    """Who should hear about this event, each with the most specific reason (a reply to me beats following).

    The event's type, registered by the app that records the verb, says who and why; never the actor.
    """
    kind = event_type(event.verb)
    if kind is None or kind.notices is None:
        return {}
    notices: dict[int, Notice] = {}
    for notice in kind.notices(event):
        for uid in notice.recipients:
            if uid and uid not in notices:
                notices[uid] = notice
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
        active = set(member_ids(event.community_id))
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids, is_active=True)}
        muted = set(MailSettings.objects.filter(user_id__in=user_ids, no_email=True).values_list("user_id", flat=True))
        subs = {s.user_id: s for s in Subscription.objects.filter(community=event.community_id, user_id__in=user_ids)}
        for uid, notice in notices.items():
            user = users.get(uid)
            if user is None or uid not in active or uid in muted:
                continue
            sub = subs.get(uid)
            frequency = sub.frequency(notice.alert_type) if sub else default_frequency(notice.alert_type)
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
                    "group_key": group_key_for(notice.url),
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
    """One email per member gathering their unsent daily alerts; returns how many emails went out.

    Everything is decided again at sending time: a member who left, switched that alert type off or lost sight of
    the content since the alert was gathered gets no line for it, and neither does a notice that no longer holds.
    """
    now = now or timezone.now()
    pending = (
        # A notice read on the site is not mailed again in the digest.
        Alert.objects.filter(
            frequency=Frequency.DAILY, sent_at__isnull=True, read_at__isnull=True, created_at__lte=now
        )
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
    subs = {(s.user_id, s.community_id): s for s in Subscription.objects.filter(user_id__in=list(by_user))}
    notices: dict[int, dict[int, Notice]] = {}

    def still_wanted(alert: Alert, user) -> bool:
        if (alert.user_id, alert.community_id) not in members:
            return False
        sub = subs.get((alert.user_id, alert.community_id))
        frequency = sub.frequency(alert.alert_type) if sub else default_frequency(alert.alert_type)
        if frequency == Frequency.OFF:
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
                .filter(pk__in=ids, sent_at__isnull=True, read_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if not claimed:
                continue
            Alert.objects.filter(pk__in=claimed).update(sent_at=now)
            user = users.get(uid)
            if user is None or uid in muted:
                continue
            visible = [alert for alert in alerts if alert.pk in claimed and still_wanted(alert, user)]
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
