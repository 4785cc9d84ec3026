"""allauth's emails name the platform and the address it is served on, never the sites framework's example.com."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_confirmation_email_names_the_platform_and_its_domain(client, mailoutbox, settings):
    settings.PLATFORM_NAME = "PPM Exchange"
    settings.SITE_URL = "https://cop.example.gov.uk"
    client.post(
        reverse("account_signup"),
        {
            "email": "ada@example.org",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password1": "correct-Horse-battery-9",
            "password2": "correct-Horse-battery-9",
        },
    )

    (message,) = mailoutbox
    assert message.subject.startswith("[PPM Exchange] ")
    assert "Hello from PPM Exchange!" in message.body
    assert "cop.example.gov.uk" in message.body
    assert "example.com" not in message.body + message.subject


def test_the_password_reset_email_names_the_platform_too(client, mailoutbox, settings):
    settings.PLATFORM_NAME = "PPM Exchange"
    make_user(email="tom@example.org")

    client.post(reverse("account_reset_password"), {"email": "tom@example.org"})

    (message,) = mailoutbox
    assert message.subject.startswith("[PPM Exchange] ")
    assert "Thank you for using PPM Exchange!" in message.body
    assert "example.com" not in message.body
