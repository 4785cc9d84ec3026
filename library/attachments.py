"""Library files attached to other apps' objects (forum posts, hot-seat answers), plugged in through the registry.

Each attached file is filed in the library as a document linked back to its post; the post shows its name, type
and size. The host (forums, hot seats) never names the library: it asks `attachments_for` and `save_attachments`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat

from communities.extensions import AttachmentKind
from communities.models import Community

from . import permissions, services
from .inspection import UploadRefused, inspect_upload
from .models import Attachment

FIELD = "library_files"
MAX_FILES = 5
# What the library calls each host object it links back to.
TARGETS = {"forums.post": "a forum post", "hotseats.answer": "a hot-seat answer", "events.event": "an event"}


def load(objects, viewer) -> dict[int, list[Attachment]]:
    """The attachments of a page of objects, in one query; ones the viewer may not open are left out."""
    meta = type(objects[0])._meta
    found: dict[int, list[Attachment]] = {}
    # Most pages have no attachments, so a bare probe of keys comes first: compiling the select_related below
    # costs more than running it, and an empty page should not pay for it. Joined by app label and model name
    # rather than a content type id: no extra lookup on a cold cache. No ORDER BY in SQL: Python sorts the few rows.
    keys = list(
        Attachment.objects.filter(
            target_type__app_label=meta.app_label,
            target_type__model=meta.model_name,
            target_id__in=[o.pk for o in objects],
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    if not keys:
        return found
    rows = Attachment.objects.filter(pk__in=keys).select_related("resource__community", "file__current_version")
    for attachment in sorted(rows.order_by(), key=lambda a: (a.created_at, a.pk)):
        if permissions.can_read_resource(viewer, attachment.resource):
            found.setdefault(attachment.target_id, []).append(attachment)
    return found


def _saver(label: str):
    def save(obj, request) -> None:
        """File each uploaded attachment in the library; any refusal undoes the host's post (same transaction)."""
        if getattr(request, "library_refused_uploads", None):
            raise ValidationError(
                f"An attached file is larger than {filesizeformat(settings.LIBRARY_MAX_UPLOAD_BYTES)}, "
                "the most the library takes."
            )
        uploads = request.FILES.getlist(FIELD)
        if not uploads:
            return
        if len(uploads) > MAX_FILES:
            raise ValidationError(f"Attach at most {MAX_FILES} files at once.")
        community = get_object_or_404(Community, slug=request.resolver_match.kwargs["slug"])
        for upload in uploads:
            try:
                inspected = inspect_upload(upload)
            except UploadRefused as exc:
                raise ValidationError(f"“{upload.name[:100]}” was not attached: {exc}") from exc
            try:
                services.attachment_add(
                    target=obj,
                    community=community,
                    by=request.user,
                    inspected=inspected,
                    source_url=obj.get_absolute_url(),
                    source_title=label,
                )
            except services.LibraryError as exc:
                raise ValidationError(str(exc)) from exc

    return save


KINDS = tuple(
    AttachmentKind(
        key=f"library.files:{target}",
        target=target,
        load=load,
        template="library/_attachments.html",
        form_template="library/_attachment_field.html",
        save=_saver(label),
    )
    for target, label in TARGETS.items()
)
