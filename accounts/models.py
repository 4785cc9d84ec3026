import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.text import slugify
from taggit.managers import TaggableManager

from cop_platform.links import url_with_pk
from cop_platform.markup import render_markdown_safe

from .validators import validate_avatar


def default_time_zone() -> str:
    """New accounts start in the site's time zone (settings.TIME_ZONE, Europe/London unless configured)."""
    return settings.TIME_ZONE


TIME_ZONE_CHOICES = [("UTC", "UTC")] + [
    (tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz
]


def name_to_show(first_name: str, last_name: str, email: str) -> str:
    """A person's name as pages show it (`User.display_name`), from the three columns, for rows read as values."""
    return f"{first_name} {last_name}".strip() or email.split("@", 1)[0]


def unique_handle(user) -> str:
    """A readable, unique @handle from the user's name (or email), with a number added on a clash."""
    base = slugify(f"{user.first_name} {user.last_name}".strip() or user.email.split("@", 1)[0])[:32] or "member"
    handle, n = base, 1
    while User.objects.filter(handle=handle).exclude(pk=user.pk).exists():
        n += 1
        handle = f"{base}-{n}"
    return handle


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        Profile.objects.using(self._db).create(user=user)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    handle = models.SlugField(
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="Used for @mentions, e.g. @priya-shah. Set from the name when left empty.",
    )
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=default_time_zone,
        help_text="Times across the site are shown in this zone.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.handle:
            self.handle = unique_handle(self)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return name_to_show(self.first_name, self.last_name, self.email)

    def get_absolute_url(self):
        return url_with_pk("communities:profile_detail", self.pk)


class Profile(models.Model):
    """What a member tells the community about themselves."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    organisation = models.CharField(max_length=160, blank=True)
    job_title = models.CharField(max_length=160, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown. A few lines on what you work on and what you know.")
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True, validators=[validate_avatar])
    expertise = TaggableManager(blank=True, verbose_name="expertise", help_text="Comma-separated topics.")
    is_expert = models.BooleanField(default=False, help_text="Shown with an expert badge across communities.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"

    def save(self, *args, **kwargs):
        # Rendering belongs to the stored field itself, like a computed column: not a domain side effect.
        self.bio_html = render_markdown_safe(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.user.get_absolute_url()
