"""Building a survey, responding, changing a response, the results, and anonymous surveys' storage."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from communities.models import ActivityEvent
from polls import selectors, services
from polls.models import Answer, Participation, Question, Response, Survey
from polls.survey_templates import TEMPLATES

from ..factories import make_membership, make_user
from .conftest import answers_for, form_data, text_of

pytestmark = pytest.mark.django_db


def url(survey, name, *args):
    return reverse(f"polls:{name}", args=[survey.community.slug, survey.pk, *args])


# --- Building ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_every_template_starts_a_draft_that_can_be_published(key, as_facilitator, community):
    response = as_facilitator.post(reverse("polls:survey_create", args=[community.slug]), {"template": key})

    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == url(survey, "survey_build")
    template = TEMPLATES[key]
    assert survey.title == template.title and survey.is_draft
    assert survey.questions.count() == sum(len(qs) for _, qs in template.sections)
    assert [s.title for s in survey.sections.all()] == [title for title, _ in template.sections]
    assert as_facilitator.post(url(survey, "survey_publish")).status_code == 302
    assert Survey.objects.get().is_open
    assert ActivityEvent.objects.filter(verb="survey_opened").count() == 1


def test_a_blank_survey_needs_a_question_before_it_is_published(as_facilitator, community):
    as_facilitator.post(reverse("polls:survey_create", args=[community.slug]), {"title": "Quick check-in"})
    survey = Survey.objects.get()

    refused = as_facilitator.post(url(survey, "survey_publish"), follow=True)

    assert "Add at least one question" in text_of(refused)
    assert Survey.objects.get().is_draft
    section = survey.sections.get()
    added = as_facilitator.post(
        url(survey, "question_create"),
        {
            "section": section.pk,
            "kind": "single",
            "text": "Coffee or tea?",
            "required": "on",
            "options": "Coffee\nTea",
        },
    )
    assert added.status_code == 302
    assert as_facilitator.post(url(survey, "survey_publish")).status_code == 302
    assert Survey.objects.get().published_at is not None


def test_a_refused_question_keeps_what_the_facilitator_typed(survey, as_facilitator):
    draft = survey(publish=False)

    response = as_facilitator.post(
        url(draft, "question_create"),
        {"section": draft.sections.get().pk, "kind": "multiple", "text": "Which tools?", "options": "Only one"},
    )

    assert response.status_code == 400
    assert "Give 2 to 20 options" in text_of(response)
    assert "Which tools?" in response.content.decode()
    assert not draft.questions.filter(text="Which tools?").exists()


def test_questions_move_within_their_section(survey, facilitator):
    draft = survey(publish=False)
    first, second = list(draft.questions.all())[:2]

    services.question_move(question=second, by=facilitator, step=-1)

    assert list(draft.questions.values_list("pk", flat=True))[:2] == [second.pk, first.pk]


# --- Responding ----------------------------------------------------------------------------------------------


def test_a_member_responds_and_can_change_their_answers_until_it_closes(survey, as_member, member):
    the_survey = survey()

    sent = as_member.post(url(the_survey, "survey_respond"), form_data(the_survey, text="More templates"))
    changed = as_member.post(
        url(the_survey, "survey_respond"), form_data(the_survey, single="Webinars", text="More webinars")
    )

    assert sent.status_code == changed.status_code == 302
    response = Response.objects.get(survey=the_survey, respondent=member)
    texts = set(Answer.objects.filter(response=response).exclude(text="").values_list("text", flat=True))
    assert texts == {"More webinars"}
    assert Survey.objects.get(pk=the_survey.pk).response_count == 1
    page = as_member.get(the_survey.get_absolute_url())
    assert "You have responded" in text_of(page)
    assert "More webinars" in page.content.decode()  # the form comes back filled in


def test_a_missing_required_answer_is_refused_with_every_other_answer_kept(survey, as_member):
    the_survey = survey()
    data = form_data(the_survey, text="Keep this text")
    single = the_survey.questions.get(kind=Question.Kind.SINGLE)
    del data[single.field_name]

    response = as_member.post(url(the_survey, "survey_respond"), data)

    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert "Keep this text" in response.content.decode()
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_closed_survey_refuses_a_response_and_keeps_the_answers_on_screen(survey, as_member):
    the_survey = survey(state="closed")

    response = as_member.post(url(the_survey, "survey_respond"), form_data(the_survey, text="Too late?"))

    assert response.status_code == 409
    assert "This survey has closed" in text_of(response)
    assert "Too late?" in response.content.decode()
    assert not Response.objects.exists()


def test_numbers_outside_the_allowed_range_are_refused(survey, as_member):
    the_survey = survey()
    data = form_data(the_survey, number=-3)

    response = as_member.post(url(the_survey, "survey_respond"), data)

    assert response.status_code == 400
    assert "greater than or equal to 0" in text_of(response)


def test_a_rating_outside_one_to_five_is_refused_by_the_service(survey, member):
    the_survey = survey()

    with pytest.raises(services.PollError, match="1 to 5"):
        services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey, rating="9"))


# --- Anonymous surveys ---------------------------------------------------------------------------------------


def test_an_anonymous_response_is_changed_only_through_the_private_link(survey, as_member, member):
    the_survey = survey(is_anonymous=True)

    thanks = as_member.post(url(the_survey, "survey_respond"), form_data(the_survey, text="First thoughts"))

    assert thanks.status_code == 200
    key = thanks.content.decode().split("/response/")[1].split("/")[0]
    again = as_member.post(url(the_survey, "survey_respond"), form_data(the_survey, text="Second go"))
    assert again.status_code == 400 and "private link" in text_of(again)
    assert as_member.get(url(the_survey, "survey_anonymous_edit", "not-the-key")).status_code == 302
    edit = as_member.get(url(the_survey, "survey_anonymous_edit", key))
    assert "First thoughts" in edit.content.decode()
    data = form_data(the_survey, text="Second go") | {"edit_key": key}
    assert as_member.post(url(the_survey, "survey_respond"), data).status_code == 302
    assert list(Answer.objects.exclude(text="").values_list("text", flat=True)) == ["Second go"]
    assert Response.objects.count() == 1 and Participation.objects.filter(user=member).count() == 1


def _columns(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name: column for column in description}


def test_an_anonymous_surveys_stored_rows_cannot_be_joined_back_to_a_member(survey, member, other, facilitator):
    """Schema: responses and answers have no column that refers to a person, and no clock. Rows: in an
    anonymous survey every such column is empty, the keys are random, and nothing on a response equals
    anything on the participation rows that name the members."""
    the_survey = survey(is_anonymous=True)
    people = [member, other, facilitator]
    for index, person in enumerate(people):
        services.response_submit(survey=the_survey, user=person, answers=answers_for(the_survey, text=f"Idea {index}"))

    user_table = member._meta.db_table
    for model in (Response, Answer):
        relations = connection.introspection.get_relations(connection.cursor(), model._meta.db_table)
        referenced = {table for _, table in relations.values()}
        if model is Response:
            # The one column that could name a person is `respondent`, left empty for every anonymous response.
            assert {c for c, (_, table) in relations.items() if table == user_table} == {"respondent_id"}
        else:
            assert user_table not in referenced
    assert set(_columns(Answer)) == {"id", "response_id", "question_id", "option_id", "number", "text"}
    assert set(_columns(Response)) == {
        "id",
        "survey_id",
        "respondent_id",
        "edit_key_hash",
        "submitted_at",
        "updated_at",
    }

    rows = list(Response.objects.filter(survey=the_survey).values())
    assert len(rows) == 3
    for row in rows:
        assert row["respondent_id"] is None
        assert row["submitted_at"] is None and row["updated_at"] is None
        assert row["id"].version == 4  # random, so the order of keys is not the order of arrival
        assert len(row["edit_key_hash"]) == 64
    participation = list(Participation.objects.filter(survey=the_survey).values())
    names = {str(v) for p in participation for v in p.values()} | {str(p.pk) for p in people}
    for row in rows + list(Answer.objects.filter(response__survey=the_survey).values()):
        assert not ({str(v) for k, v in row.items() if k not in ("survey_id", "question_id", "option_id")} & names)
    assert all(p["user_id"] in {m.pk for m in people} for p in participation)
    # And no reverse path: nothing in the app can ask "which response is this member's?"
    assert not Response.objects.filter(survey=the_survey, respondent=member).exists()


def test_anonymous_results_are_not_split_by_segment(survey, as_facilitator, finance, member, community):
    community.memberships.get(user=member).segments.add(finance)
    the_survey = survey(is_anonymous=True)
    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey, text="Hello"))

    page = as_facilitator.get(url(the_survey, "survey_results") + f"?segment={finance.pk}")

    assert "Show answers from" not in text_of(page)
    assert "Showing answers from members in" not in text_of(page)
    assert "Hello" in text_of(page)


# --- Results -------------------------------------------------------------------------------------------------


@pytest.fixture
def answered(survey, community, finance):
    """A named survey answered by four members, two of them in the finance segment."""
    the_survey = survey()
    spec = [
        ("Hot seats", ("Risk", "Agile"), "5", Decimal(2), "Templates please", True),
        ("Hot seats", ("Risk",), "4", Decimal(4), "More hot seats", True),
        ("Forums", ("Benefits",), "4", None, "", False),
        ("Webinars", ("Risk",), "1", Decimal(9), "Shorter newsletters", False),
    ]
    for single, multiple, rating, number, text, in_finance in spec:
        person = make_membership(community, make_user()).user
        if in_finance:
            community.memberships.get(user=person).segments.add(finance)
        services.response_submit(
            survey=the_survey,
            user=person,
            answers=answers_for(the_survey, single=single, multiple=multiple, rating=rating, number=number, text=text),
        )
    return the_survey


def test_results_give_each_questions_distribution(answered):
    results = {r.question.kind: r for r in selectors.survey_results(answered)}

    assert results["single"].rows == [("Hot seats", 2, 50), ("Forums", 1, 25), ("Webinars", 1, 25)]
    assert results["multiple"].rows == [("Risk", 3, 75), ("Benefits", 1, 25), ("Agile", 1, 25)]
    assert [n for _, n, _ in results["rating"].rows] == [1, 0, 0, 2, 1]
    assert results["rating"].stats["mean"] == Decimal("3.5")
    number = results["number"].stats
    assert (number["count"], number["min"], number["median"], number["max"]) == (3, 2, 4, 9)
    assert results["number"].answered == 3
    assert results["text"].texts == ["More hot seats", "Shorter newsletters", "Templates please"]


def test_results_narrow_to_a_segment(answered, finance):
    results = {r.question.kind: r for r in selectors.survey_results(answered, segment=finance)}

    assert results["single"].rows == [("Hot seats", 2, 100), ("Forums", 0, 0), ("Webinars", 0, 0)]
    assert results["text"].texts == ["More hot seats", "Templates please"]


def test_the_results_page_shows_the_response_rate_and_filters_free_text(answered, as_facilitator, finance):
    page = text_of(as_facilitator.get(url(answered, "survey_results")))
    # The community has the facilitator plus the four respondents: 4 of 5 asked responded.
    assert "4 of 5 members asked responded: 80%" in page

    filtered = text_of(as_facilitator.get(url(answered, "survey_results") + f"?segment={finance.pk}"))
    assert "Templates please" in filtered and "Shorter newsletters" not in filtered
    text_question = answered.questions.get(kind=Question.Kind.TEXT)
    listing = as_facilitator.get(url(answered, "survey_text_answers", text_question.pk) + f"?segment={finance.pk}")
    assert "2 answers from members in finance" in text_of(listing)


def test_the_response_rate_counts_only_the_members_a_targeted_survey_asks(survey, community, finance, member):
    community.memberships.get(user=member).segments.add(finance)
    the_survey = survey(segments=[finance])
    make_membership(community, make_user())  # in no segment: not asked
    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey))

    loaded = selectors.results_queryset().get(pk=the_survey.pk)

    assert loaded.segment_members == 1
    assert loaded.all_members == 3  # facilitator, member and the unsegmented member
