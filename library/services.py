"""Library writes: resources, files and versions, guides and their revisions, recognition, comments and moderation.

Stored bytes and database rows must agree: a file is written to storage before its rows, and deleted again if the
rows fail; rows are deleted before their files, whose removal waits for the commit.
"""

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from communities import activity, moderation, search
from communities.models import Community, Flag, ModerationAction, Theme
from communities.permissions import participation_refusal
from cop_platform.markup import render_markdown_safe

from . import permissions, scanning, storage
from .activity import Verb
from .inspection import InspectedFile
from .models import (
    Attachment,
    Download,
    GuideRevision,
    Resource,
    ResourceComment,
    ResourceFile,
    ResourceFollow,
    ResourceReaction,
    ResourceVersion,
)

logger = logging.getLogger(__name__)
Action = ModerationAction.Action
MAX_TAGS = 10


class LibraryError(Exception):
    """A library action the rules refuse; the message is shown to the member."""


class DuplicateUpload(LibraryError):
    """The same bytes are already in this community's library."""

    def __init__(self, existing: ResourceVersion):
        self.existing = existing
        super().__init__("This file is already in the library.")


def clean_tags(tags: Iterable[str] | str) -> str:
    """Tags as stored: comma-separated, each trimmed and collapsed, duplicates and empty ones dropped."""
    if isinstance(tags, str):
        tags = tags.split(",")
    unique: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(str(tag).split())[:40]
        if tag and any(ch.isalnum() for ch in tag):
            unique.setdefault(tag.lower(), tag)
    return ", ".join(list(unique.values())[:MAX_TAGS])[:300]


# --- Search index ------------------------------------------------------------------------------------------------


def index_resource(resource: Resource) -> None:
    """Keep the resource's search document current: title, summary, text, tags, and its files' extracted text."""
    texts = [resource.summary, resource.organisation, resource.url]
    if resource.has_text:
        texts.append(resource.body_html)
    if resource.has_files:
        current = ResourceFile.objects.filter(resource=resource, current_version__isnull=False).values_list(
            "current_version__extracted_text", flat=True
        )
        texts.extend(current)
    theme_tags = resource.theme.tag_list if resource.theme_id and resource.theme else []
    search.index(
        target=resource,
        community=resource.community,
        kind=resource.kind,
        title=resource.title,
        body="\n".join(t for t in texts if t),
        tags=resource.tag_list + theme_tags,
        url=resource.get_absolute_url(),
        author=resource.author,
        created_at=resource.created_at,
        is_hidden=resource.is_hidden,
        members_only=resource.is_members_only,
    )


# --- Files and versions ------------------------------------------------------------------------------------------


def duplicate_of(community: Community, sha256: str, user) -> ResourceVersion | None:
    """An existing version with the same bytes that the user can see in this community's library."""
    candidates = (
        ResourceVersion.objects.filter(community=community, sha256=sha256)
        .exclude(scan_state=ResourceVersion.ScanState.INFECTED)
        .select_related("file__resource__community")
        .order_by("uploaded_at")
    )
    for version in candidates[:5]:
        if permissions.can_read_resource(user, version.file.resource):
            return version
    return None


def _queue_processing(version_id: int) -> None:
    """Hand the version to a worker; with the broker down the straggler sweep picks it up later."""
    from .tasks import process_version

    try:
        process_version.apply_async((version_id,), retry=False)
    except Exception:
        logger.warning("Could not queue library version %s; the sweep will process it", version_id, exc_info=True)


def _new_version(
    file: ResourceFile, *, inspected: InspectedFile, key: str, by, change_note: str = ""
) -> ResourceVersion:
    locked = ResourceFile.objects.select_for_update().get(pk=file.pk)
    version = ResourceVersion.objects.create(
        file=file,
        community_id=file.resource.community_id,
        number=locked.version_count + 1,
        storage_key=key,
        name=inspected.name,
        size=inspected.size,
        sha256=inspected.sha256,
        content_type=inspected.filetype.content_type,
        text_encoding=inspected.text_encoding,
        change_note=change_note.strip()[:500],
        uploaded_by=by,
        scan_state=ResourceVersion.ScanState.PENDING
        if scanning.is_enabled()
        else ResourceVersion.ScanState.NOT_SCANNED,
    )
    ResourceFile.objects.filter(pk=file.pk).update(version_count=F("version_count") + 1)
    file.version_count = locked.version_count + 1
    if version.is_available:
        publish_version(version)
    transaction.on_commit(lambda: _queue_processing(version.pk))
    return version


