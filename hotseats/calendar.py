"""iCalendar output for hot seats (RFC 5545 via the icalendar library): times in UTC, stable UIDs."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from communities.extensions import CalendarItem

from .models import HotSeat

_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(value: str) -> str:
    """RFC 5545 TEXT may not carry control characters (strict calendar apps reject the file)."""
    return value.translate(_CONTROL)


def _uid(hotseat: HotSeat) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "cop-platform"
    return f"hotseat-{hotseat.pk}@{host}"


def _event(hotseat: HotSeat) -> Event:
    event = Event()
    event.add("uid", _uid(hotseat))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", hotseat.opens_at.astimezone(UTC))
    event.add("dtend", hotseat.closes_at.astimezone(UTC))
    event.add("sequence", hotseat.sequence)
    event.add("summary", _text(f"Hot seat: {hotseat.title}"))
    event.add("description", _text(f"{hotseat.topic}\n\n{settings.SITE_URL}{hotseat.get_absolute_url()}"))
    event.add("url", f"{settings.SITE_URL}{hotseat.get_absolute_url()}")
    event.add("location", _text(f"{hotseat.community.name} ({settings.PLATFORM_NAME})"))
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PLATFORM_NAME}//Hot seats//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _text(name))
    return calendar


def hotseat_ics(hotseat: HotSeat) -> bytes:
    calendar = _calendar(hotseat.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(hotseat))
    return calendar.to_ical()


def calendar_items(community, since) -> list[CalendarItem]:
    """The community's hot seats still running or closed since `since`, as calendar items."""
    return [
        CalendarItem(
            uid=f"hotseat-{h.pk}",
            title=f"Hot seat: {h.title}",
            starts_at=h.opens_at,
            ends_at=h.closes_at,
            url=h.get_absolute_url(),
            description=h.topic,
            sequence=h.sequence,
        )
        for h in HotSeat.objects.filter(community=community, closes_at__gte=since).select_related("community")
    ]
