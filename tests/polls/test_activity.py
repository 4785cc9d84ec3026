"""What polls and surveys tell the rest of the platform: opened, closing soon, voted, responded, reminded."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from communities.models import ActivityEvent, SearchDocument
from polls import services

from .conftest import answers_for, vote

pytestmark = pytest.mark.django_db


def verbs() -> list[str]:
    return list(ActivityEvent.objects.order_by("pk").values_list("verb", flat=True))


def test_a_poll_opening_now_is_announced_once_and_a_scheduled_one_when_it_opens(poll):
    poll(question="Open now?")
    later = poll(state="scheduled", question="Tomorrow?")
    assert verbs() == ["poll_opened"]

    assert services.send_reminders() == 0
    with time_machine.travel(later.opens_at + timedelta(minutes=1)):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0  # a second run says nothing new
    assert verbs() == ["poll_opened", "poll_opened"]


def test_closing_soon_is_recorded_once_a_day_before_the_close(poll, survey):
    closes = timezone.now() + timedelta(days=3)
    the_poll = poll(closes_at=closes)
    the_survey = survey(closes_at=closes)
    ActivityEvent.objects.all().delete()

    assert services.send_reminders() == 0
    with time_machine.travel(closes - timedelta(hours=23)):
        assert services.send_reminders() == 2
        assert services.send_reminders() == 0
    assert sorted(verbs()) == ["poll_closing_soon", "survey_closing_soon"]
    targets = set(ActivityEvent.objects.values_list("target_id", flat=True))
    assert targets == {the_poll.pk, the_survey.pk}


def test_a_closed_poll_is_not_said_to_be_closing(poll):
    the_poll = poll(closes_at=timezone.now() + timedelta(hours=10))
    services.poll_close(poll=the_poll, by=the_poll.created_by)
    ActivityEvent.objects.all().delete()

    assert services.send_reminders() == 0


def test_a_draft_survey_is_never_announced(survey):
    survey(publish=False)

    assert services.send_reminders() == 0
    assert "survey_opened" not in verbs()


def test_a_first_vote_and_a_first_response_are_participation_a_change_is_not(poll, survey, member):
    the_poll, the_survey = poll(), survey()
    ActivityEvent.objects.all().delete()

    vote(the_poll, member, "Spreadsheet")
    vote(the_poll, member, "PPM tool")
    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey))
    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey, rating="2"))

    assert verbs() == ["poll_voted", "survey_responded"]
    assert set(ActivityEvent.objects.values_list("actor", flat=True)) == {member.pk}


def test_polls_on_the_polls_page_and_published_surveys_are_found_by_search(poll, survey):
    the_poll = poll(question="Which benefits tracking method?", choices=["Spreadsheet register", "PPM module"])
    draft = survey(publish=False, title="A draft nobody should find")
    published = survey(title="Priorities for next quarter")

    kinds = dict(SearchDocument.objects.values_list("kind", "target_id"))
    assert kinds == {"poll": the_poll.pk, "survey": published.pk}
    assert "Spreadsheet register" in SearchDocument.objects.get(kind="poll").body
    assert not SearchDocument.objects.filter(title=draft.title).exists()
