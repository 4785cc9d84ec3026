"""Events in calendars, parsed back with icalendar: stable UIDs, SEQUENCE on change, CANCELLED, UTC times; one
community feed holding hot seats and events together (the registry's items), public and per-member."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from events import services
from events.models import Event
from hotseats import services as hotseat_services

from ..factories import make_membership, make_user
from ..hotseats.test_privacy_calendar import schedule
from .conftest import LINK, plan

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def ics(client, event):
    [vevent] = parse(client.get(reverse("events:event_ics", args=[event.community.slug, event.pk]))).walk("VEVENT")
    return vevent


@pytest.fixture
def summer(community, facilitator):
    # 18:00 in London in July is 17:00 UTC.
    return plan(
        community,
        facilitator,
        starts_at=datetime(2031, 7, 1, 17, 0, tzinfo=UTC),
        ends_at=datetime(2031, 7, 1, 19, 0, tzinfo=UTC),
    )


def test_the_event_file_holds_the_event_in_utc_with_a_stable_uid(client, summer):
    vevent = ics(client, summer)
    assert vevent.decoded("DTSTART") == datetime(2031, 7, 1, 17, 0, tzinfo=UTC)
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(vevent["UID"]).startswith(f"event-{summer.pk}@")
    assert int(vevent["SEQUENCE"]) == 0 and str(vevent["STATUS"]) == "CONFIRMED"
    assert "Friends House" in str(vevent["LOCATION"])


def test_a_change_of_time_bumps_the_sequence_and_keeps_the_uid(client, summer, facilitator):
    before = ics(client, summer)
    services.event_update(event=summer, by=facilitator, starts_at=summer.starts_at + timedelta(hours=1))
    after = ics(client, summer)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    services.event_update(event=summer, by=facilitator, tags="benefits")  # not calendar-visible
    assert int(ics(client, summer)["SEQUENCE"]) == 1


def test_a_cancelled_event_is_cancelled_in_calendars(client, summer, facilitator):
    services.event_cancel(event=summer, by=facilitator)
    vevent = ics(client, summer)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1
    feed = parse(client.get(reverse("communities:calendar_feed", args=["ppm"])))
    [item] = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("event-")]
    assert str(item["STATUS"]) == "CANCELLED"


def test_the_community_feed_holds_hot_seats_and_events_together(community, facilitator, online, member):
    schedule(community, facilitator, title="Benefits clinic")
    for name in ("communities:calendar_feed", "hotseats:calendar_feed"):
        feed = parse(Client().get(reverse(name, args=["ppm"])))
        summaries = {str(e["SUMMARY"]) for e in feed.walk("VEVENT")}
        assert summaries == {"Hot seat: Benefits clinic", "Lunchtime assurance session"}
        assert LINK not in Client().get(reverse(name, args=["ppm"])).content.decode()


def test_the_private_per_member_address_keeps_working_and_now_carries_events(private_event):
    community = private_event.community
    person = make_membership(community, make_user(first_name="Nia")).user
    feed = hotseat_services.calendar_feed_reset(user=person, community=community)
    response = Client().get(reverse("hotseats:calendar_feed_private", args=[community.slug, feed.token]))
    assert [str(e["SUMMARY"]) for e in parse(response).walk("VEVENT")] == ["Circle-only gathering zqx"]
    assert Client().get(reverse("communities:calendar_feed", args=[community.slug])).status_code == 404


def test_an_event_in_london_seen_from_new_york_across_the_clock_change(client_as, community, facilitator, member):
    """London moves to summer time on 30 March 2031, New York on 9 March: for three weeks they are 4 hours apart,
    otherwise 5. The page shows the member's own time and the organiser's."""
    member.time_zone = "America/New_York"
    member.save(update_fields=["time_zone"])
    before = plan(
        community, facilitator, title="Before", starts_at=datetime(2031, 3, 25, 18, 0, tzinfo=UTC)
    )  # 18:00 GMT, 14:00 EDT
    after = plan(
        community, facilitator, title="After", starts_at=datetime(2031, 3, 31, 17, 0, tzinfo=UTC)
    )  # 18:00 BST, 13:00 EDT
    as_member = client_as("member")
    page = as_member.get(reverse("events:event_detail", args=["ppm", before.pk])).content.decode()
    assert "14:00" in page and "18:00 in Europe/London" in page
    page = as_member.get(reverse("events:event_detail", args=["ppm", after.pk])).content.decode()
    assert "13:00" in page and "18:00 in Europe/London" in page
    assert Event.objects.get(pk=after.pk).local_start.strftime("%H:%M %Z") == "18:00 BST"
    # Calendars get UTC and convert for each reader.
    assert ics(as_member, after).decoded("DTSTART") == datetime(2031, 3, 31, 17, 0, tzinfo=UTC)


def test_a_weekly_series_keeps_its_wall_clock_time_across_the_clock_change(community, facilitator):
    series = services.series_create(
        community=community,
        by=facilitator,
        frequency="weekly",
        interval=1,
        count=3,
        title="Lunchtime session",
        description="Online",
        format="in_person",
        venue="",
        address="",
        accessibility="",
        online_url="",
        starts_at=datetime(2031, 3, 20, 12, 30, tzinfo=UTC),  # 12:30 GMT
        ends_at=datetime(2031, 3, 20, 13, 30, tzinfo=UTC),
        time_zone="Europe/London",
        tags="",
        capacity=None,
        questions="",
        theme=None,
    )
    starts = [e.starts_at.astimezone(UTC).strftime("%m-%d %H:%M") for e in series.events.order_by("starts_at")]
    assert starts == ["03-20 12:30", "03-27 12:30", "04-03 11:30"]  # 12:30 London time each week
