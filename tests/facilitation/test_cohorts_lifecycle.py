import pytest
from django.urls import reverse

from communities.models import Community
from facilitation import cohorts, rollups
from tests.helpers import assert_sent_to_login, login, text_of

from .conftest import PERSONA_STATUS
from .dataset import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand():
    data = build()
    rollups.rollup_community(data.community)
    return data


def shares(group):
    return {w: (s.done, s.eligible) for w, s in group.shares.items()}


def test_cohort_shares_and_the_counts_behind_them_match_the_hand_counts(hand):
    months, overall = cohorts.cohorts(hand.community)
    by = {g.method: g for g in overall}
    # Ann, welcomed personally 40 days ago, first contributed after 38 days (a reaction is not a contribution).
    assert by["personal"].members == 1 and shares(by["personal"]) == {7: (0, 1), 30: (0, 1), 90: (0, 0)}
    # Ben, welcomed automatically 10 days ago, asked on day 7.
    assert by["automatic"].members == 1 and shares(by["automatic"]) == {7: (1, 1), 30: (0, 0), 90: (0, 0)}
    # Cat (3 days, too recent for a 7-day share), Dan (59 days), Eve (97 days), the facilitator (never).
    assert by["none"].members == 4 and shares(by["none"]) == {7: (0, 3), 30: (0, 3), 90: (0, 2)}
    assert by["automatic"].shares[7].percent == 100 and by["none"].shares[90].percent == 0
    assert sum(c.members for c in months) == 6
    assert all(g.too_small for g in overall)


def test_the_cohorts_page_says_when_numbers_are_too_small(hand):
    response = login(hand.facilitator).get(reverse("facilitation:cohorts", args=[hand.community.slug]))
    text = text_of(response)
    assert "Welcomed automatically 1 100% (1 of 1)" in text
    assert "Too few members in some groups" in text


def test_lifecycle_checklist_and_suggested_stage(hand):
    response = login(hand.facilitator).get(reverse("facilitation:lifecycle", args=[hand.community.slug]))
    text = text_of(response)
    assert "at the Coalescing stage" in text
    assert "Done: Founding members: at least 5 active members (now 6)" in text
    assert "To do: A first theme to gather around" in text
    assert "Its figures suggest Potential , from 6 members and 6 posts in the period" in text
    Community.objects.filter(pk=hand.community.pk).update(stage=Community.Stage.MATURING)
    text = text_of(login(hand.facilitator).get(reverse("facilitation:lifecycle", args=[hand.community.slug])))
    assert "To do: Hot seats with experts" in text


@pytest.mark.parametrize("name", ["cohorts", "lifecycle"])
@pytest.mark.parametrize("persona", list(PERSONA_STATUS))
def test_only_facilitators_and_owners_see_cohorts_and_lifecycle(client_as, community, persona, name):
    response = client_as(persona).get(reverse(f"facilitation:{name}", args=[community.slug]))
    assert response.status_code == PERSONA_STATUS[persona]


@pytest.mark.parametrize("name", ["cohorts", "lifecycle", "ladder", "health", "today", "knowledge_map"])
def test_anonymous_visitors_are_sent_to_log_in(client, community, name):
    path = reverse(f"facilitation:{name}", args=[community.slug])
    assert_sent_to_login(client.get(path), path)
