"""Reads for event pages: what a viewer sees, in a fixed number of queries whatever the number of attendees."""

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from communities.permissions import can_view_community
from cop_platform.compiled import CompiledQuery

from .models import Event, Registration, Speaker


def event_page_queryset():
    speakers = Prefetch("speakers", queryset=Speaker.objects.select_related("user__profile"))
    return Event.objects.select_related("community", "theme", "series").prefetch_related(speakers)


def with_my_registrations(events, user) -> list[Event]:
    """Set `my_registration` on each event, one query for the whole list."""
    events = list(events)
    mine = {}
    if user.is_authenticated and events:
        mine = {r.event_id: r for r in Registration.objects.filter(user=user, event__in=[e.pk for e in events])}
    for event in events:
        event.my_registration = mine.get(event.pk)
    return events


def attendees(event: Event, *, statuses=(Registration.Status.GOING, Registration.Status.WAITING)):
    """The attendee list: going first (in the order they answered), then the waitlist in order."""
    return (
        Registration.objects.filter(event=event, status__in=statuses)
        .select_related("user__profile")
        .order_by("status", "waitlist_position", "created_at", "pk")
    )


def going_preview(event: Event, limit: int = 12) -> list[Registration]:
    """A few of those going, for the event page (the page's query count does not grow with the list)."""
    return list(
        Registration.objects.filter(event=event, status=Registration.Status.GOING)
        .select_related("user__profile")
        .order_by("created_at", "pk")[:limit]
    )


@CompiledQuery
def _next_events(*, community_id: int, now: datetime):
    return (
        Event.objects.upcoming(now=now)
        .filter(community_id=community_id, is_cancelled=False)
        .select_related("community")[:1]
    )


def next_event(community, user):
    """The community's next event that is not cancelled (for the community home), or None."""
    return next(iter(_next_events(community_id=community.pk, now=timezone.now())), None)


def next_event_block(community, user) -> dict | None:
    """The community home's "next event" block (a PageBlock in the "communities.community_home" slot)."""
    if not can_view_community(user, community):
        return None
    event = next_event(community, user)
    return {"event": event} if event is not None else None


def event_content(viewer, pk: int):
    """An event's description and notes as the viewer may read them (for a follow-up discussion)."""
    from communities.extensions import Content, ContentPart

    from .permissions import can_view_event

    event = Event.objects.select_related("community", "created_by").filter(pk=pk).first()
    if event is None or not can_view_event(viewer, event):
        return None
    author = event.created_by.display_name if event.created_by else ""
    parts = [ContentPart(key="description", label="The event", author=author, body=event.description, obj=event)]
    if event.notes:
        parts.append(ContentPart(key="notes", label="The notes", author=author, body=event.notes, obj=event))
    return Content(
        title=event.title,
        url=event.get_absolute_url(),
        community_id=event.community_id,
        author_id=event.created_by_id,
        obj=event,
        tags=tuple(event.tag_list),
        parts=tuple(parts[-1:]),
    )


def event_followed_up(event, url: str, by) -> None:
    from .services import follow_up_set

    follow_up_set(event=event, url=url)
