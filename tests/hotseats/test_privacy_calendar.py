"""Hot seats of private and hidden communities stay inside them, and calendars carry hot seats faithfully.

Outsiders and anonymous visitors get a 404 (or, for an anonymous visitor to a private community, the login
page) wherever a closed community's hot seat could show: its pages, its .ics files, site search and the
expert's profile. Members of a private community subscribe through a secret address of their own. Calendar
files must parse, keep each event's UID, carry the stored times in UTC and survive hostile titles.
"""

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from communities import services as community_services
from communities.models import Community, Membership
from hotseats import services
from hotseats.models import CalendarFeed, HotSeat

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_kept_out, login

pytestmark = pytest.mark.django_db

SECRET = "Xylotomous4471"  # only in closed communities' hot seat titles: outsiders must never read it
TOPIC_WORD = "quinquereme"  # in those hot seats' topics: outsiders search for it (the search page repeats the query)
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
PRIVATE, HIDDEN = Community.Visibility.PRIVATE, Community.Visibility.HIDDEN


@dataclass
class Circle:
    """A closed community with its people and one upcoming hot seat."""

    community: Community
    facilitator: object
    insider: object
    expert: object
    hotseat: HotSeat


def schedule(community, by, *, title, topic="What would you like to know?", opens_in=timedelta(days=3), **kw):
    # Whole minutes, as the scheduling form takes them (iCalendar times have no fractions of a second).
    opens_at = kw.pop("opens_at", None) or (timezone.now() + opens_in).replace(second=0, microsecond=0)
    return services.hotseat_create(
        community=community,
        by=by,
        title=title,
        topic=topic,
        opens_at=opens_at,
        closes_at=kw.pop("closes_at", None) or opens_at + timedelta(days=4),
        **kw,
    )


def make_circle(visibility, slug) -> Circle:
    community = make_community(name=f"Circle {slug}", slug=slug, visibility=visibility)
    facilitator = make_membership(community, make_user(first_name="Fran"), role=Membership.Role.FACILITATOR).user
    insider = make_membership(community, make_user(first_name="Ines")).user
    expert = make_membership(community, make_user(first_name="Sage", last_name="Expert")).user
    hotseat = schedule(
        community,
        facilitator,
        title=f"{SECRET} clinic",
        topic=f"Bring your questions on {TOPIC_WORD} budgeting.",
        experts=[expert],
        tags="budgeting",
    )
    return Circle(community, facilitator, insider, expert, hotseat)


@pytest.fixture(params=[PRIVATE, HIDDEN])
def circle(request, db) -> Circle:
    return make_circle(request.param, f"circle-{request.param}")


@pytest.fixture
def private_circle(db) -> Circle:
    return make_circle(PRIVATE, "private-circle")


@pytest.fixture(params=["anonymous", "outsider"])
def stranger(request, outsider) -> tuple[str, Client]:
    return request.param, Client() if request.param == "anonymous" else login(outsider)


def text(response) -> str:
    return response.content.decode("utf-8", errors="replace")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def hotseat_url(circle: Circle, name: str) -> str:
    slug, pk = circle.community.slug, circle.hotseat.pk
    return {
        "list": reverse("hotseats:hotseat_list", args=[slug]),
        "detail": reverse("hotseats:hotseat_detail", args=[slug, pk]),
        "expert desk": reverse("hotseats:expert_desk", args=[slug, pk]),
        "event.ics": reverse("hotseats:hotseat_ics", args=[slug, pk]),
        "public feed": reverse("hotseats:calendar_feed", args=[slug]),
    }[name]


def assert_refused(response, *, to_login: bool, to_landing: str = "") -> None:
    """A 404, the login page or the community's landing page: nothing that tells a stranger what the hot seat is."""
    if to_login:
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    elif to_landing:
        assert (response.status_code, response.url) == (302, to_landing)
    else:
        assert response.status_code == 404
    assert SECRET not in text(response)
    assert TOPIC_WORD not in text(response)


# --- Outsiders see nothing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "detail", "expert desk", "event.ics", "public feed"])
def test_strangers_see_nothing_of_a_closed_communitys_hot_seats(circle, stranger, page):
    persona, client = stranger
    response = client.get(hotseat_url(circle, page))
    anonymous = persona == "anonymous"
    # The login page is offered only where it reveals nothing: a private community's landing page is public
    # anyway, and the expert desk asks everyone to log in first.
    to_login = (
        anonymous and page != "public feed" and (page == "expert desk" or circle.community.visibility == PRIVATE)
    )
    # A signed-in outsider of a private community lands on its landing page (its way in); the public feed is a
    # calendar address, not a page, and stays a plain 404.
    to_landing = (
        circle.community.get_absolute_url()
        if not anonymous and page != "public feed" and circle.community.visibility == PRIVATE
        else ""
    )
    assert_refused(response, to_login=to_login, to_landing=to_landing)


