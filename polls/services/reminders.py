"""Periodic: "poll opened", "survey opened" and "closing in 24 hours", recorded once each; safe to run often.

The events carry the facilitator who set the poll or survey up as their actor, so feeds read "Priya opened a poll".
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities import activity

from ..models import Poll, Survey

CLOSING_SOON = timedelta(hours=24)


def _once(model, obj, flag: str, now, verb: str) -> int:
    with transaction.atomic():
        if not model.objects.filter(pk=obj.pk, **{f"{flag}__isnull": True}).update(**{flag: now}):
            return 0  # another run got there first
        activity.record(community=obj.community, actor=obj.created_by, verb=verb, target=obj)
    return 1


def send_reminders(now=None) -> int:
    """Announce what opened since the last run and what closes within a day; returns how many events."""
    now = now or timezone.now()
    count = 0
    not_closed = Q(closed_at__isnull=True) & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    polls = Poll.objects.standalone().filter(not_closed).select_related("community", "created_by")
    surveys = Survey.objects.filter(not_closed, published_at__isnull=False).select_related("community", "created_by")
    for model, queryset, kind in ((Poll, polls, "poll"), (Survey, surveys, "survey")):
        for obj in queryset.filter(opens_at__lte=now, opening_announced_at__isnull=True):
            count += _once(model, obj, "opening_announced_at", now, f"{kind}_opened")
        closing = queryset.filter(
            opens_at__lte=now, closes_at__lte=now + CLOSING_SOON, closing_reminded_at__isnull=True
        )
        for obj in closing:
            count += _once(model, obj, "closing_reminded_at", now, f"{kind}_closing_soon")
    return count
