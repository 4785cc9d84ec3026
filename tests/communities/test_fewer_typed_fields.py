"""Issue 8, item 14: web addresses made from titles when left blank (and still editable), member experts picked
from the community's members, guest experts still email addresses, new accounts in the site's time zone."""

import pytest
from django.urls import reverse

from accounts.models import User
from communities.models import Community, Theme

from ..factories import make_membership, make_user
from ..helpers import login, page_source

pytestmark = pytest.mark.django_db

THEME = {
    "title": "Benefits realisation in March",
    "description": "Why benefits slip.",
    "starts_on": "2031-03-01",
    "ends_on": "2031-03-31",
    "tags": "benefits",
}


def test_a_theme_left_without_a_web_address_gets_one_from_its_title(community, as_facilitator):
    as_facilitator.post(reverse("communities:theme_create", args=[community.slug]), {**THEME, "slug": ""})
    assert Theme.objects.filter(community=community, slug="benefits-realisation-in-march").exists()


def test_a_themes_web_address_stays_editable(community, as_facilitator):
    as_facilitator.post(reverse("communities:theme_create", args=[community.slug]), {**THEME, "slug": "march"})
    assert Theme.objects.filter(community=community, slug="march").exists()


def test_a_community_left_without_a_web_address_gets_one_from_its_name(as_staff):
    as_staff.post(
        reverse("communities:community_create"),
        {
            "name": "Risk Managers Network",
            "slug": "",
            "tagline": "",
            "description": "Risk people.",
            "join_policy": Community.JoinPolicy.OPEN,
            "visibility": Community.Visibility.PUBLIC,
            "stage": Community.Stage.POTENTIAL,
            "welcome_template": "Welcome!",
            "welcome_target_hours": 24,
            "newsletter_day": 1,
        },
    )
    assert Community.objects.filter(slug="risk-managers-network").exists()


def test_the_hot_seat_form_offers_the_communitys_members_as_experts(community, member, outsider, as_facilitator):
    sam = make_membership(community, make_user(first_name="Sam", last_name="Expert", email="sam@example.org")).user
    html = page_source(as_facilitator.get(reverse("hotseats:hotseat_create", args=[community.slug])))
    assert 'list="member-experts-options"' in html
    assert '<datalist id="member-experts-options">' in html
    assert f'<option value="{sam.email}">Sam Expert</option>' in html
    assert f'value="{member.email}"' in html
    assert outsider.email not in html
    # Guests stay email addresses, typed in.
    assert 'name="guest_experts"' in html


def test_new_accounts_take_the_sites_time_zone(settings, client):
    settings.TIME_ZONE = "Europe/Paris"
    client.post(
        reverse("account_signup"),
        {
            "email": "newbie@example.org",
            "password1": "a-Very-good-passw0rd",
            "password2": "a-Very-good-passw0rd",
            "first_name": "New",
            "last_name": "Bie",
        },
    )
    assert User.objects.get(email="newbie@example.org").time_zone == "Europe/Paris"
    assert make_user().time_zone == "Europe/Paris"


def test_the_default_time_zone_is_europe_london():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/London"
    assert User._meta.get_field("time_zone").get_default() == "Europe/London"


def test_members_change_their_time_zone(member):
    client = login(member)
    page = page_source(client.get(reverse("accounts:profile_edit")))
    assert 'name="user-time_zone"' in page
