"""Sign-up, email confirmation, log-in, password reset and two-factor, through allauth's real views."""

import re
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Profile, User

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ada@example.org",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "organisation": "Analytical Engines Ltd",
    "password1": "correct-Horse-battery-9",
    "password2": "correct-Horse-battery-9",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ups, failed logins and resends in the cache; each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


def sign_up(client, **overrides):
    return client.post(reverse("account_signup"), {**SIGNUP, **overrides})


def link_in(message) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", message.body)
    assert match, f"no link in email body: {message.body!r}"
    return match.group(1)


def is_logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_sign_up_creates_the_account_with_names_and_organisation(client):
    sign_up(client)

    user = User.objects.get(email="ada@example.org")
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert Profile.objects.get(user=user).organisation == "Analytical Engines Ltd"


def test_sign_up_leaves_the_newcomer_logged_out_until_the_email_is_confirmed(client, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)
    assert not EmailAddress.objects.get(email="ada@example.org").verified
    profile_page = client.get(reverse("accounts:profile_edit"))
    assert profile_page.status_code == 302
    assert profile_page.url.startswith(reverse("account_login"))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.org"]
    assert mailoutbox[0].subject.startswith("[CoP Platform] ")


def test_logging_in_before_confirming_the_email_is_held_at_the_verification_page(client):
    sign_up(client)
    client.logout()

    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": SIGNUP["password1"]})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)


def test_following_the_confirmation_link_confirms_the_email_and_logs_the_newcomer_in(client, mailoutbox):
    sign_up(client)
    confirm_url = link_in(mailoutbox[0])

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "ada@example.org" in page.content.decode()
    # GET alone must not confirm: mail scanners pre-fetch links.
    assert not EmailAddress.objects.get(email="ada@example.org").verified

    response = client.post(confirm_url)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ada@example.org").verified
    assert is_logged_in(client)
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


def test_a_confirmed_member_logs_in_with_email_and_password(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0]))
    client.logout()

    response = client.post(reverse("account_login"), {"login": "Ada@Example.org", "password": SIGNUP["password1"]})

    assert response.status_code == 302
    assert response.url == reverse("communities:home")
    assert client.session[SESSION_KEY] == str(User.objects.get(email="ada@example.org").pk)


def test_a_wrong_password_is_refused_with_a_message(client):
    make_user(email="member@example.org")

    response = client.post(reverse("account_login"), {"login": "member@example.org", "password": "not-my-password"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not is_logged_in(client)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, mailoutbox):
    make_user(email="member@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "member@example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["member@example.org"]
    key_url = client.get(link_in(mailoutbox[0])).url  # allauth moves the key out of the URL into the session
    client.post(key_url, {"password1": "brand-New-secret-42", "password2": "brand-New-secret-42"})
    assert User.objects.get(email="member@example.org").check_password("brand-New-secret-42")


def test_mismatched_passwords_re_render_the_form_with_what_was_typed(client):
    response = sign_up(client, password2="something-Else-entirely-7")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You must type the same password each time" in html
    assert 'value="ada@example.org"' in html
    assert 'value="Ada"' in html
    assert 'value="Lovelace"' in html
    assert 'value="Analytical Engines Ltd"' in html
    assert not User.objects.filter(email="ada@example.org").exists()


def test_signing_up_with_an_email_already_in_use_creates_no_second_account(client, mailoutbox):
    existing = make_user(email="ada@example.org", first_name="Original")

    response = sign_up(client)

    # With enumeration prevention on, allauth answers as if it worked and tells the owner by email instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1
    assert User.objects.get(email="ada@example.org").first_name == existing.first_name
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_sign_up_errors_keep_the_names_and_organisation_typed(client):
    response = sign_up(client, email="not-an-email")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="not-an-email"' in html
    assert 'value="Ada"' in html
    assert 'value="Lovelace"' in html
    assert 'value="Analytical Engines Ltd"' in html


def test_a_bot_filling_the_honeypot_gets_no_account_and_no_email(client, mailoutbox):
    response = sign_up(client, website="https://spam.example.com")

    assert response.status_code == 302  # the bot is told it worked
    assert not User.objects.filter(email="ada@example.org").exists()
    assert mailoutbox == []


def test_the_honeypot_field_is_hidden_by_the_stylesheet_not_an_inline_style_the_csp_blocks(client):
    html = client.get(reverse("account_signup")).content.decode()
    stylesheet = Path(finders.find("css/app.css")).read_text(encoding="utf-8")

    assert 'id="id_website"' in html
    assert "/static/css/app.css" in html
    assert re.search(r"#id_website[^{]*\{[^}]*left:\s*-\d+px", stylesheet), "honeypot would be visible to people"


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "communities:home"])
def test_pages_carry_a_content_security_policy_that_forbids_inline_script(client, url_name):
    response = client.get(reverse(url_name))

    policy = response.headers["Content-Security-Policy"]
    assert csp_directives(response)["script-src"].split() == ["'self'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def reauthenticate(client, next_url):
    """Adding a second factor is account-sensitive: allauth asks for the password again first."""
    response = client.get(next_url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302 and response.url == next_url
    return client.get(next_url)


def test_a_member_reaches_the_two_factor_pages(client):
    client.force_login(make_user())

    assert client.get("/accounts/2fa/").status_code == 200
    activate = reauthenticate(client, reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    # The QR code is a data: image; the policy's img-src must allow it or members see a broken image.
    assert 'src="data:image/svg+xml;base64,' in activate.content.decode()
    assert "data:" in csp_directives(activate)["img-src"].split()


def test_a_member_who_activates_an_authenticator_app_must_give_a_code_at_the_next_login(client):
    user = make_user()
    client.force_login(user)
    html = reauthenticate(client, reverse("mfa_activate_totp")).content.decode()
    field = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', html).group(0)
    secret = re.search(r'value="([A-Z2-7=]+)"', field).group(1)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    client.logout()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    assert not is_logged_in(client)


def test_the_admin_login_page_sends_visitors_through_the_site_login(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_the_admin_index_ends_at_the_site_login_for_anonymous_visitors(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


def test_a_member_who_is_not_staff_is_refused_the_admin_login(client):
    client.force_login(make_user())

    assert client.get("/admin/login/").status_code == 403


def test_staff_sign_in_through_the_site_login_and_land_in_the_admin(client):
    staff = make_user(email="staff@example.org", is_staff=True)
    login_url = client.get("/admin/").url
    login_url = client.get(login_url).url  # /admin/login/?next=/admin/ -> the site's login page

    response = client.post(login_url, {"login": staff.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200
    assert "Site administration" in response.content.decode()
