"""Facilitators' side of surveys: write one (from a template), build its sections and questions, publish,
close, reopen and send the one reminder."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..forms import QuestionForm, ReopenForm, SectionForm, SurveyForm
from ..models import Question, Section
from ..survey_templates import TEMPLATES
from ._helpers import community_view, survey_view


def _manager_only(request, survey):
    if not permissions.can_manage_survey(request.user, survey):
        raise PermissionDenied("Only facilitators manage surveys.")


@login_required
@community_view
def survey_create(request, community):
    if not permissions.can_create_survey(request.user, community):
        raise PermissionDenied("Only facilitators write surveys.")
    form = SurveyForm(request.POST or None, community=community, initial={"template": request.GET.get("template", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                community=community,
                by=request.user,
                title=data["title"],
                description=data["description"],
                is_anonymous=data["is_anonymous"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                segments=list(data["segments"]),
                template=data["template"],
            )
        except services.PollError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Draft saved. Add or change questions, then publish it.")
            return redirect("polls:survey_build", slug=community.slug, pk=survey.pk)
    return render(
        request,
        "polls/survey_form.html",
        {"community": community, "tab": "polls", "form": form, "templates": TEMPLATES.values()},
    )


@login_required
@survey_view
def survey_edit(request, survey):
    _manager_only(request, survey)
    if survey.community.is_archived or survey.is_closed:
        raise PermissionDenied("Closed surveys keep their settings; reopen it to change them.")
    fields = ["title", "description", "is_anonymous", "opens_at", "closes_at"]
    initial = {f: getattr(survey, f) for f in fields} | {"segments": list(survey.segments.all())}
    form = SurveyForm(
        request.POST or None,
        community=survey.community,
        editing=True,
        responses=survey.response_count,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_update(
                survey=survey,
                by=request.user,
                segments=list(data["segments"]),
                **{f: data[f] for f in fields if f != "opens_at"},
                opens_at=data["opens_at"] or survey.opens_at,
            )
        except services.PollError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Survey settings saved.")
            return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)
    return render(
        request,
        "polls/survey_form.html",
        {"community": survey.community, "tab": "polls", "form": form, "survey": survey},
    )


def _build_page(request, survey, *, section_form=None, question_form=None, status=200):
    questions = list(Question.objects.filter(survey=survey).prefetch_related("options"))
    sections = list(survey.sections.all())
    for section in sections:
        section.question_list = [q for q in questions if q.section_id == section.pk]
    return render(
        request,
        "polls/survey_build.html",
        {
            "community": survey.community,
            "tab": "polls",
            "survey": survey,
            "sections": sections,
            "question_count": len(questions),
            "can_edit": permissions.can_edit_survey(request.user, survey),
            "can_remind": permissions.can_remind(request.user, survey),
            "section_form": section_form or SectionForm(),
            "question_form": question_form
            or QuestionForm(survey=survey, initial={"section": sections[-1].pk if sections else None}),
        },
        status=status,
    )


@login_required
@survey_view
def survey_build(request, survey):
    """The survey's outline: sections, questions, and forms to add more; plus publish/close/remind."""
    _manager_only(request, survey)
    return _build_page(request, survey)


def _editable(request, survey):
    _manager_only(request, survey)
    if not permissions.can_edit_survey(request.user, survey):
        raise PermissionDenied("Responses have arrived, so the questions can no longer change.")


@login_required
@require_POST
@survey_view
def section_create(request, survey):
    _editable(request, survey)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _build_page(request, survey, section_form=form, status=400)
    services.section_save(survey=survey, by=request.user, **form.cleaned_data)
    messages.success(request, "Section added.")
    return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)


