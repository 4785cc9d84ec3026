import pytest
from django.urls import reverse

from communities.models import Community

from ..factories import make_membership
from ..helpers import login

pytestmark = pytest.mark.django_db


def test_every_community_page_renders_for_its_facilitator(community, facilitator, member, as_facilitator):
    pending = make_membership(community, status="pending", request_message="Please let me in")
    member_row = community.memberships.get(user=member)
    urls = [
        reverse("communities:home"),
        reverse("communities:community_list"),
        community.get_absolute_url(),
        reverse("communities:member_directory", args=[community.slug]),
        reverse("communities:requests_queue", args=[community.slug]),
        reverse("communities:member_manage", args=[community.slug, member_row.pk]),
        reverse("communities:banned_list", args=[community.slug]),
        reverse("communities:invitation_list", args=[community.slug]),
        reverse("communities:welcome_queue", args=[community.slug]),
        reverse("communities:welcome_compose", args=[community.slug, member_row.pk]),
        reverse("communities:profile_detail", args=[member.pk]),
        reverse("accounts:profile_edit"),
    ]
    for url in urls:
        response = as_facilitator.get(url)
        assert response.status_code == 200, url
    assert pending.user.display_name in as_facilitator.get(urls[4]).content.decode()


def test_anonymous_sees_home_and_public_landing(client, community):
    assert client.get("/").status_code == 200
    response = client.get(community.get_absolute_url())
    assert response.status_code == 200
    assert community.name in response.content.decode()


def test_staff_creates_a_community_from_the_new_community_page(as_staff, staff):
    response = as_staff.post(
        reverse("communities:community_create"),
        {
            "name": "Risk Managers",
            "slug": "risk",
            "description": "Risk people",
            "join_policy": "open",
            "visibility": "public",
            "stage": "potential",
            "welcome_template": "Hi {first_name}",
            "welcome_target_hours": 24,
            "newsletter_day": 1,
        },
    )
    community = Community.objects.get(slug="risk")
    assert response.url == community.get_absolute_url()
    assert community.memberships.get().user == staff


def test_allauth_pages_wear_the_site_layout(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="site-header"' in html, name


@pytest.mark.parametrize("extra", [3, 30])
def test_home_and_community_list_cost_the_same_few_queries_however_many_communities(
    extra, member, community, django_assert_max_num_queries
):
    for index in range(extra):
        other = Community.objects.create(name=f"Other {index}", slug=f"other-{index}", description="x")
        make_membership(other, member)
        make_membership(Community.objects.create(name=f"Open {index}", slug=f"open-{index}", description="x"))
    client = login(member)
    # Session, user, memberships, my communities with news counts, pending requests, communities to join, and
    # the blocks other apps registered for the home page (facilitation's next step: one query for all communities).
    with django_assert_max_num_queries(7):
        assert client.get(reverse("communities:home")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("communities:community_list")).status_code == 200
