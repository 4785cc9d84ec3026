"""Issue 8, item 9: what the pages say about you is true."""

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import ActivityEvent, Community, Membership

from ..factories import make_community, make_membership, make_user
from ..helpers import login, text_of

pytestmark = pytest.mark.django_db

Verb = ActivityEvent.Verb


def test_an_owner_reads_you_are_an_owner_here(community, as_owner):
    page = text_of(as_owner.get(community.get_absolute_url()))
    assert "You are an owner here." in page
    assert "You are a owner" not in page


def test_a_first_timer_is_welcomed_not_welcomed_back(db):
    newcomer = make_user(first_name="Nia")
    assert "Welcome, Nia" in text_of(login(newcomer).get("/"))
    assert "Welcome back" not in text_of(login(newcomer).get("/"))


def test_someone_who_has_been_here_before_is_welcomed_back(community, member):
    Membership.objects.filter(user=member).update(last_visit_at=timezone.now())
    assert "Welcome back, Tom" in text_of(login(member).get("/"))


def test_invite_only_communities_are_shown_by_invitation_not_as_joinable(db):
    make_community(name="Open Forum", join_policy=Community.JoinPolicy.OPEN)
    make_community(name="Inner Circle", join_policy=Community.JoinPolicy.INVITE)
    page = text_of(login(make_user()).get("/"))
    joinable, _, by_invitation = page.partition("By invitation")
    assert "Open Forum" in joinable.split("Communities you may join", 1)[1]
    assert "Inner Circle" not in joinable.split("Communities you may join", 1)[1]
    assert "Inner Circle" in by_invitation


def test_approving_a_join_request_records_the_joined_activity_as_an_invitation_does(community, facilitator):
    applicant = make_user(first_name="Ada")
    membership = services.membership_request(user=applicant, community=community, message="Hello")
    login(facilitator).post(reverse("communities:request_approve", args=[community.slug, membership.pk]))
    joined = ActivityEvent.objects.get(verb=Verb.JOINED, community=community)
    assert joined.actor == applicant


def test_the_owner_hands_over_ownership_from_the_member_page(community, owner, facilitator, as_owner):
    target = Membership.objects.get(user=facilitator, community=community)
    path = reverse("communities:member_manage", args=[community.slug, target.pk])
    assert "Hand over ownership" in text_of(as_owner.get(path))
    as_owner.post(path, {"action": "hand_over"})
    roles = dict(Membership.objects.filter(community=community).values_list("user__email", "role"))
    assert roles[facilitator.email] == Membership.Role.OWNER
    assert roles[owner.email] == Membership.Role.FACILITATOR


def test_a_facilitator_cannot_hand_over_ownership(community, owner, facilitator, member):
    target = Membership.objects.get(user=member, community=community)
    client = login(facilitator)
    path = reverse("communities:member_manage", args=[community.slug, target.pk])
    assert "Hand over ownership" not in text_of(client.get(path))
    client.post(path, {"action": "hand_over"})
    assert Membership.objects.get(user=owner, community=community).role == Membership.Role.OWNER
    assert Membership.objects.get(user=member, community=community).role == Membership.Role.MEMBER


def test_hand_over_keeps_the_old_owner_in_as_facilitator_even_alone(db):
    founder, heir = make_user(), make_user()
    community = services.community_create(creator=founder, name="Solo", slug="solo", description="x")
    target = make_membership(community, heir)
    services.ownership_hand_over(membership=target, by=founder)
    assert Membership.objects.get(user=founder, community=community).role == Membership.Role.FACILITATOR
    assert Membership.objects.get(user=heir, community=community).role == Membership.Role.OWNER
