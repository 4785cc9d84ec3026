"""Issue 9, fixes 1 and 2: the login limits count each visitor behind the proxy, and Redis being down costs nobody
a login, a sign-up or a password reset."""

import json
import logging
import os
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cop_platform.cache import cache_settings

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
ATTACKER, MEMBER = "203.0.113.9", "198.51.100.7"
PROXY = "10.0.0.2"  # the TLS proxy: every request reaches Django from it


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def settings_under(**environ) -> dict:
    """Settings as a fresh process reads them from this environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'count': s.ALLAUTH_TRUSTED_PROXY_COUNT, 'header': s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cop_platform.settings", **environ}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_trusted_proxy_count_and_client_ip_header_come_from_the_environment():
    assert settings_under(TRUSTED_PROXY_COUNT="1") == {"count": 1, "header": None}
    assert settings_under(TRUSTED_CLIENT_IP_HEADER="X-Real-IP")["header"] == "X-Real-IP"
    assert settings_under()["count"] == 0  # no proxy unless told: a direct client cannot forge its address


def through_proxy(client_ip: str) -> Client:
    """A browser at client_ip whose requests pass one proxy hop that appends it to X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def test_behind_one_proxy_one_attackers_failures_do_not_stop_another_member_logging_in(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # as TRUSTED_PROXY_COUNT=1 sets it
    make_user(email="member@example.org")
    attacker = through_proxy(ATTACKER)
    for n in range(12):  # beyond the 10 failures a minute one address may make
        attacker.post(LOGIN, {"login": f"guess{n}@example.org", "password": "wrong-guess"})
    locked_out = attacker.post(LOGIN, {"login": "guess0@example.org", "password": "wrong-guess"})
    assert "Too many failed login attempts" in locked_out.content.decode()

    member = through_proxy(MEMBER)
    response = member.post(LOGIN, {"login": "member@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert SESSION_KEY in member.session


def test_behind_the_proxy_the_per_account_limit_still_holds_across_addresses(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user(email="member@example.org")
    for n in range(6):  # 5 failures in 5 minutes per account, whatever address they come from
        through_proxy(f"192.0.2.{n + 1}").post(LOGIN, {"login": "member@example.org", "password": "wrong"})

    member = through_proxy(MEMBER)
    response = member.post(LOGIN, {"login": "member@example.org", "password": PASSWORD})

    assert SESSION_KEY not in member.session
    assert "Too many failed login attempts" in response.content.decode()


def test_more_than_thirty_members_log_in_within_a_minute_behind_the_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(32):
        make_user(email=f"m{n}@example.org")
    answers = [
        through_proxy(f"198.51.100.{n + 1}").post(LOGIN, {"login": f"m{n}@example.org", "password": PASSWORD})
        for n in range(32)
    ]
    assert [r.status_code for r in answers] == [302] * 32


# --- Redis down ---------------------------------------------------------------------------------------------------

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused


@pytest.fixture
def redis_down(settings, caplog):
    settings.CACHES = cache_settings(UNREACHABLE)
    caplog.set_level(logging.WARNING, logger="cop_platform.cache")
    yield caplog
    settings.CACHES = cache_settings("")


def test_with_redis_unreachable_a_member_logs_in_and_a_warning_is_logged(redis_down, client):
    make_user(email="member@example.org")

    response = client.post(LOGIN, {"login": "member@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert SESSION_KEY in client.session
    assert any("Redis cache does not answer" in r.getMessage() for r in redis_down.records)


def test_with_redis_unreachable_a_newcomer_signs_up(redis_down, client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ada@example.org",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password1": "correct-Horse-battery-9",
            "password2": "correct-Horse-battery-9",
        },
    )

    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="ada@example.org").exists()
    assert len(mailoutbox) == 1


def test_with_redis_unreachable_a_member_resets_their_password(redis_down, client, mailoutbox):
    make_user(email="member@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "member@example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert User.objects.filter(email="member@example.org").exists()


def test_with_redis_unreachable_the_limits_still_count_in_the_process(redis_down):
    make_user(email="member@example.org")
    client = Client()
    for _ in range(6):
        client.post(LOGIN, {"login": "member@example.org", "password": "wrong"})

    response = client.post(LOGIN, {"login": "member@example.org", "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()


def test_the_health_probe_still_reports_redis_down(redis_down, client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")
