import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Theme

DEFAULT_LENGTH = timedelta(days=5)


class HotSeatQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HotSeatQuerySet":
        """Hot seats of communities the user may read, plus those the user is the expert of while they run."""
        readable = Q(community__in=Community.objects.visible_to(user))
        if not user.is_authenticated:
            return self.filter(readable)
        guest = Q(experts__user=user, closes_at__gt=timezone.now())
        return self.filter(readable | guest).distinct()

    def upcoming(self, now=None) -> "HotSeatQuerySet":
        return self.filter(opens_at__gt=now or timezone.now()).order_by("opens_at")

    def open_now(self, now=None) -> "HotSeatQuerySet":
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")

    def closed(self, now=None) -> "HotSeatQuerySet":
        return self.filter(closes_at__lte=now or timezone.now()).order_by("-closes_at")


class HotSeat(models.Model):
    """A window in which named experts take members' questions and answer them in public."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="hotseats")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="hotseats")
    title = models.CharField(max_length=160)
    topic = models.TextField(help_text="Markdown. What the experts will take questions on.")
    topic_html = models.TextField(editable=False)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated; ties the hot seat to themes.")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    early_questions = models.BooleanField(
        default=True, help_text="Members may submit questions before it opens, so experts can prepare."
    )
    summary = models.TextField(blank=True, help_text="Markdown. The facilitator's summary once it has closed.")
    summary_html = models.TextField(blank=True, editable=False)
    question_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sequence = models.PositiveIntegerField(default=0, help_text="Bumped on each reschedule (iCalendar SEQUENCE).")
    opening_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = HotSeatQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="hotseat_closes_after_opening"
            )
        ]
        indexes = [models.Index(fields=["community", "opens_at"], name="hotseat_schedule_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hotseats:hotseat_detail", args=[self.community.slug, self.pk])

    def state_at(self, now=None) -> str:
        """The state follows from the clock: nobody has to remember to open or close a hot seat."""
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.SCHEDULED
        if now < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


def _token() -> str:
    return secrets.token_urlsafe(24)


class Expert(models.Model):
    """An expert in the seat: a member, or a guest invited by email who has rights only for this hot seat."""

    hotseat = models.ForeignKey(HotSeat, on_delete=models.CASCADE, related_name="experts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="expert_seats"
    )
    email = models.EmailField(blank=True, help_text="For guests: where the invitation went.")
    is_guest = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    bio = models.CharField(max_length=300, blank=True, help_text="One line shown on the hot seat page.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["hotseat", "user"], name="uniq_hotseat_expert"),
        ]

    def __str__(self):
        return f"{self.user or self.email} in {self.hotseat}"


class QuestionQuerySet(models.QuerySet):
    def listed(self) -> "QuestionQuerySet":
        """Questions shown on the page: not hidden and not merged into another."""
        return self.filter(is_hidden=False, merged_into__isnull=True)

    def visible_to(self, user) -> "QuestionQuerySet":
        """Questions the user may read: not hidden, in hot seats they may see (`can_read_question` for one)."""
        return self.filter(is_hidden=False, hotseat__in=HotSeat.objects.visible_to(user))


class Question(models.Model):
    hotseat = models.ForeignKey(HotSeat, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    vote_count = models.PositiveIntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        help_text="A duplicate points at the question it was merged into.",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-vote_count", "created_at", "pk"]
        indexes = [models.Index(fields=["hotseat", "-vote_count", "created_at"], name="question_votes_idx")]

    def __str__(self):
        return f"Question {self.pk} in {self.hotseat_id}"

    @property
    def anchor(self) -> str:
        return f"question-{self.pk}"


class Vote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="uniq_question_vote")]

    def __str__(self):
        return f"Vote by {self.user_id} on {self.question_id}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Answer {self.pk} to {self.question_id}"

    def get_absolute_url(self):
        return f"{self.question.hotseat.get_absolute_url()}#{self.question.anchor}"


class CalendarFeed(models.Model):
    """A member's secret address for a private community's hot seat calendar; resetting it kills the old one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="uniq_calendar_feed")]

    def __str__(self):
        return f"Calendar feed of {self.user_id} for {self.community_id}"
