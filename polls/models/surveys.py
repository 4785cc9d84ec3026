"""Surveys: sections of questions, one response per member, optionally anonymous.

An anonymous survey's responses keep nothing that leads back to a member: no member column, no timestamps and
random (UUID) keys for responses and answers, so neither a join nor the order of the keys ties a response to the
`Participation` row that records *that* the member responded (which is what reminders and the response rate need).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Segment

from .polls import State

RATING_POINTS = (1, 2, 3, 4, 5)


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SurveyQuerySet":
        """Published surveys of communities whose content the user may read."""
        return self.filter(community__in=Community.objects.visible_to(user), published_at__isnull=False)

    def open_at(self, now=None) -> "SurveyQuerySet":
        now = now or timezone.now()
        return self.filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now),
            published_at__isnull=False,
            opens_at__lte=now,
            closed_at__isnull=True,
        )


class Survey(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown. Why you are asking and what you will do with it.")
    description_html = models.TextField(blank=True, editable=False)
    is_anonymous = models.BooleanField(
        default=False,
        help_text="Responses are stored with no link to the member. Cannot be changed once anyone has responded.",
    )
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="surveys", help_text="Ask only members of these segments; none: everyone."
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When a facilitator closed it early.")
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while it is a draft.")
    template = models.CharField(max_length=40, blank=True, help_text="The template it was started from, if any.")
    response_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opening_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            )
        ]
        indexes = [models.Index(fields=["community", "-opens_at"], name="survey_community_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("polls:survey_detail", args=[self.community.slug, self.pk])

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.published_at is None:
            return State.DRAFT
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
    def is_draft(self) -> bool:
        return self.published_at is None


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        RATING = "rating", "Rating scale (1 to 5)"
        NUMBER = "number", "Number"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    low_label = models.CharField(max_length=60, blank=True, help_text="Rating scale: what 1 means.")
    high_label = models.CharField(max_length=60, blank=True, help_text="Rating scale: what 5 means.")
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["section__position", "section_id", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class Response(models.Model):
    """One member's answers. In an anonymous survey `respondent` and the timestamps stay empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Anonymous surveys: the hash of a random key only the member was given, so they alone can change their answers.
    edit_key_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], condition=Q(respondent__isnull=False), name="uniq_survey_response"
            )
        ]

    def __str__(self):
        return f"Response {self.pk} to survey {self.survey_id}"


class Answer(models.Model):
    """One answer to one question; a multiple-choice answer is one row per option picked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "option"], name="answer_question_idx")]

    def __str__(self):
        return f"Answer to {self.question_id}"


class Participation(models.Model):
    """That a member responded (not what): one per member per survey, for reminders and the response rate."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="uniq_survey_participation")]

    def __str__(self):
        return f"{self.user_id} responded to {self.survey_id}"

    def get_absolute_url(self):
        return self.survey.get_absolute_url()
