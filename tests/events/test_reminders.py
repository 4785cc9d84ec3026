"""Reminders a day and an hour before, to those going, each exactly once across beat runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import ActivityEvent
from events import services
from events.activity import Verb, _reminder
from events.models import Registration
from events.tasks import send_reminders

from .conftest import plan

pytestmark = pytest.mark.django_db


def reminders():
    return list(
        ActivityEvent.objects.filter(verb=Verb.EVENT_REMINDER).order_by("pk").values_list("data__lead", flat=True)
    )


def test_a_day_and_an_hour_before_each_reminder_goes_once_across_two_beat_runs(community, facilitator, member, other):
    event = plan(community, facilitator, starts_in=timedelta(days=3))
    services.rsvp(event=event, user=member, status=Registration.Status.GOING)
    services.rsvp(event=event, user=other, status=Registration.Status.INTERESTED)
    start = event.starts_at
    assert services.send_reminders(now=start - timedelta(days=2)) == 0
    day = start - timedelta(hours=23)
    assert services.send_reminders(now=day) == 1
    assert services.send_reminders(now=day + timedelta(minutes=5)) == 0
    hour = start - timedelta(minutes=55)
    assert services.send_reminders(now=hour) == 1
    assert services.send_reminders(now=hour + timedelta(minutes=5)) == 0
    assert reminders() == ["day", "hour"]
    [notice] = _reminder(ActivityEvent.objects.filter(verb=Verb.EVENT_REMINDER).first())
    assert list(notice.recipients) == [member.pk]


def test_the_beat_task_is_idempotent(community, facilitator):
    plan(community, facilitator, starts_in=timedelta(minutes=30))
    send_reminders.delay()
    send_reminders.delay()
    # Added with less than an hour to go: one reminder, "in an hour", not a "tomorrow" as well.
    assert reminders() == ["hour"]


def test_cancelled_events_send_no_reminders(community, facilitator):
    event = plan(community, facilitator, starts_in=timedelta(hours=5))
    services.event_cancel(event=event, by=facilitator)
    assert services.send_reminders(now=timezone.now()) == 0
