"""Private communities show outsiders only their landing page; hidden ones do not exist for them at all."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from communities import activity
from communities.models import ActivityEvent, Community, Membership

from ..factories import make_community, make_invitation, make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, login

pytestmark = pytest.mark.django_db

SECRET = "Quillwort7731"  # only ever written where outsiders must not see it
HIDDEN_SLUG = "quiet-room"


@pytest.fixture
def person(community):
    """Someone in the shared public community, the private one and the hidden one; we look at their profile."""
    user = make_user(first_name="Rowan", last_name="Bridge", email="rowan@example.org")
    make_membership(community, user)
    return user


@pytest.fixture
def private(person):
    private = make_community(
        name="Procurement Circle",
        slug="procurement-circle",
        tagline="Buyers comparing notes",
        description="Commissioners sharing **procurement** practice.",
        visibility=Community.Visibility.PRIVATE,
        join_policy=Community.JoinPolicy.APPROVAL,
    )
    make_membership(private, make_user(first_name="Pia", last_name="Lead"), role=Membership.Role.FACILITATOR)
    make_membership(private, person)
    insider = make_membership(private, make_user(first_name="Quentin", last_name=SECRET))
    activity.record(community=private, actor=insider.user, verb=ActivityEvent.Verb.JOINED, target=insider)
    return private


@pytest.fixture
def hidden(person):
    hidden = make_community(
        name=f"Hidden {SECRET} Group",
        slug=HIDDEN_SLUG,
        tagline=f"{SECRET} tagline",
        description=f"Only for {SECRET} insiders.",
        visibility=Community.Visibility.HIDDEN,
        join_policy=Community.JoinPolicy.OPEN,
    )
    make_membership(hidden, make_user(first_name="Hal", last_name="Host"), role=Membership.Role.OWNER)
    make_membership(hidden, person)
    return hidden


@pytest.fixture
def fellow(hidden):
    """Another member of the hidden community, and of nothing else."""
    return make_membership(hidden, make_user(first_name="Fern", last_name="Fellow")).user


def text(response) -> str:
    return response.content.decode()


def site_header(response) -> str:
    return text(response).split("</header>", 1)[0]


def manage_requests(community, person):
    """(method, url) for every facilitator page and action of the community."""
    slug = community.slug
    applicant = make_membership(community, make_user(first_name="Ada", last_name="Applicant"), status="pending")
    row = community.memberships.get(user=person)
    invitation = make_invitation(community, email="invitee@example.org")
    return [
        ("get", reverse("communities:requests_queue", args=[slug])),
        ("post", reverse("communities:request_approve", args=[slug, applicant.pk])),
        ("post", reverse("communities:request_decline", args=[slug, applicant.pk])),
        ("get", reverse("communities:member_manage", args=[slug, row.pk])),
        ("post", reverse("communities:member_manage", args=[slug, row.pk])),
        ("get", reverse("communities:banned_list", args=[slug])),
        ("get", reverse("communities:invitation_list", args=[slug])),
        ("post", reverse("communities:invitation_revoke", args=[slug, invitation.pk])),
        ("get", reverse("communities:welcome_queue", args=[slug])),
        ("get", reverse("communities:welcome_compose", args=[slug, row.pk])),
        ("get", reverse("communities:community_edit", args=[slug])),
    ]


# --- Private communities -------------------------------------------------------------------------------------


def test_outsider_sees_the_private_landing_page_with_ask_to_join_but_no_activity_or_members(as_outsider, private):
    response = as_outsider.get(private.get_absolute_url())
    assert response.status_code == 200
    html = text(response)
    assert "Procurement Circle" in html
    assert "Commissioners sharing <strong>procurement</strong> practice." in html
    assert "Ask to join" in html
    assert reverse("communities:join_request", args=[private.slug]) in html
    assert "Recent activity" not in html
    assert "joined the community" not in html
    assert "Newest members" not in html
    assert "Quentin" not in html
    assert SECRET not in html
    assert reverse("communities:member_directory", args=[private.slug]) not in html


def test_anonymous_sees_the_private_landing_page_with_log_in_but_no_activity_or_members(client, private):
    response = client.get(private.get_absolute_url())
    assert response.status_code == 200
    html = text(response)
    assert "Procurement Circle" in html
    assert "Commissioners sharing <strong>procurement</strong> practice." in html
    assert f"{resolve_url(settings.LOGIN_URL)}?next=/c/procurement-circle/" in html
    assert "Recent activity" not in html
    assert "Newest members" not in html
    assert "Quentin" not in html
    assert SECRET not in html


def test_a_member_of_the_private_community_sees_its_activity_and_newest_members(person, private):
    html = text(login(person).get(private.get_absolute_url()))
    assert "Recent activity" in html
    assert "Newest members" in html
    assert f"Quentin {SECRET}" in html


def test_outsider_is_refused_the_private_member_directory(as_outsider, private):
    response = as_outsider.get(reverse("communities:member_directory", args=[private.slug]), {"q": "Quentin"})
    assert_kept_out(response, private)
    assert SECRET not in text(as_outsider.get(response.url))


def test_anonymous_is_sent_to_log_in_for_the_private_member_directory(client, private):
    url = reverse("communities:member_directory", args=[private.slug])
    assert_sent_to_login(client.get(url), url)


def test_outsider_is_refused_every_manage_page_of_a_private_community(as_outsider, private, person):
    for method, url in manage_requests(private, person):
        response = getattr(as_outsider, method)(url)
        assert response.status_code == 403, (method, url)
        assert SECRET not in text(response), (method, url)
    assert private.memberships.filter(status=Membership.Status.PENDING).count() == 1
    assert private.invitations.outstanding().count() == 1


def test_anonymous_is_sent_to_log_in_for_every_manage_page_of_a_private_community(client, private, person):
    for method, url in manage_requests(private, person):
        assert_sent_to_login(getattr(client, method)(url), url)
    assert private.memberships.filter(status=Membership.Status.PENDING).count() == 1


def test_private_community_is_left_off_a_members_profile_for_outsiders_and_anonymous(
    as_outsider, client, person, private, community
):
    for viewer in (as_outsider, client):
        html = text(viewer.get(person.get_absolute_url()))
        assert community.name in html
        assert "Procurement Circle" not in html


def test_private_community_shows_on_a_members_profile_for_a_fellow_member(person, private):
    colleague = private.memberships.get(user__first_name="Pia").user
    html = text(login(colleague).get(person.get_absolute_url()))
    assert "Procurement Circle" in html


# --- Hidden communities --------------------------------------------------------------------------------------


def test_outsider_gets_404_for_the_hidden_landing_page_and_directory(as_outsider, hidden):
    for url in (hidden.get_absolute_url(), reverse("communities:member_directory", args=[hidden.slug])):
        response = as_outsider.get(url)
        assert response.status_code == 404, url
        assert SECRET not in text(response)


def test_outsider_gets_404_for_every_manage_page_of_a_hidden_community(as_outsider, hidden, person):
    for method, url in manage_requests(hidden, person):
        response = getattr(as_outsider, method)(url)
        assert response.status_code == 404, (method, url)
        assert SECRET not in text(response), (method, url)
    assert hidden.memberships.filter(status=Membership.Status.PENDING).count() == 1
    assert hidden.invitations.outstanding().count() == 1


def test_outsider_gets_404_joining_or_asking_to_join_a_hidden_community(as_outsider, outsider, hidden):
    join = reverse("communities:join", args=[hidden.slug])
    ask = reverse("communities:join_request", args=[hidden.slug])
    assert as_outsider.post(join).status_code == 404
    assert as_outsider.get(ask).status_code == 404
    assert as_outsider.post(ask, {"message": "Let me in"}).status_code == 404
    assert not Membership.objects.filter(user=outsider, community=hidden).exists()


def test_anonymous_gets_404_for_the_hidden_landing_page(client, hidden):
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert SECRET not in text(response)


def test_anonymous_is_sent_to_log_in_for_hidden_pages_exactly_as_for_a_community_that_does_not_exist(client, hidden):
    for name in ("member_directory", "welcome_queue", "join_request"):
        hidden_response = client.get(reverse(f"communities:{name}", args=[hidden.slug]))
        missing_response = client.get(reverse(f"communities:{name}", args=["no-such-community"]))
        assert hidden_response.status_code == missing_response.status_code == 302
        assert hidden_response.url.replace(HIDDEN_SLUG, "no-such-community") == missing_response.url


def test_former_and_banned_members_get_404_for_a_hidden_community(hidden):
    for status in (Membership.Status.LEFT, Membership.Status.BANNED):
        former = make_membership(hidden, make_user(), status=status)
        response = login(former.user).get(hidden.get_absolute_url())
        assert response.status_code == 404, status


def test_a_member_sees_the_hidden_community(fellow, hidden):
    response = login(fellow).get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert f"Only for {SECRET} insiders." in text(response)


def test_hidden_community_is_absent_from_the_community_list(as_outsider, as_member, client, hidden, private):
    for viewer in (as_outsider, as_member, client):
        html = text(viewer.get(reverse("communities:community_list")))
        assert "Procurement Circle" in html  # private communities are listed; hidden ones are not
        assert SECRET not in html
        assert HIDDEN_SLUG not in html


def test_hidden_community_is_listed_for_its_own_members(fellow, hidden):
    html = text(login(fellow).get(reverse("communities:community_list")))
    assert f"Hidden {SECRET} Group" in html


def test_hidden_community_is_absent_from_communities_you_may_join(as_outsider, client, hidden, private):
    for viewer in (as_outsider, client):
        html = text(viewer.get(reverse("communities:home")))
        assert "Procurement Circle" in html
        assert SECRET not in html
        assert HIDDEN_SLUG not in html


def test_hidden_community_is_left_off_a_members_profile_for_outsiders_and_anonymous(
    as_outsider, client, person, hidden
):
    for viewer in (as_outsider, client):
        response = viewer.get(person.get_absolute_url())
        assert response.status_code == 200
        assert "Rowan Bridge" in text(response)
        assert SECRET not in text(response)
        assert HIDDEN_SLUG not in text(response)


def test_hidden_community_shows_on_a_members_profile_for_a_fellow_member(fellow, person, hidden, private):
    html = text(login(fellow).get(person.get_absolute_url()))
    assert f"Hidden {SECRET} Group" in html
    assert "Procurement Circle" not in html  # the fellow is not in the private community


# --- The header's communities menu ---------------------------------------------------------------------------


def test_header_menu_lists_only_the_viewers_own_communities(as_member, community, private, hidden):
    header = site_header(as_member.get(reverse("communities:community_list")))
    assert community.name in header
    assert "Procurement Circle" not in header
    assert SECRET not in header


def test_header_menu_lists_a_hidden_community_to_its_member(fellow, community, hidden):
    header = site_header(login(fellow).get(reverse("communities:home")))
    assert f"Hidden {SECRET} Group" in header
    assert community.name not in header


def test_header_menu_lists_no_communities_for_an_outsider(as_outsider, community, private, hidden):
    header = site_header(as_outsider.get(reverse("communities:home")))
    assert "Browse all communities" in header
    for name in (community.name, "Procurement Circle", SECRET):
        assert name not in header
