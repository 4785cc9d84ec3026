from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from communities.models import Community


class CategoryQuerySet(models.QuerySet):
    def active(self) -> "CategoryQuerySet":
        return self.filter(is_archived=False)


class Category(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField(default=False, help_text="Archived categories keep their threads, read-only.")
    facilitators_only = models.BooleanField(
        "Facilitators only",
        default=False,
        help_text="Only facilitators start threads here (e.g. Announcements); members may still reply.",
    )
    thread_count = models.PositiveIntegerField(default=0, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="uniq_category_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:category_detail", args=[self.community.slug, self.slug])


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThreadQuerySet":
        """Threads the user may read: in communities they may read, not removed by moderators."""
        return self.filter(community__in=Community.objects.visible_to(user), is_hidden=False)

    def with_list_data(self) -> "ThreadQuerySet":
        """Everything a thread list row shows, in the same query (the category link needs its community)."""
        return self.select_related("author", "category__community", "community", "last_post_author").prefetch_related(
            "tags"
        )

    def unanswered(self) -> "ThreadQuerySet":
        """Questions with no accepted answer and no replies."""
        return self.filter(kind=Thread.Kind.QUESTION, accepted_post__isnull=True, reply_count=0)


class Thread(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        DISCUSSION = "discussion", "Discussion"
        ANNOUNCEMENT = "announcement", "Announcement"
        ARTICLE = "article", "Article"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="threads")
    tags = TaggableManager(blank=True)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False, help_text="Locked threads take no new replies from members.")
    is_closed = models.BooleanField(default=False, help_text="Closed threads are finished: read-only for everyone.")
    is_hidden = models.BooleanField(default=False, help_text="Removed by a moderator.")
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The accepted answer."
    )
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-is_pinned", "-last_activity_at"], name="thread_latest_idx"),
            models.Index(fields=["category", "-is_pinned", "-last_activity_at"], name="thread_category_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread_detail", args=[self.community.slug, self.pk])

    @property
    def is_solved(self) -> bool:
        return self.accepted_post_id is not None


class PostQuerySet(models.QuerySet):
    def live(self) -> "PostQuerySet":
        """Posts that are content: published and not deleted by their author."""
        return self.filter(status=Post.Status.PUBLISHED, is_deleted=False)

    def visible_to(self, user) -> "PostQuerySet":
        """Posts the user may read as content: live, in a thread not removed, in a community they may read.

        `forums.permissions.can_read_post` is the same rule for one post. Alerts, newsletters, profiles and search
        go through these two; the thread page adds, for moderators and authors, what waits or was hidden.
        """
        return self.live().filter(thread__community__in=Community.objects.visible_to(user), thread__is_hidden=False)


class Post(models.Model):
    """One message in a thread. The thread's opening post is the one with no parent and `is_opening`."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Waiting for approval"
        HIDDEN = "hidden", "Hidden by a moderator"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The top-level reply this post's branch hangs from; empty for top-level replies (their branch is "
        "their own) and for the opening post.",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    is_opening = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it first went live; empty while it has never been published."
    )
    is_deleted = models.BooleanField(default=False, help_text="Deleted by its author: shown as removed.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    thanks_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "root", "created_at"], name="post_tree_idx"),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
        ]

    def __str__(self):
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self):
        return reverse("forums:post_permalink", args=[self.thread.community.slug, self.pk])

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"

    @property
    def branch_id(self) -> int | None:
        """The top-level reply whose branch this post is in (itself if it is one); None for the opening post."""
        if self.is_opening:
            return None
        return self.root_id or self.pk

    @property
    def is_live(self) -> bool:
        """Content every reader of the community may read: published, not deleted, in a thread not removed."""
        return self.status == self.Status.PUBLISHED and not self.is_deleted and not self.thread.is_hidden


class PostRevision(models.Model):
    """The text of a post before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Revision of post {self.post_id} ({self.created_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THANKS = "thanks", "Thanks"
        HELPFUL = "helpful", "Helpful"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="uniq_reaction")]

    def __str__(self):
        return f"{self.kind} on post {self.post_id}"


class ThreadFollow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="uniq_thread_follow")]

    def __str__(self):
        return f"{self.user_id} · thread {self.thread_id}"


class CategoryFollow(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "user"], name="uniq_category_follow")]

    def __str__(self):
        return f"{self.user_id} · category {self.category_id}"


class ThreadRead(models.Model):
    """The read marker: when a member last opened a thread, for "new since your last visit"."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="uniq_thread_read")]

    def __str__(self):
        return f"{self.user_id} · thread {self.thread_id}"