def _stored(inspected: InspectedFile, write):
    """Store the bytes, then run `write(key)` in a transaction; the bytes go again if the rows cannot be written."""
    key = storage.save(storage.new_key("v"), inspected.content)
    try:
        with transaction.atomic():
            return write(key)
    except Exception:
        storage.delete(key)
        raise


def publish_version(version: ResourceVersion) -> bool:
    """Make a version downloadable: it becomes its file's current version (unless a newer one already is), the
    resource is reindexed and followers hear of it. Runs once per version; returns whether this call did it."""
    if not ResourceVersion.objects.filter(pk=version.pk, published_at__isnull=True).update(
        published_at=timezone.now()
    ):
        return False
    file = version.file
    resource = file.resource
    ResourceFile.objects.filter(pk=file.pk).filter(
        Q(current_version__isnull=True) | Q(current_version__number__lt=version.number)
    ).update(current_version=version)
    Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())
    index_resource(resource)
    first_of_resource = (
        not ResourceVersion.objects.filter(file__resource=resource, published_at__isnull=False)
        .exclude(pk=version.pk)
        .exists()
    )
    if first_of_resource:
        activity.record(community=resource.community, actor=resource.author, verb=Verb.RESOURCE_ADDED, target=resource)
    else:
        activity.record(
            community=resource.community,
            actor=version.uploaded_by,
            verb=Verb.VERSION_ADDED,
            target=version,
            resource_id=resource.pk,
            file_title=file.title,
            number=version.number,
        )
    return True


def version_add(
    *,
    resource: Resource,
    file: ResourceFile | None,
    by,
    inspected: InspectedFile,
    change_note: str = "",
    title: str = "",
) -> ResourceVersion:
    """Upload a new version of one of the resource's files (or, with file=None, a new file of a toolkit)."""
    if not permissions.can_edit_resource(by, resource) or not resource.has_files:
        raise LibraryError("You cannot upload files to this resource.")
    if file is None and resource.kind != Resource.Kind.TOOLKIT and resource.files.exists():
        raise LibraryError("Only toolkits hold several files; upload a new version instead.")
    existing = duplicate_of(resource.community, inspected.sha256, by)
    if existing is not None:
        raise DuplicateUpload(existing)

    def write(key):
        target = file
        if target is None:
            position = resource.files.count()
            target = ResourceFile.objects.create(
                resource=resource, title=(title or inspected.name)[:200], position=position
            )
        target.resource = resource
        return _new_version(target, inspected=inspected, key=key, by=by, change_note=change_note)

    return _stored(inspected, write)


def version_delete(*, version: ResourceVersion, by) -> None:
    """Remove one version (e.g. one uploaded by mistake). A file's only version takes the file with it; the last
    file of a resource cannot go this way (delete the resource instead)."""
    file = version.file
    resource = file.resource
    if not permissions.can_edit_resource(by, resource):
        raise LibraryError("You cannot remove versions of this resource.")
    if file.versions.count() <= 1 and resource.files.count() <= 1:
        raise LibraryError("This is the resource's only file. Delete the resource instead.")
    keys = [version.storage_key, version.preview_key]
    with transaction.atomic():
        only_version = file.versions.count() <= 1
        if only_version:
            file.delete()
        else:
            version.delete()
            latest = file.versions.available().filter(published_at__isnull=False).order_by("-number").first()
            ResourceFile.objects.filter(pk=file.pk).update(current_version=latest)
        index_resource(resource)
        transaction.on_commit(lambda: [storage.delete(k) for k in keys])


# --- Resources -------------------------------------------------------------------------------------------------


def _check_kind_fields(kind: str, *, url: str, body: str, inspected: InspectedFile | None) -> None:
    if kind == Resource.Kind.KEY_LINK and not url:
        raise LibraryError("A key link needs the address of the website.")
    if kind == Resource.Kind.GUIDE and not body.strip():
        raise LibraryError("A guide needs some text.")
    if kind in Resource.FILE_KINDS and inspected is None:
        raise LibraryError("Choose a file to upload.")