def test_site_search_does_not_show_strangers_a_closed_communitys_hot_seat(circle, stranger):
    _, client = stranger
    response = client.get(reverse("communities:search"), {"q": TOPIC_WORD})
    assert response.status_code == 200
    assert SECRET not in text(response)
    assert circle.hotseat.get_absolute_url() not in text(response)


def test_the_experts_profile_does_not_show_strangers_hot_seats_of_closed_communities(circle, stranger):
    _, client = stranger
    response = client.get(circle.expert.get_absolute_url())
    assert response.status_code == 200
    assert "Sage Expert" in text(response)
    assert "Hot seats held" not in text(response)
    assert SECRET not in text(response)


@pytest.mark.parametrize("page", ["detail", "event.ics"])
def test_a_closed_communitys_hot_seat_is_not_found_under_a_public_communitys_address(
    private_circle, community, as_outsider, page
):
    name = {"detail": "hotseats:hotseat_detail", "event.ics": "hotseats:hotseat_ics"}[page]
    response = as_outsider.get(reverse(name, args=[community.slug, private_circle.hotseat.pk]))
    assert response.status_code == 404
    assert SECRET not in text(response)


# --- Members see them ------------------------------------------------------------------------------------------


def test_members_see_their_closed_communitys_hot_seat_on_every_page(circle):
    client = login(circle.insider)
    for page in ("list", "detail"):
        response = client.get(hotseat_url(circle, page))
        assert response.status_code == 200, page
        assert SECRET in text(response), page
    calendar = parse(client.get(hotseat_url(circle, "event.ics")))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [f"Hot seat: {SECRET} clinic"]


def test_members_find_their_closed_communitys_hot_seat_in_site_search(circle):
    response = login(circle.insider).get(reverse("communities:search"), {"q": TOPIC_WORD})
    assert response.status_code == 200
    assert SECRET in text(response)
    assert circle.hotseat.get_absolute_url() in text(response)


def test_members_see_the_hot_seats_an_expert_held_in_their_closed_community(circle):
    response = login(circle.insider).get(circle.expert.get_absolute_url())
    assert "Hot seats held" in text(response)
    assert SECRET in text(response)


def test_the_expert_opens_their_desk_in_a_closed_community(circle):
    response = login(circle.expert).get(hotseat_url(circle, "expert desk"))
    assert response.status_code == 200
    assert SECRET in text(response)


def test_a_closed_community_has_no_public_feed_even_for_its_members(circle):
    response = login(circle.insider).get(hotseat_url(circle, "public feed"))
    assert response.status_code == 404


# --- The member's secret feed ----------------------------------------------------------------------------------


def get_private_address(client, community) -> str:
    """Press the button on the hot seat list and read the address the page then shows."""
    response = client.post(reverse("hotseats:calendar_feed_reset", args=[community.slug]), follow=True)
    assert response.status_code == 200
    prefix = reverse("hotseats:hotseat_list", args=[community.slug])
    found = re.findall(rf"{re.escape(prefix)}calendar/[\w-]+\.ics", text(response))
    assert len(found) == 1, "the hot seat list shows the member's private address once"
    return found[0]


def test_a_member_gets_a_private_address_that_serves_the_feed_without_logging_in(private_circle):
    address = get_private_address(login(private_circle.insider), private_circle.community)
    calendar = parse(Client().get(address))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [f"Hot seat: {SECRET} clinic"]


def test_resetting_the_private_address_gives_a_new_one_and_the_old_one_stops_working(private_circle):
    client = login(private_circle.insider)
    old = get_private_address(client, private_circle.community)
    new = get_private_address(client, private_circle.community)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_each_members_private_address_is_their_own(private_circle):
    mine = get_private_address(login(private_circle.insider), private_circle.community)
    theirs = get_private_address(login(private_circle.expert), private_circle.community)
    assert mine != theirs
    get_private_address(login(private_circle.expert), private_circle.community)  # the expert resets theirs
    assert Client().get(mine).status_code == 200


