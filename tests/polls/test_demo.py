"""The demo has what the issue promises: a live poll in the benefits-tracking thread, a closed poll with results,
and the "priorities for next quarter" survey with 30 responses; running it twice adds nothing."""

import io

import pytest
from django.core.management import call_command

from polls.models import Ballot, Poll, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_has_a_live_poll_a_closed_poll_and_the_priorities_survey(demo, client):
    live = Poll.objects.get(question="Which method do you use for benefits tracking?")
    closed = Poll.objects.exclude(pk=live.pk).get()
    survey = Survey.objects.get(title="Priorities for next quarter")

    assert live.is_open and live.voter_count == Ballot.objects.filter(poll=live).count() > 10
    assert closed.is_closed and closed.voter_count > 10
    assert survey.is_open and survey.response_count == survey.responses.count() == 30
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Results" in page and f"{closed.voter_count} voters" in page


def test_seeding_twice_adds_nothing(demo):
    before = (Poll.objects.count(), Ballot.objects.count(), Survey.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Poll.objects.count(), Ballot.objects.count(), Survey.objects.count()) == before
