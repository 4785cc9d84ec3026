"""Events: meetings and online sessions with places, a waitlist, series, calendars and notes afterwards."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Theme

ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


class Series(models.Model):
    """Repeating events, e.g. "every three months on the first Tuesday"; each occurrence is an Event of its own."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week(s)"
        MONTHLY = "monthly", "Every month(s)"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="event_series")
    title = models.CharField(max_length=160)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    interval = models.PositiveSmallIntegerField(default=1, help_text="Every how many weeks or months.")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    week_of_month = models.SmallIntegerField(
        null=True, blank=True, help_text="Monthly series: 1 for the first, -1 for the last such weekday."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self):
        return self.title

    @property
    def rrule(self) -> str:
        """The recurrence as an RFC 5545 RRULE value."""
        day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self.weekday]
        if self.frequency == self.Frequency.WEEKLY:
            return f"FREQ=WEEKLY;INTERVAL={self.interval};BYDAY={day}"
        return f"FREQ=MONTHLY;INTERVAL={self.interval};BYDAY={self.week_of_month or 1}{day}"


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EventQuerySet":
        """Events of communities whose content the user may read."""
        return self.filter(community__in=Community.objects.visible_to(user))

    def upcoming(self, now=None) -> "EventQuerySet":
        """Events not yet over, soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None) -> "EventQuerySet":
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    """One meeting or session. Places never exceed capacity; the joining link is for registered attendees only."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="planned_events")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    title = models.CharField(max_length=160)
    description = models.TextField(help_text="Markdown.")
    description_html = models.TextField(editable=False)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loops, quiet rooms...")
    online_url = models.URLField(
        max_length=500, blank=True, help_text="Shown only to members with a place (never in feeds or to others)."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, choices=ZONE_CHOICES, default=settings.TIME_ZONE)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    questions = models.TextField(
        blank=True, help_text="One registration question per line (e.g. dietary needs); facilitators read answers."
    )
    is_cancelled = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0, help_text="Bumped on each change (iCalendar SEQUENCE).")
    going_count = models.PositiveIntegerField(default=0, editable=False)
    waiting_count = models.PositiveIntegerField(default=0, editable=False)
    next_position = models.PositiveIntegerField(default=1, editable=False)
    # Afterwards
    notes = models.TextField(blank=True, help_text="Markdown. What was said and decided.")
    notes_html = models.TextField(blank=True, editable=False)
    notes_posted_at = models.DateTimeField(null=True, blank=True, editable=False)
    recording_url = models.URLField(max_length=500, blank=True)
    feedback_url = models.URLField(max_length=500, blank=True, help_text="A feedback survey for those who came.")
    follow_up_url = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    day_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    hour_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(going_count__lte=models.F("capacity")),
                name="event_places_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["community", "starts_at"], name="event_schedule_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.community.slug, self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.going_count, 0)

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]


class Speaker(models.Model):
    """A speaker: a member (linked to their profile) or a named guest."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=120, blank=True, help_text="A guest's name (members show their own).")
    affiliation = models.CharField(max_length=160, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user_id else self.name


class Registration(models.Model):
    """A member's answer to an event. GOING holds a place; WAITING queues by position for the next free one."""

    class Status(models.TextChoices):
        GOING = "going", "Going"
        WAITING = "waiting", "On the waitlist"
        INTERESTED = "interested", "Interested"
        NOT_GOING = "not_going", "Can't go"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=12, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Answers to the registration questions.")
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="uniq_event_registration"),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="uniq_event_waitlist_position",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", waitlist_position__isnull=False)
                | (~Q(status="waiting") & Q(waitlist_position__isnull=True)),
                name="registration_position_iff_waiting",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_status_idx")]

    def __str__(self):
        return f"{self.user_id} {self.status} {self.event_id}"

    @property
    def has_place(self) -> bool:
        return self.status == self.Status.GOING

    @property
    def is_registered(self) -> bool:
        """Going or on the waitlist: registered attendees see the joining link only once they hold a place."""
        return self.status in (self.Status.GOING, self.Status.WAITING)
