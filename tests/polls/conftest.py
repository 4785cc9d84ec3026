"""Poll and survey fixtures: factories that go through the services, the extra personas (banned, a member
outside the survey's segments, a second member), and helpers to read what a page shows."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from communities.models import Membership, Segment
from polls import services
from polls.models import Poll, Question, Survey

from ..conftest import login
from ..factories import make_membership, make_user

CHOICES = ["Spreadsheet", "PPM tool", "Benefits tool"]


@pytest.fixture
def banned(community):
    return make_membership(
        community, make_user(first_name="Bram", email="bram@example.org"), status=Membership.Status.BANNED
    ).user


@pytest.fixture
def other(community):
    """A second ordinary member."""
    return make_membership(community, make_user(first_name="Maya", email="maya@example.org")).user


@pytest.fixture
def finance(community):
    return Segment.objects.create(community=community, name="finance")


@pytest.fixture
def outside_segment(community):
    """An active member who is in no segment: a survey for "finance" does not ask them."""
    return make_membership(community, make_user(first_name="Nell", email="nell@example.org")).user


@pytest.fixture
def client_as(request):
    """A client for a persona by fixture name; "anonymous" is a visitor who is not logged in."""

    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        return login(request.getfixturevalue(persona))

    return make


@pytest.fixture
def poll(community, facilitator):
    """Make a poll through the service, as a facilitator would; `state` places it around now."""

    def make(*, state: str = "open", choices=CHOICES, by=None, **kw) -> Poll:
        now = timezone.now()
        kw.setdefault("question", "Which method do you use for benefits tracking?")
        kw.setdefault("opens_at", now + timedelta(days=1) if state == "scheduled" else now - timedelta(hours=1))
        home = kw.pop("community", community)
        created = services.poll_create(community=home, by=by or facilitator, choices=choices, **kw)
        if state == "closed":
            Poll.objects.filter(pk=created.pk).update(closed_at=now)
            created.refresh_from_db()
        return created

    return make


def vote(poll: Poll, user, *labels: str):
    """Vote for the choices with these labels."""
    ids = [c.pk for c in poll.choices.all() if c.label in labels]
    return services.vote_cast(poll=poll, user=user, choice_ids=ids)


def choice_id(poll: Poll, label: str) -> int:
    return poll.choices.get(label=label).pk


@pytest.fixture
def survey(community, facilitator):
    """A published survey with one question of each kind (the first section) and a second, optional section."""

    def make(*, publish: bool = True, state: str = "open", segments=(), is_anonymous=False, **kw) -> Survey:
        now = timezone.now()
        if state == "scheduled":
            kw.setdefault("opens_at", now + timedelta(days=2))
        created = services.survey_create(
            community=community,
            by=facilitator,
            title=kw.pop("title", "Priorities for next quarter"),
            segments=segments,
            is_anonymous=is_anonymous,
            **kw,
        )
        section = created.sections.get()
        add = lambda **q: services.question_save(survey=created, by=facilitator, section=section, **q)  # noqa: E731
        add(kind=Question.Kind.SINGLE, text="Which activity helps most?", options=["Hot seats", "Forums", "Webinars"])
        add(kind=Question.Kind.MULTIPLE, text="Which topics next?", options=["Risk", "Benefits", "Agile"])
        add(kind=Question.Kind.RATING, text="How useful is the community?", low_label="Not", high_label="Very")
        add(kind=Question.Kind.NUMBER, text="How many projects do you run?", required=False, min_value=0)
        add(kind=Question.Kind.TEXT, text="What would make it better?", required=False)
        if publish:
            services.survey_publish(survey=created, by=facilitator)
        if state == "closed":
            Survey.objects.filter(pk=created.pk).update(closed_at=now)
        created.refresh_from_db()
        return created

    return make


def answers_for(survey: Survey, *, single="Hot seats", multiple=("Risk",), rating="4", number=None, text="") -> dict:
    """A complete set of answers by label, as the service takes them (question pk -> value)."""
    answers = {}
    for question in survey.questions.prefetch_related("options"):
        options = {o.label: o.pk for o in question.options.all()}
        if question.kind == Question.Kind.SINGLE:
            answers[question.pk] = options.get(single)
        elif question.kind == Question.Kind.MULTIPLE:
            answers[question.pk] = [options[m] for m in multiple]
        else:
            answers[question.pk] = {
                Question.Kind.RATING: rating,
                Question.Kind.NUMBER: number,
                Question.Kind.TEXT: text,
            }[question.kind]
    return answers


def form_data(survey: Survey, **kw) -> dict:
    """The same answers as the browser posts them (field q<pk>)."""
    data = {}
    questions = {q.pk: q for q in survey.questions.all()}
    for pk, value in answers_for(survey, **kw).items():
        if value in (None, ""):
            continue
        data[questions[pk].field_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def text_of(response) -> str:
    html = response.content.decode() if not isinstance(response, str) else response
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
