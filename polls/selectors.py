"""Poll and survey reads, shaped so a page costs the same few queries however many votes or responses there are."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from communities.models import Membership, Segment
from communities.permissions import can_manage_members

from . import hosts, permissions
from .models import RATING_POINTS, Answer, BallotChoice, Choice, Participation, Poll, Question, Survey

VOTERS_SHOWN = 10  # names listed under each choice of a public poll; the voters page lists them all
TEXT_SAMPLES = 5  # free-text answers shown per question on the results page; the answers page lists them all


def percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


# --- Polls ---------------------------------------------------------------------------------------------------


def poll_page_queryset():
    return Poll.objects.select_related("community", "created_by")


@dataclass
class ChoiceRow:
    choice: Choice
    count: int
    percent: int
    picked: bool
    voters: list = field(default_factory=list)

    @property
    def more_voters(self) -> int:
        return self.count - len(self.voters)


@dataclass
class PollView:
    """Everything a poll's block shows to one user."""

    poll: Poll
    rows: list[ChoiceRow]
    picked: set[int]
    has_voted: bool
    can_vote: bool
    show_results: bool
    show_voters: bool
    can_edit: bool
    can_close: bool
    can_export: bool
    host: object = None  # the page the poll sits in (a thread), if any
    host_label: str = ""


def my_picks(user, poll: Poll) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(BallotChoice.objects.filter(ballot__poll=poll, ballot__user=user).values_list("choice_id", flat=True))


def voters_by_choice(poll: Poll, limit: int = VOTERS_SHOWN) -> dict[int, list]:
    """The first `limit` voters of each choice (earliest first), in one query."""
    ranked = (
        BallotChoice.objects.filter(choice__poll=poll)
        .annotate(rank=Window(RowNumber(), partition_by=F("choice_id"), order_by=[F("ballot__created_at"), F("pk")]))
        .filter(rank__lte=limit)
        .select_related("ballot__user")
        .order_by("choice_id", "rank")
    )
    voters = defaultdict(list)
    for pick in ranked:
        voters[pick.choice_id].append(pick.ballot.user)
    return voters


def poll_view(user, poll: Poll, *, picked: set[int] | None = None) -> PollView:
    """The poll as `user` sees it; `picked` overrides their stored picks (a refused vote keeps its choice)."""
    stored = my_picks(user, poll)
    poll.my_ballot = True if stored else None  # read by permissions.has_voted: no second query
    show_results = permissions.can_see_results(user, poll)
    show_voters = show_results and permissions.can_see_voters(user, poll)
    voters = voters_by_choice(poll) if show_voters and poll.voter_count else {}
    shown = stored if picked is None else picked
    rows = [
        ChoiceRow(
            choice=choice,
            count=choice.vote_count,
            percent=percent(choice.vote_count, poll.voter_count),
            picked=choice.pk in shown,
            voters=voters.get(choice.pk, []),
        )
        for choice in poll.choices.all()
    ]
    return PollView(
        poll=poll,
        rows=rows,
        picked=shown,
        has_voted=bool(stored),
        can_vote=permissions.can_vote(user, poll),
        show_results=show_results,
        show_voters=show_voters,
        can_edit=permissions.can_edit_poll(user, poll),
        can_close=permissions.can_close_poll(user, poll),
        can_export=permissions.can_export_poll(user, poll),
        host=hosts.host_object(poll),
        host_label=host_type.label if (host_type := hosts.host_type_of(poll)) else "",
    )


def poll_list(community, *, now=None):
    """The Polls page: standalone polls, open ones first (soonest to close), then the closed ones."""
    return (
        Poll.objects.standalone()
        .filter(community=community)
        .select_related("community")
        .prefetch_related("choices")
        .order_by("-opens_at", "-pk")
    )


# --- Surveys -------------------------------------------------------------------------------------------------


def survey_page_queryset():
    return Survey.objects.select_related("community", "created_by").prefetch_related("segments")


def _member_count(survey_ref, *, in_segments: bool):
    members = Membership.objects.active().filter(community=OuterRef(f"{survey_ref}community"))
    if in_segments:
        members = members.filter(segments__surveys=OuterRef(f"{survey_ref}pk"))
    return Coalesce(
        Subquery(members.order_by().values("community").annotate(n=Count("user", distinct=True)).values("n")[:1]), 0
    )


def results_queryset():
    """Surveys with what the results header needs: the members asked, counted in the same query."""
    return Survey.objects.select_related("community").annotate(
        all_members=_member_count("", in_segments=False), segment_members=_member_count("", in_segments=True)
    )


