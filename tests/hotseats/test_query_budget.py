"""Hot-seat pages run a fixed number of queries however many questions, answers, votes and hot seats there are.

Each page is measured on a small hot seat (10 questions, 20 answers) and a busy one (300 questions, 600
answers) under the same bound, and the two counts must be equal: a count that grows with the data is an N+1.
The data is built with bulk_create (askers and experts with profiles, votes, a hidden and a merged question),
then the denormalised counters are set the way the services keep them.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, Theme
from hotseats import services
from hotseats.models import Answer, HotSeat, Question, Vote
from hotseats.selectors import QUESTIONS_PER_PAGE

from ..factories import make_community, make_membership, make_user
from ..helpers import login

pytestmark = pytest.mark.django_db

# Measured on SQLite and PostgreSQL, the same for the small and the busy hot seat.
# Hot seat page, anonymous: the hot seat (with community, theme, author), its experts with profiles, the
# page-bounds count, the page's questions with askers and their answers with experts (the theme's community
# comes with the hot seat), and the answers' attachments (one query for all registered attachment kinds: library
# files). A member adds session, user, memberships and their votes; the expert needs no more.
DETAIL_ANONYMOUS = 6
DETAIL_MEMBER = 10
DETAIL_EXPERT = 10
# Expert desk: session, user, hot seat, experts, questions, answers, memberships.
EXPERT_DESK = 7
# Hot seat list: community, hot seats (with community and theme), experts, their users. A member adds session,
# user and memberships, and in a private community the lookup of their secret calendar address.
LIST_ANONYMOUS = 4
LIST_MEMBER = 7
LIST_MEMBER_PRIVATE = 8

SIZES = {"small": (10, 20), "busy": (300, 600)}


@dataclass
class Stage:
    community: object
    member: object
    experts: list
    facilitator: object
    hotseats: dict  # size name -> HotSeat


def build_hotseat(community, *, by, experts, voters, theme, questions: int, answers: int) -> HotSeat:
    """An open hot seat with `questions` questions, `answers` answers spread over two thirds of them, and votes."""
    now = timezone.now()
    hotseat = services.hotseat_create(
        community=community,
        by=by,
        title=f"Clinic with {questions} questions",
        topic="Ask about **benefits realisation**.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=3),
        experts=experts,
        theme=theme,
        tags="benefits",
    )
    start = now - timedelta(hours=20)
    created = Question.objects.bulk_create(
        Question(
            hotseat=hotseat,
            asker=voters[i % len(voters)],
            body=f"Question {i}: how do we **measure** benefit {i}?",
            body_html=f"<p>Question {i}: how do we <strong>measure</strong> benefit {i}?</p>",
            created_at=start + timedelta(minutes=i),
        )
        for i in range(questions)
    )
    assert all(q.pk for q in created), "the database must return the new primary keys"
    answered = created[: max(len(created) * 2 // 3, 1)]
    Answer.objects.bulk_create(
        Answer(
            question=answered[i % len(answered)],
            expert=experts[i % len(experts)],
            body=f"Answer {i}",
            body_html=f"<p>Answer {i}</p>",
            created_at=start + timedelta(hours=1, minutes=i),
        )
        for i in range(answers)
    )
    Vote.objects.bulk_create(
        Vote(question=q, user=voter)
        for i, q in enumerate(created)
        for voter in voters[: i % 4 + 1]
        if voter.pk != q.asker_id
    )
    Question.objects.filter(pk=created[-1].pk).update(is_hidden=True)
    Question.objects.filter(pk=created[-2].pk).update(merged_into=created[0])
    Question.objects.filter(hotseat=hotseat).update(
        vote_count=Coalesce(
            Subquery(
                Vote.objects.filter(question=OuterRef("pk"))
                .order_by()
                .values("question")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        answer_count=Coalesce(
            Subquery(
                Answer.objects.filter(question=OuterRef("pk"))
                .order_by()
                .values("question")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
    )
    listed = Question.objects.listed().filter(hotseat=hotseat)
    HotSeat.objects.filter(pk=hotseat.pk).update(
        question_count=listed.count(), answered_count=listed.filter(answer_count__gt=0).count()
    )
    return hotseat


@pytest.fixture
def stage(community, facilitator, member) -> Stage:
    experts = [
        make_membership(community, make_user(first_name=name, last_name="Expert")).user for name in ("Sam", "Ana")
    ]
    for expert in experts:
        expert.profile.job_title, expert.profile.organisation = "Benefits lead", "Cabinet Office"
        expert.profile.save()
    voters = [member] + [make_membership(community, make_user(first_name=f"Asker{i}")).user for i in range(11)]
    today = timezone.localdate()
    theme = Theme.objects.create(
        community=community, title="Benefits", slug="benefits", starts_on=today, ends_on=today, tags="benefits"
    )
    hotseats = {
        size: build_hotseat(
            community, by=facilitator, experts=experts, voters=voters, theme=theme, questions=q, answers=a
        )
        for size, (q, a) in SIZES.items()
    }
    return Stage(community, member, experts, facilitator, hotseats)


def client_for(stage: Stage, persona: str) -> Client:
    return {
        "anonymous": Client,
        "member": lambda: login(stage.member),
        "expert": lambda: login(stage.experts[0]),
        "facilitator": lambda: login(stage.facilitator),
    }[persona]()


def measure(client, urls: dict, bound: int, django_assert_max_num_queries) -> dict:
    """Query counts per size, each within the bound."""
    counts = {}
    for size, url in urls.items():
        with django_assert_max_num_queries(bound) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[size] = len(captured)
    return counts


@pytest.mark.parametrize(
    "persona, bound", [("anonymous", DETAIL_ANONYMOUS), ("member", DETAIL_MEMBER), ("expert", DETAIL_EXPERT)]
)
@pytest.mark.parametrize("query", ["", "?sort=new", "?show=unanswered", "?page=2"])
def test_the_hot_seat_page_runs_the_same_few_queries_for_10_or_300_questions(
    stage, persona, bound, query, django_assert_max_num_queries
):
    client = client_for(stage, persona)
    urls = {size: h.get_absolute_url() + query for size, h in stage.hotseats.items()}
    counts = measure(client, urls, bound, django_assert_max_num_queries)
    # The answers' attachments cost one query, skipped on a page without answers (the busy one sorted by new).
    assert abs(counts["small"] - counts["busy"]) <= 1


def test_the_busy_hot_seat_page_shows_a_full_page_of_questions_with_their_answers(stage):
    busy = stage.hotseats["busy"]
    response = login(stage.experts[0]).get(busy.get_absolute_url())
    page = response.context["questions"]
    assert len(page) == QUESTIONS_PER_PAGE
    assert sum(len(q.answers.all()) for q in page) > QUESTIONS_PER_PAGE
    assert response.content.count(b'class="answer-box"') == QUESTIONS_PER_PAGE  # the expert may answer each


def test_the_member_sees_which_questions_they_voted_for(stage):
    response = login(stage.member).get(stage.hotseats["busy"].get_absolute_url())
    voted = [q for q in response.context["questions"] if q.voted]
    assert voted
    assert response.content.count(b'aria-pressed="true"') == len(voted)


@pytest.mark.parametrize("persona", ["expert", "facilitator"])
@pytest.mark.parametrize("query", ["", "?show=all"])
def test_the_expert_desk_runs_the_same_few_queries_for_10_or_300_questions(
    stage, persona, query, django_assert_max_num_queries
):
    client = client_for(stage, persona)
    urls = {
        size: reverse("hotseats:expert_desk", args=[stage.community.slug, h.pk]) + query
        for size, h in stage.hotseats.items()
    }
    counts = measure(client, urls, EXPERT_DESK, django_assert_max_num_queries)
    assert counts["small"] == counts["busy"]


def test_the_busy_expert_desk_lists_every_unanswered_question_and_at_most_100_in_all(stage):
    busy = stage.hotseats["busy"]
    url = reverse("hotseats:expert_desk", args=[stage.community.slug, busy.pk])
    client = login(stage.experts[0])
    waiting = Question.objects.listed().filter(hotseat=busy, answer_count=0).count()
    assert 0 < waiting < 100
    assert client.get(url).content.count(b'class="question-desk"') == waiting
    assert client.get(url + "?show=all").content.count(b'class="question-desk"') == 100


def build_schedules(member, visibility) -> dict:
    """A community with 3 hot seats and one with 30, each hot seat with two member experts, half with a theme."""
    now = timezone.now()
    schedules = {}
    for size, count in (("small", 3), ("busy", 30)):
        community = make_community(slug=f"list-{size}", visibility=visibility)
        facilitator = make_membership(community, role=Membership.Role.FACILITATOR).user
        make_membership(community, member)
        experts = [make_membership(community).user for _ in range(2)]
        theme = Theme.objects.create(
            community=community, title="Focus", slug="focus", starts_on=now.date(), ends_on=now.date(), tags="x"
        )
        for i in range(count):
            # A third each: closed, open now and coming up.
            opens = now + timedelta(days=(i % 3 - 1) * 10, hours=i)
            services.hotseat_create(
                community=community,
                by=facilitator,
                title=f"Hot seat {i}",
                topic="Topic",
                opens_at=opens,
                closes_at=opens + timedelta(days=4),
                experts=experts,
                theme=theme if i % 2 else None,
            )
        schedules[size] = community
    return schedules


@pytest.mark.parametrize(
    "persona, visibility, bound",
    [
        ("anonymous", Community.Visibility.PUBLIC, LIST_ANONYMOUS),
        ("member", Community.Visibility.PUBLIC, LIST_MEMBER),
        ("member", Community.Visibility.PRIVATE, LIST_MEMBER_PRIVATE),
    ],
)
def test_the_hot_seat_list_runs_the_same_few_queries_for_3_or_30_hot_seats(
    member, persona, visibility, bound, django_assert_max_num_queries
):
    schedules = build_schedules(member, visibility)
    client = Client() if persona == "anonymous" else login(member)
    urls = {size: reverse("hotseats:hotseat_list", args=[c.slug]) for size, c in schedules.items()}
    counts = measure(client, urls, bound, django_assert_max_num_queries)
    assert counts["small"] == counts["busy"]
    response = client.get(urls["busy"])
    assert response.content.count(b'class="hotseat-card"') == 30
