"""What the jobs board offers the monthly newsletter: "New jobs", postings published in the period and still
live when the newsletter goes out."""

from datetime import datetime

from communities.extensions import NewsletterSection
from communities.models import Community

from .activity import summary
from .models import Posting

ITEMS = 8


def new_jobs(community: Community, start: datetime, end: datetime) -> dict:
    """Live postings published in the period, newest first (hidden, pending and closed ones never appear)."""
    postings = (
        Posting.objects.live(end)
        .filter(community=community, published_at__gte=start, published_at__lt=end)
        .select_related("community")
        .order_by("-published_at", "-pk")[:ITEMS]
    )
    items = [
        {
            "title": f"{p.title} at {p.employer}",
            "url": p.get_absolute_url(),
            "summary": summary(p),
            "meta": f"closes {p.closes_on:%-d %b}",
        }
        for p in postings
    ]
    return {"key": "new_jobs", "title": "New jobs", "items": items}


SECTIONS = (NewsletterSection(key="new_jobs", build=new_jobs, order=70),)
