"""Events in calendars: one `.ics` per event and the community feed's items (never the online joining link)."""

from communities import calendars
from communities.extensions import CalendarItem
from cop_platform.markup import html_to_text

from .models import Event


def _location(event: Event) -> str:
    place = ", ".join(p for p in [event.venue, " ".join(event.address.split())] if p)
    if event.format == Event.Format.ONLINE:
        return "Online (the joining link is on the event page for those with a place)"
    if event.format == Event.Format.HYBRID:
        return f"{place} and online" if place else "Online and in person"
    return place


def item(event: Event) -> CalendarItem:
    return CalendarItem(
        uid=f"event-{event.pk}",
        title=f"{'Cancelled: ' if event.is_cancelled else ''}{event.title}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        url=event.get_absolute_url(),
        description=html_to_text(event.description_html),
        sequence=event.sequence,
        location=_location(event),
        cancelled=event.is_cancelled,
    )


def calendar_items(community, since) -> list[CalendarItem]:
    """The community's events not over before `since`, cancelled ones included (calendars must drop them)."""
    events = Event.objects.filter(community=community, ends_at__gte=since).select_related("community")
    return [item(event) for event in events]


def event_ics(event: Event) -> bytes:
    return calendars.calendar(event.title, [item(event)], event.community, method="PUBLISH")
