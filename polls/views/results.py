"""Survey results for facilitators: response rate, distributions, free text (by segment), CSV."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from communities.access import refuse
from cop_platform.spreadsheets import csv_download

from .. import exports, permissions, selectors
from ..models import Question, Survey

ANSWERS_PER_PAGE = 50


def _results_survey(request, slug, pk) -> Survey:
    survey = get_object_or_404(selectors.results_queryset(), pk=pk, community__slug=slug)
    if not permissions.can_view_survey(request.user, survey):
        if not permissions.can_view_community(request.user, survey.community):
            return refuse(request, survey.community)
        raise PermissionDenied
    if not permissions.can_see_survey_results(request.user, survey):
        raise PermissionDenied("Survey results are for the facilitators.")
    return survey


def _segment(request, survey, segments):
    """The segment filter from ?segment=, ignored for anonymous surveys (answers there cannot be split)."""
    wanted = request.GET.get("segment", "")
    if survey.is_anonymous or not wanted.isdigit():
        return None
    return next((s for s in segments if s.pk == int(wanted)), None)


@login_required
def survey_results(request, slug, pk):
    survey = _results_survey(request, slug, pk)
    if not isinstance(survey, Survey):
        return survey
    segments = selectors.segments_for_results(survey)
    targeted = [s for s in segments if s.targeted]
    asked = survey.segment_members if targeted else survey.all_members
    segment = _segment(request, survey, segments)
    return render(
        request,
        "polls/survey_results.html",
        {
            "community": survey.community,
            "tab": "polls",
            "survey": survey,
            "asked": asked,
            "rate": selectors.percent(survey.response_count, asked),
            "targeted": targeted,
            "segments": [] if survey.is_anonymous else segments,
            "segment": segment,
            "results": selectors.survey_results(survey, segment=segment),
            "samples": selectors.TEXT_SAMPLES,
        },
    )


@login_required
def survey_text_answers(request, slug, pk, question_pk):
    survey = _results_survey(request, slug, pk)
    if not isinstance(survey, Survey):
        return survey
    question = get_object_or_404(Question, pk=question_pk, survey=survey, kind=Question.Kind.TEXT)
    segments = [] if survey.is_anonymous else selectors.segments_for_results(survey)
    segment = _segment(request, survey, segments)
    page = Paginator(selectors.text_answers(survey, question, segment=segment), ANSWERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "polls/survey_text_answers.html",
        {
            "community": survey.community,
            "tab": "polls",
            "survey": survey,
            "question": question,
            "page": page,
            "segments": segments,
            "segment": segment,
            "query": f"segment={segment.pk}" if segment else "",
        },
    )


@login_required
def survey_export(request, slug, pk):
    survey = _results_survey(request, slug, pk)
    if not isinstance(survey, Survey):
        return survey
    name = f"survey-{survey.pk}-{slugify(survey.title)[:40] or 'responses'}.csv"
    return csv_download(name, exports.survey_rows(survey))
