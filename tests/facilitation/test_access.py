"""Every facilitation page, export and action, for every persona: facilitators and owners (and site staff) get
in; members, applicants, banned members and outsiders are refused with 403, or 404 where the community is hidden;
visitors are sent to log in; a refused nudge writes nothing."""

import pytest
from django.urls import reverse

from communities.models import Community, Membership
from facilitation.models import Nudge
from tests.factories import make_membership, make_user
from tests.helpers import assert_sent_to_login

from .conftest import PERSONA_STATUS

pytestmark = pytest.mark.django_db

PAGES = ["today", "health", "ladder", "knowledge_map", "cohorts", "lifecycle"]
TABLES = ["summary", "weekly", "tags", "categories"]
STATUS = PERSONA_STATUS | {"applicant": 403}


@pytest.fixture
def applicant(community):
    return make_membership(community, make_user(first_name="Abe"), status=Membership.Status.PENDING).user


@pytest.fixture
def target(community):
    return make_membership(community, make_user(first_name="Gil"))


def paths(community) -> list[str]:
    pages = [reverse(f"facilitation:{name}", args=[community.slug]) for name in PAGES]
    return pages + [reverse("facilitation:health_csv", args=[community.slug, table]) for table in TABLES]


@pytest.mark.parametrize("persona", list(STATUS))
def test_each_page_and_export_answers_each_persona(client_as, community, persona):
    client = client_as(persona)
    for path in paths(community):
        assert client.get(path).status_code == STATUS[persona], (persona, path)


@pytest.mark.parametrize("persona", ["outsider", "applicant"])
def test_in_a_hidden_community_the_pages_do_not_exist_for_outsiders(client_as, community, persona):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.HIDDEN)
    client = client_as(persona)
    expected = 404 if persona == "outsider" else 403  # an applicant knows the community exists
    for path in paths(community) + [reverse("facilitation:ask_who_knows", args=[community.slug])]:
        assert client.get(path).status_code == expected, (persona, path)


def test_visitors_are_sent_to_log_in_everywhere(client, community, target):
    for path in paths(community):
        assert_sent_to_login(client.get(path), path)
    nudge = reverse("facilitation:nudge", args=[community.slug, target.pk])
    assert_sent_to_login(client.post(nudge), nudge)
    assert not Nudge.objects.exists()


@pytest.mark.parametrize("persona", list(STATUS))
def test_only_facilitators_and_owners_nudge(client_as, community, target, persona):
    response = client_as(persona).post(reverse("facilitation:nudge", args=[community.slug, target.pk]))
    if STATUS[persona] == 200:
        assert response.status_code == 302
        assert Nudge.objects.filter(user=target.user).count() == 1
    else:
        assert response.status_code == STATUS[persona]
        assert not Nudge.objects.exists()


def test_a_nudge_is_only_for_an_active_member_of_the_community(client_as, community, applicant):
    pending = Membership.objects.get(community=community, user=applicant)
    response = client_as("facilitator").post(reverse("facilitation:nudge", args=[community.slug, pending.pk]))
    assert response.status_code == 404
    assert not Nudge.objects.exists()
