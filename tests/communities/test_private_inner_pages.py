"""Issue 8, item 6: a private community's inner pages send an anonymous visitor to log in and a signed-in outsider
to the landing page with its way in; hidden communities stay 404; nothing private shows on the way."""

import pytest
from django.urls import reverse

from communities.models import Community
from forums import services
from forums.models import Category, Thread

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_sent_to_login, login, text_of

pytestmark = pytest.mark.django_db

SECRET = "Quillmere restructuring"


@pytest.fixture
def closed(request):
    def make(visibility):
        community = make_community(
            name="Estates Circle",
            slug=f"estates-{visibility}",
            visibility=visibility,
            join_policy=Community.JoinPolicy.APPROVAL,
        )
        insider = make_membership(community).user
        category = Category.objects.create(community=community, name="Plans", slug="plans")
        thread = services.thread_create(
            category=category, author=insider, kind=Thread.Kind.QUESTION, title=f"The {SECRET} plan", body=SECRET
        )
        return community, thread

    return make


def inner_pages(community, thread) -> list[str]:
    slug = community.slug
    return [
        reverse("forums:latest", args=[slug]),
        thread.get_absolute_url(),
        reverse("hotseats:hotseat_list", args=[slug]),
        reverse("communities:member_directory", args=[slug]),
        reverse("library:browse", args=[slug]),
        reverse("polls:poll_list", args=[slug]),
        reverse("communities:theme_list", args=[slug]),
    ]


def test_an_anonymous_visitor_to_a_private_communitys_inner_pages_is_sent_to_log_in(closed, client):
    community, thread = closed(Community.Visibility.PRIVATE)
    for path in inner_pages(community, thread):
        assert_sent_to_login(client.get(path), path)


def test_a_signed_in_outsider_lands_on_the_private_communitys_landing_page_with_its_way_in(closed):
    community, thread = closed(Community.Visibility.PRIVATE)
    outsider = login(make_user())
    for path in inner_pages(community, thread):
        response = outsider.get(path, follow=True)
        assert response.redirect_chain == [(community.get_absolute_url(), 302)], path
        page = text_of(response)
        assert "Ask to join" in page, path
        assert "That page is for members of Estates Circle" in page, path
        assert SECRET not in page, path


def test_a_hidden_communitys_inner_pages_stay_not_found_for_outsiders(closed, client):
    community, thread = closed(Community.Visibility.HIDDEN)
    outsider = login(make_user())
    directory = reverse("communities:member_directory", args=[community.slug])
    for path in inner_pages(community, thread):
        # The directory asks anyone anonymous to log in before looking at the address at all: that says nothing.
        for visitor in (outsider, client) if path != directory else (outsider,):
            response = visitor.get(path)
            assert response.status_code == 404, path
            assert SECRET not in text_of(response), path
