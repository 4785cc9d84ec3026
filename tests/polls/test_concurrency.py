"""Fifty members voting at the same instant leave exactly fifty ballots and exact counts (PostgreSQL only).

Fifty Python threads, each with its own database connection, wait at a barrier and then call the vote service at
once, so their transactions really overlap. SQLite serialises writers on one file, so the race cannot happen
there and the tests are skipped.
"""

import contextlib
import threading
from collections import Counter

import pytest
from django.db import connection

from communities.models import Community, Membership
from polls import services
from polls.models import Ballot, BallotChoice, Choice, Poll

from ..factories import make_community, make_membership, make_user

VOTERS = 50

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def run_together(work, items) -> list[BaseException]:
    """Run `work(item)` for every item in its own thread, all released at the same instant; return the errors."""
    barrier = threading.Barrier(len(items))
    errors: list[BaseException] = []

    def worker(item):
        try:
            barrier.wait(timeout=60)
            work(item)
        except BaseException as exc:  # collected and re-raised by the test, in the main thread
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection; don't leave it for the test database

    threads = [threading.Thread(target=worker, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


@pytest.fixture
def crowd():
    community = make_community(name="Busy CoP", slug="busy", join_policy=Community.JoinPolicy.OPEN)
    facilitator = make_membership(community, make_user(first_name="Fay"), role=Membership.Role.FACILITATOR).user
    members = [make_membership(community, make_user(first_name=f"Voter{i}")).user for i in range(VOTERS)]
    poll = services.poll_create(
        community=community,
        by=facilitator,
        question="Which method do you use for benefits tracking?",
        choices=["Spreadsheet", "PPM tool", "Benefits tool"],
        kind=Poll.Kind.MULTIPLE,
        max_choices=2,
    )
    return poll, members


def test_fifty_members_voting_at_once_leave_fifty_ballots_and_exact_counts(crowd):
    poll, members = crowd
    choices = list(poll.choices.all())
    # Member i picks choice i % 3, and every fifth member also the next one: a known answer to count against.
    picks = {
        m.pk: [choices[i % 3].pk] + ([choices[(i + 1) % 3].pk] if i % 5 == 0 else []) for i, m in enumerate(members)
    }

    def cast(member):
        services.vote_cast(poll=Poll.objects.get(pk=poll.pk), user=member, choice_ids=picks[member.pk])

    assert run_together(cast, members) == []

    expected = Counter(pk for chosen in picks.values() for pk in chosen)
    assert Ballot.objects.filter(poll=poll).count() == VOTERS
    assert Poll.objects.get(pk=poll.pk).voter_count == VOTERS
    assert dict(Choice.objects.filter(poll=poll).values_list("pk", "vote_count")) == dict(expected)
    stored = Counter(BallotChoice.objects.filter(ballot__poll=poll).values_list("choice_id", flat=True))
    assert stored == expected


def test_one_member_voting_from_many_tabs_at_once_keeps_one_ballot(crowd):
    poll, members = crowd
    member = members[0]
    choices = list(poll.choices.all())

    def cast(choice):
        services.vote_cast(poll=Poll.objects.get(pk=poll.pk), user=member, choice_ids=[choice.pk])

    assert run_together(cast, choices * 4) == []

    ballot = Ballot.objects.get(poll=poll, user=member)
    assert ballot.picks.count() == 1
    assert Poll.objects.get(pk=poll.pk).voter_count == 1
    assert sum(Choice.objects.filter(poll=poll).values_list("vote_count", flat=True)) == 1


def test_a_close_racing_fifty_votes_leaves_counts_that_match_the_ballots(crowd):
    poll, members = crowd
    facilitator = poll.created_by
    choice = poll.choices.first()

    def act(who):
        fresh = Poll.objects.get(pk=poll.pk)
        if who is facilitator:
            services.poll_close(poll=fresh, by=facilitator)
            return
        with contextlib.suppress(services.PollError):  # voted after the close: refused, as it should be
            services.vote_cast(poll=fresh, user=who, choice_ids=[choice.pk])

    assert run_together(act, [*members, facilitator]) == []

    ballots = Ballot.objects.filter(poll=poll).count()
    assert Poll.objects.get(pk=poll.pk).voter_count == ballots
    assert Choice.objects.get(pk=choice.pk).vote_count == ballots
    assert not Ballot.objects.filter(poll=poll, created_at__gt=Poll.objects.get(pk=poll.pk).closed_at).exists()
