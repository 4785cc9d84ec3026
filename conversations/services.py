"""Writes on conversations: start, reply, read, leave, block, report. Each is one transaction.

Other apps (facilitation's "invite to answer") call `start_conversation(sender=..., recipients=..., community=...,
body=..., subject=...)`, which refuses with `ConversationRefused` (a ValidationError) and a message fit to show.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communities import activity
from communities.models import Community, Membership
from communities.permissions import can_manage_members
from communities.services import waiting_recount
from cop_platform.markup import render_markdown_safe

from . import permissions
from .activity import Verb
from .models import MAX_PARTICIPANTS, Block, Conversation, Message, MessageReport, Participant

MAX_BODY = 20_000


class ConversationRefused(ValidationError):
    """The conversation or message cannot be sent; the message says why, in words for the sender."""


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ConversationRefused("Write a message first.")
    if len(body) > MAX_BODY:
        raise ConversationRefused(f"Messages are at most {MAX_BODY:,} characters.")
    return body


def recipients_today(sender) -> set[int]:
    """The people `sender` started conversations with in the last 24 hours."""
    since = timezone.now() - timedelta(days=1)
    return set(
        Participant.objects.filter(conversation__started_by=sender, conversation__created_at__gte=since)
        .exclude(user=sender)
        .values_list("user_id", flat=True)
    )


def _check_daily_limit(sender, community: Community, recipient_ids: set[int]) -> None:
    """New accounts reach at most CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS people a day (facilitators aside)."""
    if not permissions.is_new_account(sender) or can_manage_members(sender, community):
        return
    limit = settings.CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS
    if len(recipients_today(sender) | recipient_ids) > limit:
        raise ConversationRefused(
            f"New accounts can message up to {limit} people a day. Please try again tomorrow, "
            "or reply in the conversations you already have."
        )


@transaction.atomic
def conversation_start(
    *, sender, recipients: Iterable, community: Community, body: str, subject: str = ""
) -> Conversation:
    """Start a conversation through `community` with active members of it who have not blocked the sender."""
    if not permissions.can_start_in(sender, community):
        raise ConversationRefused("You can only start conversations in communities you take part in.")
    recipient_ids = {getattr(r, "pk", r) for r in recipients} - {sender.pk}
    if not recipient_ids:
        raise ConversationRefused("Choose at least one person to write to.")
    if len(recipient_ids) + 1 > MAX_PARTICIPANTS:
        raise ConversationRefused(f"A conversation has at most {MAX_PARTICIPANTS} people, you included.")
    active = set(
        Membership.objects.active()
        .filter(community=community, user_id__in=recipient_ids)
        .values_list("user_id", flat=True)
    )
    blocked = permissions.blocked_by(sender)
    if active != recipient_ids or recipient_ids & blocked:
        raise ConversationRefused(f"You can only message active members of {community.name}.")
    _check_daily_limit(sender, community, recipient_ids)
    body = _clean_body(body)
    now = timezone.now()
    conversation = Conversation.objects.create(
        community=community,
        subject=(subject or "").strip()[:200],
        started_by=sender,
        created_at=now,
        last_message_at=now,
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=sender, joined_at=now, last_read_at=now)]
        + [Participant(conversation=conversation, user_id=uid, joined_at=now) for uid in sorted(recipient_ids)]
    )
    _add_message(conversation=conversation, author=sender, body=body, now=now)
    return conversation


start_conversation = conversation_start  # the name other apps know it by


def _add_message(*, conversation: Conversation, author, body: str, now) -> Message:
    message = Message.objects.create(
        conversation=conversation, author=author, body=body, body_html=render_markdown_safe(body), created_at=now
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now, message_count=F("message_count") + 1)
    Participant.objects.filter(conversation=conversation, user=author).update(last_read_at=now)
    conversation.last_message_at = now
    conversation.message_count += 1
    activity.record(community=conversation.community, actor=author, verb=Verb.MESSAGE_SENT, target=message)
    return message


@transaction.atomic
def message_post(*, conversation: Conversation, author, body: str) -> Message:
    """Add a participant's message while they are still active in the conversation's community."""
    if permissions.participant_of(author, conversation) is None:
        raise ConversationRefused("You are no longer in this conversation.")
    if not permissions.can_reply(author, conversation):
        raise ConversationRefused(f"Only active members of {conversation.community.name} can write here.")
    return _add_message(conversation=conversation, author=author, body=_clean_body(body), now=timezone.now())


def conversation_mark_read(*, conversation_id: int, user, now=None) -> bool:
    """Note that the participant has read everything so far; False when they are not (or no longer) in it."""
    if not user.is_authenticated:
        return False
    return bool(
        Participant.objects.filter(conversation_id=conversation_id, user=user, left_at__isnull=True).update(
            last_read_at=now or timezone.now()
        )
    )


@transaction.atomic
def conversation_leave(*, conversation: Conversation, user) -> None:
    """Leave a conversation: it disappears from the list, and new messages no longer reach you."""
    Participant.objects.filter(conversation=conversation, user=user, left_at__isnull=True).update(
        left_at=timezone.now()
    )


@transaction.atomic
def member_block(*, blocker, blocked) -> Block:
    """Stop hearing from a member: they cannot start conversations with you, and their messages are hidden."""
    if blocker.pk == blocked.pk:
        raise ConversationRefused("You cannot block yourself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    permissions.forget_blocks(blocker)
    return block


@transaction.atomic
def member_unblock(*, blocker, blocked) -> None:
    """Hear from a member again."""
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    permissions.forget_blocks(blocker)


def message_report(*, message: Message, reporter, note: str = "") -> MessageReport:
    """Send one message to the facilitators of the conversation's community; reporting twice changes nothing."""
    if not permissions.can_report(reporter, message):
        raise ConversationRefused("You can report messages others wrote.")
    community = message.conversation.community
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(
                message=message, community=community, reporter=reporter, note=(note or "").replace("\x00", "")[:2000]
            )
            activity.record(community=community, actor=reporter, verb=Verb.MESSAGE_REPORTED, target=report)
            waiting_recount(community=community)
    except IntegrityError:
        return MessageReport.objects.get(message=message, reporter=reporter)
    return report


@transaction.atomic
def report_close(*, report: MessageReport, by) -> None:
    """A facilitator marks a report dealt with."""
    MessageReport.objects.filter(pk=report.pk, status=MessageReport.Status.OPEN).update(
        status=MessageReport.Status.CLOSED, closed_by=by, closed_at=timezone.now()
    )
    waiting_recount(community=report.community)
