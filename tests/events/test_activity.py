"""Events reach members through alerts, digests, the newsletter and search; none of them carries the joining link,
and nothing of a private community's events reaches outsiders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities.extensions import NewsletterSection, SearchKind, lookup
from events import services
from events.activity import EVENTS
from events.models import Event, Registration
from newsletters import alerts
from newsletters.models import Alert

from ..helpers import text_of
from ..newsletters.helpers import dispatch_all, mails_to, subscribe
from .conftest import LINK, plan

pytestmark = pytest.mark.django_db


def test_members_hear_of_a_new_event_at_once_by_default_without_the_joining_link(
    community, facilitator, member, other
):
    mail.outbox.clear()
    event = plan(community, facilitator, title="Online clinic", format="online", online_url=LINK)
    dispatch_all()
    made = Alert.objects.filter(title__startswith="New event: Online clinic")
    assert set(made.values_list("user_id", flat=True)) == {member.pk, other.pk}
    assert set(made.values_list("alert_type", "frequency")) == {(EVENTS, "immediate")}
    (message,) = mails_to(mail.outbox, member)
    assert event.get_absolute_url() in message.body
    assert all(LINK not in m.body and LINK not in m.alternatives[0][0] for m in mail.outbox)


def test_a_daily_digest_line_for_the_notes_reaches_those_who_registered(community, facilitator, member, other):
    subscribe(member, community, events="daily")
    event = plan(community, facilitator, title="Quarterly", starts_in=timedelta(days=1))
    services.rsvp(event=event, user=member, status=Registration.Status.GOING)
    dispatch_all()
    mail.outbox.clear()
    services.notes_save(event=event, by=facilitator, notes="What we agreed")
    dispatch_all()
    alerts.send_daily_digests(now=timezone.now() + timedelta(minutes=1))
    digest = "\n".join(m.body for m in mails_to(mail.outbox, member))
    assert "Notes from Quarterly" in digest
    assert not Alert.objects.filter(title="Notes from Quarterly", user=other).exists()


def test_the_hour_reminder_is_dropped_from_a_digest_sent_after_the_start(community, facilitator, member):
    subscribe(member, community, events="daily")
    event = plan(community, facilitator, starts_in=timedelta(minutes=50))
    services.rsvp(event=event, user=member, status=Registration.Status.GOING)
    services.send_reminders()
    dispatch_all()
    mail.outbox.clear()
    # By the time the digest goes, the event has started (moved into the past rather than waiting for the clock).
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    alerts.send_daily_digests(now=timezone.now() + timedelta(minutes=1))
    assert "Reminder" not in "\n".join(m.body for m in mails_to(mail.outbox, member))


def test_the_newsletter_has_a_coming_up_section(community, facilitator):
    plan(community, facilitator, title="Soon", starts_in=timedelta(days=10), capacity=40)
    cancelled = plan(community, facilitator, title="Off", starts_in=timedelta(days=12))
    services.event_cancel(event=cancelled, by=facilitator)
    section = lookup(NewsletterSection, "coming_up")
    now = timezone.now()
    built = section.build(community, now - timedelta(days=30), now)
    assert built["title"] == "Coming up"
    assert [i["title"] for i in built["items"]] == ["Soon"]
    assert "40 of 40 places left" in built["items"][0]["meta"]


def test_events_are_found_by_search_but_not_a_private_communitys_by_outsiders(
    client_as, community, facilitator, private_event
):
    assert lookup(SearchKind, "event").label == "Event"
    plan(community, facilitator, title="Benefits mapping workshop")
    found = text_of(client_as("member").get(reverse("communities:search") + "?q=mapping"))
    assert "Benefits mapping workshop" in found
    for persona in ("anonymous", "outsider", "member"):
        page = text_of(client_as(persona).get(reverse("communities:search") + "?q=gathering"))
        assert "Circle-only gathering" not in page, persona
