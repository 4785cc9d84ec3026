"""Transactional email (approvals, invitations, welcomes, warnings...): multipart text + HTML, through Celery.

`send_after_commit()` renders the message at once and stores it as an `OutboundEmail` in the caller's
transaction; after commit a `send_email` task delivers it. The web request never waits on SMTP when a worker runs
the tasks (with REDIS_URL; without it tasks run in-process, as every task does). A mail server that refuses or
times out fails nothing: the task retries with growing pauses, and the periodic sweep sends whatever is still due
(also what was stored while the broker was down). Each message has a stable Message-ID across retries.
"""

import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
FIRST_PAUSE_SECONDS = 5  # then 10, 20, 40 ... up to an hour
LONGEST_PAUSE_SECONDS = 60 * 60
LEASE = timedelta(minutes=5)  # longer than one SMTP conversation can take (EMAIL_TIMEOUT)


class MailNotSent(Exception):
    """The mail server could not take the message now; it stays due for a later attempt."""


def build_email(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """Render `emails/<template>.txt` and `.html` into one multipart message."""
    context = {**context, "site_url": settings.SITE_URL, "platform_name": settings.PLATFORM_NAME}
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject.strip(), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send_after_commit(*, to: str, subject: str, template: str, context: dict) -> OutboundEmail:
    """Store the message with the caller's changes; a worker sends it once they are committed."""
    return queue_message(build_email(to=to, subject=subject, template=template, context=context))


def queue_message(message: EmailMultiAlternatives) -> OutboundEmail:
    """Store a built message (one recipient) for the `send_email` task, queued after the transaction commits."""
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    email = OutboundEmail.objects.create(
        to=message.to[0],
        subject=message.subject,
        text=message.body,
        html=html,
        headers={"Message-ID": make_msgid(domain=host), **message.extra_headers},
    )
    transaction.on_commit(lambda: _queue(email.pk))
    return email


def _queue(email_id: int) -> None:
    from .tasks import send_email  # tasks import this module

    try:
        send_email.apply_async((email_id,), retry=False)
    except Exception:  # a broker that is down, or an unexpected error while sending in-process
        logger.warning("Email %s was not handed to a worker; the sweep will send it", email_id, exc_info=True)


def pause_after(attempts: int) -> timedelta:
    """How long to wait before trying a message again after `attempts` failed tries."""
    return timedelta(seconds=min(LONGEST_PAUSE_SECONDS, FIRST_PAUSE_SECONDS * 2 ** max(attempts - 1, 0)))


def is_permanent_failure(exc: Exception) -> bool:
    """A 5xx answer: the server refuses this message or address for good, trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def deliver(email_id: int) -> bool:
    """Send one stored email if it is still due and nobody else holds it; True once sent.

    Raises MailNotSent when the server could not take it now (it stays due, after a pause).
    """
    now = timezone.now()
    unsent = OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True, failed_at__isnull=True)
    if not unsent.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).update(
        claimed_until=now + LEASE, attempts=F("attempts") + 1
    ):
        return False  # sent already, given up, or another sender has it right now
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to], headers=email.headers)
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        give_up = is_permanent_failure(exc) or email.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email_id).update(
            claimed_until=None,
            last_error=error,
            next_attempt_at=timezone.now() + pause_after(email.attempts),
            failed_at=timezone.now() if give_up else None,
        )
        if give_up:
            logger.error("Gave up on email %s to %s after %s attempts: %s", email_id, email.to, email.attempts, error)
            return False
        raise MailNotSent(error) from exc
    OutboundEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), claimed_until=None, last_error="")
    return True


def send_due(limit: int = 200) -> int:
    """Send stored emails whose time has come (the periodic sweep); stops at the first the server will not take."""
    due = OutboundEmail.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    sent = 0
    for email_id in list(due.values_list("pk", flat=True)[:limit]):
        try:
            sent += deliver(email_id)
        except MailNotSent:
            break  # the server is still down: leave the rest for the next sweep
    return sent
