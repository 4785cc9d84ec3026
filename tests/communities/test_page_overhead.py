"""Issue 11: what every page pays. The header's links are reversed once per process (and still follow the URLconf
and the script prefix), the community sidebar's people come in one query, and the signed-in user with the bell's
count is one query whose answer follows the database."""

from datetime import timedelta

import pytest
from django.templatetags.static import static
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from accounts.models import User
from communities import selectors
from communities.models import Membership
from cop_platform import links

from ..factories import make_membership, make_user
from ..helpers import login

pytestmark = pytest.mark.django_db

MEMBER_MENU = [
    "communities:home",
    "communities:search",
    "communities:community_list",
    "jobs:all_jobs",
    "newsletters:notifications",
    "conversations:conversation_list",
    "accounts:profile_edit",
    "newsletters:preferences",
    "account_email",
    "account_change_password",
    "mfa_index",
    "account_logout",
]


def test_the_member_header_links_are_the_reversed_urls(as_member, member, community):
    html = as_member.get(community.get_absolute_url()).content.decode()
    for name in MEMBER_MENU:
        url = reverse(name)
        assert f'href="{url}"' in html or f'action="{url}"' in html, name
    assert f'href="{member.get_absolute_url()}"' in html
    assert member.get_absolute_url() == reverse("communities:profile_detail", args=[member.pk])
    for path in ("vendor/pico/pico.min.css", "css/app.css", "favicon.svg"):
        assert f'href="{static(path)}"' in html
    # The community header and its tabs.
    for url in [
        reverse("communities:community_detail", args=[community.slug]),
        reverse("communities:feed_list", args=[community.slug]),
        reverse("communities:theme_list", args=[community.slug]),
        reverse("communities:member_directory", args=[community.slug]),
        reverse("forums:latest", args=[community.slug]),
    ]:
        assert f'href="{url}"' in html, url


def test_visitors_get_log_in_and_sign_up_and_no_member_menu(client, community):
    html = client.get(reverse("forums:latest", args=[community.slug])).content.decode()
    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert reverse("account_logout") not in html
    assert reverse("newsletters:notifications") not in html
    for name in ("forums:latest", "forums:unanswered", "forums:articles", "forums:tag_list"):
        assert f'href="{reverse(name, args=[community.slug])}"' in html, name


def test_the_staff_menu_links_to_the_admin_and_the_member_menu_does_not(as_staff, as_member):
    assert f'href="{reverse("admin:index")}"' in as_staff.get(reverse("communities:home")).content.decode()
    assert reverse("admin:index") not in as_member.get(reverse("communities:home")).content.decode()


def test_links_built_once_follow_the_script_prefix(community):
    plain = links.url_with_slug("forums:latest", community.slug)
    try:
        set_script_prefix("/mounted/")
        assert links.site_links()["home"] == reverse("communities:home") == "/mounted/"
        assert links.url_with_slug("forums:latest", community.slug) == reverse("forums:latest", args=[community.slug])
        assert links.url_with_pk("communities:profile_detail", 7) == reverse("communities:profile_detail", args=[7])
        assert community.get_absolute_url().startswith("/mounted/c/")
    finally:
        set_script_prefix("/")
    assert links.url_with_slug("forums:latest", community.slug) == plain == f"/c/{community.slug}/forums/"


def _joined(community, name, *, days_ago, role=Membership.Role.MEMBER):
    user = make_user(first_name=name, last_name="Person")
    return make_membership(community, user, role=role, joined_at=timezone.now() - timedelta(days=days_ago))


def test_the_sidebar_lists_every_lead_and_the_eight_newest_members(client, community):
    owner = _joined(community, "Una", days_ago=400, role=Membership.Role.OWNER)
    old_lead = _joined(community, "Abel", days_ago=300, role=Membership.Role.FACILITATOR)
    new_lead = _joined(community, "Zed", days_ago=1, role=Membership.Role.FACILITATOR)
    members = [_joined(community, f"Member{i:02d}", days_ago=10 + i) for i in range(10)]
    unknown = _joined(community, "Unknown", days_ago=0)
    Membership.objects.filter(pk=unknown.pk).update(joined_at=None)
    Membership.objects.create(community=community, user=make_user(first_name="Gone"), status=Membership.Status.LEFT)

    leads, newest = selectors.sidebar_people(community, newest=8)

    assert [m.pk for m in leads] == [old_lead.pk, new_lead.pk, owner.pk]  # by role, then first name
    # The newest eight by join date: the new facilitator, then members 0..6; a join date nobody knows comes last.
    assert [m.pk for m in newest] == [new_lead.pk] + [m.pk for m in members[:7]]
    html = client.get(community.get_absolute_url()).content.decode()
    newest_html = html[html.index("Newest members") :]
    positions = [newest_html.index(f"{m.user.first_name} Person") for m in newest]
    assert positions == sorted(positions)
    assert "Member07 Person" not in newest_html and "Gone" not in html
    assert "Abel Person" in html[: html.index("Newest members")]


def test_a_new_member_appears_in_the_sidebar_at_once(client, community):
    for i in range(8):
        _joined(community, f"Early{i}", days_ago=30 + i)
    assert "Newcomer Person" not in client.get(community.get_absolute_url()).content.decode()
    _joined(community, "Newcomer", days_ago=0)
    html = client.get(community.get_absolute_url()).content.decode()
    assert "Newcomer Person" in html[html.index("Newest members") :]
    assert "Early7 Person" not in html


def test_the_signed_in_user_is_read_fresh_on_every_request(member, community):
    browser = login(member)
    assert "<summary>Tom " in browser.get(community.get_absolute_url()).content.decode()
    User.objects.filter(pk=member.pk).update(first_name="Thomasina")
    assert "<summary>Thomasina " in browser.get(community.get_absolute_url()).content.decode()
    # A deactivated account is signed out on its next request; a deleted one too.
    User.objects.filter(pk=member.pk).update(is_active=False)
    html = browser.get(community.get_absolute_url()).content.decode()
    assert f'href="{reverse("account_login")}"' in html and "<summary>Thomasina" not in html
    other = make_user(first_name="Brief")
    gone = login(other)
    other.delete()
    assert f'href="{reverse("account_login")}"' in gone.get(reverse("communities:home")).content.decode()
