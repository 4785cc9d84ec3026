"""CSV exports for facilitators: a poll's ballots and a survey's responses (one row each).

Names appear only where members were told they would: public polls and named surveys. Anonymous exports carry
no names and no times, and their rows are sorted by content, so their order says nothing about who voted when.
"""

from collections import defaultdict
from datetime import UTC
from itertools import groupby

from communities.models import Membership

from .models import Answer, Ballot, BallotChoice, Poll, Question, Response, Survey

CHOICE_SEPARATOR = "; "


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def poll_rows(poll: Poll):
    """Header, then one row per ballot: who (public polls only) and what they picked."""
    picks = defaultdict(list)
    for ballot_id, label in (
        BallotChoice.objects.filter(ballot__poll=poll)
        .order_by("ballot_id", "choice__position", "choice_id")
        .values_list("ballot_id", "choice__label")
    ):
        picks[ballot_id].append(label)
    if poll.public_voters:
        yield ["Voter", "Choices", "Voted (UTC)", "Last changed (UTC)"]
        for ballot in Ballot.objects.filter(poll=poll).select_related("user").order_by("created_at", "pk"):
            yield [
                ballot.user.display_name,
                CHOICE_SEPARATOR.join(picks[ballot.pk]),
                _utc(ballot.created_at),
                _utc(ballot.updated_at),
            ]
    else:
        yield ["Ballot", "Choices"]
        for number, choices in enumerate(sorted(CHOICE_SEPARATOR.join(p) for p in picks.values()), start=1):
            yield [number, choices]


def _cell(question: Question, answers: list) -> object:
    if not answers:
        return ""
    if question.has_options:
        return CHOICE_SEPARATOR.join(a["option__label"] for a in answers)
    if question.kind == Question.Kind.RATING:
        return int(answers[0]["number"])
    if question.kind == Question.Kind.NUMBER:
        return answers[0]["number"].normalize() if answers[0]["number"] is not None else ""
    return answers[0]["text"]


def survey_rows(survey: Survey):
    """Header, then one row per response; named surveys lead with the respondent, their segments and times."""
    questions = list(Question.objects.filter(survey=survey).select_related("section"))
    texts = [q.text for q in questions]
    named = not survey.is_anonymous
    responses = Response.objects.filter(survey=survey)
    if named:
        yield ["Respondent", "Segments", "Submitted (UTC)", "Last changed (UTC)", *texts]
        responses = responses.select_related("respondent").order_by("submitted_at", "id")
        segments = defaultdict(list)
        for membership in Membership.objects.filter(
            community=survey.community_id, user__in=responses.values("respondent")
        ).prefetch_related("segments"):
            segments[membership.user_id] = sorted(s.name for s in membership.segments.all())
    else:
        yield texts
        responses = responses.order_by("id")  # random keys: no order of arrival
    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "question_id", "option__position")
        .values("response_id", "question_id", "option__label", "number", "text")
    )
    by_response = {
        response_id: list(rows) for response_id, rows in groupby(answers.iterator(), key=lambda a: a["response_id"])
    }
    for response in responses.iterator():
        rows = by_response.get(response.pk, [])
        per_question = defaultdict(list)
        for row in rows:
            per_question[row["question_id"]].append(row)
        cells = [_cell(q, per_question[q.pk]) for q in questions]
        if named:
            person = response.respondent
            yield [
                person.display_name if person else "Former member",
                ", ".join(segments.get(response.respondent_id, [])),
                _utc(response.submitted_at),
                _utc(response.updated_at),
                *cells,
            ]
        else:
            yield cells
