"""Survey writes: build (sections, questions, options), publish, respond, close, reopen and remind."""

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from communities import activity, moderation, search
from communities.models import Community, ModerationAction
from cop_platform.markup import render_markdown_safe

from .. import permissions
from ..models import RATING_POINTS, Answer, Option, Participation, Question, Response, Section, Survey
from ..survey_templates import TEMPLATES
from .errors import PollError

MAX_OPTIONS = 20


# --- Building ------------------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    community: Community,
    by,
    title: str,
    description: str = "",
    is_anonymous: bool = False,
    opens_at=None,
    closes_at=None,
    segments=(),
    template: str = "",
) -> Survey:
    """A draft survey, empty or filled from a template; nobody but facilitators sees it until it is published."""
    if not permissions.can_create_survey(by, community):
        raise PollError("Only facilitators write surveys.")
    opens_at = opens_at or timezone.now()
    if closes_at is not None and closes_at <= opens_at:
        raise PollError("The survey must close after it opens.")
    if any(s.community_id != community.pk for s in segments):
        raise PollError("Choose segments of this community.")
    source = TEMPLATES.get(template) if template else None
    survey = Survey.objects.create(
        community=community,
        title=" ".join((title or (source.title if source else "")).split()),
        description=description or (source.description if source else ""),
        is_anonymous=is_anonymous,
        opens_at=opens_at,
        closes_at=closes_at,
        template=source.key if source else "",
        created_by=by,
    )
    survey.description_html = render_markdown_safe(survey.description) if survey.description else ""
    survey.save(update_fields=["description_html"])
    survey.segments.set(segments)
    if source is not None:
        for position, (section_title, questions) in enumerate(source.sections):
            section = Section.objects.create(survey=survey, title=section_title, position=position)
            for q_position, q in enumerate(questions):
                question = Question.objects.create(
                    survey=survey,
                    section=section,
                    kind=q.kind,
                    text=q.text,
                    help_text=q.help_text,
                    required=q.required,
                    position=q_position,
                    low_label=q.low_label,
                    high_label=q.high_label,
                )
                Option.objects.bulk_create(
                    Option(question=question, label=label, position=i) for i, label in enumerate(q.options)
                )
    else:
        Section.objects.create(survey=survey, title="Questions", position=0)
    return survey


def _check_editable(by, survey: Survey) -> None:
    if not permissions.can_edit_survey(by, survey):
        raise PollError("Responses have arrived, so the questions can no longer change.")


@transaction.atomic
def survey_update(*, survey: Survey, by, segments=None, **fields) -> Survey:
    """Change the survey's title, description, dates, anonymity and target segments."""
    survey = Survey.objects.select_for_update(of=("self",)).select_related("community").get(pk=survey.pk)
    if not permissions.can_manage_survey(by, survey) or survey.community.is_archived:
        raise PollError("Only facilitators edit surveys.")
    if survey.response_count and any(
        k in fields and fields[k] != getattr(survey, k) for k in ("is_anonymous", "opens_at")
    ):
        raise PollError("People have responded, so anonymity and the opening date stay as they were.")
    if survey.response_count and segments is not None and {s.pk for s in segments} != permissions.segment_ids(survey):
        raise PollError("People have responded, so the survey keeps asking the same members.")
    for name, value in fields.items():
        setattr(survey, name, value)
    if survey.closes_at is not None and survey.closes_at <= survey.opens_at:
        raise PollError("The survey must close after it opens.")
    if segments is not None and any(s.community_id != survey.community_id for s in segments):
        raise PollError("Choose segments of this community.")
    survey.title = " ".join(survey.title.split())
    survey.description_html = render_markdown_safe(survey.description) if survey.description else ""
    if "closes_at" in fields:
        survey.closing_reminded_at = None
    survey.save()
    if segments is not None:
        survey.segments.set(segments)
    if not survey.is_draft:
        index_survey(survey)
    return survey


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_save(*, survey: Survey, by, title: str, description: str = "", section: Section | None = None) -> Section:
    """Add a section at the end, or rename one."""
    _check_editable(by, survey)
    if section is None:
        section = Section(survey=survey, position=_next_position(survey.sections.all()))
    section.title = " ".join(title.split())
    section.description = description.strip()
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    """Remove a section and its questions; a survey keeps at least one section."""
    survey = section.survey
    _check_editable(by, survey)
    if survey.sections.count() <= 1:
        raise PollError("A survey needs at least one section.")
    section.delete()


