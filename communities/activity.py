"""The one event lower layers use to tell upper layers what happened.

`record()` writes an ActivityEvent and sends `activity_recorded`. Listeners (alerts, search, analytics) that do
slow work must defer it with `transaction.on_commit`, because `record()` runs inside the caller's transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import Signal

from .models import ActivityEvent, Community

activity_recorded = Signal()  # sends: event


def record(*, community: Community | None, actor, verb: str, target=None, **data) -> ActivityEvent:
    """Store that `actor` did `verb` (to `target`) in `community`, and tell every listener."""
    event = ActivityEvent.objects.create(
        community=community,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        data=data,
    )
    activity_recorded.send(sender=ActivityEvent, event=event)
    return event
