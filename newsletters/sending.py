"""Fan-out and sending, exactly once per recipient as far as SMTP allows.

Each recipient has one Delivery row. A sender claims a batch of pending rows (`SELECT ... FOR UPDATE SKIP
LOCKED`, so concurrent senders never share a row), and for each row marks it *sending*, hands the message to the
mail server, then marks it *sent*. Only a sender that dies between the server's acceptance and that last update
can cause a second copy: the reaper finds the row still *sending*, puts it back in the queue and flags it
`possible_duplicate`, so the report counts it. Rows merely *claimed* by a dead sender go back silently.

A claim carries its sender (host:pid) and a heartbeat the sender renews before every message. A sender that stops
beating for NEWSLETTER_HEARTBEAT_TIMEOUT_SECONDS is dead (one message never takes longer than EMAIL_TIMEOUT, well
under it), so the reaper, every 20 s, requeues its rows and starts a new sender: a killed worker's newsletter
resumes in about a minute instead of waiting for the broker's one-hour redelivery.
"""

import logging
import os
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from communities.emails import is_permanent_failure
from communities.models import Membership

from .models import Delivery, MailSettings, Newsletter, Subscription
from .rendering import build_message

logger = logging.getLogger(__name__)
Status = Delivery.Status
MAX_ATTEMPTS = 8


class TransientMailError(Exception):
    """The mail server could not take the message right now; try again later."""


@dataclass
class BatchResult:
    sent: int = 0
    bounced: int = 0
    failed: int = 0


def recipients(newsletter: Newsletter):
    """Active members who want this newsletter: not opted out, not bouncing, in the chosen segments if any."""
    members = Membership.objects.active().filter(community=newsletter.community_id)
    segment_ids = list(newsletter.segments.values_list("pk", flat=True))
    if segment_ids:
        members = members.filter(segments__in=segment_ids)
    opted_out = Subscription.objects.filter(community=newsletter.community_id, newsletter=False).values("user_id")
    muted = MailSettings.objects.filter(Q(no_email=True) | Q(bounced_at__isnull=False)).values("user_id")
    return (
        members.exclude(user_id__in=opted_out)
        .exclude(user_id__in=muted)
        .filter(user__is_active=True)
        .values_list("user_id", "user__email")
        .distinct()
    )


def create_deliveries(newsletter: Newsletter) -> int:
    """One pending row per recipient; running it again adds only people who are missing."""
    rows = [Delivery(newsletter=newsletter, recipient_id=uid, email=email) for uid, email in recipients(newsletter)]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Delivery.objects.filter(newsletter=newsletter).count()


def sender_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=settings.NEWSLETTER_HEARTBEAT_TIMEOUT_SECONDS)


def claim_batch(newsletter_id: int, size: int) -> list[int]:
    """Take up to `size` pending rows for this sender alone."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(newsletter_id=newsletter_id, status=Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            now = timezone.now()
            Delivery.objects.filter(pk__in=ids).update(
                status=Status.CLAIMED,
                claimed_at=now,
                claimed_by=sender_id(),
                heartbeat_at=now,
                attempts=F("attempts") + 1,
            )
    return ids


def send_claimed(ids: list[int]) -> BatchResult:
    """Send the claimed rows over one SMTP connection. A transient server error puts the untouched rows back
    and raises TransientMailError, so the task retries later with backoff."""
    result = BatchResult()
    deliveries = Delivery.objects.filter(pk__in=ids, status=Status.CLAIMED).select_related(
        "newsletter__community", "recipient"
    )
    with get_connection() as connection:
        in_flight = Delivery.objects.filter(pk__in=ids, status__in=[Status.CLAIMED, Status.SENDING])
        for delivery in deliveries:
            in_flight.update(heartbeat_at=timezone.now())  # alive: the reaper leaves this batch alone
            message = build_message(delivery, connection=connection)
            if not Delivery.objects.filter(pk=delivery.pk, status=Status.CLAIMED).update(status=Status.SENDING):
                continue
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                if is_permanent_failure(exc):
                    _mark_bounced(delivery, exc)
                    result.bounced += 1
                    continue
                error = f"{type(exc).__name__}: {exc}"[:1000]
                in_flight = Delivery.objects.filter(pk__in=ids, status__in=[Status.CLAIMED, Status.SENDING])
                # An address that keeps failing gives up after MAX_ATTEMPTS rather than holding the issue open.
                in_flight.filter(attempts__gte=MAX_ATTEMPTS).update(status=Status.FAILED, error=error)
                in_flight.update(status=Status.PENDING, error=error)
                raise TransientMailError(str(exc)) from exc
            Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
                status=Status.SENT, sent_at=timezone.now(), error=""
            )
            result.sent += 1
    return result


def _mark_bounced(delivery: Delivery, exc: Exception) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.BOUNCED, error=f"{exc}"[:1000])
    MailSettings.objects.update_or_create(user_id=delivery.recipient_id, defaults={"bounced_at": now})


def stuck_after() -> timedelta:
    return timedelta(seconds=settings.NEWSLETTER_STUCK_AFTER_SECONDS)


def reap(now=None) -> tuple[int, int]:
    """Return rows abandoned by dead senders to the queue: their sender stopped beating, or (rows claimed before
    heartbeats existed) the claim is older than NEWSLETTER_STUCK_AFTER_SECONDS. Returns (requeued, possible
    duplicates)."""
    now = now or timezone.now()
    abandoned = Q(heartbeat_at__lt=now - heartbeat_timeout()) | Q(claimed_at__lt=now - stuck_after())
    claimed = Delivery.objects.filter(abandoned, status=Status.CLAIMED).update(status=Status.PENDING, claimed_by="")
    sending = Delivery.objects.filter(abandoned, status=Status.SENDING).update(
        status=Status.PENDING, claimed_by="", possible_duplicate=True
    )
    if sending:
        logger.warning("Requeued %s deliveries whose sender died mid-send; they may arrive twice.", sending)
    return claimed + sending, sending


def finish_if_done(newsletter_id: int) -> bool:
    """Mark the newsletter sent once no row is waiting or in flight."""
    open_rows = Delivery.objects.filter(
        newsletter_id=newsletter_id, status__in=[Status.PENDING, Status.CLAIMED, Status.SENDING]
    )
    if open_rows.exists():
        return False
    return bool(
        Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, finished_at=timezone.now()
        )
    )
