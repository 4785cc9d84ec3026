"""Demo polls and surveys for `manage.py seed_demo`: a live poll in a thread, a closed poll with its results,
and the "priorities for next quarter" survey with 30 responses."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from communities.models import ActivityEvent, SearchDocument
from communities.search import refresh_vectors

from . import hosts, services
from .models import Ballot, Participation, Poll, Question, Survey

TRACKING_THREAD = "Which method do you use for benefits tracking?"
TRACKING_CHOICES = [
    "A spreadsheet benefits register",
    "A module of our PPM tool",
    "A dedicated benefits tool",
    "Reports to the programme board only",
    "We don't track benefits yet",
]
WEBINAR_CHOICES = ["Tuesday lunchtime", "Wednesday morning", "Thursday afternoon", "Friday morning"]


def seed(cast: dict) -> None:
    """Add the polls and the survey to the PPM community, once."""
    ppm, facilitator, people, now = cast["ppm"], cast["facilitator"], cast["people"], cast["now"]
    if Poll.objects.filter(community=ppm).exists() or Survey.objects.filter(community=ppm).exists():
        return
    rng = random.Random(14)
    voters = [p for p in people[:36] if p.pk != facilitator.pk]

    # The live poll, in the thread that asks the same question (found through the search index, so polls
    # never imports forums); standalone on the Polls page if the thread or its host registration is missing.
    thread_type = ContentType.objects.filter(app_label="forums", model="thread").first()
    document = SearchDocument.objects.filter(community=ppm, target_type=thread_type, title=TRACKING_THREAD).first()
    thread = document.target if document is not None else None
    attachable = thread is not None and "forums.thread" in hosts.HOST_TYPES
    live = services.poll_create(
        community=ppm,
        by=facilitator,
        question=TRACKING_THREAD,
        choices=TRACKING_CHOICES,
        kind=Poll.Kind.SINGLE,
        results=Poll.Results.AFTER_VOTE,
        public_voters=True,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        host=thread if attachable else None,
    )
    weights = [9, 7, 3, 4, 2]
    for person in voters[:25]:
        pick = rng.choices(live.choices.all(), weights=weights)[0]
        services.vote_cast(poll=live, user=person, choice_ids=[pick.pk])
    _backdate_ballots(live, now - timedelta(days=2), hours=40)

    closed = services.poll_create(
        community=ppm,
        by=facilitator,
        question="Which day works best for the monthly lunchtime webinar?",
        description="We will move the webinar to the day most of you can make.",
        choices=WEBINAR_CHOICES,
        kind=Poll.Kind.MULTIPLE,
        max_choices=2,
        results=Poll.Results.AFTER_CLOSE,
        opens_at=now - timedelta(days=30),
    )
    for person in voters[:31]:
        picks = rng.sample(list(closed.choices.all()), k=rng.choice([1, 2]))
        services.vote_cast(poll=closed, user=person, choice_ids=[c.pk for c in picks])
    _backdate_ballots(closed, now - timedelta(days=30), hours=24 * 12)
    Poll.objects.filter(pk=closed.pk).update(closes_at=now - timedelta(days=16), opening_announced_at=now)

    _priorities_survey(ppm, facilitator, voters, now, rng)
    refresh_vectors()


def _backdate_ballots(poll: Poll, start, *, hours: int) -> None:
    """Spread the ballots (and the activity they made) over the poll's first hours."""
    ballots = list(Ballot.objects.filter(poll=poll).order_by("pk"))
    for index, ballot in enumerate(ballots):
        when = start + timedelta(hours=hours * (index + 1) / (len(ballots) + 1))
        Ballot.objects.filter(pk=ballot.pk).update(created_at=when, updated_at=when)
    poll_ref = Q(target_type=ContentType.objects.get_for_model(Poll), target_id=poll.pk)
    ActivityEvent.objects.filter(poll_ref).update(created_at=start)


NEXT_QUARTER_TEXT = [
    "More on portfolio prioritisation: how to say no to a minister's pet project.",
    "Templates we can actually reuse, with worked examples.",
    "Shorter hot seats, maybe two days instead of five.",
    "A session on agile assurance for digital programmes.",
    "Case studies from councils our size.",
    "Peer reviews of each other's business cases.",
    "",
    "",
]


def _priorities_survey(ppm, facilitator, people, now, rng) -> Survey:
    survey = services.survey_create(
        community=ppm,
        by=facilitator,
        title="Priorities for next quarter",
        template="next-quarter",
        opens_at=now - timedelta(days=6),
        closes_at=now + timedelta(days=8),
    )
    services.survey_publish(survey=survey, by=facilitator)
    questions = list(Question.objects.filter(survey=survey).prefetch_related("options"))
    for person in people[:30]:
        answers = {}
        for question in questions:
            options = [o.pk for o in question.options.all()]
            if question.kind == Question.Kind.MULTIPLE:
                answers[question.pk] = rng.sample(options, k=rng.randint(1, 3))
            elif question.kind == Question.Kind.SINGLE:
                answers[question.pk] = rng.choices(options, weights=[5, 3, 2, 4][: len(options)])[0]
            elif question.kind == Question.Kind.RATING:
                answers[question.pk] = rng.choices(["2", "3", "4", "5"], weights=[1, 3, 6, 4])[0]
            elif question.kind == Question.Kind.NUMBER:
                answers[question.pk] = rng.choice([None, 1, 2, 2, 3, 4, 6])
            else:
                answers[question.pk] = rng.choice(NEXT_QUARTER_TEXT)
        services.response_submit(survey=survey, user=person, answers=answers)
    start = now - timedelta(days=6)
    for index, participation in enumerate(Participation.objects.filter(survey=survey).order_by("pk")):
        when = start + timedelta(hours=4 * index + 1)
        Participation.objects.filter(pk=participation.pk).update(created_at=when)
        survey.responses.filter(respondent=participation.user_id).update(submitted_at=when, updated_at=when)
    ActivityEvent.objects.filter(target_type=ContentType.objects.get_for_model(Survey), target_id=survey.pk).update(
        created_at=start
    )
    return survey
