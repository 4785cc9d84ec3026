"""Celery tasks: thin wrappers that pass ids, are safe to run twice, and have time limits."""

import logging
import time

from celery import shared_task
from django.utils import timezone

from communities.models import Community

from . import alerts, sending, services
from .models import Newsletter

logger = logging.getLogger(__name__)
BATCH_SIZE = 100
BATCHES_PER_TASK = 20
# Well inside the 240 s soft limit, so a task never stops in the middle of a batch (leaving rows to the reaper).
HAND_OVER_AFTER_SECONDS = 120


@shared_task(
    name="newsletters.tasks.send_newsletter_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(sending.TransientMailError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=10,
    soft_time_limit=240,
    time_limit=300,
    ignore_result=True,
)
def send_newsletter_batch(newsletter_id: int) -> int:
    """Claim and send batches of this newsletter until none is left (or this task has done its share)."""
    sent = 0
    started = time.monotonic()
    for _ in range(BATCHES_PER_TASK):
        ids = sending.claim_batch(newsletter_id, BATCH_SIZE)
        if not ids:
            sending.finish_if_done(newsletter_id)
            return sent
        sent += sending.send_claimed(ids).sent
        if time.monotonic() - started > HAND_OVER_AFTER_SECONDS:
            break  # a slow relay must not run into the time limit mid-batch
    send_newsletter_batch.delay(newsletter_id)  # more to do: hand over to a fresh task
    return sent


@shared_task(name="newsletters.tasks.reap_stuck_deliveries", ignore_result=True, time_limit=120)
def reap_stuck_deliveries() -> int:
    """Periodic: put rows of dead senders back in the queue and make sure every unfinished issue has a sender."""
    requeued, _ = sending.reap()
    for newsletter_id in Newsletter.objects.filter(status=Newsletter.Status.SENDING).values_list("pk", flat=True):
        if not sending.finish_if_done(newsletter_id):
            send_newsletter_batch.delay(newsletter_id)
    return requeued


@shared_task(name="newsletters.tasks.dispatch_scheduled", ignore_result=True, time_limit=120)
def dispatch_scheduled() -> int:
    """Periodic: start sending scheduled issues whose time has come."""
    due = Newsletter.objects.filter(status=Newsletter.Status.SCHEDULED, scheduled_for__lte=timezone.now())
    started = 0
    for newsletter_id in due.values_list("pk", flat=True):
        services.newsletter_start_sending(newsletter_id=newsletter_id)
        started += 1
    return started


@shared_task(name="newsletters.tasks.prepare_due_newsletters", ignore_result=True, time_limit=600)
def prepare_due_newsletters() -> int:
    """Daily: prepare this month's draft for every community whose newsletter day has come."""
    today = timezone.localdate()
    prepared = 0
    communities = (
        Community.objects.exclude(stage=Community.Stage.ARCHIVED)
        .filter(newsletter_day__lte=today.day)
        .exclude(
            pk__in=Newsletter.objects.filter(
                period=services.month_start(today), edition=Newsletter.Edition.MONTHLY
            ).values("community_id")
        )
    )
    for community in communities:
        _, created = services.newsletter_prepare(community=community, today=today)
        prepared += created
    return prepared


@shared_task(
    name="newsletters.tasks.dispatch_alerts",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_jitter=True,
    max_retries=5,
    time_limit=120,
    ignore_result=True,
)
def dispatch_alerts(event_id: int) -> int:
    """Alerts for one activity event (idempotent)."""
    return alerts.dispatch(event_id)


@shared_task(name="newsletters.tasks.sweep_outbox", ignore_result=True, time_limit=300)
def sweep_outbox() -> int:
    """Periodic: alert on events whose own task never ran (e.g. Redis was down when they happened)."""
    count = 0
    for event_id in alerts.outbox_events():
        try:
            alerts.dispatch(event_id)
            count += 1
        except Exception:
            logger.exception("Alerts for event %s failed; the next sweep tries again", event_id)
    return count


@shared_task(name="newsletters.tasks.send_daily_digests", ignore_result=True, time_limit=1800)
def send_daily_digests() -> int:
    return alerts.send_daily_digests()
