"""Daily roll-ups of a community's activity, kept by a Celery beat task (facilitation/rollups.py).

Every row is rebuilt from the events of its day, so recomputing a day changes nothing and a task that missed days
catches up. Pages read these rows, never the events table, so a dashboard costs the same handful of queries at
100,000 members as at ten.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CommunityDay(models.Model):
    """One community's figures for one day (the rows behind the Health page)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    members = models.PositiveIntegerField(default=0, help_text="Active members who had joined by the day's end.")
    new_members = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0, help_text="Members who came to the community that day.")
    active_members = models.PositiveIntegerField(default=0, help_text="Members who visited or took part.")
    contributors = models.PositiveIntegerField(default=0, help_text="Members who voted, asked, answered or hosted.")
    posts = models.PositiveIntegerField(default=0, help_text="Events on the ask and answer rungs.")
    questions = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    rungs = models.JSONField(default=dict, help_text="Members by their highest rung that day: {rung: count}.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["community", "day"]
        constraints = [models.UniqueConstraint(fields=["community", "day"], name="uniq_community_day")]

    def __str__(self):
        return f"{self.community_id} on {self.day}"


class CommunitySpan(models.Model):
    """Distinct members active, and contributing, over a span of days (a sum of days would count a member once
    per day): each calendar week (Monday on) for the 12-month charts, and the Health page's periods ending
    yesterday (7, 30, 90, 365 days) with the period before each."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    days = models.PositiveSmallIntegerField()
    active_members = models.PositiveIntegerField(default=0)
    contributors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["community", "start", "days"]
        constraints = [models.UniqueConstraint(fields=["community", "start", "days"], name="uniq_community_span")]

    def __str__(self):
        return f"{self.community_id}: {self.days} days from {self.start}"


class Marker(models.Model):
    """A moment to mark on the charts (a newsletter sent, a hot seat held), copied from the registry's
    Milestone and CalendarSource providers when the day is rolled up."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=60)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["community", "day"], name="marker_day_idx")]

    def __str__(self):
        return f"{self.kind}: {self.label} ({self.day})"


class MemberDay(models.Model):
    """A member's highest rung of participation in a community on one day (read = visited)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    rung = models.PositiveSmallIntegerField()
    reactions = models.PositiveIntegerField(default=0, help_text="Reactions (thanks, helpful) given that day.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "day", "user"], name="uniq_member_day")]
        indexes = [models.Index(fields=["community", "user", "day"], name="member_day_user_idx")]

    def __str__(self):
        return f"{self.user_id} on {self.day}: rung {self.rung}"


class Topic(models.Model):
    """A conversation something started (a thread, a hot-seat question, a resource), from its events' `topic`."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    starter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    is_question = models.BooleanField(default=False)
    by_newcomer = models.BooleanField(default=False, help_text="Asked within 30 days of joining.")
    first_of_starter = models.BooleanField(default=False, help_text="The starter's first question here.")
    first_reply_at = models.DateTimeField(null=True, blank=True, help_text="The first answer by someone else.")
    tags = models.JSONField(default=list)
    category = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "key"], name="uniq_topic_key")]
        indexes = [models.Index(fields=["community", "is_question", "started_at"], name="topic_question_idx")]

    def __str__(self):
        return self.key


class LabelDay(models.Model):
    """Posts under one tag or category on one day."""

    class Kind(models.TextChoices):
        TAG = "tag", "Tag"
        CATEGORY = "category", "Category"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=120)
    posts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "day", "kind", "name"], name="uniq_label_day")]

    def __str__(self):
        return f"{self.kind} {self.name} on {self.day}: {self.posts}"


class Evidence(models.Model):
    """What one member showed they know about one tag on one day: the knowledge map's counts."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=120)
    accepted = models.PositiveIntegerField(default=0, help_text="Accepted answers.")
    helpful = models.PositiveIntegerField(default=0, help_text="Helpful marks received.")
    hosted = models.PositiveIntegerField(default=0, help_text="Hot-seat answers given as an expert.")
    library = models.PositiveIntegerField(default=0, help_text="Library contributions.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "day", "user", "tag"], name="uniq_evidence")]
        indexes = [models.Index(fields=["community", "tag"], name="evidence_tag_idx")]

    def __str__(self):
        return f"{self.user_id} on {self.tag} ({self.day})"


class Nudge(models.Model):
    """A facilitator's encouragement to take the next small step, shown on the member's home page."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rung = models.PositiveSmallIntegerField(help_text="The rung the member is invited up to.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "user"], name="nudge_member_idx")]

    def __str__(self):
        return f"Nudge for {self.user_id} to rung {self.rung}"


class ReplyHours(models.Model):
    """Questions asked on one day, by how long they waited for their first reply, in whole hours: the Health
    page sums these for a period and reads the median and 90th percentile from them, instead of every Topic.

    `hour` h counts replies after more than h and at most h + 1 hours (h = 0 also takes an instant reply); it is
    empty for questions not answered yet. A day's rows (`days` = 1) are rebuilt from its Topic rows whenever one
    of them changes; the rows of each Health period ending yesterday (`days` = 7, 30, 90, 365, from `day`) are
    their sums, kept with the spans, so a 365-day period reads a few hundred rows, not 365 days of them."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day the questions were asked (the first day, for a period).")
    days = models.PositiveSmallIntegerField(default=1)
    by_newcomer = models.BooleanField(default=False)
    hour = models.PositiveIntegerField(null=True, blank=True)
    questions = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0, help_text="Their waits added up (the mean of the bucket).")

    class Meta:
        ordering = ["community", "days", "day", "by_newcomer", "hour"]
        indexes = [models.Index(fields=["community", "days", "day"], name="reply_hours_day_idx")]

    def __str__(self):
        return f"{self.questions} asked on {self.day}, first reply in hour {self.hour}"


class TagTotal(models.Model):
    """One tag's totals in one community, over all its days: what the knowledge map needs besides the people."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=120)
    posts = models.PositiveIntegerField(default=0, help_text="Posts under the tag (from LabelDay).")
    unanswered = models.PositiveIntegerField(default=0, help_text="Questions on the tag with no reply yet.")
    people = models.PositiveIntegerField(default=0, help_text="Active members with evidence on the tag.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "tag"], name="uniq_tag_total")]
        indexes = [models.Index(fields=["tag"], name="tag_total_tag_idx")]

    def __str__(self):
        return f"{self.tag} in {self.community_id}"


class TagExpert(models.Model):
    """The members with the most evidence on a tag (top `knowledge.PEOPLE_PER_TAG`), their counts summed over
    all days: rebuilt by the roll-up task for each tag whose evidence changed."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=120)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    hosted = models.PositiveIntegerField(default=0)
    library = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "tag", "user"], name="uniq_tag_expert")]

    def __str__(self):
        return f"{self.user_id} on {self.tag}"
