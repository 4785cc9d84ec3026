"""Issue 8, item 5: a new community can take its owner's first thread at once; when no thread can be started the
page says why and what to do; every refusal names its real reason."""

import pytest
from django.urls import reverse

from communities import services as community_services
from communities.models import Community
from forums import services
from forums.models import Category, Thread

from ..factories import make_user
from ..helpers import login, text_of

pytestmark = pytest.mark.django_db


def test_a_new_community_starts_with_a_category_its_owner_can_post_in_at_once(db):
    founder = make_user(first_name="Fran")
    community = community_services.community_create(
        creator=founder, name="Risk people", slug="risk-people", description="Risk managers."
    )
    assert list(Category.objects.filter(community=community).values_list("name", flat=True)) == ["General"]
    owner = login(founder)
    url = reverse("forums:thread_create", args=[community.slug])
    assert owner.get(url).status_code == 200
    owner.post(
        url, {"category": community.categories.get().pk, "kind": "discussion", "title": "Hello all", "body": "Hi"}
    )
    assert Thread.objects.filter(community=community, title="Hello all").exists()
    assert "New thread" in text_of(owner.get(reverse("forums:latest", args=[community.slug])))


def test_new_thread_without_an_open_category_explains_what_to_do(community, as_facilitator, as_member):
    Category.objects.create(community=community, name="Old", slug="old", is_archived=True)
    url = reverse("forums:thread_create", args=[community.slug])
    response = as_facilitator.get(url)
    assert response.status_code == 403
    assert "no open category yet" in text_of(response)
    assert reverse("forums:category_manage", args=[community.slug]) in response.content.decode()
    member_page = as_member.get(url)
    assert "Its facilitators can add one" in text_of(member_page)
    latest = text_of(as_member.get(reverse("forums:latest", args=[community.slug])))
    assert "no open category to post in yet" in latest


def test_archived_community_refuses_new_threads_as_archived_and_read_only(community, category, as_member):
    Community.objects.filter(pk=community.pk).update(stage=Community.Stage.ARCHIVED)
    response = as_member.get(reverse("forums:thread_create", args=[community.slug]))
    assert response.status_code == 403
    assert "archived and read-only" in text_of(response)
    assert "Only members" not in text_of(response)


def test_archived_community_refuses_replies_as_archived_and_read_only(community, question, as_member):
    Community.objects.filter(pk=community.pk).update(stage=Community.Stage.ARCHIVED)
    response = as_member.get(reverse("forums:thread_reply", args=[community.slug, question.pk]))
    assert response.status_code == 403
    assert "archived and read-only" in text_of(response)


def test_service_refusal_names_the_archived_community(community, category, member):
    Community.objects.filter(pk=community.pk).update(stage=Community.Stage.ARCHIVED)
    community.refresh_from_db()
    category.community = community
    with pytest.raises(services.ForumError, match="archived and read-only"):
        services.thread_create(category=category, author=member, kind="discussion", title="Hello there", body="x")


def test_locked_thread_refusal_says_it_is_locked(community, question, facilitator, as_member):
    services.thread_moderate(thread=question, by=facilitator, action="lock")
    response = as_member.get(reverse("forums:thread_reply", args=[community.slug, question.pk]))
    assert response.status_code == 403
    assert "locked" in text_of(response)


def test_library_refusal_in_an_archived_community_says_archived(community, as_member):
    Community.objects.filter(pk=community.pk).update(stage=Community.Stage.ARCHIVED)
    response = as_member.get(reverse("library:resource_add_choose", args=[community.slug]))
    assert response.status_code == 403
    assert "archived and read-only" in text_of(response)
