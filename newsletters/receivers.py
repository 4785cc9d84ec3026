"""The newsletters app listens to activity: alerts are queued after the event's transaction commits."""

import logging

from django.db import transaction
from django.dispatch import receiver

from communities.activity import activity_recorded

logger = logging.getLogger(__name__)


def queue_alerts(event_id: int) -> None:
    """Hand the event to a worker. If the broker is down the post still stands: the outbox sweep picks it up."""
    from .tasks import dispatch_alerts

    try:
        dispatch_alerts.apply_async((event_id,), retry=False)
    except Exception:
        logger.warning("Could not queue alerts for event %s; the outbox sweep will send them", event_id, exc_info=True)


@receiver(activity_recorded, dispatch_uid="newsletters.queue_alerts")
def on_activity(sender, event, **kwargs):
    transaction.on_commit(lambda: queue_alerts(event.pk))
