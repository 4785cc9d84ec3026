"""A hot seat's state follows the clock: nobody opens or closes it, and the pages agree with the clock."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hotseats.models import HotSeat

from ..helpers import text_of
from .conftest import section_text

pytestmark = pytest.mark.django_db

OPEN_H, UPCOMING_H, PAST_H = "open-h", "up-h", "past-h"


@pytest.fixture
def seat(hotseat):
    """A hot seat scheduled to open in a day and to run for four days."""
    opens_at = timezone.now().replace(microsecond=0) + timedelta(days=1)
    return hotseat(title="Benefits realisation with Sam", opens_at=opens_at, closes_at=opens_at + timedelta(days=4))


def list_sections(client, community) -> dict[str, str]:
    response = client.get(reverse("hotseats:hotseat_list", args=[community.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    return {heading: section_text(html, heading) for heading in (OPEN_H, UPCOMING_H, PAST_H)}


def row(seat) -> dict:
    return HotSeat.objects.filter(pk=seat.pk).values().get()


def test_a_hot_seat_moves_from_scheduled_to_open_to_closed_as_the_clock_passes_with_nothing_written(seat):
    before = row(seat)
    moments = [
        (seat.opens_at - timedelta(minutes=1), HotSeat.State.SCHEDULED),
        (seat.opens_at, HotSeat.State.OPEN),
        (seat.closes_at - timedelta(seconds=1), HotSeat.State.OPEN),
        (seat.closes_at, HotSeat.State.CLOSED),
        (seat.closes_at + timedelta(days=30), HotSeat.State.CLOSED),
    ]
    for moment, expected in moments:
        with time_machine.travel(moment, tick=False):
            fresh = HotSeat.objects.get(pk=seat.pk)
            assert fresh.state == expected, moment
            assert fresh.is_open == (expected == HotSeat.State.OPEN)
            assert fresh.is_closed == (expected == HotSeat.State.CLOSED)
    assert row(seat) == before


def test_the_list_page_shows_a_scheduled_hot_seat_under_coming_up(client, community, seat):
    sections = list_sections(client, community)
    assert "Benefits realisation with Sam" in sections[UPCOMING_H]
    assert "Coming up" in sections[UPCOMING_H]
    assert "Benefits realisation with Sam" not in sections[OPEN_H]
    assert "No hot seat is open right now. The next one is below." in sections[OPEN_H]
    assert "Benefits realisation with Sam" not in sections[PAST_H]


def test_the_list_page_moves_the_hot_seat_under_open_now_once_it_opens(client, community, seat):
    with time_machine.travel(seat.opens_at + timedelta(hours=2), tick=False):
        sections = list_sections(client, community)
    assert "Benefits realisation with Sam" in sections[OPEN_H]
    assert "Open now" in sections[OPEN_H]
    assert sections[UPCOMING_H] == ""
    assert "Benefits realisation with Sam" not in sections[PAST_H]


def test_the_list_page_moves_the_hot_seat_under_past_once_it_closes(client, community, seat):
    with time_machine.travel(seat.closes_at + timedelta(minutes=5), tick=False):
        sections = list_sections(client, community)
    assert "Benefits realisation with Sam" in sections[PAST_H]
    assert "Closed" in sections[PAST_H]
    assert "Search past hot seats" in sections[PAST_H]
    assert "Benefits realisation with Sam" not in sections[OPEN_H]
    assert sections[UPCOMING_H] == ""


def test_the_list_page_sorts_three_hot_seats_into_their_three_sections_at_one_moment(client, community, hotseat):
    hotseat(state=HotSeat.State.SCHEDULED, title="Risk registers")
    hotseat(state=HotSeat.State.OPEN, title="Assurance maps")
    hotseat(state=HotSeat.State.CLOSED, title="Lessons learned")
    sections = list_sections(client, community)
    assert "Risk registers" in sections[UPCOMING_H]
    assert "Assurance maps" in sections[OPEN_H]
    assert "Lessons learned" in sections[PAST_H]
    assert "Assurance maps" not in sections[UPCOMING_H] + sections[PAST_H]
    assert "Risk registers" not in sections[OPEN_H] + sections[PAST_H]
    assert "Lessons learned" not in sections[OPEN_H] + sections[UPCOMING_H]


def test_past_hot_seats_are_listed_most_recently_closed_first(client, community, hotseat):
    now = timezone.now()
    hotseat(title="Older transcript", opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=15))
    hotseat(title="Newer transcript", opens_at=now - timedelta(days=6), closes_at=now - timedelta(days=1))
    past = list_sections(client, community)[PAST_H]
    assert past.index("Newer transcript") < past.index("Older transcript")


def test_the_hot_seat_page_badge_and_ask_box_follow_the_clock(as_member, seat):
    url = seat.get_absolute_url()
    html = text_of(as_member.get(url))
    assert "Coming up" in html
    assert "Ask the expert" in html  # early questions are on by default
    assert "Transcript" not in html
    with time_machine.travel(seat.opens_at + timedelta(hours=1), tick=False):
        html = text_of(as_member.get(url))
    assert "Open now" in html
    assert "Ask the expert" in html
    with time_machine.travel(seat.closes_at + timedelta(hours=1), tick=False):
        html = text_of(as_member.get(url))
    assert "Closed" in html
    assert "Transcript" in html
    assert "Ask the expert" not in html
    assert "The facilitators will add a summary soon." in html


def test_the_state_querysets_agree_with_the_state_of_each_hot_seat(hotseat):
    scheduled = hotseat(state=HotSeat.State.SCHEDULED, title="Later")
    running = hotseat(state=HotSeat.State.OPEN, title="Now")
    done = hotseat(state=HotSeat.State.CLOSED, title="Before")
    assert list(HotSeat.objects.upcoming()) == [scheduled]
    assert list(HotSeat.objects.open_now()) == [running]
    assert list(HotSeat.objects.closed()) == [done]
    with time_machine.travel(scheduled.closes_at + timedelta(minutes=1), tick=False):
        assert list(HotSeat.objects.upcoming()) == []
        assert list(HotSeat.objects.open_now()) == []
        assert set(HotSeat.objects.closed()) == {scheduled, running, done}
