"""One vote per member, held by the database; the counts members see stay exact; sorting and filtering."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from hotseats import services
from hotseats.models import Question, Vote

from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(hotseat, expert):
    return hotseat(experts=[expert])


@pytest.fixture
def question(seat, other):
    return services.question_ask(hotseat=seat, asker=other, body="How do you size contingency?")


def vote_url(question) -> str:
    return reverse("hotseats:question_vote", args=[question.hotseat.community.slug, question.hotseat_id, question.pk])


def count_of(question) -> int:
    return Question.objects.get(pk=question.pk).vote_count


def bodies_in_order(client, seat, **params) -> list[str]:
    """The question bodies as a member reads them down the page."""
    response = client.get(seat.get_absolute_url(), params)
    assert response.status_code == 200
    return re.findall(r'<div class="prose"><p>(Q\d: [^<]+)</p>', response.content.decode())


def test_the_database_refuses_a_second_vote_row_for_the_same_member_and_question(question, member):
    Vote.objects.create(question=question, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(question=question, user=member)
    assert Vote.objects.filter(question=question, user=member).count() == 1


def test_posting_the_vote_twice_takes_it_back_and_the_count_matches_the_votes(as_member, question):
    as_member.post(vote_url(question))
    assert count_of(question) == 1
    as_member.post(vote_url(question))
    assert count_of(question) == 0
    assert not Vote.objects.exists()
    as_member.post(vote_url(question))
    assert count_of(question) == Vote.objects.filter(question=question).count() == 1


def test_a_vote_from_a_concurrent_double_click_is_counted_once(as_member, member, question, monkeypatch):
    """The second request finds no vote to take back, but the first one lands before it inserts its own."""
    real_delete = QuerySet.delete

    def delete_then_let_the_other_click_land(qs):
        result = real_delete(qs)
        if qs.model is Vote and not Vote.objects.filter(question=question, user=member).exists():
            Vote.objects.create(question=question, user=member)
            Question.objects.filter(pk=question.pk).update(vote_count=1)
        return result

    monkeypatch.setattr(QuerySet, "delete", delete_then_let_the_other_click_land)
    response = as_member.post(vote_url(question))

    assert response.status_code == 302
    assert count_of(question) == Vote.objects.filter(question=question).count() == 1


def test_each_member_adds_one_vote_and_the_page_shows_the_total(seat, question, client_as, community):
    voters = [make_membership(community, make_user()).user for _ in range(4)]
    for voter in voters:
        services.question_vote(question=question, user=voter)
    services.question_vote(question=question, user=voters[0])  # takes hers back
    assert count_of(question) == Vote.objects.filter(question=question).count() == 3
    html = client_as("member").get(seat.get_absolute_url()).content.decode()
    assert re.search(r"<strong>3</strong><small>votes</small>", html)


def test_the_vote_button_shows_whether_the_member_has_voted(as_member, seat, question):
    html = as_member.get(seat.get_absolute_url()).content.decode()
    assert 'aria-pressed="false" aria-label="Vote for this question"' in html
    as_member.post(vote_url(question))
    html = as_member.get(seat.get_absolute_url()).content.decode()
    assert 'aria-pressed="true" aria-label="Remove your vote"' in html


def test_questions_are_sorted_by_votes_by_default_and_by_newest_on_request(seat, client_as, community, other):
    start = seat.opens_at + timedelta(hours=1)
    asked = {}
    for i, (label, votes) in enumerate([("Q1: oldest", 1), ("Q2: popular", 3), ("Q3: newest", 0)]):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            asked[label] = services.question_ask(hotseat=seat, asker=other, body=label)
        for _ in range(votes):
            services.question_vote(question=asked[label], user=make_membership(community, make_user()).user)

    member = client_as("member")
    assert bodies_in_order(member, seat) == ["Q2: popular", "Q1: oldest", "Q3: newest"]
    assert bodies_in_order(member, seat, sort="votes") == ["Q2: popular", "Q1: oldest", "Q3: newest"]
    assert bodies_in_order(member, seat, sort="new") == ["Q3: newest", "Q2: popular", "Q1: oldest"]


def test_equal_votes_keep_the_earlier_question_first(seat, client_as, other):
    start = seat.opens_at + timedelta(hours=1)
    for i, label in enumerate(["Q1: first", "Q2: second"]):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            services.question_ask(hotseat=seat, asker=other, body=label)
    assert bodies_in_order(client_as("member"), seat) == ["Q1: first", "Q2: second"]


def test_the_unanswered_filter_leaves_out_answered_questions(seat, client_as, other, expert):
    answered = services.question_ask(hotseat=seat, asker=other, body="Q1: answered")
    services.question_ask(hotseat=seat, asker=other, body="Q2: waiting")
    services.answer_post(question=answered, expert_user=expert, body="Here is how.")

    member = client_as("member")
    assert sorted(bodies_in_order(member, seat)) == ["Q1: answered", "Q2: waiting"]
    assert bodies_in_order(member, seat, show="unanswered") == ["Q2: waiting"]
    services.answer_post(
        question=Question.objects.get(body="Q2: waiting"), expert_user=expert, body="And here is the other."
    )
    response = member.get(seat.get_absolute_url(), {"show": "unanswered"})
    assert bodies_in_order(member, seat, show="unanswered") == []
    assert "Every question has an answer." in response.content.decode()
