"""What events tell the rest of the platform happened: their verbs, and what each means (communities/extensions).

An announcement reaches the community's members; a place offered reaches the one member promoted from the
waitlist; reminders reach those holding a place and hold only until the event starts (a digest sent later says
nothing); notes reach everyone who registered. Notice texts never carry the online joining link.
"""

from django.db import models
from django.utils import timezone

from communities.activity import excerpt, member_ids
from communities.extensions import AlertType, EventType, Frequency, Notice, Rung

from . import permissions
from .models import Event, Registration

EVENTS = "events"

ALERT_TYPES = (
    AlertType(
        key=EVENTS, label="Events: new events, places, reminders and notes", default=Frequency.IMMEDIATE, order=46
    ),
)


class Verb(models.TextChoices):
    EVENT_ANNOUNCED = "event_announced", "announced an event"
    EVENT_PLACE_OFFERED = "event_place_offered", "offered a place from the waitlist"
    EVENT_REMINDER = "event_reminder", "reminded attendees of an event"
    EVENT_NOTES_POSTED = "event_notes_posted", "posted the notes of an event"
    EVENT_REGISTERED = "event_registered", "registered for an event"


def _event(activity_event) -> Event | None:
    return Event.objects.select_related("community").filter(pk=activity_event.target_id).first()


def _when(event: Event) -> str:
    return f"{event.local_start:%a %-d %b %Y, %H:%M} ({event.time_zone.replace('_', ' ')})"


def _announced(activity_event) -> list[Notice]:
    event = _event(activity_event)
    if event is None or event.is_cancelled or event.is_past:
        return []
    return [
        Notice(
            alert_type=EVENTS,
            recipients=member_ids(event.community_id),
            title=f"New event: {event.title}, {_when(event)}",
            url=event.get_absolute_url(),
            excerpt=excerpt(event.description_html),
            visible_to=lambda user: permissions.can_view_event(user, event) and not event.is_past,
        )
    ]


def _going_ids(event: Event) -> list[int]:
    return list(event.registrations.filter(status=Registration.Status.GOING).values_list("user_id", flat=True))


def _reminder(activity_event) -> list[Notice]:
    event = _event(activity_event)
    if event is None or event.is_cancelled or event.starts_at <= timezone.now():
        return []
    lead = "tomorrow" if activity_event.data.get("lead") == "day" else "in an hour"

    def still_coming(user) -> bool:
        return (
            event.starts_at > timezone.now()
            and event.registrations.filter(user=user, status=Registration.Status.GOING).exists()
        )

    return [
        Notice(
            alert_type=EVENTS,
            recipients=_going_ids(event),
            title=f"Reminder: {event.title} starts {lead} ({_when(event)})",
            url=event.get_absolute_url(),
            visible_to=still_coming,
        )
    ]


def _notes_posted(activity_event) -> list[Notice]:
    event = _event(activity_event)
    if event is None:
        return []
    registered = event.registrations.exclude(status=Registration.Status.NOT_GOING).values_list("user_id", flat=True)
    return [
        Notice(
            alert_type=EVENTS,
            recipients=list(registered),
            title=f"Notes from {event.title}",
            url=event.get_absolute_url(),
            excerpt=excerpt(event.notes_html),
            visible_to=lambda user: permissions.can_view_event(user, event),
        )
    ]


EVENT_TYPES = (
    EventType(verb=Verb.EVENT_ANNOUNCED, phrase=Verb.EVENT_ANNOUNCED.label, notices=_announced, in_feed=True),
    # The member promoted from the waitlist is emailed by the service at once, whatever their alert preferences
    # (a place is time-critical); the event type carries no notice so nobody hears it twice.
    EventType(verb=Verb.EVENT_PLACE_OFFERED, phrase=Verb.EVENT_PLACE_OFFERED.label),
    EventType(verb=Verb.EVENT_REMINDER, phrase=Verb.EVENT_REMINDER.label, notices=_reminder),
    EventType(verb=Verb.EVENT_NOTES_POSTED, phrase=Verb.EVENT_NOTES_POSTED.label, notices=_notes_posted, in_feed=True),
    # Saying "I'm going" is a step beyond reading, short of voting.
    EventType(verb=Verb.EVENT_REGISTERED, phrase=Verb.EVENT_REGISTERED.label, rung=Rung.REACT),
)
