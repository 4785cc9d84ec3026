"""What conversations tell the rest of the platform: a message was sent, a message was reported.

Neither is public: they stay out of community feeds and off the participation ladder (a private message is not
participation the community can see). A message notice reaches the other participants who have not left and have
not blocked its author; a report notice reaches only the community's facilitators.
"""

from django.db import models
from django.urls import reverse

from communities.activity import MODERATION, excerpt, manager_ids
from communities.extensions import AlertType, EventType, Frequency, Notice

from . import permissions
from .models import Message, MessageReport, Participant

MESSAGES = "messages"

ALERT_TYPES = (AlertType(key=MESSAGES, label="Private messages to me", default=Frequency.IMMEDIATE, order=25),)


class Verb(models.TextChoices):
    MESSAGE_SENT = "message_sent", "sent a private message"
    MESSAGE_REPORTED = "message_reported", "reported a private message"


def _reads(user, message: Message) -> bool:
    """Still a participant, and has not blocked the author since."""
    return Participant.objects.filter(
        conversation_id=message.conversation_id, user=user, left_at__isnull=True
    ).exists() and message.author_id not in permissions.blocks_of(user)


def _message_notices(event) -> list[Notice]:
    message = Message.objects.select_related("conversation", "author").filter(pk=event.target_id).first()
    if message is None or message.author is None:
        return []
    conversation = message.conversation
    blockers = permissions.blocked_by(message.author)
    recipients = [
        uid
        for uid in Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .exclude(user_id=message.author_id)
        .values_list("user_id", flat=True)
        if uid not in blockers
    ]
    about = f" · {conversation.subject}" if conversation.subject else ""
    return [
        Notice(
            alert_type=MESSAGES,
            recipients=recipients,
            title=f"{message.author.display_name} sent you a message{about}",
            url=message.get_absolute_url(),
            excerpt=excerpt(message.body_html),
            visible_to=lambda user: _reads(user, message),
        )
    ]


def _report_notices(event) -> list[Notice]:
    report = MessageReport.objects.select_related("community").filter(pk=event.target_id).first()
    if report is None or report.status != MessageReport.Status.OPEN:
        return []
    return [
        Notice(
            alert_type=MODERATION,
            recipients=manager_ids(report.community_id),
            title=f"A private message was reported in {report.community.name}",
            url=reverse("conversations:report_list", args=[report.community.slug]) + f"#report-{report.pk}",
            excerpt=report.note[:300],
            visible_to=lambda user: permissions.can_see_reported(user, report),
        )
    ]


EVENT_TYPES = (
    EventType(verb=Verb.MESSAGE_SENT, phrase=Verb.MESSAGE_SENT.label, notices=_message_notices),
    EventType(verb=Verb.MESSAGE_REPORTED, phrase=Verb.MESSAGE_REPORTED.label, notices=_report_notices),
)