def test_the_private_address_stops_working_when_the_member_leaves(private_circle):
    client = login(private_circle.insider)
    address = get_private_address(client, private_circle.community)
    client.post(reverse("communities:leave", args=[private_circle.community.slug]))
    response = Client().get(address)
    assert response.status_code == 404
    assert SECRET not in text(response)


def test_the_private_address_stops_working_when_the_member_is_banned(private_circle):
    address = get_private_address(login(private_circle.insider), private_circle.community)
    membership = Membership.objects.get(user=private_circle.insider, community=private_circle.community)
    community_services.membership_ban(membership=membership, by=private_circle.facilitator, reason="Spam")
    response = Client().get(address)
    assert response.status_code == 404
    assert SECRET not in text(response)


def test_a_private_address_works_only_under_its_own_community(private_circle):
    other = make_circle(PRIVATE, "other-circle")
    make_membership(other.community, private_circle.insider)
    address = get_private_address(login(private_circle.insider), private_circle.community)
    moved = address.replace(f"/c/{private_circle.community.slug}/", f"/c/{other.community.slug}/")
    assert Client().get(moved).status_code == 404


def test_an_outsider_cannot_get_a_private_address_for_a_closed_community(circle, as_outsider):
    response = as_outsider.post(reverse("hotseats:calendar_feed_reset", args=[circle.community.slug]))
    assert_kept_out(response, circle.community)
    assert not CalendarFeed.objects.exists()


def test_an_outsider_cannot_get_a_private_address_for_a_public_community(community, as_outsider):
    response = as_outsider.post(reverse("hotseats:calendar_feed_reset", args=[community.slug]))
    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


def test_an_anonymous_visitor_is_asked_to_log_in_before_getting_a_private_address(private_circle):
    response = Client().post(reverse("hotseats:calendar_feed_reset", args=[private_circle.community.slug]))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert not CalendarFeed.objects.exists()


def test_an_unknown_private_address_is_not_found(private_circle):
    url = reverse("hotseats:calendar_feed_private", args=[private_circle.community.slug, "not-a-real-token"])
    assert Client().get(url).status_code == 404


# --- What the calendar files say -------------------------------------------------------------------------------


@pytest.fixture
def clinic(community, facilitator, member):
    return schedule(
        community,
        facilitator,
        title="Benefits realisation clinic",
        # In British Summer Time, so a file written in the viewer's zone instead of UTC would be an hour out.
        opens_at=datetime(2031, 7, 10, 9, 30, tzinfo=UTC),
        closes_at=datetime(2031, 7, 14, 17, 0, tzinfo=UTC),
        experts=[member],
    )


def test_the_event_file_holds_one_event_at_the_stored_times_in_utc(clinic, as_member):
    response = as_member.get(reverse("hotseats:hotseat_ics", args=[clinic.community.slug, clinic.pk]))
    calendar = parse(response)
    [event] = calendar.walk("VEVENT")
    clinic.refresh_from_db()
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == clinic.opens_at and end == clinic.closes_at
    assert start.utcoffset() == timedelta(0) and end.utcoffset() == timedelta(0)
    assert "Benefits realisation clinic" in str(event["SUMMARY"])
    assert str(event["UID"]).startswith(f"hotseat-{clinic.pk}@")
    assert int(event["SEQUENCE"]) == 0


def test_the_event_keeps_its_uid_and_raises_its_sequence_when_rescheduled(clinic, facilitator, as_member):
    url = reverse("hotseats:hotseat_ics", args=[clinic.community.slug, clinic.pk])
    [before] = parse(as_member.get(url)).walk("VEVENT")
    later = clinic.opens_at + timedelta(days=7)
    services.hotseat_update(hotseat=clinic, by=facilitator, opens_at=later, closes_at=later + timedelta(days=4))
    [after] = parse(as_member.get(url)).walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == later


def test_editing_a_hot_seat_without_moving_it_leaves_the_sequence_alone(clinic, facilitator, as_member):
    services.hotseat_update(hotseat=clinic, by=facilitator, title="Benefits clinic (new title)")
    [event] = parse(as_member.get(reverse("hotseats:hotseat_ics", args=[clinic.community.slug, clinic.pk]))).walk(
        "VEVENT"
    )
    assert int(event["SEQUENCE"]) == 0
    assert "Benefits clinic (new title)" in str(event["SUMMARY"])


