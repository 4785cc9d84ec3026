"""What members answered in an anonymous survey never reaches the facilitation pages or their exports, and nothing
there ties a response to the member who gave it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent
from facilitation import rollups
from facilitation.models import Evidence, LabelDay, Topic
from polls import services as poll_services
from polls.models import Response
from tests.helpers import login
from tests.polls.conftest import answers_for, survey  # noqa: F401 (survey is a fixture)

pytestmark = pytest.mark.django_db

SECRET = "Only-I-know-this-7731"
PAGES = ["today", "health", "ladder", "knowledge_map", "cohorts", "lifecycle", "ask_who_knows"]
TABLES = ["summary", "weekly", "tags", "categories"]


def test_anonymous_survey_answers_are_never_attributed(survey, community, member, facilitator):  # noqa: F811
    the_survey = survey(is_anonymous=True)
    submitted = poll_services.response_submit(
        survey=the_survey, user=member, answers=answers_for(the_survey, text=SECRET, rating="2")
    )
    ActivityEvent.objects.filter(verb="survey_responded").update(created_at=timezone.now() - timedelta(days=1))
    rollups.rollup_community(community)

    event = ActivityEvent.objects.get(verb="survey_responded")
    assert event.target_id == the_survey.pk  # the survey, never the response
    assert Response.objects.filter(pk=submitted.response.pk, respondent__isnull=True).exists()
    assert not {"response", "answers", "topic", "tags"} & set(event.data or {})
    assert not Topic.objects.filter(community=community).exists()
    assert not Evidence.objects.filter(community=community).exists()
    assert not LabelDay.objects.filter(name__icontains=SECRET).exists()

    client = login(facilitator)
    shown = [reverse(f"facilitation:{name}", args=[community.slug]) for name in PAGES]
    shown += [reverse("facilitation:health_csv", args=[community.slug, table]) + "?days=7" for table in TABLES]
    for path in shown:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert SECRET not in body and submitted.edit_key not in body, path
