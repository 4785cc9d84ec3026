"""Celery tasks: thin wrappers that pass ids, are safe to run twice, and have time limits."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import processing
from .scanning import ScannerUnavailable

STRAGGLER_AFTER = timedelta(minutes=10)


@shared_task(
    name="library.tasks.process_version",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=12,
    soft_time_limit=240,
    time_limit=300,
    ignore_result=True,
)
def process_version(self, version_id: int) -> str:
    """Scan, extract and index one uploaded version; retries with back-off while clamd cannot be reached."""
    try:
        return processing.version_process(version_id)
    except ScannerUnavailable as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task(name="library.tasks.process_stragglers", ignore_result=True, time_limit=120)
def process_stragglers() -> int:
    """Periodic: queue again the versions whose processing never ran or never finished."""
    ids = processing.stragglers(timezone.now() - STRAGGLER_AFTER)
    for version_id in ids:
        process_version.delay(version_id)
    return len(ids)
