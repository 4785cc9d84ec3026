"""Members' side of surveys: read the introduction, respond, change the response until it closes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..forms import ResponseForm
from ..models import Answer, Participation, Question, Response
from ._helpers import survey_view


def _questions(survey):
    return list(Question.objects.filter(survey=survey).select_related("section").prefetch_related("options"))


def _sections(form: ResponseForm):
    """The form's fields grouped under their sections, in order, for the template."""
    groups = []
    for question in form.questions:
        if not groups or groups[-1][0].pk != question.section_id:
            groups.append((question.section, []))
        groups[-1][1].append((question, form[question.field_name]))
    return groups


def _page(request, survey, form, *, status=200, edit_key="", error=""):
    user = request.user
    responded = user.is_authenticated and Participation.objects.filter(survey=survey, user=user).exists()
    return render(
        request,
        "polls/survey_detail.html",
        {
            "community": survey.community,
            "tab": "polls",
            "survey": survey,
            "form": form,
            "sections": _sections(form),
            "responded": responded,
            "can_respond": permissions.can_respond(user, survey),
            "targeted": user.is_authenticated and permissions.is_targeted(user, survey),
            "is_participant": permissions.can_participate(user, survey.community),
            "can_manage": permissions.can_manage_survey(user, survey),
            "edit_key": edit_key,
            "error": error,
        },
        status=status,
    )


def _stored_answers(response: Response | None):
    if response is None:
        return []
    return Answer.objects.filter(response=response).select_related("question")


@login_not_required
@survey_view
def survey_detail(request, survey):
    """The survey's introduction and, for a member it asks, the form (filled in when they have responded)."""
    questions = _questions(survey)
    response = None
    if request.user.is_authenticated and not survey.is_anonymous:
        response = Response.objects.filter(survey=survey, respondent=request.user).first()
    form = ResponseForm(questions=questions, initial=ResponseForm.initial_from(_stored_answers(response)))
    return _page(request, survey, form)


@login_required
@survey_view
def survey_anonymous_edit(request, survey, key):
    """The private link of an anonymous response: the only way back to it, because nothing else leads there."""
    response = services.anonymous_response(survey, key)
    if response is None:
        messages.error(request, "That private link does not open a response to this survey.")
        return redirect(survey)
    form = ResponseForm(questions=_questions(survey), initial=ResponseForm.initial_from(_stored_answers(response)))
    return _page(request, survey, form, edit_key=key)


@login_required
@require_POST
@survey_view
def survey_respond(request, survey):
    """Send or change a response. A refused response (closed, invalid) comes back with every answer kept."""
    if not permissions.can_participate(request.user, survey.community) or not permissions.is_targeted(
        request.user, survey
    ):
        raise PermissionDenied("This survey is not asking you.")
    key = request.POST.get("edit_key", "")[:100]
    form = ResponseForm(request.POST, questions=_questions(survey))
    if not form.is_valid():
        return _page(request, survey, form, status=400, edit_key=key, error="Some answers need another look.")
    try:
        submitted = services.response_submit(survey=survey, user=request.user, answers=form.answers(), edit_key=key)
    except services.PollError as exc:
        return _page(request, survey, form, status=409 if survey.is_closed else 400, edit_key=key, error=str(exc))
    if submitted.edit_key:
        # Shown once: the key is not stored anywhere that names the member, so nobody can show it again.
        return render(
            request,
            "polls/survey_thanks.html",
            {"community": survey.community, "tab": "polls", "survey": survey, "edit_key": submitted.edit_key},
        )
    messages.success(
        request, "Thank you! Your response is in." if submitted.created else "Your changes to your response are saved."
    )
    return redirect(survey)
