"""Community pages run a fixed number of queries however many members the community has.

Each page is measured twice, with 5 and with 50 members who have profiles, expertise tags and segments, under
the same bound. A page whose count grows with its members has an N+1 query.
"""

import pytest
from django.urls import reverse

from communities import activity
from communities.models import ActivityEvent, Membership, Segment

from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-members")
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
    with django_assert_max_num_queries(0):
        response = client.get(community.get_absolute_url())
    assert "Person" in response.content.decode()


def test_community_home_for_a_member_runs_a_fixed_number_of_queries(
    as_member, community, crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = as_member.get(community.get_absolute_url())
    assert "Newest members" in response.content.decode()


def test_community_home_for_a_facilitator_runs_a_fixed_number_of_queries(
    as_facilitator, community, crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = as_facilitator.get(community.get_absolute_url())
    assert "To welcome" in response.content.decode()


def test_member_directory_runs_a_fixed_number_of_queries(as_member, community, crowded, django_assert_max_num_queries):
    url = reverse("communities:member_directory", args=[community.slug])
    with django_assert_max_num_queries(0):
        response = as_member.get(url)
    html = response.content.decode()
    assert "Person00 Crowd" in html
    assert "topic-0" in html


def test_member_directory_search_runs_a_fixed_number_of_queries(
    as_member, community, crowded, django_assert_max_num_queries
):
    url = reverse("communities:member_directory", args=[community.slug])
    with django_assert_max_num_queries(0):
        response = as_member.get(url, {"q": "risk"})
    html = response.content.decode()
    assert f"{crowded} members match" in html
    assert "Tom" not in html.split("<h2>Members</h2>", 1)[1]


def test_member_directory_role_filter_runs_a_fixed_number_of_queries(
    as_member, community, crowded, django_assert_max_num_queries
):
    url = reverse("communities:member_directory", args=[community.slug])
    with django_assert_max_num_queries(0):
        response = as_member.get(url, {"role": Membership.Role.FACILITATOR})
    html = response.content.decode()
    assert "1 member matches" in html
    assert "Priya" in html
    assert "Person00" not in html


def test_welcome_queue_runs_a_fixed_number_of_queries(
    as_facilitator, community, crowded, django_assert_max_num_queries
):
    url = reverse("communities:welcome_queue", args=[community.slug])
    with django_assert_max_num_queries(0):
        response = as_facilitator.get(url)
    html = response.content.decode()
    assert "Person00 Crowd" in html
    assert "topic-0" in html
