"""Event pages per persona: who sees what, who may write, the joining link's privacy, query budgets, hostile input."""

from pathlib import Path

import pytest
from django.urls import reverse

from communities.models import ActivityEvent
from events import services
from events.models import Event, Registration

from ..forums.test_xss import PageAudit
from ..helpers import assert_sent_to_login, page_source, text_of
from .conftest import LINK, crowd, plan

pytestmark = pytest.mark.django_db
Status = Registration.Status
PERSONAS = ["anonymous", "outsider", "banned", "member", "facilitator", "owner"]


def _corpora() -> Path | None:
    """The shared corpora beside the checkout (../shared/corpora), from the main checkout or a worktree."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "corpora" / "xss").is_dir():
            return parent / "shared" / "corpora" / "xss"
    return None


def load_payloads(count=40) -> list[str]:
    folder = _corpora()
    if folder is None:
        pytest.skip("the shared XSS corpora are not beside the repository")
    lines = {}
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip() and "\x00" not in line and not line.startswith("#"):
                lines[line.strip()] = None
    found = list(lines)
    return found[:: max(1, len(found) // count)][:count]


def url(event, name="event_detail"):
    return reverse(f"events:{name}", args=[event.community.slug, event.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_a_public_communitys_events(client_as, meeting, persona):
    client = client_as(persona)
    assert client.get(url(meeting)).status_code == 200
    assert client.get(reverse("events:event_list", args=["ppm"])).status_code == 200
    assert client.get(url(meeting, "event_ics")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("outsider", False), ("banned", False), ("member", False), ("facilitator", True), ("owner", True)],
)
def test_only_facilitators_plan_edit_cancel_and_see_attendees(client_as, meeting, persona, allowed):
    client = client_as(persona)
    expected = 200 if allowed else 403
    assert client.get(reverse("events:event_create", args=["ppm"])).status_code == expected
    assert client.get(url(meeting, "event_edit")).status_code == expected
    assert client.get(url(meeting, "attendee_list")).status_code == expected
    assert client.get(url(meeting, "attendee_export")).status_code == expected
    response = client.post(url(meeting, "event_cancel"))
    assert Event.objects.get(pk=meeting.pk).is_cancelled is allowed
    assert response.status_code == (302 if allowed else 403)


def test_anonymous_writers_are_sent_to_log_in(client, meeting):
    for name in ("event_edit", "attendee_list", "attendee_export", "notes_edit"):
        assert_sent_to_login(client.get(url(meeting, name)))
    assert_sent_to_login(client.post(url(meeting, "event_rsvp"), {"status": "going"}))
    assert not Registration.objects.exists()


@pytest.mark.parametrize(("persona", "allowed"), [("outsider", False), ("banned", False), ("member", True)])
def test_active_members_answer_and_others_change_nothing(client_as, meeting, persona, allowed):
    response = client_as(persona).post(url(meeting, "event_rsvp"), {"status": "going", "q0": "vegan"})
    assert response.status_code == (302 if allowed else 403)
    assert Registration.objects.filter(status=Status.GOING).count() == (1 if allowed else 0)


def test_a_member_takes_a_place_and_a_full_event_puts_them_on_the_waitlist(as_member, client_as, meeting, other):
    as_member.post(url(meeting, "event_rsvp"), {"status": "going"})
    client_as("other").post(url(meeting, "event_rsvp"), {"status": "going"})
    client_as("facilitator").post(url(meeting, "event_rsvp"), {"status": "going"})
    page = text_of(client_as("facilitator").get(url(meeting)))
    assert "You are on the waitlist, number 1" in page


def test_the_online_link_shows_only_to_members_with_a_place_and_facilitators(client_as, online, member, other):
    services.rsvp(event=online, user=member, status=Status.GOING)
    services.rsvp(event=online, user=other, status=Status.INTERESTED)
    for persona, sees in [
        ("anonymous", False),
        ("outsider", False),
        ("banned", False),
        ("other", False),
        ("member", True),
        ("facilitator", True),
    ]:
        assert (LINK in page_source(client_as(persona).get(url(online)))) is sees, persona
    for path in (
        url(online, "event_ics"),
        reverse("communities:calendar_feed", args=["ppm"]),
        reverse("events:event_list", args=["ppm"]),
        reverse("communities:community_detail", args=["ppm"]),
        reverse("communities:search") + "?q=assurance",
    ):
        assert LINK not in client_as("member").get(path).content.decode(), path


def test_private_events_are_absent_for_outsiders_everywhere(client_as, private_event):
    slug = private_event.community.slug
    for persona in ("anonymous", "outsider"):
        client = client_as(persona)
        for path in (url(private_event), url(private_event, "event_ics"), reverse("events:event_list", args=[slug])):
            response = client.get(path)
            assert response.status_code in (302, 404), (persona, path)
            assert "zqx" not in response.content.decode()
        assert client.get(reverse("communities:calendar_feed", args=[slug])).status_code == 404
        found = client.get(reverse("communities:search") + "?q=gathering")
        assert "Circle-only gathering" not in text_of(found)


def test_the_community_home_shows_the_next_event(client, community, facilitator):
    plan(community, facilitator, title="Later meeting", starts_in=__import__("datetime").timedelta(days=40))
    plan(community, facilitator, title="Sooner meeting")
    page = text_of(client.get(reverse("communities:community_detail", args=["ppm"])))
    assert "Next event Sooner meeting" in page


def test_answers_to_registration_questions_are_for_facilitators_only(client_as, meeting, member):
    services.rsvp(event=meeting, user=member, status=Status.GOING, answers={"Dietary needs": "no nuts 88"})
    assert "no nuts 88" not in page_source(client_as("other").get(url(meeting)))
    assert "no nuts 88" in page_source(client_as("facilitator").get(url(meeting, "attendee_list")))
    csv = b"".join(client_as("facilitator").get(url(meeting, "attendee_export")).streaming_content).decode()
    assert "no nuts 88" in csv and member.email in csv


def test_facilitators_mark_attendance(client_as, meeting, member, other):
    a = services.rsvp(event=meeting, user=member, status=Status.GOING)
    b = services.rsvp(event=meeting, user=other, status=Status.GOING)
    client_as("facilitator").post(url(meeting, "attendance_mark"), {"registration": [a.pk, b.pk], "attended": [a.pk]})
    assert Registration.objects.get(pk=a.pk).attended is True
    assert Registration.objects.get(pk=b.pk).attended is False
    client_as("member").post(url(meeting, "attendance_mark"), {"registration": [b.pk], "attended": [b.pk]})
    assert Registration.objects.get(pk=b.pk).attended is False


def test_facilitators_plan_an_event_through_the_form(as_facilitator, community):
    response = as_facilitator.post(
        reverse("events:event_create", args=["ppm"]),
        {
            "title": "Workshop",
            "description": "Bring a case",
            "format": "in_person",
            "starts_at": "2031-03-30T10:00",
            "ends_at": "2031-03-30T12:00",
            "time_zone": "Europe/London",
            "venue": "Leeds",
        },
    )
    event = Event.objects.get(title="Workshop")
    assert response.status_code == 302
    # 10:00 in London on 30 March 2031 is summer time: 09:00 UTC.
    assert event.starts_at.isoformat() == "2031-03-30T09:00:00+00:00"
    assert ActivityEvent.objects.filter(verb="event_announced").count() == 1


def test_a_monthly_series_lands_on_the_first_tuesday_each_quarter_and_edits_one_or_all(as_facilitator, community):
    as_facilitator.post(
        reverse("events:event_create", args=["ppm"]),
        {
            "title": "Quarterly",
            "description": "Q",
            "format": "in_person",
            "starts_at": "2031-01-07T18:00",
            "ends_at": "2031-01-07T20:00",
            "time_zone": "Europe/London",
            "repeat": "monthly",
            "interval": "3",
            "week_of_month": "1",
            "count": "4",
        },
    )
    events = list(Event.objects.filter(title="Quarterly").order_by("starts_at"))
    local = [e.local_start.strftime("%a %Y-%m-%d %H:%M") for e in events]
    assert local == ["Tue 2031-01-07 18:00", "Tue 2031-04-01 18:00", "Tue 2031-07-01 18:00", "Tue 2031-10-07 18:00"]
    base = {
        "description": "Q",
        "format": "in_person",
        "starts_at": "2031-04-01T18:00",
        "ends_at": "2031-04-01T20:00",
        "time_zone": "Europe/London",
        "venue": "Room 2",
    }
    as_facilitator.post(url(events[1], "event_edit"), {**base, "title": "Only April", "scope": "one"})
    assert [e.title for e in Event.objects.order_by("starts_at")] == [
        "Quarterly",
        "Only April",
        "Quarterly",
        "Quarterly",
    ]
    as_facilitator.post(url(events[1], "event_edit"), {**base, "title": "Renamed", "scope": "all"})
    assert [e.title for e in Event.objects.order_by("starts_at")] == ["Quarterly", "Renamed", "Renamed", "Renamed"]
    assert Event.objects.get(pk=events[3].pk).local_start.strftime("%H:%M") == "18:00"


@pytest.mark.parametrize("size", [5, 500])
def test_event_page_query_budget(client, client_as, community, facilitator, size, django_assert_max_num_queries):
    event = plan(community, facilitator, capacity=None)
    for person in crowd(community, size):
        Registration.objects.create(event=event, user=person, status=Status.GOING)
    with django_assert_max_num_queries(5):
        assert client.get(url(event)).status_code == 200
    member = client_as("member")
    member.get(url(event))
    with django_assert_max_num_queries(8):
        assert member.get(url(event)).status_code == 200


@pytest.mark.parametrize("size", [5, 500])
def test_events_list_query_budget(client, client_as, community, facilitator, size, django_assert_max_num_queries):
    for i in range(min(size, 60)):
        plan(community, facilitator, title=f"Meeting {i}", announce=False)
    event = Event.objects.first()
    for person in crowd(community, size):
        Registration.objects.create(event=event, user=person, status=Status.GOING)
    path = reverse("events:event_list", args=["ppm"])
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200
    member = client_as("member")
    member.get(path)
    with django_assert_max_num_queries(8):
        assert member.get(path).status_code == 200


def test_hostile_titles_and_descriptions_come_out_inert(client_as, community, facilitator):
    payloads = load_payloads()[:30]
    events = [
        plan(community, facilitator, title=p[:160], description=p, venue=p[:200], tags=p[:300]) for p in payloads
    ]
    for client in (client_as("anonymous"), client_as("facilitator")):
        for path in [reverse("events:event_list", args=["ppm"]), *(url(e) for e in events[:10])]:
            parser = PageAudit()
            parser.feed(client.get(path).content.decode())
            assert parser.problems == [], path


def test_a_refused_form_keeps_what_the_facilitator_typed(as_facilitator):
    payload = load_payloads()[3]
    response = as_facilitator.post(
        reverse("events:event_create", args=["ppm"]),
        {"title": payload[:160], "description": payload, "format": "online", "starts_at": "2031-03-30T10:00",
         "ends_at": "2031-03-30T09:00", "time_zone": "Europe/London"},
    )  # fmt: skip
    assert response.status_code == 400
    assert payload in page_source(response)
    parser = PageAudit()
    parser.feed(response.content.decode())
    assert parser.problems == []
    assert not Event.objects.exists()
