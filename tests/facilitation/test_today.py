from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent, Membership
from communities.services import waiting_recount
from facilitation import rollups
from facilitation.models import CommunityDay
from forums import services as forum_services
from forums.models import Category, Thread
from tests.factories import make_membership, make_user
from tests.helpers import assert_sent_to_login, login, page_source, text_of

from .conftest import PERSONA_STATUS

pytestmark = pytest.mark.django_db


def url(community):
    return reverse("facilitation:today", args=[community.slug])


def ask(category, author, title, days_ago):
    thread = forum_services.thread_create(
        category=category, author=author, kind=Thread.Kind.QUESTION, title=title, body="Any advice?", tags=["risk"]
    )
    ActivityEvent.objects.filter(verb="thread_started", data__topic=f"forums.thread:{thread.pk}").update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return thread


@pytest.fixture
def questions(community, member, facilitator):
    category = Category.objects.create(community=community, name="Questions", slug="questions")
    veteran = make_membership(community, make_user(first_name="Vera"), joined_at=timezone.now() - timedelta(days=300))
    old = ask(category, veteran.user, "Old question from a veteran", 3)
    newcomer = ask(category, member, "A newcomer's first question", 2)
    answered = ask(category, veteran.user, "Answered this morning", 2)
    forum_services.post_reply(thread=answered, author=facilitator, body="Here is how.")
    fresh = ask(category, veteran.user, "Asked an hour ago", 0)
    rollups.rollup_community(community)
    return {"old": old, "newcomer": newcomer, "answered": answered, "fresh": fresh}


@pytest.mark.parametrize("persona", list(PERSONA_STATUS))
def test_only_facilitators_and_owners_see_today(client_as, community, persona):
    assert client_as(persona).get(url(community)).status_code == PERSONA_STATUS[persona]


def test_anonymous_visitors_are_sent_to_log_in(client, community):
    assert_sent_to_login(client.get(url(community)), url(community))


def test_unanswered_questions_oldest_first_with_newcomers_first_questions_raised(questions, facilitator, community):
    response = login(facilitator).get(url(community))
    text = text_of(response)
    assert "Newcomer's first question: A newcomer's first question" in text
    assert text.index("A newcomer's first question") < text.index("Old question from a veteran")
    assert "Answered this morning" not in text  # replied today: the live reply counts
    assert "Asked an hour ago" not in text  # not 24 hours yet
    html = page_source(response)
    assert f'href="{questions["old"].get_absolute_url()}"' in html


def test_requests_and_newcomers_each_come_with_their_action(community, facilitator, member):
    applicant = make_membership(community, make_user(first_name="Ada"), status=Membership.Status.PENDING)
    waiting_recount(community=community)
    client = login(facilitator)
    response = client.get(url(community))
    html = page_source(response)
    approve = reverse("communities:request_approve", args=[community.slug, applicant.pk])
    assert f'action="{approve}"' in html
    member_row = Membership.objects.get(community=community, user=member)
    assert reverse("communities:welcome_compose", args=[community.slug, member_row.pk]) in html
    assert "Requests: 1 waiting" in text_of(response)
    client.post(approve)  # one click
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.ACTIVE
    assert "No one is waiting to join." in text_of(client.get(url(community)))


def test_an_empty_community_gets_friendly_empty_states(community, facilitator):
    Membership.objects.filter(community=community).update(welcomed_at=timezone.now())
    text = text_of(login(facilitator).get(url(community)))
    assert "Every question has had a reply within a day." in text
    assert "Nothing is scheduled for the coming week." in text


def test_hostile_titles_are_escaped(community, facilitator, member):
    category = Category.objects.create(community=community, name="Q", slug="q")
    ask(category, member, '<script>alert(1)</script>"><img src=x onerror=alert(2)>', 2)
    rollups.rollup_community(community)
    html = login(facilitator).get(url(community)).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html


@pytest.mark.parametrize("extra", [0, 15])
def test_today_stays_within_its_query_budget(questions, community, facilitator, extra, django_assert_max_num_queries):
    category = Category.objects.get(community=community, slug="questions")
    for i in range(extra):
        user = make_membership(community, make_user(first_name=f"N{i}")).user
        ask(category, user, f"Question {i}", 2)
        make_membership(community, make_user(first_name=f"P{i}"), status=Membership.Status.PENDING)
    CommunityDay.objects.filter(community=community).delete()  # roll up from scratch: the new questions' days too
    rollups.rollup_community(community)
    client = login(facilitator)
    client.get(url(community))  # content types are cached per process after the first page
    with django_assert_max_num_queries(12):
        response = client.get(url(community))
    assert text_of(response).count("asked by") == min(2 + extra, 10)
    assert text_of(response).count("Approve ") == min(extra, 10)
