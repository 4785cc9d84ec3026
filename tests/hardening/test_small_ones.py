"""Issue 9, fix 9: a styled 400 page, the failed-login throttle answers 429, logged-in pages are private to the
browser, and a forged Host header gets 400 and never builds a link in an email."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from ..factories import PASSWORD, make_user
from ..helpers import login, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def one_host(settings):
    settings.ALLOWED_HOSTS = ["cop.example.org", "alias.example.org"]
    settings.SITE_URL = "https://cop.example.org"


def test_a_bad_request_gets_the_400_page_in_the_sites_style(one_host, client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not make sense of that request" in text_of(page)
    assert 'rel="stylesheet"' in page  # the site's base template, not Django's bare "Bad Request (400)"


def test_a_forged_host_gets_400_and_no_email_is_sent(one_host, client, mailoutbox):
    make_user(email="member@example.org")

    reset = reverse("account_reset_password")
    response = client.post(reset, {"email": "member@example.org"}, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert mailoutbox == []


def test_email_links_go_to_site_url_whatever_host_the_request_named(one_host, client, mailoutbox):
    make_user(email="member@example.org")

    client.post(reverse("account_reset_password"), {"email": "member@example.org"}, HTTP_HOST="alias.example.org")

    (message,) = mailoutbox
    assert "https://cop.example.org/accounts/password/reset/key/" in message.body
    assert "alias.example.org" not in message.body


def test_the_failed_login_throttle_answers_429_and_keeps_the_email_typed(client):
    make_user(email="member@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong"})

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert 'value="member@example.org"' in response.content.decode()


def test_a_wrong_password_below_the_throttle_is_still_a_200_with_the_form(client):
    make_user(email="member@example.org")

    response = client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong"})

    assert response.status_code == 200


@pytest.mark.parametrize("url_name", ["communities:home", "communities:community_list", "accounts:profile_edit"])
def test_logged_in_pages_are_cache_control_private(url_name):
    response = login(make_user()).get(reverse(url_name))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_visitors_public_page_is_not_marked_private(client):
    response = client.get(reverse("communities:community_list"))

    assert "private" not in response.get("Cache-Control", "")


def test_a_member_logs_in_after_the_429_page_once_the_window_passes(client):
    """The 429 is the throttle's answer only: a right password from a fresh account logs in as before."""
    make_user(email="other@example.org")

    response = client.post(reverse("account_login"), {"login": "other@example.org", "password": PASSWORD})

    assert response.status_code == 302
