"""Preparing, editing and starting to send newsletters; preferences and unsubscribing."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from communities import extensions
from communities.extensions import AlertType, registered
from communities.models import Community
from cop_platform.markup import render_markdown_safe

from . import layout, sending
from .models import Delivery, MailSettings, Newsletter, Subscription
from .rendering import build_test_message
from .sections import build_sections, default_article

WINDOW = timedelta(days=30)


class NewsletterError(Exception):
    """A newsletter action that cannot happen now; the message is shown to the facilitator."""


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def newsletter_prepare(
    *, community: Community, today: date | None = None, by=None, special: bool = False
) -> tuple[Newsletter, bool]:
    """This month's draft with every section filled from the last 30 days: one monthly issue per community and
    month; a special edition is always a new issue, however many the month already has."""
    today = today or timezone.localdate()
    period = month_start(today)
    end = timezone.now()
    sections = build_sections(community, end - WINDOW, end)
    if special:
        newsletter = Newsletter.objects.create(
            community=community,
            period=period,
            edition=Newsletter.Edition.SPECIAL,
            subject=f"{community.name}: special edition, {period:%B %Y}",
            intro="Hello everyone,\n\n",
            sections=sections,
            created_by=by,
        )
        created = True
    else:
        newsletter, created = Newsletter.objects.get_or_create(
            community=community,
            period=period,
            edition=Newsletter.Edition.MONTHLY,
            defaults={
                "subject": f"{community.name}: {period:%B %Y}",
                "intro": f"Hello everyone,\n\nHere is what happened in {community.name} this month.",
                "sections": sections,
                "created_by": by,
            },
        )
    if created:
        newsletter.intro_html = render_markdown_safe(newsletter.intro)
        newsletter.article = None if special else default_article(sections)
        newsletter.save(update_fields=["intro_html", "article"])
    return newsletter, created


def _editable(newsletter: Newsletter) -> None:
    if newsletter.status not in (Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED):
        raise NewsletterError("This issue is already going out; it can no longer be changed.")


@transaction.atomic
def newsletter_edit(
    *, newsletter: Newsletter, subject: str, intro: str, board: list[dict], article: dict | None, segments
) -> Newsletter:
    """Save the facilitators' edits: subject, introduction, which items go out and in what order, article,
    audience."""
    _editable(newsletter)
    newsletter.subject = subject
    newsletter.intro = intro
    newsletter.intro_html = render_markdown_safe(intro)
    newsletter.board = board
    newsletter.sections = layout.chosen_sections(board)
    newsletter.article = article
    newsletter.save()
    newsletter.segments.set(segments)
    return newsletter


@transaction.atomic
def newsletter_rebuild(*, newsletter: Newsletter) -> int:
    """Refill the sections from the last 30 days, keeping the facilitators' choices (kept, left out, order);
    returns how many new items came in."""
    _editable(newsletter)
    end = timezone.now()
    fresh = build_sections(newsletter.community, end - WINDOW, end)
    newsletter.board, added = layout.merge_fresh(layout.board_of(newsletter), fresh)
    newsletter.sections = layout.chosen_sections(newsletter.board)
    newsletter.save(update_fields=["board", "sections"])
    return added


def newsletter_send_test(*, newsletter: Newsletter, to) -> None:
    """Send the facilitator a copy marked [TEST]: no tracking, no delivery row."""
    build_test_message(newsletter, to).send()


@transaction.atomic
def newsletter_schedule(*, newsletter: Newsletter, when) -> Newsletter:
    """Send automatically at `when` (checked by the dispatcher every few minutes)."""
    _editable(newsletter)
    if when <= timezone.now():
        raise NewsletterError("Choose a time in the future, or send it now.")
    newsletter.status = Newsletter.Status.SCHEDULED
    newsletter.scheduled_for = when
    newsletter.save(update_fields=["status", "scheduled_for"])
    return newsletter


@transaction.atomic
def newsletter_unschedule(*, newsletter: Newsletter) -> Newsletter:
    if newsletter.status == Newsletter.Status.SCHEDULED:
        newsletter.status = Newsletter.Status.DRAFT
        newsletter.scheduled_for = None
        newsletter.save(update_fields=["status", "scheduled_for"])
    return newsletter


def newsletter_start_sending(*, newsletter_id: int) -> int:
    """Move a draft or due issue to *sending*, create its delivery rows and queue the senders (after commit).

    Returns the number of deliveries. Starting twice is harmless: the second call finds it already sending.
    """
    from .tasks import send_newsletter_batch  # the task module imports this one

    with transaction.atomic():
        started = Newsletter.objects.filter(
            pk=newsletter_id, status__in=[Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED]
        ).update(status=Newsletter.Status.SENDING, sent_at=timezone.now())
        newsletter = Newsletter.objects.select_related("community").get(pk=newsletter_id)
        if not started and newsletter.status != Newsletter.Status.SENDING:
            raise NewsletterError("This issue has already been sent.")
        total = sending.create_deliveries(newsletter)
        senders = max(1, min(4, total // 200 + 1))
        for _ in range(senders):
            transaction.on_commit(lambda: send_newsletter_batch.delay(newsletter_id))
    return total


# --- Preferences ---------------------------------------------------------------------------------------------


def subscription_for(user, community: Community) -> Subscription:
    """The member's subscription row, created with the defaults on first use."""
    subscription, _ = Subscription.objects.get_or_create(user=user, community=community)
    return subscription


def unsubscribe(*, delivery: Delivery) -> None:
    """One-click unsubscribe from a community's newsletter: effective at once, no login needed."""
    with transaction.atomic():
        subscription = subscription_for(delivery.recipient, delivery.newsletter.community)
        if subscription.newsletter:
            subscription.newsletter = False
            subscription.save(update_fields=["newsletter", "updated_at"])
        Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())


def set_no_email(*, user, no_email: bool) -> MailSettings:
    settings_row, _ = MailSettings.objects.get_or_create(user=user)
    settings_row.no_email = no_email
    settings_row.save(update_fields=["no_email"])
    return settings_row


def alert_types_for(user, community: Community) -> list[AlertType]:
    """The registered alert types this member may choose in this community (moderation is for facilitators)."""
    return [
        kind
        for kind in registered(AlertType)
        if kind.audience is None or extensions.check(kind.audience, user, community)
    ]


@transaction.atomic
def preferences_save(*, user, no_email: bool, communities: list[tuple[Community, bool, dict[str, str]]]) -> None:
    """Save the preferences page: the global switch, then per community the newsletter and alert frequencies.

    Choices for alert types the page did not offer (another role's, or a removed app's) are kept as they were.
    """
    set_no_email(user=user, no_email=no_email)
    for community, newsletter, frequencies in communities:
        subscription = subscription_for(user, community)
        subscription.newsletter = newsletter
        subscription.alerts = {**subscription.alerts, **frequencies}
        subscription.save(update_fields=["newsletter", "alerts", "updated_at"])
