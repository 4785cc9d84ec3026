"""Every survey action, tried by every persona through the views, including a member outside the survey's
segments: who may respond, build, close, remind, read results and export, and that refusals write nothing."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from communities.models import ActivityEvent, Community, ModerationAction
from polls.models import Answer, Participation, Question, Response, Survey

from ..helpers import assert_kept_out, text_of
from .conftest import form_data

pytestmark = pytest.mark.django_db

PERSONAS = ["member", "facilitator", "outsider", "anonymous", "banned", "outside_segment"]
ASKED = {"member", "facilitator"}  # active members in the "finance" segment


@pytest.fixture
def targeted(survey, finance, member, facilitator, community):
    """A survey for the finance segment, which the member and the facilitator are in."""
    for user in (member, facilitator):
        community.memberships.get(user=user).segments.add(finance)

    def make(**kw):
        return survey(segments=[finance], **kw)

    return make


def survey_rows():
    models = (Survey, Question, Response, Answer, Participation, ModerationAction)
    return [list(m.objects.order_by("pk").values()) for m in models]


def url(survey, name, *args):
    return reverse(f"polls:{name}", args=[survey.community.slug, survey.pk, *args])


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL)), response.url


@pytest.mark.parametrize("state", ["open", "scheduled", "closed"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_members_the_survey_asks_respond_and_only_while_it_is_open(
    persona, state, targeted, client_as, request, outside_segment
):
    the_survey = targeted(state=state)
    before = survey_rows()

    response = client_as(persona).post(url(the_survey, "survey_respond"), form_data(the_survey))

    if persona in ASKED and state == "open":
        assert response.status_code == 302
        user = request.getfixturevalue(persona)
        assert Participation.objects.filter(survey=the_survey, user=user).exists()
        assert Response.objects.filter(survey=the_survey, respondent=user).count() == 1
        return
    if persona == "anonymous":
        assert_login_redirect(response)
    elif persona in ASKED:
        assert response.status_code == (409 if state == "closed" else 400)
    else:
        assert response.status_code == 403
    assert survey_rows() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_survey_page_tells_each_persona_what_they_can_do(persona, targeted, client_as, outside_segment):
    the_survey = targeted()

    response = client_as(persona).get(the_survey.get_absolute_url())

    assert response.status_code == 200
    page = text_of(response)
    has_form = "Send my response" in page
    assert has_form is (persona in ASKED)
    if persona == "outside_segment":
        assert "asks members of particular segments only" in page
    if persona == "anonymous":
        assert "Log in to respond" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_drafts_are_seen_by_facilitators_only(persona, survey, client_as, outside_segment):
    draft = survey(publish=False)

    response = client_as(persona).get(draft.get_absolute_url())

    assert response.status_code == (200 if persona == "facilitator" else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_private_communitys_survey_is_for_its_members_only(persona, survey, client_as, community, outside_segment):
    the_survey = survey()
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PRIVATE)

    response = client_as(persona).get(the_survey.get_absolute_url())

    if persona in {"member", "facilitator", "outside_segment"}:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert_kept_out(response, community)


MANAGER_PAGES = [("survey_build", ()), ("survey_results", ()), ("survey_export", ()), ("survey_edit", ())]


@pytest.mark.parametrize("page,args", MANAGER_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_building_results_and_export_are_for_facilitators(persona, page, args, targeted, client_as, outside_segment):
    the_survey = targeted()

    response = client_as(persona).get(url(the_survey, page, *args))

    if persona == "facilitator":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == 403


MANAGER_ACTIONS = ["survey_close", "survey_remind", "survey_publish", "question_create", "section_create"]


@pytest.mark.parametrize("action", MANAGER_ACTIONS)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "facilitator"])
def test_managing_actions_are_refused_to_everyone_but_facilitators(
    persona, action, targeted, client_as, outside_segment
):
    the_survey = targeted()
    before = survey_rows()
    events = ActivityEvent.objects.count()

    response = client_as(persona).post(url(the_survey, action), {"title": "X", "text": "X", "kind": "text"})

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == 403
    assert survey_rows() == before
    assert ActivityEvent.objects.count() == events


def test_a_facilitator_closes_reopens_and_reminds_once(targeted, as_facilitator):
    the_survey = targeted()

    assert as_facilitator.post(url(the_survey, "survey_remind")).status_code == 302
    again = as_facilitator.post(url(the_survey, "survey_remind"), follow=True)
    assert "already been sent" in text_of(again)
    assert ActivityEvent.objects.filter(verb="survey_reminder").count() == 1
    assert as_facilitator.post(url(the_survey, "survey_close")).status_code == 302
    assert Survey.objects.get(pk=the_survey.pk).is_closed
    assert as_facilitator.post(url(the_survey, "survey_reopen")).status_code == 302
    assert Survey.objects.get(pk=the_survey.pk).is_open


def test_questions_are_fixed_once_the_first_response_arrives(targeted, as_facilitator, member):
    from polls import services

    from .conftest import answers_for

    the_survey = targeted()
    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey))
    question = the_survey.questions.first()
    before = survey_rows()

    assert as_facilitator.get(url(the_survey, "question_edit", question.pk)).status_code == 403
    assert as_facilitator.post(url(the_survey, "question_delete", question.pk)).status_code == 403
    assert as_facilitator.post(url(the_survey, "question_create"), {"text": "New?", "kind": "text"}).status_code == 403
    assert survey_rows() == before