def clean_options(labels) -> list[str]:
    cleaned = [" ".join(str(label).split())[:200] for label in labels]
    cleaned = [label for label in cleaned if label]
    if len(cleaned) < 2:
        raise PollError("Give at least two options.")
    if len(cleaned) > MAX_OPTIONS:
        raise PollError(f"A question has at most {MAX_OPTIONS} options.")
    if len({label.casefold() for label in cleaned}) != len(cleaned):
        raise PollError("Two options read the same; make each option different.")
    return cleaned


@transaction.atomic
def question_save(
    *,
    survey: Survey,
    by,
    section: Section,
    kind: str,
    text: str,
    required: bool = True,
    help_text: str = "",
    options=(),
    low_label: str = "",
    high_label: str = "",
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    question: Question | None = None,
) -> Question:
    """Add a question to a section (at its end), or change one; choice questions take 2 to 20 options."""
    _check_editable(by, survey)
    if section.survey_id != survey.pk:
        raise PollError("Choose a section of this survey.")
    labels = clean_options(options) if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) else []
    if min_value is not None and max_value is not None and min_value > max_value:
        raise PollError("The smallest allowed number is larger than the largest.")
    if question is None:
        question = Question(survey=survey, position=_next_position(section.questions.all()))
    elif question.section_id != section.pk:
        question.position = _next_position(section.questions.all())
    question.section = section
    question.kind = kind
    question.text = " ".join(text.split())
    question.required = required
    question.help_text = help_text.strip()
    question.low_label = low_label.strip() if kind == Question.Kind.RATING else ""
    question.high_label = high_label.strip() if kind == Question.Kind.RATING else ""
    question.min_value = min_value if kind == Question.Kind.NUMBER else None
    question.max_value = max_value if kind == Question.Kind.NUMBER else None
    question.save()
    question.options.all().delete()
    Option.objects.bulk_create(Option(question=question, label=label, position=i) for i, label in enumerate(labels))
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    _check_editable(by, question.survey)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, by, step: int) -> None:
    """Swap a question with its neighbour above (step -1) or below (step +1) in its section."""
    _check_editable(by, question.survey)
    siblings = list(Question.objects.filter(section=question.section_id).order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, q in enumerate(siblings):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


# --- Life cycle ----------------------------------------------------------------------------------------------


@transaction.atomic
def survey_publish(*, survey: Survey, by) -> Survey:
    """Publish a draft: members see it from its opening date, and hear when it opens."""
    survey = Survey.objects.select_for_update(of=("self",)).select_related("community").get(pk=survey.pk)
    if not permissions.can_create_survey(by, survey.community):
        raise PollError("Only facilitators publish surveys.")
    if not survey.is_draft:
        return survey
    questions = list(survey.questions.prefetch_related("options"))
    if not questions:
        raise PollError("Add at least one question before publishing.")
    if any(q.has_options and len(q.options.all()) < 2 for q in questions):
        raise PollError("Every choice question needs at least two options.")
    now = timezone.now()
    if survey.closes_at is not None and survey.closes_at <= now:
        raise PollError("The closing date has passed; choose a later one before publishing.")
    survey.published_at = now
    fields = ["published_at"]
    if survey.opens_at <= now:
        survey.opening_announced_at = now
        fields.append("opening_announced_at")
        activity.record(community=survey.community, actor=by, verb="survey_opened", target=survey)
    survey.save(update_fields=fields)
    index_survey(survey)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("community").get(pk=survey.pk)
    if not permissions.can_manage_survey(by, survey) or survey.community.is_archived:
        raise PollError("Only facilitators close surveys.")
    if survey.is_draft:
        raise PollError("Publish the survey first.")
    if survey.is_closed:
        return survey
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at"])
    moderation.log(
        community=survey.community,
        moderator=by,
        action=ModerationAction.Action.CLOSE,
        target=survey,
        summary=survey.title,
    )
    return survey


@transaction.atomic
def survey_reopen(*, survey: Survey, by, closes_at=None) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("community").get(pk=survey.pk)
    if not permissions.can_manage_survey(by, survey) or survey.community.is_archived:
        raise PollError("Only facilitators reopen surveys.")
    now = timezone.now()
    if closes_at is not None and closes_at <= now:
        raise PollError("Choose a closing date in the future, or leave it empty.")
    if not survey.is_closed:
        return survey
    survey.closed_at = None
    if closes_at is not None or (survey.closes_at is not None and survey.closes_at <= now):
        survey.closes_at = closes_at
        survey.closing_reminded_at = None
    survey.save(update_fields=["closed_at", "closes_at", "closing_reminded_at"])
    moderation.log(
        community=survey.community,
        moderator=by,
        action=ModerationAction.Action.REOPEN,
        target=survey,
        summary=survey.title,
    )
    return survey


@transaction.atomic
def survey_remind(*, survey: Survey, by) -> Survey:
    """Remind targeted members who have not responded, once; each hears through their alert preferences."""
    survey = Survey.objects.select_for_update(of=("self",)).select_related("community").get(pk=survey.pk)
    if not permissions.can_remind(by, survey):
        if survey.reminder_sent_at is not None:
            raise PollError("The reminder has already been sent; members hear it once.")
        raise PollError("Reminders go out while the survey is open.")
    survey.reminder_sent_at = timezone.now()
    survey.save(update_fields=["reminder_sent_at"])
    activity.record(community=survey.community, actor=by, verb="survey_reminder", target=survey)
    return survey


# --- Responding ----------------------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Submitted:
    response: Response
    created: bool
    edit_key: str = ""  # anonymous surveys, first submission: the member's private key to change their answers


def _write_answers(response: Response, questions: dict[int, Question], answers: dict) -> None:
    rows = []
    for question_id, value in answers.items():
        question = questions[question_id]
        if value in (None, "", [], ()):
            continue
        if question.kind == Question.Kind.SINGLE:
            rows.append(Answer(response=response, question=question, option_id=int(value)))
        elif question.kind == Question.Kind.MULTIPLE:
            rows.extend(Answer(response=response, question=question, option_id=int(v)) for v in value)
        elif question.kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            rows.append(Answer(response=response, question=question, number=Decimal(value)))
        elif str(value).strip():
            rows.append(Answer(response=response, question=question, text=str(value).strip()[:5000]))
    Answer.objects.bulk_create(rows)


def _check_answers(survey: Survey, answers: dict) -> dict[int, Question]:
    questions = {q.pk: q for q in survey.questions.prefetch_related("options")}
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise PollError("That question is not part of this survey.")
        if question.has_options and value not in (None, "", [], ()):
            picked = {int(v) for v in (value if question.kind == Question.Kind.MULTIPLE else [value])}
            if not picked <= {o.pk for o in question.options.all()}:
                raise PollError("That option is not part of this question.")
        if question.kind == Question.Kind.RATING and value not in (None, "") and Decimal(value) not in RATING_POINTS:
            raise PollError("Ratings go from 1 to 5.")
    missing = [q for q in questions.values() if q.required and answers.get(q.pk) in (None, "", [], ())]
    if missing:
        raise PollError(f"Please answer: {missing[0].text}")
    return questions


@transaction.atomic
def response_submit(*, survey: Survey, user, answers: dict, edit_key: str = "") -> Submitted:
    """Record or replace the member's one response; an anonymous response keeps nothing that names them."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("community")
        .prefetch_related("segments")
        .get(pk=survey.pk)
    )
    if not permissions.can_respond(user, survey):
        if survey.is_closed:
            raise PollError("This survey has closed, so it takes no more responses. Your answers are kept below.")
        raise PollError("This survey is not asking you.")
    questions = _check_answers(survey, answers)
    now = timezone.now()
    responded = Participation.objects.filter(survey=survey, user=user).exists()
    if responded:
        if survey.is_anonymous:
            response = Response.objects.filter(survey=survey, edit_key_hash=hash_key(edit_key or "-")).first()
            if not edit_key or response is None:
                raise PollError(
                    "You have already responded. Use the private link you were given to change your answers."
                )
        else:
            response = Response.objects.get(survey=survey, respondent=user)
            Response.objects.filter(pk=response.pk).update(updated_at=now)
        response.answers.all().delete()
        _write_answers(response, questions, answers)
        return Submitted(response=response, created=False)
    try:
        with transaction.atomic():
            Participation.objects.create(survey=survey, user=user, created_at=now)
    except IntegrityError as exc:  # a double submit: the first one counted
        raise PollError("Your response is already in.") from exc
    key = secrets.token_urlsafe(24) if survey.is_anonymous else ""
    if survey.is_anonymous:
        response = Response.objects.create(survey=survey, edit_key_hash=hash_key(key))
    else:
        response = Response.objects.create(survey=survey, respondent=user, submitted_at=now, updated_at=now)
    _write_answers(response, questions, answers)
    Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + 1)
    activity.record(community=survey.community, actor=user, verb="survey_responded", target=survey)
    return Submitted(response=response, created=True, edit_key=key)


def anonymous_response(survey: Survey, edit_key: str) -> Response | None:
    """The anonymous response this private key opens, if any."""
    if not edit_key:
        return None
    return Response.objects.filter(survey=survey, edit_key_hash=hash_key(edit_key)).first()


def index_survey(survey: Survey) -> None:
    search.index(
        target=survey,
        community=survey.community,
        kind="survey",
        title=survey.title,
        body=survey.description_html,
        url=survey.get_absolute_url(),
        author=survey.created_by,
        created_at=survey.opens_at,
    )