def resource_create(
    *,
    community: Community,
    author,
    kind: str,
    title: str,
    summary: str = "",
    tags: Iterable[str] | str = (),
    theme: Theme | None = None,
    organisation: str = "",
    licence: str = Resource.Licence.ASK,
    url: str = "",
    body: str = "",
    editing: str = Resource.Editing.MEMBERS,
    inspected: InspectedFile | None = None,
    file_title: str = "",
    source=None,
    source_url: str = "",
    source_title: str = "",
) -> Resource:
    """Add a resource; file kinds come with their first file, guides with their first revision. The author
    follows it; it is announced once its first file is available (at once, unless a virus scan is pending)."""
    if not permissions.can_add_resource(author, community):
        raise LibraryError(participation_refusal(author, community) or "You cannot add to this library.")
    _check_kind_fields(kind, url=url, body=body, inspected=inspected)
    if theme is not None and theme.community_id != community.pk:
        raise LibraryError("That theme belongs to another community.")
    if inspected is not None:
        existing = duplicate_of(community, inspected.sha256, author)
        if existing is not None:
            raise DuplicateUpload(existing)

    def write(key):
        now = timezone.now()
        resource = Resource.objects.create(
            community=community,
            kind=kind,
            title=" ".join(title.split())[:200],
            summary=summary.strip(),
            url=url if kind == Resource.Kind.KEY_LINK else "",
            body=body if kind in Resource.TEXT_KINDS else "",
            body_html=render_markdown_safe(body) if kind in Resource.TEXT_KINDS and body else "",
            tags=clean_tags(tags),
            theme=theme,
            organisation=organisation.strip()[:120],
            licence=licence,
            editing=editing,
            author=author,
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=source.pk if source is not None else None,
            source_url=source_url[:500],
            source_title=source_title[:300],
            created_at=now,
            updated_at=now,
        )
        ResourceFollow.objects.get_or_create(resource=resource, user=author)
        if resource.has_text and body.strip():
            GuideRevision.objects.create(resource=resource, number=1, title=resource.title, body=body, editor=author)
        if key is not None:
            file = ResourceFile.objects.create(resource=resource, title=(file_title or title)[:200])
            file.resource = resource
            _new_version(file, inspected=inspected, key=key, by=author)
        else:
            index_resource(resource)
            activity.record(community=community, actor=author, verb=Verb.RESOURCE_ADDED, target=resource)
        return resource

    if inspected is None:
        with transaction.atomic():
            return write(None)
    return _stored(inspected, write)


@transaction.atomic
def resource_update(*, resource: Resource, by, **fields) -> Resource:
    """Change a resource's details (title, summary, tags, theme, organisation, licence, link, editing)."""
    if not permissions.can_edit_resource(by, resource):
        raise LibraryError("You cannot edit this resource.")
    allowed = {"title", "summary", "tags", "theme", "organisation", "licence", "url", "editing"}
    if set(fields) - allowed:
        raise LibraryError("Those details cannot be changed here.")
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    if fields.get("theme") is not None and fields["theme"].community_id != resource.community_id:
        raise LibraryError("That theme belongs to another community.")
    if resource.kind == Resource.Kind.KEY_LINK and "url" in fields and not fields["url"]:
        raise LibraryError("A key link needs the address of the website.")
    if resource.kind != Resource.Kind.KEY_LINK:
        fields.pop("url", None)
    for name, value in fields.items():
        setattr(resource, name, value.strip() if isinstance(value, str) and name != "tags" else value)
    resource.save(update_fields=list(fields))
    index_resource(resource)
    return resource


def _stored_keys(resource: Resource) -> list[str]:
    rows = ResourceVersion.objects.filter(file__resource=resource).values_list("storage_key", "preview_key")
    return [key for pair in rows for key in pair if key]


