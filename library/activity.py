"""What the library tells the rest of the platform happened: its verbs, and what each means (communities/extensions).

Notices are built from the current state of the resource, so a digest that asks again tomorrow leaves out what a
moderator has hidden or an author deleted since, and members-only resources reach members only.
"""

from django.db import models
from django.urls import reverse

from communities.activity import FOLLOWED, MODERATION, excerpt, feed_links_via, manager_ids, member_ids
from communities.extensions import AlertType, EventType, Frequency, Notice, Rung
from communities.models import Flag

from . import permissions
from .models import GuideRevision, Resource, ResourceComment, ResourceFollow, ResourceVersion

NEW_IN_LIBRARY = "library"

ALERT_TYPES = (
    AlertType(
        key=NEW_IN_LIBRARY,
        label="New in the library: documents, templates, toolkits, guides and key links",
        default=Frequency.DAILY,
        order=40,
    ),
)


class Verb(models.TextChoices):
    RESOURCE_ADDED = "resource_added", "added to the library"
    VERSION_ADDED = "resource_version_added", "uploaded a new version to the library"
    GUIDE_REVISED = "guide_revised", "revised a library guide"
    RESOURCE_COMMENTED = "resource_commented", "commented on a library resource"
    RESOURCE_FLAGGED = "resource_flagged", "flagged something in the library"


def _resource(pk) -> Resource | None:
    return Resource.objects.select_related("community", "author").filter(pk=pk).first()


def _readable(resource: Resource):
    return lambda user: permissions.can_read_resource(user, resource)


def _followers(resource: Resource):
    return ResourceFollow.objects.filter(resource=resource).values_list("user_id", flat=True)


def _summary(resource: Resource) -> str:
    return excerpt(resource.summary or resource.body_html or "", 40)


def _added_notices(event) -> list[Notice]:
    """Everyone who wants to hear of new resources does, if they may open it."""
    resource = _resource(event.target_id)
    if resource is None or resource.is_hidden:
        return []
    by = resource.author.display_name if resource.author else "A member"
    return [
        Notice(
            alert_type=NEW_IN_LIBRARY,
            recipients=member_ids(resource.community_id),
            title=f"New in the library: {resource.title} ({resource.get_kind_display().lower()}, from {by})",
            url=resource.get_absolute_url(),
            excerpt=_summary(resource),
            visible_to=_readable(resource),
        )
    ]


def _version_notices(event) -> list[Notice]:
    """Followers hear of a new version, as long as it is still there to download."""
    version = ResourceVersion.objects.select_related("file").filter(pk=event.target_id).first()
    resource = _resource((event.data or {}).get("resource_id"))
    if version is None or resource is None or not version.is_available:
        return []
    note = f" “{version.change_note}”" if version.change_note else ""
    return [
        Notice(
            alert_type=FOLLOWED,
            recipients=_followers(resource),
            title=f"New version of “{version.file.title}” in {resource.title} (version {version.number})",
            url=resource.get_absolute_url(),
            excerpt=f"{version.name}{note}",
            visible_to=_readable(resource),
        )
    ]


def _revision_notices(event) -> list[Notice]:
    revision = GuideRevision.objects.filter(pk=event.target_id).first()
    resource = _resource((event.data or {}).get("resource_id"))
    if revision is None or resource is None:
        return []
    return [
        Notice(
            alert_type=FOLLOWED,
            recipients=_followers(resource),
            title=f"“{resource.title}” was revised",
            url=reverse("library:revision_detail", args=[resource.community.slug, resource.pk, revision.number]),
            excerpt=revision.note or _summary(resource),
            visible_to=_readable(resource),
        )
    ]


def _comment_notices(event) -> list[Notice]:
    comment = ResourceComment.objects.select_related("author").filter(pk=event.target_id).first()
    resource = _resource((event.data or {}).get("resource_id"))
    if comment is None or resource is None:
        return []
    comment.resource = resource

    def visible(user) -> bool:
        live = ResourceComment.objects.filter(
            pk=comment.pk, status=ResourceComment.Status.PUBLISHED, is_deleted=False
        ).exists()
        return live and permissions.can_read_resource(user, resource)

    by = comment.author.display_name if comment.author else "Someone"
    return [
        Notice(
            alert_type=FOLLOWED,
            recipients=_followers(resource),
            title=f"{by} commented on “{resource.title}”",
            url=comment.get_absolute_url(),
            excerpt=excerpt(comment.body_html),
            visible_to=visible,
        )
    ]


def _flag_notices(event) -> list[Notice]:
    """Facilitators hear about a flag while it is still open."""
    flag = Flag.objects.select_related("community").filter(pk=(event.data or {}).get("flag_id")).first()
    if flag is None or flag.status != Flag.Status.OPEN:
        return []
    community = flag.community

    def still_open(user) -> bool:
        return Flag.objects.filter(pk=flag.pk, status=Flag.Status.OPEN).exists() and permissions.can_moderate(
            user, community
        )

    return [
        Notice(
            alert_type=MODERATION,
            recipients=manager_ids(community.pk),
            title=f"Something in the library was flagged: {flag.get_reason_display()}",
            url=reverse("library:moderation_queue", args=[community.slug]),
            excerpt=flag.note,
            visible_to=still_open,
        )
    ]


def _resource_links(model, path: str = ""):
    """Links to the resource an event's target is, or belongs to (`path` leads from the target to it)."""
    steps = path.split("__") if path else []

    def objects(viewer):
        visible = Resource.objects.visible_to(viewer)
        if not path:
            return visible.select_related("community")
        return model.objects.filter(**{f"{path}__in": visible}).select_related(f"{path}__community")

    def resource(obj):
        for step in steps:
            obj = getattr(obj, step)
        return obj

    return feed_links_via(objects, title=lambda o: resource(o).title, url=lambda o: resource(o).get_absolute_url())


EVENT_TYPES = (
    EventType(
        verb=Verb.RESOURCE_ADDED,
        phrase=Verb.RESOURCE_ADDED.label,
        feed_links=_resource_links(Resource),
        feed_phrase="added to the library:",
        notices=_added_notices,
        rung=Rung.ANSWER,
        in_feed=True,
    ),
    EventType(
        verb=Verb.VERSION_ADDED,
        phrase=Verb.VERSION_ADDED.label,
        feed_links=_resource_links(ResourceVersion, "file__resource"),
        feed_phrase="uploaded a new version of",
        notices=_version_notices,
        rung=Rung.ANSWER,
        in_feed=True,
    ),
    EventType(
        verb=Verb.GUIDE_REVISED,
        phrase=Verb.GUIDE_REVISED.label,
        feed_links=_resource_links(GuideRevision, "resource"),
        feed_phrase="revised the guide",
        feed_phrase_many="revised {n} times the guide",
        notices=_revision_notices,
        rung=Rung.ANSWER,
        in_feed=True,
    ),
    EventType(
        verb=Verb.RESOURCE_COMMENTED,
        phrase=Verb.RESOURCE_COMMENTED.label,
        feed_links=_resource_links(ResourceComment, "resource"),
        feed_phrase="commented on",
        feed_phrase_many="commented {n} times on",
        notices=_comment_notices,
        rung=Rung.ANSWER,
        in_feed=True,
    ),
    EventType(verb=Verb.RESOURCE_FLAGGED, phrase=Verb.RESOURCE_FLAGGED.label, notices=_flag_notices),
)
