"""The Today page: what needs a facilitator now, each with its action, in a fixed number of queries.

Unanswered questions come from the rolled-up topics plus today's live replies; their titles and links from the
search index (kept by each content app, hidden content left out), so no content app is named here.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from communities.extensions import CommunityTab, Rung, calendar_items, event_type, registered
from communities.models import ActivityEvent, Membership, SearchDocument

from .figures import today_so_far
from .models import Topic
from .rollups import day_bounds

UNANSWERED_AFTER = timedelta(hours=24)
LIST_LIMIT = 10


@dataclass
class Unanswered:
    key: str
    title: str
    url: str
    asked_at: object
    starter: object
    first_question: bool  # a newcomer's first question: raised to the top

    @property
    def waiting(self):
        return timezone.now() - self.asked_at


def _split(key: str) -> tuple[str, str, int] | None:
    try:
        kind, pk = key.split(":", 1)
        app_label, model = kind.split(".", 1)
        return app_label, model, int(pk)
    except ValueError:
        return None


def today(community, viewer) -> dict:
    now = timezone.now()
    start, end = day_bounds(timezone.localdate())
    events = list(
        ActivityEvent.objects.filter(community=community, created_at__gte=start, created_at__lt=end).values_list(
            "actor_id", "verb", "data"
        )
    )
    live = today_so_far(community, events)

    topics = list(
        Topic.objects.filter(
            community=community, is_question=True, first_reply_at__isnull=True, started_at__lte=now - UNANSWERED_AFTER
        )
        .select_related("starter")
        .order_by("started_at")[:200]
    )
    replied_today = {
        (data or {}).get("topic")
        for actor, verb, data in events
        if (kind := event_type(verb)) is not None and kind.rung is not None and kind.rung >= Rung.ANSWER
    }
    topics = [t for t in topics if t.key not in replied_today]
    refs = {t.key: _split(t.key) for t in topics}
    documents = {}
    wanted = {}
    for key, ref in refs.items():
        if ref is None:
            continue
        try:
            content_type = ContentType.objects.get_by_natural_key(ref[0], ref[1])  # cached per process
        except ContentType.DoesNotExist:
            continue
        wanted[(content_type.pk, ref[2])] = key
    if wanted:
        ids = {pk for _, pk in wanted}
        for doc in (
            SearchDocument.objects.visible_to(viewer)
            .filter(community=community, target_id__in=ids)
            .only("target_type_id", "target_id", "title", "url")
        ):
            if (key := wanted.get((doc.target_type_id, doc.target_id))) is not None:
                documents[key] = doc
    unanswered = [
        Unanswered(
            key=t.key,
            title=documents[t.key].title,
            url=documents[t.key].url,
            asked_at=t.started_at,
            starter=t.starter,
            first_question=t.by_newcomer and t.first_of_starter,
        )
        for t in topics
        if t.key in documents
    ]
    unanswered.sort(key=lambda q: (not q.first_question, q.asked_at))

    waiting = []
    for tab in registered(CommunityTab):
        if tab.count is not None and community.waiting.get(tab.key):
            try:
                waiting.append((tab.label, reverse(tab.url_name, args=[community.slug]), community.waiting[tab.key]))
            except NoReverseMatch:
                continue

    requests = list(
        Membership.objects.filter(community=community, status=Membership.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")[: LIST_LIMIT + 1]
    )
    to_welcome = list(
        Membership.objects.filter(community=community).awaiting_welcome().select_related("user")[: LIST_LIMIT + 1]
    )
    week_end = now + timedelta(days=7)
    coming = [item for item in calendar_items(community, now - timedelta(hours=12)) if item.starts_at < week_end]
    return {
        "live": live,
        "unanswered": unanswered[:LIST_LIMIT],
        "unanswered_more": len(unanswered) > LIST_LIMIT,
        "waiting": waiting,
        "requests": requests[:LIST_LIMIT],
        "requests_more": len(requests) > LIST_LIMIT,
        "to_welcome": to_welcome[:LIST_LIMIT],
        "to_welcome_more": len(to_welcome) > LIST_LIMIT,
        "coming": coming,
    }