def resource_delete(*, resource: Resource, by, reason: str = "") -> None:
    """Delete a resource with every file and version; the bytes are removed once the deletion has committed."""
    if not permissions.can_delete_resource(by, resource):
        raise LibraryError("You cannot delete this resource.")
    with transaction.atomic():
        keys = _stored_keys(resource)
        if resource.author_id != getattr(by, "pk", None):
            moderation.log(
                community=resource.community,
                moderator=by,
                action=Action.HIDE,
                target_user=resource.author,
                summary=f"Deleted from the library: {resource.title}",
                reason=reason,
            )
        search.unindex(resource)
        for comment in resource.comments.all():
            search.unindex(comment)
        resource.delete()
        transaction.on_commit(lambda: [storage.delete(k) for k in keys])


# --- Guides ------------------------------------------------------------------------------------------------------


@transaction.atomic
def guide_edit(*, resource: Resource, editor, title: str, body: str, note: str = "") -> GuideRevision | None:
    """Save a new revision of a guide's (or toolkit's) text; every earlier revision stays readable."""
    if not permissions.can_edit_text(editor, resource):
        raise LibraryError("You cannot edit this text.")
    if resource.kind == Resource.Kind.GUIDE and not body.strip():
        raise LibraryError("A guide needs some text.")
    title = " ".join(title.split())[:200] or resource.title
    if body == resource.body and title == resource.title:
        return None
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    number = (locked.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = GuideRevision.objects.create(
        resource=resource, number=number, title=title, body=body, note=note.strip()[:300], editor=editor
    )
    resource.title, resource.body, resource.body_html = title, body, render_markdown_safe(body)
    resource.updated_at = timezone.now()
    resource.save(update_fields=["title", "body", "body_html", "updated_at"])
    index_resource(resource)
    if number > 1:
        activity.record(
            community=resource.community,
            actor=editor,
            verb=Verb.GUIDE_REVISED,
            target=revision,
            resource_id=resource.pk,
        )
    return revision


def guide_restore(*, resource: Resource, revision: GuideRevision, by) -> GuideRevision | None:
    """Bring back an earlier revision's text as a new revision (history is never rewritten)."""
    if revision.resource_id != resource.pk:
        raise LibraryError("That revision belongs to another guide.")
    return guide_edit(
        resource=resource,
        editor=by,
        title=revision.title,
        body=revision.body,
        note=f"Restored revision {revision.number}",
    )


def guide_from_source(
    *, community: Community, by, title: str, body: str, source, source_url: str, source_title: str, tags=()
) -> Resource:
    """Write down what a thread (or its accepted answer) worked out as a library guide that links to its source."""
    return resource_create(
        community=community,
        author=by,
        kind=Resource.Kind.GUIDE,
        title=title,
        summary=f"Written up from “{source_title}”."[:2000],
        body=body,
        tags=tags,
        source=source,
        source_url=source_url,
        source_title=source_title,
    )


# --- Attachments -------------------------------------------------------------------------------------------------


def attachment_add(
    *, target, community: Community, by, inspected: InspectedFile, source_url: str, source_title: str
) -> Attachment:
    """File an upload from another app's object (a post, an answer) in the library, linked back to it.

    The host has already decided that `by` may write that object (a guest expert too), so only an archived
    community refuses. A file already in the library is linked, not stored twice.
    """
    if community.is_archived:
        raise LibraryError("This community is archived: nothing new can be added.")
    existing = duplicate_of(community, inspected.sha256, by)
    with transaction.atomic():
        if existing is not None:
            file = existing.file
        else:
            resource = _attached_resource(
                community, by, inspected, target=target, source_url=source_url, source_title=source_title
            )
            file = resource.files.get()
        attachment, _ = Attachment.objects.get_or_create(
            resource=file.resource,
            file=file,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )
    return attachment


def _attached_resource(community, by, inspected, *, target, source_url, source_title) -> Resource:
    def write(key):
        now = timezone.now()
        resource = Resource.objects.create(
            community=community,
            kind=Resource.Kind.DOCUMENT,
            title=inspected.name.rsplit(".", 1)[0][:200],
            summary=f"Attached to {source_title}.",
            author=by,
            source_type=ContentType.objects.get_for_model(target),
            source_id=target.pk,
            source_url=source_url[:500],
            source_title=source_title[:300],
            created_at=now,
            updated_at=now,
        )
        ResourceFollow.objects.get_or_create(resource=resource, user=by)
        file = ResourceFile.objects.create(resource=resource, title=inspected.name[:200])
        file.resource = resource
        _new_version(file, inspected=inspected, key=key, by=by)
        return resource

    return _stored(inspected, write)


# --- Recognition, follows, downloads -----------------------------------------------------------------------------

_COUNTER = {ResourceReaction.Kind.THANKS: "thanks_count", ResourceReaction.Kind.HELPFUL: "helpful_count"}


@transaction.atomic
def reaction_toggle(*, resource: Resource, user, kind: str) -> bool:
    """Add the member's thanks or helpful mark, or take it back; returns whether it is now on."""
    if not permissions.can_react(user, resource) or kind not in _COUNTER:
        raise LibraryError("You cannot react to this resource.")
    counter = _COUNTER[kind]
    deleted, _ = ResourceReaction.objects.filter(resource=resource, user=user, kind=kind).delete()
    if deleted:
        Resource.objects.filter(pk=resource.pk).update(**{counter: F(counter) - 1})
        return False
    _, created = ResourceReaction.objects.get_or_create(resource=resource, user=user, kind=kind)
    if created:
        Resource.objects.filter(pk=resource.pk).update(**{counter: F(counter) + 1})
    return True


def resource_follow(*, resource: Resource, user, follow: bool) -> None:
    """Follow (hear of new versions and revisions) or stop following."""
    if follow:
        if not permissions.can_follow(user, resource):
            raise LibraryError("Join the community to follow its resources.")
        ResourceFollow.objects.get_or_create(resource=resource, user=user)
    else:
        ResourceFollow.objects.filter(resource=resource, user=user).delete()


def download_record(*, resource: Resource, user) -> bool:
    """Count a signed-in reader's download once per day: a repeated click reads one row and writes nothing."""
    if not user.is_authenticated:
        return False
    today = timezone.localdate()
    if Download.objects.filter(resource=resource, user=user, day=today).exists():
        return False
    try:
        with transaction.atomic():
            Download.objects.create(resource=resource, user=user, day=today)
            Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    except IntegrityError:  # a double click that raced the first
        return False
    return True


# --- Comments ----------------------------------------------------------------------------------------------------


def _index_comment(comment: ResourceComment) -> None:
    resource = comment.resource
    search.index(
        target=comment,
        community=resource.community,
        kind="resource_comment",
        title=f"Comment on {resource.title}",
        body=comment.body_html,
        url=comment.get_absolute_url(),
        author=comment.author,
        created_at=comment.created_at,
        is_hidden=resource.is_hidden or comment.status != ResourceComment.Status.PUBLISHED or comment.is_deleted,
        members_only=resource.is_members_only,
    )


@transaction.atomic
def comment_create(*, resource: Resource, author, body: str) -> ResourceComment:
    """Comment on a resource (Markdown, sanitised once here)."""
    if not permissions.can_comment(author, resource):
        raise LibraryError("You cannot comment on this resource.")
    comment = ResourceComment.objects.create(
        resource=resource, author=author, body=body, body_html=render_markdown_safe(body)
    )
    comment.resource = resource
    Resource.objects.filter(pk=resource.pk).update(comment_count=F("comment_count") + 1)
    _index_comment(comment)
    activity.record(
        community=resource.community,
        actor=author,
        verb=Verb.RESOURCE_COMMENTED,
        target=comment,
        resource_id=resource.pk,
    )
    return comment


@transaction.atomic
def comment_edit(*, comment: ResourceComment, by, body: str) -> ResourceComment:
    if not permissions.can_edit_comment(by, comment):
        raise LibraryError("You cannot edit this comment.")
    comment.body, comment.body_html, comment.edited_at = body, render_markdown_safe(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _index_comment(comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: ResourceComment, by) -> ResourceComment:
    """An author removes their comment: it shows as removed."""
    if not permissions.can_edit_comment(by, comment):
        raise LibraryError("You cannot delete this comment.")
    comment.is_deleted, comment.body_html = True, ""
    comment.save(update_fields=["is_deleted", "body_html"])
    if comment.status == ResourceComment.Status.PUBLISHED:
        Resource.objects.filter(pk=comment.resource_id).update(comment_count=F("comment_count") - 1)
    search.unindex(comment)
    return comment


# --- Moderation --------------------------------------------------------------------------------------------------


def _require_moderator(by, community: Community) -> None:
    if not permissions.can_moderate(by, community):
        raise LibraryError("You cannot moderate this library.")


@transaction.atomic
def resource_feature(*, resource: Resource, by, featured: bool) -> Resource:
    """Pin a resource to the top of the library (or unpin it); logged."""
    if not permissions.can_feature(by, resource):
        raise LibraryError("Only facilitators pin resources.")
    resource.is_featured, resource.featured_at = featured, timezone.now() if featured else None
    resource.save(update_fields=["is_featured", "featured_at"])
    moderation.log(
        community=resource.community,
        moderator=by,
        action=Action.PIN if featured else Action.UNPIN,
        target=resource,
        target_user=resource.author,
        summary=resource.title,
    )
    return resource


@transaction.atomic
def resource_set_hidden(*, resource: Resource, by, hidden: bool, reason: str = "") -> Resource:
    """Hide a resource from members (files, search and all) or bring it back; flags on it are actioned."""
    _require_moderator(by, resource.community)
    resource.is_hidden = hidden
    resource.save(update_fields=["is_hidden"])
    index_resource(resource)
    for comment in resource.comments.filter(is_deleted=False):
        comment.resource = resource
        _index_comment(comment)
    if hidden:
        moderation.flags_resolve(target=resource, by=by, status=Flag.Status.ACTIONED)
    moderation.log(
        community=resource.community,
        moderator=by,
        action=Action.HIDE if hidden else Action.RESTORE,
        target=resource,
        target_user=resource.author,
        summary=resource.title,
        reason=reason,
    )
    return resource


@transaction.atomic
def comment_set_hidden(*, comment: ResourceComment, by, hidden: bool, reason: str = "") -> ResourceComment:
    """Hide a comment (or restore it); flags on it are actioned; logged."""
    resource = comment.resource
    _require_moderator(by, resource.community)
    status = ResourceComment.Status.HIDDEN if hidden else ResourceComment.Status.PUBLISHED
    if comment.status == status:
        return comment
    comment.status = status
    comment.save(update_fields=["status"])
    if not comment.is_deleted:
        Resource.objects.filter(pk=resource.pk).update(comment_count=F("comment_count") + (-1 if hidden else 1))
    _index_comment(comment)
    if hidden:
        moderation.flags_resolve(target=comment, by=by, status=Flag.Status.ACTIONED)
    moderation.log(
        community=resource.community,
        moderator=by,
        action=Action.HIDE if hidden else Action.RESTORE,
        target=comment,
        target_user=comment.author,
        summary=comment.body[:300],
        reason=reason,
    )
    return comment


@transaction.atomic
def flag_create(*, target: Resource | ResourceComment, reporter, reason: str, note: str = "") -> Flag | None:
    """A member reports a resource or a comment to the facilitators."""
    if isinstance(target, Resource):
        allowed, community = permissions.can_flag_resource(reporter, target), target.community
    else:
        allowed, community = permissions.can_flag_comment(reporter, target), target.resource.community
    if not allowed:
        raise LibraryError("You cannot flag this.")
    flag = moderation.flag_create(target=target, community=community, reporter=reporter, reason=reason, note=note)
    if flag is not None:
        activity.record(
            community=community, actor=reporter, verb=Verb.RESOURCE_FLAGGED, target=target, flag_id=flag.pk
        )
    return flag


@transaction.atomic
def flags_dismiss(*, target: Resource | ResourceComment, by, reason: str = "") -> int:
    """Close the open flags on a resource or comment without acting on it; logged."""
    community = target.community if isinstance(target, Resource) else target.resource.community
    _require_moderator(by, community)
    count = moderation.flags_resolve(target=target, by=by, status=Flag.Status.DISMISSED)
    moderation.log(
        community=community,
        moderator=by,
        action=Action.DISMISS_FLAG,
        target=target,
        target_user=target.author,
        summary=(target.title if isinstance(target, Resource) else target.body)[:300],
        reason=reason,
    )
    return count
