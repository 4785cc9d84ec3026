"""What polls and surveys offer the monthly newsletter: "Have your say", the open polls and surveys."""

from datetime import datetime

from django.db.models import Q

from communities.activity import excerpt
from communities.extensions import NewsletterSection
from communities.models import Community

from .models import Poll, Survey

ITEMS = 5


def _closes(obj) -> str:
    return f"closes {obj.closes_at:%-d %b}" if obj.closes_at else "open now"


def have_your_say(community: Community, start: datetime, end: datetime) -> dict:
    """Polls on the Polls page and published surveys still open when the newsletter goes out, soonest to close
    first (a survey for some segments says so: every member may read it, only those members answer)."""
    still_open = Q(closed_at__isnull=True) & (Q(closes_at__isnull=True) | Q(closes_at__gt=end))
    polls = (
        Poll.objects.standalone()
        .filter(still_open, community=community, opens_at__lte=end)
        .select_related("community")
        .order_by("closes_at", "-opens_at")[:ITEMS]
    )
    surveys = (
        Survey.objects.filter(still_open, community=community, opens_at__lte=end, published_at__isnull=False)
        .select_related("community")
        .prefetch_related("segments")
        .order_by("closes_at", "-opens_at")[:ITEMS]
    )
    items = []
    for survey in surveys:
        segments = ", ".join(s.name for s in survey.segments.all())
        items.append(
            {
                "title": survey.title,
                "url": survey.get_absolute_url(),
                "summary": excerpt(survey.description_html, 30),
                "meta": f"survey{f' for {segments}' if segments else ''} · {_closes(survey)}",
            }
        )
    for poll in polls:
        voters = f"{poll.voter_count} voter{'s' if poll.voter_count != 1 else ''}"
        items.append(
            {
                "title": poll.question,
                "url": poll.get_absolute_url(),
                "summary": excerpt(poll.description_html, 30),
                "meta": f"poll · {voters} so far · {_closes(poll)}",
            }
        )
    return {"key": "have_your_say", "title": "Have your say", "items": items[: ITEMS * 2]}


SECTIONS = (NewsletterSection(key="have_your_say", build=have_your_say, order=35),)
