"""Transactional email (approvals, invitations, welcomes): multipart text + HTML, sent after commit."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def build_email(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """Render `emails/<template>.txt` and `.html` into one multipart message."""
    context = {**context, "site_url": settings.SITE_URL, "platform_name": settings.PLATFORM_NAME}
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject.strip(), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send_after_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    """Queue the message to go out once the surrounding transaction commits; a mail failure never undoes it."""
    message = build_email(to=to, subject=subject, template=template, context=context)

    def send():
        try:
            message.send()
        except Exception:  # the write already committed; the failure is logged for the operator
            logger.exception("Could not send %r to %s", subject, to)

    transaction.on_commit(send)
