"""Hostile or broken input on the polls pages gets a clear refusal, never a server error."""

import pytest
from django.urls import reverse

from polls.models import Ballot

pytestmark = pytest.mark.django_db

JUNK = ["", "abc", "-1", "0", "1.5", "9" * 30, "<script>", "' OR 1=1 --", "\x00"]


@pytest.mark.parametrize("value", JUNK)
def test_junk_choices_and_filters_are_refused_without_an_error(
    value, poll, survey, as_member, as_facilitator, community
):
    the_poll, the_survey = poll(), survey()
    slug = community.slug

    vote = as_member.post(reverse("polls:poll_vote", args=[slug, the_poll.pk]), {"choice": value})
    assert vote.status_code == 400
    assert not Ballot.objects.exists()
    for url in (
        reverse("polls:poll_list", args=[slug]) + f"?page={value}",
        reverse("polls:survey_results", args=[slug, the_survey.pk]) + f"?segment={value}",
        reverse("polls:poll_create", args=[slug]) + f"?thread={value}",
        reverse("polls:poll_voters", args=[slug, the_poll.pk]) + f"?page={value}",
    ):
        # 400: a NUL anywhere in a request is refused before any view (cop_platform.middleware.RejectNulMiddleware)
        assert as_facilitator.get(url).status_code in (200, 400, 403, 404), url
    respond = as_member.post(
        reverse("polls:survey_respond", args=[slug, the_survey.pk]), {"edit_key": value, "q1": value}
    )
    assert respond.status_code == 400


def test_a_key_that_is_too_large_for_the_database_is_not_found(as_member, community):
    huge = 2**70
    assert as_member.get(f"/c/{community.slug}/polls/{huge}/").status_code == 404
    assert as_member.get(f"/c/{community.slug}/polls/surveys/{huge}/").status_code == 404
