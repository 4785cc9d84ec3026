"""Casting, changing and taking back votes; the one-ballot rule held by the database; closing and reopening."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent
from polls import services
from polls.models import Ballot, BallotChoice, Choice, Poll
from polls.selectors import poll_view

from .conftest import choice_id, text_of, vote

pytestmark = pytest.mark.django_db


def counts(poll) -> dict[str, int]:
    return dict(Choice.objects.filter(poll=poll).values_list("label", "vote_count"))


def checked(response) -> list[str]:
    """The labels of the ticked options on the page."""
    html = response.content.decode()
    ticked = re.findall(r'<input type="(?:radio|checkbox)" name="choice" value="(\d+)"[^>]*\schecked', html)
    return sorted(Choice.objects.get(pk=int(pk)).label for pk in ticked)


def test_a_member_votes_and_the_page_shows_their_choice_and_the_counts(poll, as_member, member):
    the_poll = poll()

    response = as_member.post(
        reverse("polls:poll_vote", args=[the_poll.community.slug, the_poll.pk]),
        {"choice": choice_id(the_poll, "PPM tool")},
        follow=True,
    )

    page = text_of(response)
    assert "Your vote is in" in page
    assert "PPM tool (your choice) 1 vote, 100%" in page
    assert "Change my vote" in page
    assert checked(response) == ["PPM tool"]
    assert ActivityEvent.objects.filter(verb="poll_voted", actor=member).count() == 1


def test_changing_a_vote_moves_it_without_a_second_ballot(poll, member, other):
    the_poll = poll()
    vote(the_poll, other, "Spreadsheet")
    vote(the_poll, member, "Spreadsheet")

    vote(the_poll, member, "Benefits tool")

    assert Ballot.objects.filter(poll=the_poll, user=member).count() == 1
    assert counts(the_poll) == {"Spreadsheet": 1, "PPM tool": 0, "Benefits tool": 1}
    assert Poll.objects.get(pk=the_poll.pk).voter_count == 2
    assert ActivityEvent.objects.filter(verb="poll_voted", actor=member).count() == 1  # a change is no new vote


def test_taking_a_vote_back_removes_the_ballot_and_its_counts(poll, member):
    the_poll = poll(kind=Poll.Kind.MULTIPLE, max_choices=2)
    vote(the_poll, member, "Spreadsheet", "PPM tool")

    assert services.vote_withdraw(poll=the_poll, user=member) is True

    assert not Ballot.objects.filter(poll=the_poll).exists()
    assert counts(the_poll) == {"Spreadsheet": 0, "PPM tool": 0, "Benefits tool": 0}
    assert Poll.objects.get(pk=the_poll.pk).voter_count == 0


def test_multiple_choice_takes_up_to_its_maximum_and_refuses_more_with_the_picks_kept(poll, as_member, member):
    the_poll = poll(kind=Poll.Kind.MULTIPLE, max_choices=2)
    vote_url = reverse("polls:poll_vote", args=[the_poll.community.slug, the_poll.pk])
    all_three = [c.pk for c in the_poll.choices.all()]

    refused = as_member.post(vote_url, {"choice": all_three})

    assert refused.status_code == 400
    assert "Pick at most 2 options." in text_of(refused)
    assert checked(refused) == ["Benefits tool", "PPM tool", "Spreadsheet"]
    assert not Ballot.objects.exists()
    assert as_member.post(vote_url, {"choice": all_three[:2]}).status_code == 302
    assert counts(the_poll) == {"Spreadsheet": 1, "PPM tool": 1, "Benefits tool": 0}


def test_a_vote_for_an_option_of_another_poll_is_refused(poll, member):
    mine, theirs = poll(), poll(question="Another poll?", choices=["X", "Y"])

    with pytest.raises(services.PollError, match="not part of this poll"):
        services.vote_cast(poll=mine, user=member, choice_ids=[choice_id(theirs, "X")])
    assert not Ballot.objects.exists()


def test_a_second_ballot_from_one_member_is_refused_by_the_database(poll, member):
    the_poll = poll()
    Ballot.objects.create(poll=the_poll, user=member)

    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=the_poll, user=member)
    assert Ballot.objects.filter(poll=the_poll, user=member).count() == 1


def test_the_same_option_twice_on_one_ballot_is_refused_by_the_database(poll, member):
    the_poll = poll()
    ballot = vote(the_poll, member, "Spreadsheet")

    with pytest.raises(IntegrityError), transaction.atomic():
        BallotChoice.objects.create(ballot=ballot, choice_id=choice_id(the_poll, "Spreadsheet"))


def test_a_closed_poll_refuses_a_vote_and_keeps_the_choice_on_screen(poll, as_member, member):
    the_poll = poll()
    services.poll_close(poll=the_poll, by=the_poll.created_by)

    response = as_member.post(
        reverse("polls:poll_vote", args=[the_poll.community.slug, the_poll.pk]),
        {"choice": choice_id(the_poll, "Benefits tool")},
    )

    assert response.status_code == 409
    page = text_of(response)
    assert "This poll has closed, so it takes no more votes." in page
    assert checked(response) == ["Benefits tool"]
    assert "disabled" in response.content.decode().split('class="poll-ballot"')[1].split("</fieldset>")[0]
    assert not Ballot.objects.exists()


def test_a_poll_past_its_closing_time_refuses_votes_and_a_change_of_vote(poll, member):
    the_poll = poll(closes_at=timezone.now() + timedelta(hours=1))
    vote(the_poll, member, "Spreadsheet")
    Poll.objects.filter(pk=the_poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    the_poll.refresh_from_db()

    with pytest.raises(services.PollError, match="closed"):
        vote(the_poll, member, "PPM tool")
    with pytest.raises(services.PollError, match="closed"):
        services.vote_withdraw(poll=the_poll, user=member)
    assert counts(the_poll)["Spreadsheet"] == 1


def test_reopening_a_poll_past_its_closing_time_opens_it_until_closed_again(poll, facilitator, member):
    the_poll = poll(closes_at=timezone.now() + timedelta(hours=1))
    Poll.objects.filter(pk=the_poll.pk).update(closes_at=timezone.now() - timedelta(minutes=5))
    the_poll.refresh_from_db()

    services.poll_reopen(poll=the_poll, by=facilitator)

    the_poll.refresh_from_db()
    assert the_poll.is_open and the_poll.closes_at is None
    vote(the_poll, member, "Spreadsheet")
    with pytest.raises(services.PollError, match="future"):
        services.poll_close(poll=the_poll, by=facilitator)
        services.poll_reopen(poll=the_poll, by=facilitator, closes_at=timezone.now() - timedelta(days=1))


def test_results_count_votes_exactly_and_give_each_share_of_the_voters(poll, facilitator, member, other):
    the_poll = poll(kind=Poll.Kind.MULTIPLE, max_choices=3)
    vote(the_poll, member, "Spreadsheet", "PPM tool")
    vote(the_poll, other, "Spreadsheet")
    vote(the_poll, facilitator, "Benefits tool")

    rows = {r.choice.label: (r.count, r.percent) for r in poll_view(member, Poll.objects.get(pk=the_poll.pk)).rows}

    assert rows == {"Spreadsheet": (2, 67), "PPM tool": (1, 33), "Benefits tool": (1, 33)}


@pytest.mark.parametrize(
    "choices,message",
    [
        (["Only one"], "at least 2"),
        ([f"Option {i}" for i in range(21)], "at most 20"),
        (["Same", "same "], "read the same"),
        (["", "  ", "Real"], "at least 2"),
    ],
)
def test_a_poll_needs_two_to_twenty_distinct_options(choices, message, community, facilitator):
    with pytest.raises(services.PollError, match=message):
        services.poll_create(community=community, by=facilitator, question="Which?", choices=choices)
    assert not Poll.objects.exists()


def test_twenty_options_are_allowed(community, facilitator):
    the_poll = services.poll_create(
        community=community, by=facilitator, question="Which?", choices=[f"Option {i}" for i in range(20)]
    )
    assert the_poll.choices.count() == 20


def test_the_create_form_keeps_what_was_typed_when_it_is_refused(as_facilitator, community):
    response = as_facilitator.post(
        reverse("polls:poll_create", args=[community.slug]),
        {"question": "Which day suits you?", "choices": "Monday", "kind": "single", "results": "always"},
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Give at least two options" in page
    assert 'value="Which day suits you?"' in response.content.decode()
    assert not Poll.objects.exists()


def test_once_people_voted_the_options_and_voter_privacy_stay_fixed(poll, facilitator, member):
    the_poll = poll(public_voters=False)
    vote(the_poll, member, "Spreadsheet")

    with pytest.raises(services.PollError, match="People have voted"):
        services.poll_update(poll=the_poll, by=facilitator, choices=["A", "B"])
    with pytest.raises(services.PollError, match="People have voted"):
        services.poll_update(poll=the_poll, by=facilitator, public_voters=True)
    services.poll_update(poll=the_poll, by=facilitator, question="Reworded question?")
    assert Poll.objects.get(pk=the_poll.pk).question == "Reworded question?"
    assert counts(the_poll)["Spreadsheet"] == 1
