"""Community pages run a fixed number of queries however many members the community has.

Each page is measured twice, with 5 and with 50 extra members who have profiles, expertise tags and segments,
under the same bound. A page whose count grows with its members has an N+1 query.
"""

import pytest
from django.urls import reverse

from communities import activity
from communities.models import ActivityEvent, Membership, Segment

from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db

# Measured on SQLite and PostgreSQL with 5 and with 50 extra members; the pages make no other queries.
# Anonymous: community, the sidebar's leads and newest members (one query), member count, recent activity, current
# and next theme, and the blocks other apps put on the home page through the registry (events' "next event").
COMMUNITY_HOME_ANONYMOUS = 6
# Signed in: + session, user, the viewer's memberships (which also fill the header menu), the last-visit update
# and, on the first visit of the day, the daily-visit row for engagement charts.
COMMUNITY_HOME_SIGNED_IN = 11
# Session, user, community, memberships, segments, count, the page, then the segments and expertise prefetches.
MEMBER_DIRECTORY = 9
# Session, user, community, memberships, count, welcome record (2), the page, then the expertise prefetch.
WELCOME_QUEUE = 9


@pytest.fixture(params=[5, 50], ids=lambda n: f"{n}-members")
def crowded(request, community, owner, facilitator, member):
    """The shared community with `n` extra members, each with a profile, expertise, segments and a join event.

    Every tenth newcomer is a facilitator, so the sidebar's facilitator list grows with the community too.
    """
    n = request.param
    segments = [Segment.objects.create(community=community, name=name) for name in ("Finance", "Leaders", "Digital")]
    for i in range(n):
        user = make_user(first_name=f"Person{i:02d}", last_name="Crowd")
        profile = user.profile
        profile.organisation = f"Council {i}"
        profile.job_title = "Project Manager"
        profile.is_expert = i % 5 == 0
        profile.save()
        profile.expertise.add("risk", f"topic-{i}")
        role = Membership.Role.FACILITATOR if i % 10 == 0 else Membership.Role.MEMBER
        membership = make_membership(community, user, role=role)
        membership.segments.set(segments[: 1 + i % 3])
        activity.record(community=community, actor=user, verb=ActivityEvent.Verb.JOINED, target=membership)
    return n


def test_community_home_for_anonymous_runs_a_fixed_number_of_queries(
    client, community, crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(COMMUNITY_HOME_ANONYMOUS):
        response = client.get(community.get_absolute_url())
    html = response.content.decode()
    assert f"Person{crowded - 1:02d} Crowd" in html  # the newest member
    assert "joined the community" in html


def test_community_home_for_a_member_runs_a_fixed_number_of_queries(
    as_member, community, crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(COMMUNITY_HOME_SIGNED_IN):
        response = as_member.get(community.get_absolute_url())
    html = response.content.decode()
    assert f"Person{crowded - 1:02d} Crowd" in html
    assert "You are a member here." in html


def test_community_home_for_a_facilitator_runs_a_fixed_number_of_queries(
    as_facilitator, community, crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(COMMUNITY_HOME_SIGNED_IN):
        response = as_facilitator.get(community.get_absolute_url())
    html = response.content.decode()
    assert "To welcome" in html
    assert "Person00 Crowd" in html  # listed among the facilitators


def test_member_directory_runs_a_fixed_number_of_queries(as_member, community, crowded, django_assert_max_num_queries):
    url = reverse("communities:member_directory", args=[community.slug])
    with django_assert_max_num_queries(MEMBER_DIRECTORY):
        response = as_member.get(url)
    html = response.content.decode()
    assert f"{crowded + 3} members" in html
    assert "Person00 Crowd" in html
    assert "topic-0" in html


def test_member_directory_search_runs_a_fixed_number_of_queries(
    as_member, member, community, crowded, django_assert_max_num_queries
):
    url = reverse("communities:member_directory", args=[community.slug])
    with django_assert_max_num_queries(MEMBER_DIRECTORY):
        response = as_member.get(url, {"q": "risk"})
    results = response.content.decode().split("<h2>Members</h2>", 1)[1]
    assert f"{crowded} members match" in results
    assert member.display_name not in results


def test_member_directory_role_filter_runs_a_fixed_number_of_queries(
    as_member, community, crowded, django_assert_max_num_queries
):
    url = reverse("communities:member_directory", args=[community.slug])
    with django_assert_max_num_queries(MEMBER_DIRECTORY):
        response = as_member.get(url, {"role": Membership.Role.FACILITATOR})
    results = response.content.decode().split("<h2>Members</h2>", 1)[1]
    facilitators = 1 + (crowded + 9) // 10
    assert f"{facilitators} members match" in results
    assert "Priya" in results
    assert "Person00 Crowd" in results
    assert "Person01 Crowd" not in results


def test_welcome_queue_runs_a_fixed_number_of_queries(
    as_facilitator, community, crowded, django_assert_max_num_queries
):
    url = reverse("communities:welcome_queue", args=[community.slug])
    with django_assert_max_num_queries(WELCOME_QUEUE):
        response = as_facilitator.get(url)
    html = response.content.decode()
    assert "Person00 Crowd" in html
    assert "topic-0" in html
