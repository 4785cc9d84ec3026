"""iCalendar output (RFC 5545 via the icalendar library) for the community calendar feed and single items.

The feed holds every app's `CalendarItem`s, gathered through the registry (`extensions.calendar_items`): hot
seats, events and whatever comes next. Times are written in UTC, UIDs are the item's stable uid at this site's
host, SEQUENCE follows the item and a cancelled item stays in the feed as STATUS:CANCELLED so calendars drop it.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from . import extensions
from .extensions import CalendarItem

FEED_HORIZON_DAYS = 90
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def text(value: str) -> str:
    """RFC 5545 TEXT may not carry control characters (strict calendar apps reject the file)."""
    return value.translate(_CONTROL)


def host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "cop-platform"


def vevent(item: CalendarItem, community) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{host()}")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", item.starts_at.astimezone(UTC))
    event.add("dtend", item.ends_at.astimezone(UTC))
    event.add("sequence", item.sequence)
    event.add("summary", text(item.title))
    event.add("description", text(f"{item.description}\n\n{settings.SITE_URL}{item.url}"))
    event.add("url", f"{settings.SITE_URL}{item.url}")
    event.add("location", text(item.location or f"{community.name} ({settings.PLATFORM_NAME})"))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def calendar(name: str, items, community, *, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PLATFORM_NAME}//Community calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", text(name))
    for item in items:
        cal.add_component(vevent(item, community))
    return cal.to_ical()


def feed_items(community, since: datetime | None = None) -> list[CalendarItem]:
    """The community's items from every registered source, from `FEED_HORIZON_DAYS` ago on."""
    since = since or timezone.now() - timedelta(days=FEED_HORIZON_DAYS)
    return extensions.calendar_items(community, since)


def feed_ics(community) -> bytes:
    return calendar(f"{community.name}: calendar", feed_items(community), community)


def response(body: bytes, filename: str) -> HttpResponse:
    result = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    result["Cache-Control"] = "private, max-age=300"
    return result