@login_required
@survey_view
def section_edit(request, survey, section_pk):
    _editable(request, survey)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    form = SectionForm(request.POST or None, initial={"title": section.title, "description": section.description})
    if request.method == "POST" and form.is_valid():
        services.section_save(survey=survey, by=request.user, section=section, **form.cleaned_data)
        messages.success(request, "Section saved.")
        return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)
    return render(
        request,
        "polls/section_form.html",
        {"community": survey.community, "tab": "polls", "survey": survey, "section": section, "form": form},
    )


@login_required
@require_POST
@survey_view
def section_delete(request, survey, section_pk):
    _editable(request, survey)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    try:
        services.section_delete(section=section, by=request.user)
    except services.PollError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Section and its questions removed.")
    return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)


def _question_fields(form) -> dict:
    data = form.cleaned_data
    names = ["section", "kind", "text", "required", "help_text", "options", "low_label", "high_label"]
    return {name: data[name] for name in names} | {"min_value": data["min_value"], "max_value": data["max_value"]}


@login_required
@require_POST
@survey_view
def question_create(request, survey):
    _editable(request, survey)
    form = QuestionForm(request.POST, survey=survey)
    if not form.is_valid():
        return _build_page(request, survey, question_form=form, status=400)
    try:
        services.question_save(survey=survey, by=request.user, **_question_fields(form))
    except services.PollError as exc:
        form.add_error(None, str(exc))
        return _build_page(request, survey, question_form=form, status=400)
    messages.success(request, "Question added.")
    return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)


@login_required
@survey_view
def question_edit(request, survey, question_pk):
    _editable(request, survey)
    question = get_object_or_404(Question.objects.prefetch_related("options"), pk=question_pk, survey=survey)
    initial = {
        "section": question.section_id,
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "options": "\n".join(o.label for o in question.options.all()),
        "low_label": question.low_label,
        "high_label": question.high_label,
        "min_value": question.min_value,
        "max_value": question.max_value,
    }
    form = QuestionForm(request.POST or None, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(survey=survey, by=request.user, question=question, **_question_fields(form))
        except services.PollError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Question saved.")
            return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)
    return render(
        request,
        "polls/question_form.html",
        {"community": survey.community, "tab": "polls", "survey": survey, "question": question, "form": form},
    )


@login_required
@require_POST
@survey_view
def question_delete(request, survey, question_pk):
    _editable(request, survey)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    services.question_delete(question=question, by=request.user)
    messages.success(request, "Question removed.")
    return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)


@login_required
@require_POST
@survey_view
def question_move(request, survey, question_pk):
    _editable(request, survey)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    services.question_move(question=question, by=request.user, step=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(f"{survey.get_absolute_url()}build/#question-{question.pk}")


@login_required
@require_POST
@survey_view
def survey_publish(request, survey):
    _manager_only(request, survey)
    try:
        services.survey_publish(survey=survey, by=request.user)
    except services.PollError as exc:
        messages.error(request, str(exc))
        return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)
    messages.success(request, "Survey published. Members will hear about it when it opens.")
    return redirect(survey)


@login_required
@require_POST
@survey_view
def survey_close(request, survey):
    _manager_only(request, survey)
    try:
        services.survey_close(survey=survey, by=request.user)
    except services.PollError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Survey closed. The results are final unless you reopen it.")
    return redirect("polls:survey_results", slug=survey.community.slug, pk=survey.pk)


@login_required
@require_POST
@survey_view
def survey_reopen(request, survey):
    _manager_only(request, survey)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a valid closing date, or leave it empty.")
    else:
        try:
            services.survey_reopen(survey=survey, by=request.user, closes_at=form.cleaned_data["closes_at"])
        except services.PollError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Survey reopened: members can respond again.")
    return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)


@login_required
@require_POST
@survey_view
def survey_remind(request, survey):
    _manager_only(request, survey)
    try:
        services.survey_remind(survey=survey, by=request.user)
    except services.PollError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Reminder sent to the members who have not responded, as their alert settings say.")
    return redirect("polls:survey_build", slug=survey.community.slug, pk=survey.pk)
