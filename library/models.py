"""The library: resources (documents, templates, presentations, toolkits, guides, key links), their files and versions.

Files live in the private "library" storage under random keys; the user's file name is kept only as text to show
and to suggest when downloading. Visibility follows the community (private communities: members only) and, for
resources shared as "members only", the community's active members even when the community is public.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, Theme

from .filetypes import LABELS


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResourceQuerySet":
        """Resources the user may open: in communities they may read, not hidden by moderators, and members-only
        ones only for the community's active members (and site staff)."""
        resources = self.filter(community__in=Community.objects.visible_to(user), is_hidden=False)
        if user.is_authenticated and user.is_staff:
            return resources
        if not user.is_authenticated:
            return resources.exclude(licence=Resource.Licence.MEMBERS_ONLY)
        member_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("community_id")
        return resources.filter(~Q(licence=Resource.Licence.MEMBERS_ONLY) | Q(community__in=member_of))

    def listed_in(self, community: Community, *, member: bool) -> "ResourceQuerySet":
        """The community's resources for a reader already known to be allowed in: no join to memberships needed."""
        resources = self.filter(community=community, is_hidden=False)
        return resources if member else resources.exclude(licence=Resource.Licence.MEMBERS_ONLY)

    def most_useful(self) -> "ResourceQuerySet":
        """Helpful marks count most, then thanks, then downloads."""
        return self.order_by(
            (F("helpful_count") * 3 + F("thanks_count") * 2 + F("download_count")).desc(), "-created_at", "-pk"
        )


class Resource(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        TEMPLATE = "template", "Template"
        PRESENTATION = "presentation", "Presentation"
        TOOLKIT = "toolkit", "Toolkit"
        GUIDE = "guide", "Guide"
        KEY_LINK = "key_link", "Key link"

    class Licence(models.TextChoices):
        OGL = "ogl", "Open Government Licence v3.0"
        CC_BY = "cc_by", "Creative Commons Attribution 4.0 (CC BY)"
        CC_BY_SA = "cc_by_sa", "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA)"
        CC0 = "cc0", "No rights reserved (CC0)"
        ASK = "ask", "Ask the author before sharing outside the community"
        MEMBERS_ONLY = "members_only", "Members only: do not share outside the community"

    class Editing(models.TextChoices):
        MEMBERS = "members", "Any member can edit it"
        FACILITATORS = "facilitators", "Only the author and the facilitators"

    FILE_KINDS = (Kind.DOCUMENT, Kind.TEMPLATE, Kind.PRESENTATION, Kind.TOOLKIT)
    TEXT_KINDS = (Kind.GUIDE, Kind.TOOLKIT)  # kinds with a Markdown page written in the platform

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(max_length=200)
    summary = models.TextField(
        max_length=2000, blank=True, help_text="Plain text. What it is and why it is useful; for a key link, why."
    )
    body = models.TextField(blank=True, help_text="Markdown. A guide's text, or how to use a toolkit's files.")
    body_html = models.TextField(blank=True, editable=False)
    url = models.URLField(max_length=500, blank=True, help_text="For a key link: the website.")
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated; ties the resource to themes.")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources")
    organisation = models.CharField("organisation of origin", max_length=120, blank=True)
    licence = models.CharField("licence or sharing terms", max_length=16, choices=Licence.choices, default=Licence.ASK)
    editing = models.CharField(
        max_length=12,
        choices=Editing.choices,
        default=Editing.MEMBERS,
        help_text="For guides: who may edit the text (every edit is kept as a revision).",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="library_resources"
    )
    # Where it came from: the forum post it was attached to, or the thread a guide was written from.
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_url = models.CharField(max_length=500, blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    is_featured = models.BooleanField(default=False, help_text="Pinned by a facilitator to the top of the library.")
    featured_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False, help_text="Hidden by a moderator.")
    thanks_count = models.PositiveIntegerField(default=0, editable=False)
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    download_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, help_text="Last new version or revision.")

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="resource_newest_idx"),
            models.Index(fields=["community", "kind", "-created_at"], name="resource_kind_idx"),
            models.Index(fields=["community", "is_featured"], name="resource_featured_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:resource_detail", args=[self.community.slug, self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def has_files(self) -> bool:
        return self.kind in self.FILE_KINDS

    @property
    def has_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    @property
    def is_members_only(self) -> bool:
        return self.licence == self.Licence.MEMBERS_ONLY


class ResourceFile(models.Model):
    """One file of a resource (a toolkit has several); its versions follow one another."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    current_version = models.ForeignKey(
        "ResourceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest version anyone may download; a version still being scanned is not current yet.",
    )
    version_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ResourceVersionQuerySet(models.QuerySet):
    def available(self) -> "ResourceVersionQuerySet":
        """Versions that may be downloaded: clean, or not scanned because no scanner is configured."""
        return self.filter(scan_state__in=ResourceVersion.AVAILABLE_STATES)


class ResourceVersion(models.Model):
    """One uploaded file: stored under a random key, with its size, SHA-256 and the type sniffed from its bytes."""

    class ScanState(models.TextChoices):
        PENDING = "pending", "Waiting for the virus scan"
        CLEAN = "clean", "Scanned: clean"
        INFECTED = "infected", "Refused by the virus scan"
        NOT_SCANNED = "not_scanned", "Not scanned (no scanner configured)"

    AVAILABLE_STATES = (ScanState.CLEAN, ScanState.NOT_SCANNED)

    file = models.ForeignKey(ResourceFile, on_delete=models.CASCADE, related_name="versions")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    storage_key = models.CharField(max_length=100, unique=True, editable=False)
    name = models.CharField(max_length=200, help_text="The cleaned file name, for display and downloads.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=120, help_text="Sniffed from the bytes, not taken from the browser.")
    text_encoding = models.CharField(max_length=20, blank=True)
    change_note = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    scan_state = models.CharField(max_length=12, choices=ScanState.choices, default=ScanState.NOT_SCANNED)
    scan_detail = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it became downloadable and followers were told."
    )
    processed_at = models.DateTimeField(null=True, blank=True, help_text="When text and preview were extracted.")
    extracted_text = models.TextField(blank=True, editable=False)
    extracted_pages = models.PositiveIntegerField(null=True, blank=True)
    extraction_note = models.CharField(max_length=200, blank=True)
    preview_key = models.CharField(max_length=100, blank=True, editable=False)
    preview_width = models.PositiveIntegerField(null=True, blank=True)
    preview_height = models.PositiveIntegerField(null=True, blank=True)

    objects = ResourceVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="uniq_version_number")]
        indexes = [models.Index(fields=["community", "sha256"], name="version_hash_idx")]

    def __str__(self):
        return f"{self.name} (version {self.number})"

    @property
    def is_available(self) -> bool:
        return self.scan_state in self.AVAILABLE_STATES

    @property
    def type_label(self) -> str:
        return LABELS.get(self.content_type, "File")

    @property
    def served_content_type(self) -> str:
        if self.text_encoding:
            return f"{self.content_type}; charset={self.text_encoding}"
        return self.content_type

    def download_url(self, resource: Resource) -> str:
        return reverse("library:version_download", args=[resource.community.slug, resource.pk, self.pk])

    def preview_url(self, resource: Resource) -> str:
        return reverse("library:version_preview", args=[resource.community.slug, resource.pk, self.pk])


class GuideRevision(models.Model):
    """A saved state of a guide's (or a toolkit's) text: the newest is the text shown."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed, in a few words.")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="uniq_guide_revision")]

    def __str__(self):
        return f"{self.title} (revision {self.number})"


