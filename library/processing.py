"""After an upload: scan (when a scanner is configured), extract text, render a preview, index, announce.

`version_process` is what the Celery task runs. It is safe to run twice: each step records that it is done
(`scanned_at`, `processed_at`, `published_at`) and is skipped the next time.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from communities import moderation
from communities.models import ModerationAction

from . import scanning, storage
from .extraction import extract_text, render_preview
from .models import ResourceVersion
from .services import index_resource, publish_version

logger = logging.getLogger(__name__)
ScanState = ResourceVersion.ScanState


def _scan(version: ResourceVersion) -> bool:
    """Ask clamd; True when the version may go on. Infected files are deleted at once and the rows kept."""
    if not scanning.is_enabled():
        # The scanner was switched off while this version waited: treat it like any unscanned upload.
        ResourceVersion.objects.filter(pk=version.pk).update(scan_state=ScanState.NOT_SCANNED)
        version.scan_state = ScanState.NOT_SCANNED
        return True
    with storage.library_storage().open(version.storage_key, "rb") as stream:
        verdict = scanning.scan(stream)  # ScannerUnavailable: the task retries later, the version stays pending
    now = timezone.now()
    if verdict.clean:
        ResourceVersion.objects.filter(pk=version.pk).update(scan_state=ScanState.CLEAN, scanned_at=now)
        version.scan_state = ScanState.CLEAN
        return True
    resource = version.file.resource
    with transaction.atomic():
        ResourceVersion.objects.filter(pk=version.pk).update(
            scan_state=ScanState.INFECTED, scanned_at=now, scan_detail=verdict.signature[:200]
        )
        moderation.log(
            community=resource.community,
            moderator=None,
            action=ModerationAction.Action.HIDE,
            target=version,
            target_user=version.uploaded_by,
            summary=f"Virus scan refused “{version.name}” in “{resource.title}”: {verdict.signature}",
        )
    storage.delete(version.storage_key)  # recorded first, so a failure here leaves a refused row, never a served file
    logger.warning("Library version %s refused by the virus scan: %s", version.pk, verdict.signature)
    return False


def _extract(version: ResourceVersion) -> None:
    with storage.local_copy(version.storage_key) as path:
        extracted = extract_text(path, version.content_type, encoding=version.text_encoding)
        preview = render_preview(path, version.content_type)
    fields = {
        "extracted_text": extracted.text,
        "extracted_pages": extracted.pages,
        "extraction_note": extracted.note[:200],
        "processed_at": timezone.now(),
    }
    if preview is not None:
        old_key = version.preview_key
        fields["preview_key"] = storage.save(storage.new_key("p"), ContentFile(preview.png, name="preview.png"))
        fields["preview_width"], fields["preview_height"] = preview.width, preview.height
        if old_key:
            storage.delete(old_key)
    ResourceVersion.objects.filter(pk=version.pk).update(**fields)


def version_process(version_id: int) -> str:
    """Take one uploaded version as far as it can go; returns what happened, for logs and tests."""
    version = (
        ResourceVersion.objects.select_related("file__resource__community", "file__resource__theme")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return "gone"
    if version.scan_state == ScanState.INFECTED:
        return "infected"
    if version.scan_state == ScanState.PENDING and not _scan(version):
        return "infected"
    if version.processed_at is None:
        _extract(version)
    with transaction.atomic():
        if not publish_version(version):
            index_resource(version.file.resource)  # published earlier: the index still needs the new text
    return "done"


def stragglers(older_than, *, window_days: int = 3) -> list[int]:
    """Versions of the last few days whose processing never finished (the broker was down, a worker died, clamd
    was away), oldest first. Older ones have a problem a retry will not fix; the admin lists them."""
    return list(
        ResourceVersion.objects.filter(
            uploaded_at__lte=older_than,
            uploaded_at__gte=older_than - timedelta(days=window_days),
            processed_at__isnull=True,
        )
        .exclude(scan_state=ScanState.INFECTED)
        .order_by("uploaded_at")
        .values_list("pk", flat=True)[:200]
    )
