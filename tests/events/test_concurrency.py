"""Thirty members answering "going" at once for twenty places, and ten cancelling at once (PostgreSQL only).

Each Python thread has its own database connection and waits at a barrier, so the transactions really overlap;
the event's row lock must serialise them. SQLite serialises writers on one file, so the race cannot happen there
and the tests are skipped.
"""

import pytest
from django.db import connection

from communities.models import Community, Membership, OutboundEmail
from events import services
from events.models import Event, Registration

from ..factories import make_community, make_membership, make_user
from ..polls.test_concurrency import run_together
from .conftest import plan

Status = Registration.Status
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


@pytest.fixture
def full_house():
    community = make_community(name="Busy CoP", slug="busy", join_policy=Community.JoinPolicy.OPEN)
    boss = make_membership(community, make_user(first_name="Fay"), role=Membership.Role.FACILITATOR).user
    event = plan(community, boss, capacity=20)
    people = [make_membership(community, make_user(first_name=f"Guest{i}")).user for i in range(30)]
    return event, people


def answer(event, status):
    def work(person):
        services.rsvp(event=Event.objects.get(pk=event.pk), user=person, status=status)

    return work


def test_thirty_at_once_for_twenty_places_leave_twenty_going_and_ten_waiting_in_order(full_house):
    event, people = full_house
    assert run_together(answer(event, Status.GOING), people) == []
    regs = Registration.objects.filter(event=event)
    assert regs.filter(status=Status.GOING).count() == 20
    waiting = list(regs.filter(status=Status.WAITING).order_by("waitlist_position"))
    assert [r.waitlist_position for r in waiting] == list(range(1, 11))
    # The order of the list is the order the lock served them: later positions were saved later.
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
    event.refresh_from_db()
    assert (event.going_count, event.waiting_count) == (20, 10)


def test_ten_cancelling_at_once_promote_exactly_ten_in_waitlist_order(full_house):
    event, people = full_house
    for person in people:
        services.rsvp(event=event, user=person, status=Status.GOING)
    going = [r.user for r in Registration.objects.filter(event=event, status=Status.GOING).select_related("user")]
    waiting_before = list(
        Registration.objects.filter(event=event, status=Status.WAITING)
        .order_by("waitlist_position")
        .values_list("user_id", flat=True)
    )
    cancelling = going[:7]
    assert run_together(answer(event, Status.NOT_GOING), cancelling) == []
    regs = Registration.objects.filter(event=event)
    assert regs.filter(status=Status.GOING).count() == 20
    promoted = set(waiting_before[:7])
    assert set(regs.filter(status=Status.GOING, user_id__in=waiting_before).values_list("user_id", flat=True)) == (
        promoted
    )
    assert (
        list(regs.filter(status=Status.WAITING).order_by("waitlist_position").values_list("user_id", flat=True))
        == waiting_before[7:]
    )
    assert OutboundEmail.objects.filter(subject__startswith="A place is yours").count() == 7
    event.refresh_from_db()
    assert (event.going_count, event.waiting_count) == (20, 3)