class ResourceReaction(models.Model):
    class Kind(models.TextChoices):
        THANKS = "thanks", "Thanks"
        HELPFUL = "helpful", "Helpful"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "user", "kind"], name="uniq_resource_reaction")]

    def __str__(self):
        return f"{self.kind} on resource {self.resource_id}"


class ResourceComment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by a moderator"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    is_deleted = models.BooleanField(default=False, help_text="Removed by its author.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resource", "created_at"], name="resource_comment_idx")]

    def __str__(self):
        return f"Comment {self.pk} on resource {self.resource_id}"

    def get_absolute_url(self):
        return f"{self.resource.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"


class ResourceFollow(models.Model):
    """A member hears of new versions and revisions of the resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "user"], name="uniq_resource_follow")]

    def __str__(self):
        return f"{self.user_id} · resource {self.resource_id}"


class Download(models.Model):
    """A signed-in reader downloaded something of the resource on this day: at most one row per person per day."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "user", "day"], name="uniq_daily_download")]

    def __str__(self):
        return f"{self.user_id} · resource {self.resource_id} · {self.day}"


class Attachment(models.Model):
    """A library resource attached to another app's object (a forum post, a hot-seat answer)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="attachments")
    # The file shown on the host's object (so a page of posts loads its attachments in one query).
    file = models.ForeignKey(ResourceFile, on_delete=models.CASCADE, related_name="attachments")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="attachment_target_idx")]
        constraints = [models.UniqueConstraint(fields=["file", "target_type", "target_id"], name="uniq_attachment")]

    def __str__(self):
        return f"Resource {self.resource_id} on {self.target_type_id}:{self.target_id}"

    @property
    def download_url(self) -> str:
        return reverse("library:file_download", args=[self.resource.community.slug, self.resource_id, self.file_id])
