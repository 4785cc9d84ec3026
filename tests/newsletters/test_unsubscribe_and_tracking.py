"""Links in newsletter emails: one-click unsubscribe, the open pixel and the click redirect. No login, signed tokens,
never an open redirect, and nothing recorded where the community switched tracking off."""

import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from newsletters import rendering, sending, tokens
from newsletters.models import Click, Delivery, Newsletter, Subscription

from .helpers import html_part, item, make_newsletter

pytestmark = pytest.mark.django_db

THREAD, OTHER_THREAD, ARTICLE = "/c/ppm/forums/t/1/", "/c/ppm/forums/t/2/", "/c/ppm/forums/t/3/"
ONLY_IN_B = "/c/ppm/forums/t/42/"


@pytest.fixture
def browser():
    """A mail client or browser following a link from an email: not logged in, and CSRF checks enforced."""
    return Client(enforce_csrf_checks=True)


def sent_issue(community, *, period, items, article=None) -> Newsletter:
    newsletter = make_newsletter(
        community,
        period=period,
        sections=[("threads", "Conversations", items)],
        article=article,
        status=Newsletter.Status.SENT,
        sent_at=timezone.now(),
    )
    sending.create_deliveries(newsletter)
    return newsletter


@pytest.fixture
def issue(community, member, facilitator):
    return sent_issue(
        community,
        period=timezone.localdate().replace(day=1),
        items=[item("Benefits maps", THREAD), item("Risk registers", OTHER_THREAD)],
        article=item("How we run gateway reviews", ARTICLE),
    )


@pytest.fixture
def delivery(issue, member) -> Delivery:
    return Delivery.objects.select_related("newsletter__community", "recipient").get(
        newsletter=issue, recipient=member
    )


def unsubscribe_path(delivery) -> str:
    return reverse("newsletters:unsubscribe", args=[tokens.make(delivery.pk, tokens.UNSUBSCRIBE)])


def pixel_path(delivery) -> str:
    return reverse("newsletters:open", args=[tokens.make(delivery.pk, tokens.TRACK)])


def click_path(delivery, url: str, token: str | None = None) -> str:
    token = token or tokens.make(delivery.pk, tokens.TRACK)
    return f"{reverse('newsletters:click', args=[token])}?{urlencode({'u': url})}"


def next_issue(community) -> Newsletter:
    return make_newsletter(community, period=(timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1))


def recipient_ids(newsletter) -> set[int]:
    return {uid for uid, _ in sending.recipients(newsletter)}


# --- Unsubscribe -----------------------------------------------------------------------------------------------


def test_one_click_unsubscribe_by_post_works_at_once_without_login_or_csrf_token(
    browser, delivery, member, facilitator, community
):
    header = rendering.build_message(delivery).extra_headers["List-Unsubscribe"]
    path = urlsplit(header.strip("<>")).path

    response = browser.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert Subscription.objects.get(user=member, community=community).newsletter is False
    delivery.refresh_from_db()
    assert delivery.unsubscribed_at is not None
    following = next_issue(community)
    assert member.pk not in recipient_ids(following)
    assert facilitator.pk in recipient_ids(following)
    sending.create_deliveries(following)
    assert not Delivery.objects.filter(newsletter=following, recipient=member).exists()


def test_unsubscribing_twice_keeps_the_first_time(browser, delivery):
    browser.post(unsubscribe_path(delivery))
    first = Delivery.objects.get(pk=delivery.pk).unsubscribed_at

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        response = browser.post(unsubscribe_path(delivery))

    assert response.status_code == 200
    assert Delivery.objects.get(pk=delivery.pk).unsubscribed_at == first


def test_opening_the_unsubscribe_link_asks_to_confirm_and_changes_nothing(browser, delivery, member, community):
    response = browser.get(unsubscribe_path(delivery))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Unsubscribe from the PPM Community newsletter?" in page
    assert re.search(r'<form method="post">', page)
    assert not Subscription.objects.filter(user=member, newsletter=False).exists()
    assert Delivery.objects.get(pk=delivery.pk).unsubscribed_at is None
    assert member.pk in recipient_ids(next_issue(community))


def _tampered(delivery, other) -> dict[str, str]:
    good = tokens.make(delivery.pk, tokens.UNSUBSCRIBE)
    payload, signature = good.rsplit(":", 1)
    others_payload = tokens.make(other.pk, tokens.UNSUBSCRIBE).rsplit(":", 1)[0]
    return {
        "signature changed": f"{payload}:{signature[:-2]}{'xy' if signature[-2:] != 'xy' else 'zz'}",
        "someone else's id under this signature": f"{others_payload}:{signature}",
        "garbled": "not-a-token",
        "no signature": payload,
        "tracking token": tokens.make(delivery.pk, tokens.TRACK),
        "preferences token": tokens.make(delivery.pk, tokens.PREFERENCES),
    }


