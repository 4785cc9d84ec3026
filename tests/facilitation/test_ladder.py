from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import activity
from communities.models import ActivityEvent, CommunityVisit, Membership
from facilitation import ladder, rollups
from facilitation.models import Nudge
from tests.factories import make_membership, make_user
from tests.helpers import assert_sent_to_login, login, text_of

from .conftest import PERSONA_STATUS
from .dataset import at, build

pytestmark = pytest.mark.django_db


def url(community):
    return reverse("facilitation:ladder", args=[community.slug])


def event(community, user, verb, when, **data):
    e = activity.record(community=community, actor=user, verb=verb, **data)
    ActivityEvent.objects.filter(pk=e.pk).update(created_at=when)


@pytest.fixture
def climbers(community):
    hand = build(community)
    fay = make_membership(community, make_user(first_name="Fay"), joined_at=at(30, 8)).user
    gil = make_membership(community, make_user(first_name="Gil"), joined_at=at(30, 8)).user
    event(community, fay, "post_replied", at(10, 9), topic="t:1")  # answered before the period...
    CommunityVisit.objects.create(community=community, user=fay, day=timezone.localdate() - timedelta(days=2))
    event(community, gil, "post_reacted", at(2, 9), topic="t:1", credit="thanks", credit_to=hand.eve.pk)
    event(community, gil, "post_reacted", at(1, 9), topic="t:2", credit="thanks", credit_to=hand.eve.pk)
    rollups.rollup_community(community)
    hand.fay, hand.gil = fay, gil
    return hand


@pytest.mark.parametrize("persona", list(PERSONA_STATUS))
def test_only_facilitators_and_owners_see_the_ladder(client_as, community, persona):
    assert client_as(persona).get(url(community)).status_code == PERSONA_STATUS[persona]


def test_anonymous_visitors_are_sent_to_log_in(client, community):
    assert_sent_to_login(client.get(url(community)), url(community))


def test_rungs_moves_and_ready_members_match_the_hand_counts(climbers, community):
    result = ladder.ladder(community, 7)
    counts = {label: now for label, now, _ in result.counts}
    # Dan voted; Ben, Ann, Cat asked; Eve's answer was accepted; Fay only read; Gil reacted.
    assert counts == {"read": 1, "react": 1, "vote": 1, "ask": 3, "answer": 0, "accepted answer": 1, "host": 0}
    assert {label: before for label, _, before in result.counts}["answer"] == 1  # Fay, ten days ago
    assert (result.moved_up, result.moved_down) == (6, 1)
    assert sorted(m.user.first_name for m, _ in result.ready) == ["Dan", "Gil"]
    active = Membership.objects.active().filter(community=community).count()
    assert result.not_seen == active - 7


def test_a_nudge_reaches_the_members_home_page(climbers, community, facilitator):
    client = login(facilitator)
    gil = Membership.objects.get(community=community, user=climbers.gil)
    text = text_of(client.get(url(community)))
    assert "Nudge Gil" in text
    client.post(reverse("facilitation:nudge", args=[community.slug, gil.pk]))
    assert Nudge.objects.get(user=climbers.gil).rung == 4
    home = text_of(login(climbers.gil).get(reverse("communities:home")))
    assert "You have thanked 2 posts: ask your first question. There is no such thing as a silly question." in home
    assert f"{facilitator.display_name} thinks you are ready." in home
    assert "nudged" in text_of(client.get(url(community)))


def test_members_cannot_nudge(climbers, community, member):
    gil = Membership.objects.get(community=community, user=climbers.gil)
    assert login(member).post(reverse("facilitation:nudge", args=[community.slug, gil.pk])).status_code == 403
    assert not Nudge.objects.exists()


def test_each_rung_has_its_next_step(climbers, community):
    steps = {s["community"].pk: s["text"] for s in ladder.next_steps(climbers.ann)}
    assert steps[community.pk].startswith("You have asked: now answer")
    assert ladder.next_steps(climbers.dan)[0]["text"].startswith("You have voted")
