import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cop_platform.links import url_with_slug
from cop_platform.markup import render_markdown_safe

from .extensions import SearchKind, event_type, lookup

DEFAULT_WELCOME_TEMPLATE = (
    "Hello {first_name},\n\n"
    "Welcome to **{community}**! I'm {facilitator}, one of the facilitators here.\n\n"
    "A good first step is to introduce yourself in the forums: what you work on and what you would like to learn. "
    "Members here are generous with their experience{expertise_line}.\n\n"
    "If you have any questions, just reply to this message.\n\n"
    "{facilitator}"
)


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommunityQuerySet":
        """Communities whose content the user may read: public ones, plus those they are an active member of."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        public = Q(visibility=Community.Visibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        member_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("community_id")
        return self.filter(public | Q(pk__in=member_of))

    def discoverable_by(self, user) -> "CommunityQuerySet":
        """Communities whose landing page the user may see: all but hidden ones they do not belong to."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        listed = ~Q(visibility=Community.Visibility.HIDDEN)
        if not user.is_authenticated:
            return self.filter(listed)
        known = Membership.objects.filter(
            user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING]
        ).values("community_id")
        return self.filter(listed | Q(pk__in=known))


class Community(models.Model):
    class JoinPolicy(models.TextChoices):
        OPEN = "open", "Open"
        APPROVAL = "approval", "Approval required"
        INVITE = "invite", "Invite only"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"
        HIDDEN = "hidden", "Hidden"

    class Stage(models.TextChoices):
        POTENTIAL = "potential", "Potential"
        COALESCING = "coalescing", "Coalescing"
        MATURING = "maturing", "Maturing"
        STEWARDSHIP = "stewardship", "Stewardship"
        TRANSFORMATION = "transformation", "Transformation"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    tagline = models.CharField(max_length=200, blank=True, help_text="One line shown in community lists.")
    description = models.TextField(
        "domain statement", help_text="Markdown. What this community is about and who it is for."
    )
    description_html = models.TextField(blank=True, editable=False)
    join_policy = models.CharField(
        max_length=10,
        choices=JoinPolicy.choices,
        default=JoinPolicy.APPROVAL,
        help_text="Open: anyone signed in joins at once. Approval: people ask and facilitators decide. "
        "Invite only: facilitators invite by email.",
    )
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text="Public: anyone can read. Private: non-members see only the landing page and can ask to join. "
        "Hidden: invisible to non-members.",
    )
    stage = models.CharField(
        max_length=16,
        choices=Stage.choices,
        default=Stage.COALESCING,
        help_text="Where the community is in its life (Wenger). Archived communities are read-only.",
    )
    welcome_template = models.TextField(
        default=DEFAULT_WELCOME_TEMPLATE,
        help_text="Markdown. Placeholders: {first_name}, {full_name}, {community}, {facilitator}, "
        "{organisation}, {expertise}, {expertise_line}.",
    )
    welcome_target_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Newcomers still unwelcomed after this many hours get the template welcome."
    )
    newsletter_day = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Day of the month on which the monthly newsletter draft is prepared for the facilitators.",
    )
    newsletter_tracking = models.BooleanField(
        default=True, help_text="Count newsletter opens and clicks (a tracking pixel and redirected links)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waiting = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="How much waits for the facilitators behind each counted tab (join requests, the moderation "
        "queue), keyed by tab; kept by communities.services.waiting_recount().",
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.description_html = render_markdown_safe(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return url_with_slug("communities:community_detail", self.slug)

    @property
    def is_archived(self) -> bool:
        return self.stage == self.Stage.ARCHIVED

    @property
    def welcome_target(self) -> timedelta:
        return timedelta(hours=self.welcome_target_hours)


class Segment(models.Model):
    """A facilitator-defined group inside a community, e.g. "finance" or "senior leaders"."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_segment_name")]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        """Memberships that currently grant access."""
        return self.filter(status=Membership.Status.ACTIVE)

    def awaiting_welcome(self) -> "MembershipQuerySet":
        """Active members nobody has welcomed yet, oldest first."""
        return self.active().filter(welcomed_at__isnull=True).order_by("joined_at", "pk")

    def staff_roles(self) -> "MembershipQuerySet":
        return self.filter(role__in=[Membership.Role.FACILITATOR, Membership.Role.OWNER])


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        FACILITATOR = "facilitator", "Facilitator"
        OWNER = "owner", "Owner"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        LEFT = "left", "Left"
        BANNED = "banned", "Banned"

    class WelcomeMethod(models.TextChoices):
        PERSONAL = "personal", "Personal"
        AUTOMATIC = "automatic", "Automatic"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    segments = models.ManyToManyField(Segment, blank=True, related_name="memberships")
    request_message = models.TextField(blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True, help_text="When the membership last became active.")
    welcomed_at = models.DateTimeField(null=True, blank=True)
    welcomed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    welcome_method = models.CharField(max_length=10, choices=WelcomeMethod.choices, blank=True)
    welcome_html = models.TextField(blank=True, editable=False)
    last_visit_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_at"]
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="uniq_membership")]
        indexes = [models.Index(fields=["community", "status", "welcomed_at"], name="membership_welcome_idx")]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def outstanding(self) -> "InvitationQuerySet":
        """Invitations that can still be accepted."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring invitation to join a community, sent to one email address."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    message = models.TextField(blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.community}"

    def get_absolute_url(self):
        return reverse("communities:invitation_accept", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ActivityEvent(models.Model):
    """Something that happened in a community; the one event later layers listen to."""

    class Verb(models.TextChoices):
        JOINED = "joined", "joined"
        REQUESTED = "requested", "asked to join"
        APPROVED = "approved", "approved a join request"
        DECLINED = "declined", "declined a join request"
        INVITED = "invited", "invited someone"
        LEFT = "left", "left"
        BANNED = "banned", "banned a member"
        UNBANNED = "unbanned", "lifted a ban"
        ROLE_CHANGED = "role_changed", "changed a role"
        WELCOMED = "welcomed", "welcomed a newcomer"
        COMMUNITY_CREATED = "community_created", "created the community"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events", null=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When listeners (alerts) finished with it; the outbox sweep retries the rest."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="activity_community_idx"),
            models.Index(fields=["dispatched_at", "created_at"], name="activity_outbox_idx"),
        ]

    def __str__(self):
        return f"{self.actor} {self.verb} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def phrase(self) -> str:
        """How the verb reads after the actor's name, as its app registered it."""
        kind = event_type(self.verb)
        return kind.phrase if kind is not None else self.verb.replace("_", " ")


class Flag(models.Model):
    """A member's report that a piece of content needs a facilitator's attention."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        OFF_TOPIC = "off_topic", "Off-topic"
        ABUSIVE = "abusive", "Abusive or disrespectful"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["community", "status"], name="flag_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="uniq_open_flag_per_reporter",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} flag on {self.target_type} {self.target_id}"


class ModerationAction(models.Model):
    """The moderation log: who did what to which content or member, when and why."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hid content"
        RESTORE = "restore", "Restored content"
        APPROVE = "approve", "Approved held content"
        REJECT = "reject", "Rejected held content"
        DISMISS_FLAG = "dismiss_flag", "Dismissed a flag"
        WARN = "warn", "Warned a member"
        BAN = "ban", "Banned a member"
        PIN = "pin", "Pinned"
        UNPIN = "unpin", "Unpinned"
        LOCK = "lock", "Locked"
        UNLOCK = "unlock", "Unlocked"
        CLOSE = "close", "Closed"
        REOPEN = "reopen", "Reopened"
        MOVE = "move", "Moved"
        MERGE = "merge", "Merged a duplicate"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="moderation_actions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300, blank=True, help_text="What was acted on, as it read then.")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.moderator} {self.action} ({self.created_at:%Y-%m-%d %H:%M})"


def search_kind_label(kind: str) -> str:
    """How a search document's kind is named on the page: its registered SearchKind's label, else the key."""
    known = lookup(SearchKind, kind)
    return known.label if known is not None else kind.replace("_", " ").capitalize()


class SearchDocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SearchDocumentQuerySet":
        """Documents the user may find: not hidden, in communities whose content they may read; members-only
        documents only for the community's active members (and site staff)."""
        documents = self.filter(community__in=Community.objects.visible_to(user), is_hidden=False)
        if user.is_authenticated and user.is_staff:
            return documents
        if not user.is_authenticated:
            return documents.filter(members_only=False)
        member_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("community_id")
        return documents.filter(Q(members_only=False) | Q(community__in=member_of))


class SearchDocument(models.Model):
    """One searchable piece of content (a thread, a post, a hot seat...), kept current by its app's services.

    Write through `communities.search.index()`, never directly: it strips HTML and, on PostgreSQL, fills
    `search_vector`, which has a GIN index there (added by migration 0003 only on PostgreSQL).
    """

    # No index of its own: search_community_newest_idx leads with it.
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="search_documents", db_index=False)
    kind = models.CharField(max_length=30, db_index=True, help_text="E.g. thread, post, hotseat.")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Plain text.")
    tags = models.TextField(blank=True, help_text="Lower-case tags separated by spaces; spaces inside a tag become -.")
    url = models.CharField(max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    is_hidden = models.BooleanField(default=False, help_text="Hidden or removed content stays out of results.")
    members_only = models.BooleanField(
        default=False, help_text="Only the community's active members find it, even in a public community."
    )
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="uniq_search_document_target")
        ]
        # Search takes the newest matches: for a common word, walking these indexes finds them sooner than the GIN
        # index would list every match (communities.search.search_page); the second walks one community only.
        indexes = [
            models.Index(fields=["created_at", "id"], name="search_newest_idx"),
            models.Index(fields=["community", "created_at", "id"], name="search_community_newest_idx"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"

    def get_absolute_url(self):
        return self.url

    @property
    def kind_label(self) -> str:
        return search_kind_label(self.kind)

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

    @property
    def snippet(self) -> str:
        """Safe HTML: an excerpt of the body with the matched words in <mark>."""
        from .search import snippet_html  # search.py imports this module

        return snippet_html(self)


class Theme(models.Model):
    """A focus topic for a period, e.g. "benefits realisation" in March; content carrying its tags gathers on it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True, help_text="Markdown. Why this theme, and how members can take part.")
    description_html = models.TextField(blank=True, editable=False)
    starts_on = models.DateField()
    ends_on = models.DateField()
    tags = models.CharField(
        max_length=300, help_text="Comma-separated. Threads, hot seats and resources with these tags appear on it."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="uniq_theme_slug"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="theme_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown_safe(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("communities:theme_detail", args=[self.community.slug, self.slug])

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class CommunityVisit(models.Model):
    """A member was in the community on this day: at most one row per member per day, for engagement charts."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="visits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user", "day"], name="uniq_daily_visit")]
        indexes = [models.Index(fields=["community", "day"], name="visit_day_idx")]

    def __str__(self):
        return f"{self.user_id} in {self.community_id} on {self.day}"


class OutboundEmail(models.Model):
    """A transactional email (welcome, decision, invitation, warning...), written in the same transaction as the
    change it announces and sent by a worker after commit; kept until sent, so a mail server that is down only
    delays it (see communities/emails.py)."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="Extra headers, including a stable Message-ID.")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="A sender holds it until then.")
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Given up: refused for good, or too many tries.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_email_due_idx",
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class FeedToken(models.Model):
    """A member's secret address for a community's feeds: it works while they are an active member, and a reset
    replaces it (the old address stops at once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="uniq_feed_token")]

    def __str__(self):
        return f"Feed address of {self.user_id} in {self.community_id}"
