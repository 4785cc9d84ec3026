"""Quick polls: one question, 2 to 20 choices, one ballot per member (a database constraint)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Community

MIN_CHOICES = 2
MAX_CHOICES = 20


class State(models.TextChoices):
    """Where a poll or survey is in its life; it follows from the clock and the facilitators' close/reopen."""

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Not open yet"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PollQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PollQuerySet":
        """Polls of communities whose content the user may read (a poll in a thread is also checked against it)."""
        return self.filter(community__in=Community.objects.visible_to(user))

    def standalone(self) -> "PollQuerySet":
        return self.filter(host_type__isnull=True)

    def open_at(self, now=None) -> "PollQuerySet":
        now = now or timezone.now()
        return self.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now, closed_at__isnull=True)


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"

    class Results(models.TextChoices):
        ALWAYS = "always", "Always"
        AFTER_VOTE = "after_vote", "After voting"
        AFTER_CLOSE = "after_close", "After the poll closes"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown. Optional context for voters.")
    description_html = models.TextField(blank=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CHOICES)],
        help_text="How many choices a voter may pick (1 for single choice).",
    )
    results = models.CharField(
        "show results",
        max_length=12,
        choices=Results.choices,
        default=Results.ALWAYS,
        help_text="When members see the counts. Facilitators always see them.",
    )
    public_voters = models.BooleanField(
        default=False, help_text="Show who voted for what. Cannot be switched on once anyone has voted."
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open until a facilitator closes it.")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When a facilitator closed it early.")
    # A poll shown inside another app's page (a forum thread): a plain reference, so polls never imports forums.
    host_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    host_id = models.PositiveBigIntegerField(null=True, blank=True)
    host = GenericForeignKey("host_type", "host_id")
    voter_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opening_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["host_type", "host_id"], condition=Q(host_id__isnull=False), name="uniq_poll_per_host"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening",
            ),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="poll_max_choices_positive"),
        ]
        indexes = [models.Index(fields=["community", "-opens_at"], name="poll_community_idx")]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("polls:poll_detail", args=[self.community.slug, self.pk])

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now):
            return State.CLOSED
        if now < self.opens_at:
            return State.SCHEDULED
        return State.OPEN

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED

    @property
    def ended_at(self):
        """When it closed (early, or at its closing time), or None while it has not."""
        if self.closed_at is not None:
            return self.closed_at
        return self.closes_at if self.is_closed else None

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE

    @property
    def pick_limit(self) -> int:
        return self.max_choices if self.is_multiple else 1


class Choice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class Ballot(models.Model):
    """One member's vote in one poll; changing the vote changes its picks, never adds a second ballot."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choices = models.ManyToManyField(Choice, through="BallotChoice", related_name="ballots")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="uniq_poll_ballot")]

    def __str__(self):
        return f"Ballot of {self.user_id} in poll {self.poll_id}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="picks")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="picks")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "choice"], name="uniq_ballot_choice")]

    def __str__(self):
        return f"{self.ballot_id} → {self.choice_id}"