def segments_for_results(survey: Survey) -> list[Segment]:
    """The community's segments, each marked `targeted` when the survey asks it (one query)."""
    through = Survey.segments.through
    return list(
        Segment.objects.filter(community=survey.community_id).annotate(
            targeted=Exists(through.objects.filter(survey=survey.pk, segment=OuterRef("pk")))
        )
    )


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list = field(default_factory=list)  # (label, count, percent) for choices and ratings
    stats: dict = field(default_factory=dict)  # numbers: count, min, max, mean, median
    texts: list = field(default_factory=list)
    text_total: int = 0


def _median(pairs: list[tuple[Decimal, int]]) -> Decimal | None:
    total = sum(n for _, n in pairs)
    if not total:
        return None
    ordered = sorted(pairs)
    middle = [(total - 1) // 2, total // 2]
    values, seen = [], 0
    for value, n in ordered:
        for index in middle:
            if seen <= index < seen + n:
                values.append(value)
        seen += n
    return sum(values) / len(values)


def survey_results(survey: Survey, *, segment: Segment | None = None) -> list[QuestionResult]:
    """Per-question distributions in four queries whatever the number of responses; `segment` narrows them."""
    answers = Answer.objects.filter(question__survey=survey)
    if segment is not None and not survey.is_anonymous:
        answers = answers.filter(
            response__respondent__memberships__community=survey.community_id,
            response__respondent__memberships__segments=segment,
        )
    answered = (
        answers.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(n=Count("response", distinct=True))
        .values("n")[:1]
    )
    questions = list(
        Question.objects.filter(survey=survey)
        .select_related("section")
        .prefetch_related("options")
        .annotate(answered=Coalesce(Subquery(answered), 0))
    )
    counted = defaultdict(int)  # (question, option or number) -> count
    for row in (
        answers.filter(Q(option__isnull=False) | Q(number__isnull=False))
        .order_by()
        .values("question_id", "option_id", "number")
        .annotate(n=Count("id"))
    ):
        key = row["option_id"] if row["option_id"] is not None else row["number"]
        counted[(row["question_id"], key)] += row["n"]
    texts = defaultdict(list)
    totals = {}
    samples = (
        answers.filter(question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .annotate(
            rank=Window(RowNumber(), partition_by=F("question_id"), order_by=F("text").asc()),
            total=Window(Count("id"), partition_by=F("question_id")),
        )
        .filter(rank__lte=TEXT_SAMPLES)
        .order_by("question_id", "rank")
        .values_list("question_id", "text", "total")
    )
    for question_id, text, total in samples:
        texts[question_id].append(text)
        totals[question_id] = total
    results = []
    for question in questions:
        result = QuestionResult(question=question, answered=question.answered)
        if question.has_options:
            for option in question.options.all():
                n = counted[(question.pk, option.pk)]
                result.rows.append((option.label, n, percent(n, question.answered)))
        elif question.kind == Question.Kind.RATING:
            scores = [(Decimal(p), counted[(question.pk, Decimal(p))]) for p in RATING_POINTS]
            for point, n in scores:
                label = {1: question.low_label, 5: question.high_label}.get(int(point), "")
                result.rows.append((f"{int(point)}{' – ' + label if label else ''}", n, percent(n, question.answered)))
            total = sum(n for _, n in scores)
            result.stats = {"mean": sum(p * n for p, n in scores) / total if total else None, "count": total}
        elif question.kind == Question.Kind.NUMBER:
            pairs = [(key, n) for (qid, key), n in counted.items() if qid == question.pk]
            total = sum(n for _, n in pairs)
            result.stats = {
                "count": total,
                "min": min((v for v, _ in pairs), default=None),
                "max": max((v for v, _ in pairs), default=None),
                "mean": sum(v * n for v, n in pairs) / total if total else None,
                "median": _median(pairs),
            }
        else:
            result.texts = texts.get(question.pk, [])
            result.text_total = totals.get(question.pk, 0)
        results.append(result)
    return results


def text_answers(survey: Survey, question: Question, *, segment: Segment | None = None):
    """Every free-text answer to one question, for the paged answers page."""
    answers = Answer.objects.filter(question=question).exclude(text="")
    if segment is not None and not survey.is_anonymous:
        answers = answers.filter(
            response__respondent__memberships__community=survey.community_id,
            response__respondent__memberships__segments=segment,
        )
    return answers.order_by("text", "id").values_list("text", flat=True)


def survey_list(user, community):
    """The surveys a user sees on the Polls page: published ones (drafts too for facilitators), with whether the
    user has responded."""
    surveys = Survey.objects.filter(community=community).select_related("community").prefetch_related("segments")
    if not can_manage_members(user, community):
        surveys = surveys.filter(published_at__isnull=False)
    if user.is_authenticated:
        surveys = surveys.annotate(responded=Exists(Participation.objects.filter(survey=OuterRef("pk"), user=user)))
    return surveys.order_by("-opens_at", "-pk")