TAMPERINGS = [
    "signature changed",
    "someone else's id under this signature",
    "garbled",
    "no signature",
    "tracking token",
    "preferences token",
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("kind", TAMPERINGS)
def test_a_tampered_or_garbled_unsubscribe_token_is_refused_and_changes_nothing(
    browser, issue, delivery, facilitator, method, kind
):
    other = Delivery.objects.get(newsletter=issue, recipient=facilitator)
    token = _tampered(delivery, other)[kind]

    response = getattr(browser, method)(reverse("newsletters:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not Delivery.objects.filter(unsubscribed_at__isnull=False).exists()


def test_a_well_signed_token_for_a_delivery_that_no_longer_exists_is_a_404(browser, delivery):
    token = tokens.make(delivery.pk, tokens.UNSUBSCRIBE)
    Delivery.objects.filter(pk=delivery.pk).delete()

    assert browser.post(reverse("newsletters:unsubscribe", args=[token])).status_code == 404
    assert not Subscription.objects.exists()


# --- Open pixel ----------------------------------------------------------------------------------------------------


def test_the_open_pixel_records_the_first_open_only_and_answers_with_a_gif(browser, delivery):
    response = browser.get(pixel_path(delivery))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert response["Cache-Control"] == "no-store"
    first = Delivery.objects.get(pk=delivery.pk).opened_at
    assert first is not None

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        again = browser.get(pixel_path(delivery))

    assert again.content == response.content
    assert Delivery.objects.get(pk=delivery.pk).opened_at == first


@pytest.mark.parametrize("token", ["garbled", "unsubscribe-token"])
def test_the_open_pixel_with_a_bad_token_still_answers_a_gif_but_records_nothing(browser, delivery, token):
    if token == "unsubscribe-token":
        token = tokens.make(delivery.pk, tokens.UNSUBSCRIBE)

    response = browser.get(reverse("newsletters:open", args=[token]))

    assert response.status_code == 200
    assert response.content.startswith(b"GIF89a")
    assert not Delivery.objects.filter(opened_at__isnull=False).exists()


# --- Click redirect ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [THREAD, ARTICLE, "/c/ppm/"])
def test_a_click_on_a_link_of_the_newsletter_is_counted_and_redirected_to_its_absolute_url(browser, delivery, url):
    response = browser.get(click_path(delivery, url))

    assert response.status_code == 302
    assert response["Location"] == f"{settings.SITE_URL}{url}"
    assert list(Click.objects.values_list("delivery_id", "url")) == [(delivery.pk, url)]
    delivery.refresh_from_db()
    assert delivery.clicked_at is not None
    assert delivery.opened_at is not None  # images blocked, link clicked: it was opened


def test_every_click_is_counted_but_the_first_click_time_is_kept(browser, delivery):
    browser.get(click_path(delivery, THREAD))
    first = Delivery.objects.get(pk=delivery.pk).clicked_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        browser.get(click_path(delivery, OTHER_THREAD))

    assert Click.objects.filter(delivery=delivery).count() == 2
    assert Delivery.objects.get(pk=delivery.pk).clicked_at == first


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example",
        "//evil.example/c/ppm/forums/t/1/",
        "javascript:alert(document.cookie)",
        "/c/ppm/forums/t/999/",
        f"{THREAD}?next=https://evil.example/",
        "",
    ],
)
def test_the_click_redirect_refuses_any_url_not_in_the_newsletter(browser, delivery, url):
    response = browser.get(click_path(delivery, url))

    assert response.status_code == 400
    assert "Location" not in response
    assert not Click.objects.exists()
    assert Delivery.objects.get(pk=delivery.pk).clicked_at is None


def test_a_token_from_one_newsletter_cannot_redirect_to_a_link_only_in_another(browser, community, issue, delivery):
    other = sent_issue(
        community,
        period=(issue.period - timedelta(days=20)).replace(day=1),
        items=[item("Only in the other issue", ONLY_IN_B)],
    )
    others_delivery = Delivery.objects.get(newsletter=other, recipient=delivery.recipient)

    refused = browser.get(click_path(delivery, ONLY_IN_B))
    allowed = browser.get(click_path(others_delivery, ONLY_IN_B))

    assert refused.status_code == 400
    assert allowed.status_code == 302
    assert list(Click.objects.values_list("delivery_id", flat=True)) == [others_delivery.pk]


@pytest.mark.parametrize("token", ["garbled", "unsubscribe-token"])
def test_a_click_with_a_bad_token_is_a_404_and_redirects_nowhere(browser, delivery, token):
    if token == "unsubscribe-token":
        token = tokens.make(delivery.pk, tokens.UNSUBSCRIBE)

    response = browser.get(click_path(delivery, THREAD, token=token))

    assert response.status_code == 404
    assert not Click.objects.exists()


# --- Tracking switched off ---------------------------------------------------------------------------------------


def test_the_email_carries_a_pixel_and_tracked_links_while_tracking_is_on(delivery):
    html = html_part(rendering.build_message(delivery))

    click_base = reverse("newsletters:click", args=[tokens.make(delivery.pk, tokens.TRACK)])
    assert pixel_path(delivery) in html
    assert f'href="{settings.SITE_URL}{click_base}?u=' in html
    assert f'href="{settings.SITE_URL}{THREAD}"' not in html


def test_with_tracking_off_the_email_has_no_pixel_and_links_go_straight_to_the_page(community, delivery):
    Community.objects.filter(pk=community.pk).update(newsletter_tracking=False)
    delivery = Delivery.objects.select_related("newsletter__community", "recipient").get(pk=delivery.pk)

    message = rendering.build_message(delivery)
    html = html_part(message)

    assert "/n/o/" not in html and "<img" not in html
    assert "/n/c/" not in html and "/n/c/" not in message.body
    for url in (THREAD, OTHER_THREAD, ARTICLE, "/c/ppm/"):
        assert f'href="{settings.SITE_URL}{url}"' in html
    assert "List-Unsubscribe" in message.extra_headers  # unsubscribing is not tracking


def test_with_tracking_off_the_pixel_and_the_redirect_record_nothing(browser, community, delivery):
    Community.objects.filter(pk=community.pk).update(newsletter_tracking=False)

    pixel = browser.get(pixel_path(delivery))
    click = browser.get(click_path(delivery, THREAD))

    assert pixel.status_code == 200 and pixel.content.startswith(b"GIF89a")
    assert click.status_code == 302 and click["Location"] == f"{settings.SITE_URL}{THREAD}"
    assert not Click.objects.exists()
    delivery.refresh_from_db()
    assert (delivery.opened_at, delivery.clicked_at) == (None, None)
