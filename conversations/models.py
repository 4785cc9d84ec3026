"""Private conversations between a few members who share a community.

A conversation happens *through* one community: its participants were active members of it when it started, and
only someone still active there may write in it. Only participants read it; anyone else gets a 404.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Community

MAX_PARTICIPANTS = 6


class ConversationQuerySet(models.QuerySet):
    def of(self, user) -> "ConversationQuerySet":
        """Conversations the user takes part in and has not left."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(participants__user=user, participants__left_at__isnull=True)


class Conversation(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="conversations")
    subject = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    message_count = models.PositiveIntegerField(default=0)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["started_by", "created_at"], name="conversation_starter_idx")]

    def __str__(self):
        return self.subject or f"Conversation {self.pk}"

    def get_absolute_url(self):
        return reverse("conversations:conversation_detail", args=[self.pk])


class Participant(models.Model):
    """One member in one conversation, with what they have read."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="uniq_participant")]
        indexes = [models.Index(fields=["user", "left_at"], name="participant_user_idx")]

    def __str__(self):
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def is_unread(self) -> bool:
        """New messages since the participant last read (needs the conversation loaded)."""
        last = self.conversation.last_message_at
        return self.conversation.message_count > 0 and (self.last_read_at is None or self.last_read_at < last)


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_conversation_idx")]

    def __str__(self):
        return f"Message {self.pk}"

    def get_absolute_url(self):
        return f"{self.conversation.get_absolute_url()}#message-{self.pk}"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no new conversation, no messages shown or alerted. Not told."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="uniq_block"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


class MessageReport(models.Model):
    """A participant's report of one message to the facilitators of the conversation's community."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Dealt with"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="uniq_message_report")]
        indexes = [models.Index(fields=["community", "status"], name="message_report_queue_idx")]

    def __str__(self):
        return f"Report of message {self.message_id}"
