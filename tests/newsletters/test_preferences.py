"""The email preferences page: per community, the global switch, the signed footer link."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters import rendering, tokens
from newsletters.models import MailSettings, Subscription

from ..factories import make_community, make_membership

pytestmark = pytest.mark.django_db


# --- Preferences -----------------------------------------------------------------------------------------------


def preference_data(community, **overrides) -> dict:
    data = {
        f"c{community.pk}-newsletter": "on",
        f"c{community.pk}-followed": "daily",
        f"c{community.pk}-replies": "immediate",
        f"c{community.pk}-mentions": "immediate",
        f"c{community.pk}-hotseats": "daily",
        f"c{community.pk}-announcements": "immediate",
        f"c{community.pk}-library": "daily",
        f"c{community.pk}-polls": "daily",
        f"c{community.pk}-jobs": "daily",
    }
    for key, value in overrides.items():
        name = f"c{community.pk}-{key}"
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    return data


def test_members_save_per_community_settings_and_the_global_switch_on_the_preferences_page(
    as_member, member, community
):
    agile = make_community(name="Agile Delivery")
    make_membership(agile, member)
    data = {
        **preference_data(community, newsletter=None, followed="immediate", hotseats="off"),
        **preference_data(agile, mentions="off"),
        "no_email": "on",
    }

    response = as_member.post(reverse("newsletters:preferences"), data)

    assert response.status_code == 302
    ppm_sub = Subscription.objects.get(user=member, community=community)
    assert (ppm_sub.newsletter, ppm_sub.frequency("followed"), ppm_sub.frequency("hotseats")) == (
        False,
        "immediate",
        "off",
    )
    agile_sub = Subscription.objects.get(user=member, community=agile)
    assert (agile_sub.newsletter, agile_sub.frequency("mentions"), agile_sub.frequency("followed")) == (
        True,
        "off",
        "daily",
    )
    assert MailSettings.objects.get(user=member).no_email is True


def test_the_signed_footer_link_opens_the_preferences_page_without_login(member, community):
    browser = Client(enforce_csrf_checks=True)
    path = urlsplit(rendering.preferences_url(member.pk)).path

    page = browser.get(path)
    assert page.status_code == 200
    assert member.email in page.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    response = browser.post(path, {**preference_data(community, replies="daily"), "csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response.url == path
    assert Subscription.objects.get(user=member, community=community).frequency("replies") == "daily"
    assert MailSettings.objects.get(user=member).no_email is False


@pytest.mark.parametrize("token", ["garbled", "unsubscribe-token"])
def test_a_bad_preferences_link_is_a_404(client, member, token):
    if token == "unsubscribe-token":
        token = tokens.make(member.pk, tokens.UNSUBSCRIBE)

    assert client.get(reverse("newsletters:preferences_token", args=[token])).status_code == 404


def test_a_preferences_form_error_keeps_the_choices_made_and_saves_nothing(as_member, member, community):
    data = {**preference_data(community, newsletter=None, followed="immediate", mentions="weekly"), "no_email": "on"}

    response = as_member.post(reverse("newsletters:preferences"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. weekly is not one of the available choices." in page
    followed = re.search(rf'<select name="c{community.pk}-followed".*?</select>', page, re.S)[0]
    assert re.search(r'<option value="immediate" selected>', followed)
    assert not re.search(rf'name="c{community.pk}-newsletter"[^>]*checked', page)
    assert re.search(r'name="no_email"[^>]*checked', page)
    assert not Subscription.objects.exists()
    assert not MailSettings.objects.filter(no_email=True).exists()


def test_the_preferences_page_tells_a_member_whose_address_bounced(as_member, member):
    MailSettings.objects.create(user=member, bounced_at=timezone.now())

    assert "could not deliver to this address" in as_member.get(reverse("newsletters:preferences")).content.decode()
