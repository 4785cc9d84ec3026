from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.extensions import Frequency, alert_type
from communities.models import ActivityEvent, Community, Membership, Segment


class MailSettings(models.Model):
    """A member's global email switches, and whether their address bounces."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings")
    no_email = models.BooleanField(default=False, help_text="Send me no email at all (account emails excepted).")
    bounced_at = models.DateTimeField(null=True, blank=True, help_text="The mail server refused this address.")

    def __str__(self):
        return f"Mail settings of {self.user_id}"


class Subscription(models.Model):
    """What one member wants by email from one community. No row means the defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.BooleanField(default=True)
    alerts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Frequency per alert type, keyed by the registered AlertType key; a missing key means its default.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="uniq_subscription")]

    def __str__(self):
        return f"{self.user_id} ← {self.community_id}"

    def frequency(self, key: str) -> str:
        """The member's choice for one alert type, or that type's default (off for a type no app registers)."""
        return self.alerts.get(key) or default_frequency(key)


def default_frequency(key: str) -> str:
    kind = alert_type(key)
    return kind.default if kind is not None else Frequency.OFF


class AlertQuerySet(models.QuerySet):
    def on_site_for(self, user) -> "AlertQuerySet":
        """The member's notices from communities they are still active in (the notifications page and bell)."""
        return self.filter(
            user=user,
            community__memberships__user=user,
            community__memberships__status=Membership.Status.ACTIVE,
        )

    def unread(self) -> "AlertQuerySet":
        return self.filter(read_at__isnull=True)


def group_key_for(url: str) -> str:
    """Notices about one thread or object share its page: the link without its #fragment."""
    return url.split("#", 1)[0][:500]


class Alert(models.Model):
    """One thing one member should hear about: a notice on the site (the bell) and at most one email, sent at once
    or gathered into the daily digest unless the member read it on the site first."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(ActivityEvent, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    alert_type = models.CharField(max_length=40, help_text="The key of a registered alert type.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    excerpt = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text="Read on the site: no digest line after this.")
    group_key = models.CharField(max_length=500, blank=True, help_text="Notices about one page are shown together.")

    objects = AlertQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="uniq_alert_per_event")]
        indexes = [
            models.Index(fields=["frequency", "sent_at"], name="alert_pending_idx"),
            models.Index(fields=["user", "read_at"], name="alert_unread_idx"),
        ]

    def __str__(self):
        return f"{self.alert_type} alert for {self.user_id}"


class Newsletter(models.Model):
    """One community's issue for one month, shaped by its facilitators and sent to its members."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    class Edition(models.TextChoices):
        MONTHLY = "monthly", "Monthly issue"
        SPECIAL = "special", "Special edition"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="newsletters")
    edition = models.CharField(max_length=10, choices=Edition.choices, default=Edition.MONTHLY)
    period = models.DateField(help_text="The first day of the month this issue covers.")
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="Markdown. The facilitators' introduction.")
    intro_html = models.TextField(blank=True, editable=False)
    sections = models.JSONField(default=list, help_text="Ordered sections, each with its ordered items.")
    board = models.JSONField(
        default=list,
        blank=True,
        help_text="The editor's state: every section and item with its kept/left-out choice, in the chosen order "
        "(`sections` is what it keeps). Empty until the facilitators first save.",
    )
    article = models.JSONField(null=True, blank=True, help_text="The article of the month.")
    segments = models.ManyToManyField(Segment, blank=True, help_text="Send only to these segments (all if none).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When sending started.")
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period"]
        constraints = [
            # One monthly issue per month; special editions come on top, as many as the facilitators want.
            models.UniqueConstraint(
                fields=["community", "period"], condition=Q(edition="monthly"), name="uniq_newsletter_month"
            )
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("newsletters:archive_detail", args=[self.community.slug, self.pk])

    def links(self) -> set[str]:
        """Every link the newsletter carries: the only places its click redirect will go."""
        urls = {item["url"] for section in self.sections for item in section.get("items", []) if item.get("url")}
        if self.article and self.article.get("url"):
            urls.add(self.article["url"])
        urls.add(self.community.get_absolute_url())
        return urls


class Delivery(models.Model):
    """One newsletter to one member. Unique, so a retried or re-run send never mails anyone twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        CLAIMED = "claimed", "Claimed by a sender"
        SENDING = "sending", "Handing to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Address refused"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True, help_text="The sender (host:pid) holding the claim.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When that sender last showed it is alive; a silent one's rows are requeued."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    possible_duplicate = models.BooleanField(
        default=False,
        help_text="The sender died while handing this message to the mail server; it was sent again, "
        "so the member may have received it twice.",
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "recipient"], name="uniq_delivery")]
        indexes = [
            models.Index(fields=["newsletter", "status"], name="delivery_status_idx"),
            models.Index(
                fields=["status", "claimed_at"],
                name="delivery_reaper_idx",
                condition=Q(status__in=["claimed", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.newsletter_id} → {self.email} ({self.status})"


class Click(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="clicks")
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["delivery", "url"], name="click_idx")]

    def __str__(self):
        return f"Click on {self.url}"
