"""Job postings: members advertise roles in the community's field; expired postings leave every list by query.

A posting closes at the end of its closing date in the platform's time zone (settings.TIME_ZONE): `closes_at` is
that instant, kept next to `closes_on`, so "live" is one comparison with the clock whatever the viewer's zone and
whatever the daily task has done yet.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from communities.models import Community
from cop_platform.markup import render_markdown_safe

DEFAULT_MAX_DAYS = 90
DEFAULT_DAILY_LIMIT = 3


def closing_instant(closes_on: date) -> datetime:
    """The moment a posting with this closing date stops taking applications: the end of that day, platform time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(closes_on + timedelta(days=1), time.min, tzinfo=zone)


class JobSettings(models.Model):
    """A community's jobs board settings (kept by the jobs app, so the communities table needs no migration)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="job_settings")
    require_approval = models.BooleanField(
        "jobs require approval",
        default=False,
        help_text="Every new posting waits for a facilitator before it goes live. (A new member's first posting "
        "always does.)",
    )
    max_days = models.PositiveSmallIntegerField(
        "longest closing date, in days",
        default=DEFAULT_MAX_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How far ahead a closing date may be set.",
    )
    daily_limit = models.PositiveSmallIntegerField(
        "postings per member per day",
        default=DEFAULT_DAILY_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="Facilitators are not limited.",
    )

    class Meta:
        verbose_name = "jobs settings"
        verbose_name_plural = "jobs settings"

    def __str__(self):
        return f"Jobs settings of {self.community}"

    @classmethod
    def of(cls, community: Community) -> "JobSettings":
        """The community's settings; defaults (unsaved) when nobody has changed them."""
        found = cls.objects.filter(community=community).first()
        return found if found is not None else cls(community=community)


class PostingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PostingQuerySet":
        """Postings of communities whose content the user may read (each state is checked by the permissions)."""
        return self.filter(community__in=Community.objects.visible_to(user))

    def live(self, now: datetime | None = None) -> "PostingQuerySet":
        """Postings taking applications: published, not hidden, and their closing instant still ahead."""
        return self.filter(status=Posting.Status.LIVE, is_hidden=False, closes_at__gt=now or timezone.now())

    def listed_for(self, user, now: datetime | None = None) -> "PostingQuerySet":
        """What every listing, feed, alert and newsletter shows the user: live postings they may read."""
        return self.visible_to(user).live(now)

    def with_saved(self, user) -> "PostingQuerySet":
        """Annotate `is_saved` for the user (one subquery, no extra query per row)."""
        if not user.is_authenticated:
            return self.annotate(is_saved=models.Value(False))
        return self.annotate(is_saved=Exists(SavedPosting.objects.filter(posting=OuterRef("pk"), user=user)))

    def awaiting_approval(self) -> "PostingQuerySet":
        return self.filter(status=Posting.Status.PENDING)


class Posting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Waiting for approval"
        LIVE = "live", "Live"
        REJECTED = "rejected", "Not approved"
        CLOSED = "closed", "Closed"
        ARCHIVED = "archived", "Archived"

    class Pattern(models.TextChoices):
        ON_SITE = "on_site", "On site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    class Contract(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        FIXED_TERM = "fixed_term", "Fixed term"
        INTERIM = "interim", "Interim or day rate"
        SECONDMENT = "secondment", "Secondment"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="job_postings")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=150)
    employer = models.CharField(max_length=150, help_text="The hiring organisation.")
    location = models.CharField(max_length=150, blank=True)
    working_pattern = models.CharField(max_length=10, choices=Pattern.choices, default=Pattern.HYBRID)
    contract = models.CharField(max_length=12, choices=Contract.choices, default=Contract.PERMANENT)
    salary_text = models.CharField(
        "salary or day rate", max_length=150, blank=True, help_text='As advertised, e.g. "£52,000 to £58,000".'
    )
    salary_min = models.PositiveIntegerField(null=True, blank=True, help_text="Whole pounds a year, for filtering.")
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    closes_on = models.DateField("closing date")
    closes_at = models.DateTimeField(editable=False, db_index=True)
    apply_url = models.CharField("apply at (web address)", max_length=500, blank=True)
    apply_email = models.EmailField("apply by email", blank=True)
    description = models.TextField(help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    tags = TaggableManager(blank=True, help_text="Skills and methods, comma-separated: PRINCE2, MSP, agile...")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_hidden = models.BooleanField(default=False, help_text="Hidden by a facilitator: out of every list.")
    rejection_reason = models.TextField(blank=True)
    apply_clicks = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True, help_text="A poster extends the closing date once.")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "status", "closes_at"], name="jobs_posting_listing_idx"),
            models.Index(fields=["status", "closes_at"], name="jobs_posting_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=models.F("salary_min")),
                name="jobs_salary_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.employer})"

    def save(self, *args, **kwargs):
        self.description_html = render_markdown_safe(self.description)
        self.closes_at = closing_instant(self.closes_on)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "description_html", "closes_at", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("jobs:posting_detail", args=[self.community.slug, self.pk])

    def is_live(self, now: datetime | None = None) -> bool:
        return self.status == self.Status.LIVE and not self.is_hidden and self.closes_at > (now or timezone.now())

    @property
    def has_expired(self) -> bool:
        """Past its closing instant (whether or not the daily task has marked it closed yet)."""
        return self.closes_at <= timezone.now()

    @property
    def open_until(self) -> datetime:
        """The last minute applications are taken (for display; `closes_at` is the instant it closes)."""
        return self.closes_at - timedelta(minutes=1)

    @property
    def display_status(self) -> str:
        if self.status == self.Status.LIVE and self.has_expired:
            return "Closed"
        return self.get_status_display()

    @property
    def is_remote(self) -> bool:
        return self.working_pattern == self.Pattern.REMOTE


class SavedPosting(models.Model):
    """A posting a member keeps on their own list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "posting"], name="uniq_saved_posting")]

    def __str__(self):
        return f"{self.user_id} saved {self.posting_id}"


class JobSearch(models.Model):
    """A member's saved search: new live postings that match reach them as "jobs" alerts (at the frequency they
    chose for that alert type in each community, on the email preferences page)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_searches")
    community = models.ForeignKey(
        Community,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: every community the member belongs to.",
    )
    name = models.CharField(max_length=100)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated; a posting with any of them.")
    working_pattern = models.CharField(max_length=10, choices=Posting.Pattern.choices, blank=True)
    location = models.CharField(max_length=100, blank=True, help_text="Words in the posting's location.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    def matches(self, posting: Posting, posting_tags: list[str]) -> bool:
        """A posting matches when it is in the search's community (if any), has one of its tags (if any), the
        pattern (if any; remote postings suit any location) and the location words (if any)."""
        if self.community_id is not None and self.community_id != posting.community_id:
            return False
        if self.working_pattern and posting.working_pattern != self.working_pattern:
            return False
        wanted = {t.lower() for t in self.tag_list}
        if wanted and not wanted & {t.lower() for t in posting_tags}:
            return False
        if self.location and not posting.is_remote:
            return self.location.lower() in posting.location.lower()
        return True
