"""Going, interested, can't go; places up to capacity, then a waitlist in order; a freed place goes to the head."""

import pytest

from communities.models import OutboundEmail
from events import services
from events.models import Event, Registration

from .conftest import crowd

Status = Registration.Status
pytestmark = pytest.mark.django_db


def statuses(event):
    return list(event.registrations.order_by("pk").values_list("status", "waitlist_position"))


def test_places_fill_to_capacity_then_the_waitlist_queues_in_order(community, meeting):
    people = crowd(community, 4)
    for person in people:
        services.rsvp(event=meeting, user=person, status=Status.GOING)
    assert statuses(meeting) == [("going", None), ("going", None), ("waiting", 1), ("waiting", 2)]
    meeting.refresh_from_db()
    assert (meeting.going_count, meeting.waiting_count) == (2, 2)


def test_a_cancellation_gives_the_place_to_the_head_of_the_waitlist_and_emails_them(
    community, meeting, django_capture_on_commit_callbacks
):
    first, second, third, fourth = crowd(community, 4)
    for person in (first, second, third, fourth):
        services.rsvp(event=meeting, user=person, status=Status.GOING)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=meeting, user=first, status=Status.NOT_GOING)
    assert Registration.objects.get(event=meeting, user=third).status == Status.GOING
    assert Registration.objects.get(event=meeting, user=fourth).waitlist_position == 2
    [email] = OutboundEmail.objects.filter(subject__startswith="A place is yours")
    assert email.to == third.email
    assert "secret" not in email.text


def test_interested_and_cant_go_take_no_place(community, meeting):
    a, b = crowd(community, 2)
    services.rsvp(event=meeting, user=a, status=Status.INTERESTED)
    services.rsvp(event=meeting, user=b, status=Status.NOT_GOING)
    meeting.refresh_from_db()
    assert meeting.going_count == 0


def test_saying_going_twice_keeps_the_place_and_the_waitlist_position(community, meeting):
    people = crowd(community, 3)
    for person in people:
        services.rsvp(event=meeting, user=person, status=Status.GOING)
    services.rsvp(event=meeting, user=people[2], status=Status.GOING)
    assert Registration.objects.get(event=meeting, user=people[2]).waitlist_position == 1


def test_more_places_promote_the_waitlist(community, facilitator, meeting):
    people = crowd(community, 4)
    for person in people:
        services.rsvp(event=meeting, user=person, status=Status.GOING)
    services.event_update(event=meeting, by=facilitator, capacity=3)
    meeting.refresh_from_db()
    assert (meeting.going_count, meeting.waiting_count) == (3, 1)


def test_capacity_cannot_drop_below_the_places_taken(community, facilitator, meeting):
    for person in crowd(community, 2):
        services.rsvp(event=meeting, user=person, status=Status.GOING)
    with pytest.raises(services.EventError):
        services.event_update(event=meeting, by=facilitator, capacity=1)


def test_answers_keep_only_the_events_questions(community, meeting, member):
    services.rsvp(event=meeting, user=member, status=Status.GOING, answers={"Dietary needs": "vegan", "Injected": "x"})
    assert Registration.objects.get(user=member).answers == {"Dietary needs": "vegan"}


def test_outsiders_and_banned_members_cannot_answer(meeting, outsider, banned):
    for person in (outsider, banned):
        with pytest.raises(services.EventError):
            services.rsvp(event=meeting, user=person, status=Status.GOING)
    assert not Registration.objects.exists()


def test_cancelled_events_take_no_answers(meeting, facilitator, member):
    services.event_cancel(event=meeting, by=facilitator)
    with pytest.raises(services.EventError):
        services.rsvp(event=meeting, user=member, status=Status.GOING)
    assert Event.objects.get(pk=meeting.pk).sequence == 1