def test_the_public_feed_lists_the_communitys_upcoming_hot_seats_and_no_one_elses(clinic, facilitator):
    second = schedule(clinic.community, facilitator, title="Portfolio clinic", opens_in=timedelta(days=20))
    elsewhere = make_community(slug="elsewhere")
    schedule(
        elsewhere,
        make_membership(elsewhere, role=Membership.Role.FACILITATOR).user,
        title="Elsewhere clinic",
    )
    response = Client().get(reverse("hotseats:calendar_feed", args=[clinic.community.slug]))
    found = events(parse(response))
    assert {str(e["SUMMARY"]) for e in found.values()} == {
        "Hot seat: Benefits realisation clinic",
        "Hot seat: Portfolio clinic",
    }
    [event] = [e for uid, e in found.items() if uid.startswith(f"hotseat-{second.pk}@")]
    assert event.decoded("DTSTART") == second.opens_at


def test_each_hot_seat_has_its_own_uid_and_keeps_it_across_downloads(clinic, facilitator):
    schedule(clinic.community, facilitator, title="Portfolio clinic")
    url = reverse("hotseats:calendar_feed", args=[clinic.community.slug])
    first, again = events(parse(Client().get(url))), events(parse(Client().get(url)))
    assert len(first) == 2
    assert set(first) == set(again)


def naughty_strings(count: int = 50) -> list[str]:
    """A fixed sample of the Big List of Naughty Strings, always including the ones with control characters."""
    if not (CORPORA / "blns.txt").exists():
        pytest.skip(f"the shared corpora are not beside the repository ({CORPORA})")
    lines = (CORPORA / "blns.txt").read_text(encoding="utf-8").split("\n")
    usable = [line for line in lines if line.strip() and not line.startswith("#")]
    controls = [line for line in usable if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in line)]
    rest = [line for line in usable if line not in controls]
    return controls + random.Random(5545).sample(rest, count - len(controls))


def test_naughty_titles_and_topics_still_make_a_calendar_whose_summaries_round_trip(community, facilitator):
    hotseats = [
        schedule(community, facilitator, title=line[:160], topic=line, opens_in=timedelta(days=1 + i))
        for i, line in enumerate(naughty_strings())
    ]
    found = events(parse(Client().get(reverse("hotseats:calendar_feed", args=[community.slug]))))
    assert len(found) == len(hotseats)
    for hotseat in hotseats:
        hotseat.refresh_from_db()
        # RFC 5545 text may not hold control characters: everything else must come back exactly.
        title, topic = without_controls(hotseat.title), without_controls(hotseat.topic)
        [event] = [e for uid, e in found.items() if uid.startswith(f"hotseat-{hotseat.pk}@")]
        assert str(event["SUMMARY"]) == f"Hot seat: {title}"
        assert str(event["DESCRIPTION"]).startswith(topic)
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in str(event["SUMMARY"]) + str(event["DESCRIPTION"]))
        single = parse(Client().get(reverse("hotseats:hotseat_ics", args=[community.slug, hotseat.pk])))
        assert [str(e["SUMMARY"]) for e in single.walk("VEVENT")] == [f"Hot seat: {title}"]


def without_controls(value: str) -> str:
    return "".join(c for c in value if ord(c) >= 32 or c in "\t\n\r")


# --- Time zones ------------------------------------------------------------------------------------------------


def test_a_member_in_new_york_sees_the_opening_time_in_new_york_time(clinic, member, facilitator):
    # 02:30 UTC on Wednesday 15 January 2031 is still Tuesday 14 January, 21:30, in New York (EST, UTC-5).
    opens = datetime(2031, 1, 15, 2, 30, tzinfo=UTC)
    services.hotseat_update(hotseat=clinic, by=facilitator, opens_at=opens, closes_at=opens + timedelta(days=4))
    member.time_zone = "America/New_York"
    member.save(update_fields=["time_zone"])
    response = login(member).get(clinic.get_absolute_url())
    assert "Tuesday 14 January, 21:30" in text(response)
    assert "Wednesday 15 January, 02:30" not in text(response)


def test_a_member_in_london_sees_the_same_opening_in_london_time(clinic, facilitator):
    opens = datetime(2031, 1, 15, 2, 30, tzinfo=UTC)
    services.hotseat_update(hotseat=clinic, by=facilitator, opens_at=opens, closes_at=opens + timedelta(days=4))
    londoner = make_membership(clinic.community, make_user(time_zone="Europe/London")).user
    response = login(londoner).get(clinic.get_absolute_url())
    assert "Wednesday 15 January, 02:30" in text(response)
