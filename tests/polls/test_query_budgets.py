"""Poll and survey pages run a fixed number of queries however many votes or responses there are.

Each page is measured with 5 and with 500 votes (or responses) under the same bound, and the two counts must be
equal: a count that grows with the data is an N+1. Data is bulk-created, then the denormalised counters are set
the way the services keep them.
"""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership, Segment
from polls.models import Answer, Ballot, BallotChoice, Choice, Participation, Poll, Question, Response, Survey

from ..conftest import login
from ..factories import make_user
from .conftest import vote

pytestmark = pytest.mark.django_db

# Poll page, anonymous: the poll (with community and author), its choices, and the first voters of each
# choice (a public poll). A member adds session, user, memberships and their own picks.
POLL_ANONYMOUS = 5
POLL_MEMBER = 8
# Survey results: session, user, memberships; the survey with its two member counts; the community's segments;
# the questions with sections and answered counts; their options; the grouped counts; the free-text samples.
SURVEY_RESULTS = 10
SIZES = [5, 500]


def people(community, n: int) -> list:
    users = [make_user(first_name=f"Voter{i}") for i in range(n)] if n <= 5 else _bulk_users(n)
    Membership.objects.bulk_create(
        Membership(community=community, user=u, status=Membership.Status.ACTIVE, joined_at=timezone.now())
        for u in users
    )
    return users


def _bulk_users(n: int) -> list:
    from accounts.models import Profile, User

    stamp = random.randrange(10**9)
    users = User.objects.bulk_create(
        User(email=f"bulk-{stamp}-{i}@example.org", first_name=f"Voter{i}", last_name="Bulk") for i in range(n)
    )
    Profile.objects.bulk_create(Profile(user=u) for u in users)
    return users


def fill_poll(poll: Poll, voters: list) -> None:
    choices = list(poll.choices.all())
    ballots = Ballot.objects.bulk_create(Ballot(poll=poll, user=u) for u in voters)
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=b, choice=choices[i % len(choices)]) for i, b in enumerate(ballots)
    )
    for choice in choices:
        Choice.objects.filter(pk=choice.pk).update(vote_count=choice.picks.count())
    Poll.objects.filter(pk=poll.pk).update(voter_count=len(voters))


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


@pytest.mark.parametrize("results", [Poll.Results.ALWAYS, Poll.Results.AFTER_VOTE])
def test_the_poll_page_costs_the_same_with_5_and_500_votes(results, poll, community, member, client):
    counts = {}
    for size in SIZES:
        the_poll = poll(public_voters=True, results=results, question=f"Poll with {size} votes?")
        fill_poll(the_poll, people(community, size))
        vote(the_poll, member, "Spreadsheet")
        path = the_poll.get_absolute_url()
        counts[size] = (count_queries(client, path), count_queries(login(member), path))
        page = login(member).get(path).content.decode()
        assert f"{size + 1} voters" in page

    anonymous, as_member = counts[5]
    assert counts[5] == counts[500]
    assert anonymous <= POLL_ANONYMOUS
    assert as_member <= POLL_MEMBER


def fill_survey(survey: Survey, respondents: list, finance: Segment) -> None:
    questions = list(Question.objects.filter(survey=survey).prefetch_related("options"))
    responses = Response.objects.bulk_create(
        Response(survey=survey, respondent=u, submitted_at=timezone.now(), updated_at=timezone.now())
        for u in respondents
    )
    Participation.objects.bulk_create(Participation(survey=survey, user=u) for u in respondents)
    answers = []
    for i, response in enumerate(responses):
        for question in questions:
            options = list(question.options.all())
            if question.kind == Question.Kind.SINGLE:
                answers.append(Answer(response=response, question=question, option=options[i % len(options)]))
            elif question.kind == Question.Kind.MULTIPLE:
                answers += [Answer(response=response, question=question, option=o) for o in options[: 1 + i % 2]]
            elif question.kind in (Question.Kind.RATING, Question.Kind.NUMBER):
                answers.append(Answer(response=response, question=question, number=Decimal(1 + i % 5)))
            else:
                answers.append(Answer(response=response, question=question, text=f"Idea number {i}"))
    Answer.objects.bulk_create(answers)
    Survey.objects.filter(pk=survey.pk).update(response_count=len(responses))
    Membership.segments.through.objects.bulk_create(
        Membership.segments.through(membership=m, segment=finance)
        for m in Membership.objects.filter(user__in=respondents[::2], community=survey.community_id)
    )


def test_the_survey_results_cost_the_same_with_5_and_500_responses(survey, community, facilitator, finance):
    counts = {}
    as_facilitator = login(facilitator)
    for size in SIZES:
        the_survey = survey(title=f"Survey with {size} responses")
        fill_survey(the_survey, people(community, size), finance)
        path = reverse("polls:survey_results", args=[community.slug, the_survey.pk])
        counts[size] = (
            count_queries(as_facilitator, path),
            count_queries(as_facilitator, f"{path}?segment={finance.pk}"),
        )
        page = as_facilitator.get(path).content.decode()
        assert f"<strong>{size}</strong> of" in page

    assert counts[5] == counts[500]
    assert max(counts[5]) <= SURVEY_RESULTS


def test_the_polls_page_costs_the_same_with_few_and_many_polls(poll, survey, community, member):
    as_member = login(member)
    path = reverse("polls:poll_list", args=[community.slug])
    poll()
    survey()
    few = count_queries(as_member, path)
    for i in range(15):
        fill_poll(poll(question=f"Another poll {i}?"), [])
        survey(title=f"Another survey {i}")

    assert count_queries(as_member, path) == few
    assert Poll.objects.aggregate(n=Count("pk"))["n"] == 16
