"""What hot seats offer the monthly newsletter."""

from datetime import datetime

from communities.activity import excerpt
from communities.extensions import NewsletterSection
from communities.models import Community

from .models import HotSeat


def hotseats(community: Community, start: datetime, end: datetime) -> dict:
    """The next three hot seats, and a catch-up on the last one to close."""
    upcoming = list(
        HotSeat.objects.filter(community=community, closes_at__gt=end)
        .select_related("community")
        .order_by("opens_at")[:3]
    )
    last = (
        HotSeat.objects.filter(community=community, closes_at__lte=end)
        .select_related("community")
        .order_by("-closes_at")
        .first()
    )
    items = [
        {
            "title": h.title,
            "url": h.get_absolute_url(),
            "summary": excerpt(h.topic_html, 30),
            "meta": f"{h.opens_at:%-d %b} – {h.closes_at:%-d %b}",
        }
        for h in upcoming
    ]
    if last is not None:
        items.append(
            {
                "title": f"Catch up: {last.title}",
                "url": last.get_absolute_url(),
                "summary": excerpt(last.summary_html or last.topic_html, 50),
                "meta": "summary",
            }
        )
    return {"key": "hotseats", "title": "Hot seats", "items": items}


SECTIONS = (NewsletterSection(key="hotseats", build=hotseats, order=70),)
