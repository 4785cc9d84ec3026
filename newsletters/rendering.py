"""Newsletter messages: multipart text + HTML (inline styles), RFC 8058 one-click unsubscribe headers and a
deterministic Message-ID per (newsletter, recipient), so a resend is recognisable as the same message."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from cop_platform.markup import html_to_text

from . import tokens
from .models import Delivery, Newsletter


def site_host() -> str:
    """The site's host name, without a port: Message-ID and List-Id domains may not contain a colon."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(newsletter_id: int, recipient_id: int) -> str:
    return f"<newsletter-{newsletter_id}-{recipient_id}@{site_host()}>"


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def unsubscribe_url(delivery: Delivery) -> str:
    return absolute(reverse("newsletters:unsubscribe", args=[tokens.make(delivery.pk, tokens.UNSUBSCRIBE)]))


def preferences_url(user_id: int) -> str:
    return absolute(reverse("newsletters:preferences_token", args=[tokens.make(user_id, tokens.PREFERENCES)]))


def _linker(delivery: Delivery | None, tracking: bool):
    """How item links are written: straight to the page, or through the signed click redirect."""
    if delivery is None or not tracking:
        return absolute
    token = tokens.make(delivery.pk, tokens.TRACK)
    base = absolute(reverse("newsletters:click", args=[token]))
    return lambda path: f"{base}?{urlencode({'u': path})}"


def render(newsletter: Newsletter, *, delivery: Delivery | None = None, recipient=None) -> tuple[str, str]:
    """The newsletter as (html, text), personalised for one delivery when given."""
    community = newsletter.community
    tracking = community.newsletter_tracking and delivery is not None
    link = _linker(delivery, tracking)
    sections = [
        {
            **section,
            "items": [
                {**item, "href": link(item["url"]), "plain_url": absolute(item["url"])}
                for item in section.get("items", [])
            ],
        }
        for section in newsletter.sections
    ]
    article = None
    if newsletter.article:
        article = {
            **newsletter.article,
            "href": link(newsletter.article["url"]),
            "plain_url": absolute(newsletter.article["url"]),
        }
    context = {
        "newsletter": newsletter,
        "community": community,
        "sections": sections,
        "article": article,
        "recipient": recipient,
        "community_href": link(community.get_absolute_url()),
        "community_url": absolute(community.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url(delivery) if delivery else absolute(reverse("newsletters:preferences")),
        "preferences_url": preferences_url(recipient.pk)
        if recipient
        else absolute(reverse("newsletters:preferences")),
        "archive_url": absolute(newsletter.get_absolute_url()) if newsletter.pk else "",
        "pixel_url": absolute(reverse("newsletters:open", args=[tokens.make(delivery.pk, tokens.TRACK)]))
        if tracking
        else "",
        "platform_name": settings.PLATFORM_NAME,
        "site_url": settings.SITE_URL,
        "intro_text": html_to_text(newsletter.intro_html),
    }
    return render_to_string("newsletters/email/newsletter.html", context), render_to_string(
        "newsletters/email/newsletter.txt", context
    )


def build_message(delivery: Delivery, *, connection=None) -> EmailMultiAlternatives:
    """The email for one delivery, with its unsubscribe headers and stable Message-ID."""
    newsletter = delivery.newsletter
    html, text = render(newsletter, delivery=delivery, recipient=delivery.recipient)
    unsubscribe = unsubscribe_url(delivery)
    message = EmailMultiAlternatives(
        subject=newsletter.subject,
        body=text,
        to=[delivery.email],
        connection=connection,
        headers={
            "Message-ID": message_id(newsletter.pk, delivery.recipient_id),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{newsletter.community.name} <{newsletter.community.slug}.{site_host()}>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def build_test_message(newsletter: Newsletter, user) -> EmailMultiAlternatives:
    """A preview copy for a facilitator: no tracking, clearly marked as a test."""
    html, text = render(newsletter, recipient=user)
    message = EmailMultiAlternatives(subject=f"[TEST] {newsletter.subject}", body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
