"""The one event lower layers use to tell upper layers what happened, and the core's own event and alert types.

`record()` writes an ActivityEvent and sends `activity_recorded`. Listeners (alerts, search, analytics) that do
slow work must defer it with `transaction.on_commit`, because `record()` runs inside the caller's transaction.
Every verb must have an `EventType` registered (see communities/extensions.py): a typo fails at once.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import Signal
from django.urls import reverse
from django.utils.text import Truncator

from cop_platform.markup import html_to_text

from .extensions import AlertType, EventType, FeedLink, Frequency, Notice, event_type
from .models import ActivityEvent, Community, Membership
from .permissions import can_manage_members

activity_recorded = Signal()  # sends: event

Verb = ActivityEvent.Verb


def record(*, community: Community | None, actor, verb: str, target=None, **data) -> ActivityEvent:
    """Store that `actor` did `verb` (to `target`) in `community`, and tell every listener."""
    if event_type(verb) is None:
        raise ValueError(f"No EventType is registered for the verb {verb!r}")
    event = ActivityEvent.objects.create(
        community=community,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        data=data,
    )
    activity_recorded.send(sender=ActivityEvent, event=event)
    return event


def excerpt(html: str, words: int = 40) -> str:
    """Plain text from stored HTML, cut at a word boundary, for alert excerpts and newsletter summaries."""
    return Truncator(" ".join(html_to_text(html).split())).words(words)


def member_ids(community_id: int) -> list[int]:
    """Everyone active in the community: the recipients of community-wide notices."""
    return list(Membership.objects.active().filter(community_id=community_id).values_list("user_id", flat=True))


def manager_ids(community_id: int) -> list[int]:
    """The community's active facilitators and owners: the recipients of moderation notices."""
    return list(
        Membership.objects.active().staff_roles().filter(community_id=community_id).values_list("user_id", flat=True)
    )


# --- Alert types any app may use ----------------------------------------------------------------------------------

FOLLOWED = "followed"
REPLIES = "replies"
MENTIONS = "mentions"
ANNOUNCEMENTS = "announcements"
MODERATION = "moderation"

ALERT_TYPES = (
    AlertType(key=FOLLOWED, label="New replies in what I follow (threads, categories)", order=10),
    AlertType(
        key=REPLIES,
        label="Replies to what I wrote, and answers to my questions",
        default=Frequency.IMMEDIATE,
        order=20,
    ),
    AlertType(key=MENTIONS, label="When someone @mentions me", default=Frequency.IMMEDIATE, order=30),
    AlertType(key=ANNOUNCEMENTS, label="Announcements from the facilitators", default=Frequency.IMMEDIATE, order=50),
    AlertType(
        key=MODERATION,
        label="Moderation and requests: new flags, posts waiting for approval, join requests",
        default=Frequency.DAILY,
        order=90,
        audience="communities.manage_members",
    ),
)


# --- The core's event types -------------------------------------------------------------------------------------


def _join_request_notices(event) -> list[Notice]:
    """Facilitators hear about a request while it still waits for them."""
    membership = Membership.objects.select_related("user", "community").filter(pk=event.target_id).first()
    if membership is None or membership.status != Membership.Status.PENDING:
        return []
    community = membership.community

    def still_waiting(user) -> bool:
        status = Membership.objects.filter(pk=membership.pk).values_list("status", flat=True).first()
        return status == Membership.Status.PENDING and can_manage_members(user, community)

    return [
        Notice(
            alert_type=MODERATION,
            recipients=manager_ids(community.pk),
            title=f"{membership.user.display_name} asked to join {community.name}",
            url=reverse("communities:requests_queue", args=[community.slug]),
            excerpt=Truncator(" ".join(membership.request_message.split())).words(40),
            visible_to=still_waiting,
        )
    ]


EVENT_TYPES = (
    EventType(verb=Verb.JOINED, phrase="joined the community", in_feed=True),
    EventType(verb=Verb.WELCOMED, phrase="welcomed a newcomer", in_feed=True),
    EventType(verb=Verb.COMMUNITY_CREATED, phrase="started the community", in_feed=True),
    EventType(verb=Verb.REQUESTED, phrase=Verb.REQUESTED.label, notices=_join_request_notices),
    EventType(verb=Verb.APPROVED, phrase=Verb.APPROVED.label),
    EventType(verb=Verb.DECLINED, phrase=Verb.DECLINED.label),
    EventType(verb=Verb.INVITED, phrase=Verb.INVITED.label),
    EventType(verb=Verb.LEFT, phrase=Verb.LEFT.label),
    EventType(verb=Verb.BANNED, phrase=Verb.BANNED.label),
    EventType(verb=Verb.UNBANNED, phrase=Verb.UNBANNED.label),
    EventType(verb=Verb.ROLE_CHANGED, phrase=Verb.ROLE_CHANGED.label),
)


def feed_links_via(objects, *, title, url):
    """A `feed_links` loader for an EventType: `objects(viewer)` is a queryset of the targets the viewer may open
    (with what `title` and `url` read selected), fetched for a batch of events in one query."""

    def load(events, viewer) -> dict[int, FeedLink]:
        found = objects(viewer).in_bulk({e.target_id for e in events if e.target_id is not None})
        return {
            e.pk: FeedLink(title=title(found[e.target_id]), url=url(found[e.target_id]))
            for e in events
            if e.target_id in found
        }

    return load
