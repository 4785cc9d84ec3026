"""What events offer the monthly newsletter: "Coming up", the next events after the issue goes out."""

from datetime import datetime, timedelta

from communities.activity import excerpt
from communities.extensions import NewsletterSection
from communities.models import Community

from .models import Event

ITEMS = 5
AHEAD = timedelta(days=62)


def coming_up(community: Community, start: datetime, end: datetime) -> dict:
    """Events starting in the two months after the period, not cancelled, soonest first (never a joining link)."""
    events = (
        Event.objects.filter(community=community, is_cancelled=False, starts_at__gt=end, starts_at__lte=end + AHEAD)
        .select_related("community")
        .order_by("starts_at")[:ITEMS]
    )
    items = []
    for event in events:
        where = event.venue if event.format == Event.Format.IN_PERSON else event.get_format_display().lower()
        places = "" if event.capacity is None else f" · {event.places_left} of {event.capacity} places left"
        items.append(
            {
                "title": event.title,
                "url": event.get_absolute_url(),
                "summary": excerpt(event.description_html, 30),
                "meta": f"{event.local_start:%a %-d %b, %H:%M} {event.local_start.tzname()} · {where}{places}",
            }
        )
    return {"key": "coming_up", "title": "Coming up", "items": items}


SECTIONS = (NewsletterSection(key="coming_up", build=coming_up, order=25),)
