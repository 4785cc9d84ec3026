"""What the library offers the monthly newsletter: "New in the library", resources every member may open."""

from datetime import datetime

from communities.activity import excerpt
from communities.extensions import NewsletterSection
from communities.models import Community

from .models import Resource

ITEMS = 6


def new_in_library(community: Community, start: datetime, end: datetime) -> dict:
    """Resources added in the period, most useful first; hidden and members-only ones stay out (archives of a
    public community's newsletters are public)."""
    resources = (
        Resource.objects.listed_in(community, member=False)
        .filter(created_at__gte=start, created_at__lt=end)
        .select_related("community", "author")
        .most_useful()[:ITEMS]
    )
    items = [
        {
            "title": resource.title,
            "url": resource.get_absolute_url(),
            "summary": excerpt(resource.summary or resource.body_html, 30),
            "meta": f"{resource.get_kind_display()}, shared by {_name(resource.author)}",
        }
        for resource in resources
    ]
    return {"key": "library", "title": "New in the library", "items": items}


def _name(person) -> str:
    return person.display_name if person else "a former member"


SECTIONS = (NewsletterSection(key="library", build=new_in_library, order=75, article_choice=True),)
