"""The Today page: what needs a facilitator now, each with its action, in a fixed number of queries.

Unanswered questions come from the rolled-up topics plus today's live replies; their titles and links from the
search index (kept by each content app, hidden content left out), so no content app is named here. Each comes with
the member the knowledge map would suggest to answer it (one query for every row), and with the actions other apps
offer in the "facilitation.topic" slot (conversations: "Invite someone to answer").
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from communities.extensions import CommunityTab, Rung, calendar_items, event_type, registered
from communities.models import ActivityEvent, Membership, SearchDocument

from .figures import today_so_far
from .knowledge import Person
from .models import Evidence, Topic
from .rollups import day_bounds

UNANSWERED_AFTER = timedelta(hours=24)
LIST_LIMIT = 10


@dataclass
class Unanswered:
    """One row of the list, and the object of the "facilitation.topic" action slot: `key` names the topic
    ("forums.thread:12"), `community` its community, `suggested` the member to invite (a knowledge-map Person with
    `user_id`, `name`, `summary`) or None when nobody has shown evidence for its tags."""

    key: str
    title: str
    url: str
    asked_at: object
    starter: object
    starter_id: int | None
    first_question: bool  # a newcomer's first question: raised to the top
    community: object = None
    tags: tuple = ()
    suggested: Person | None = None

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


def suggestions(community, viewer, rows: list[Unanswered]) -> None:
    """Set each row's `suggested`: the active member with the most evidence (knowledge-map weights) over the
    question's tags, never its asker nor the viewer; one query for every row."""
    tags = {tag for row in rows for tag in row.tags}
    if not tags:
        return
    evidence: dict[str, list[dict]] = {}
    for item in (
        Evidence.objects.filter(
            community=community,
            tag__in=tags,
            user__is_active=True,
            user__memberships__community=community,
            user__memberships__status=Membership.Status.ACTIVE,
        )
        .exclude(user_id=viewer.pk)
        .values("tag", "user_id", "user__first_name", "user__last_name", "user__email")
        .annotate(accepted=Sum("accepted"), helpful=Sum("helpful"), hosted=Sum("hosted"), library=Sum("library"))
    ):
        evidence.setdefault(item["tag"], []).append(item)
    for row in rows:
        people: dict[int, Person] = {}
        for tag in row.tags:
            for item in evidence.get(tag, ()):
                if item["user_id"] == row.starter_id:
                    continue
                person = people.setdefault(
                    item["user_id"],
                    Person(
                        user_id=item["user_id"],
                        name=f"{item['user__first_name']} {item['user__last_name']}".strip()
                        or (item["user__email"] or "").split("@", 1)[0],
                    ),
                )
                for kind in ("accepted", "helpful", "hosted", "library"):
                    setattr(person, kind, getattr(person, kind) + (item[kind] or 0))
        ranked = sorted((p for p in people.values() if p.score > 0), key=lambda p: (-p.score, p.name, p.user_id))
        row.suggested = ranked[0] if ranked else None


def _queues(community) -> tuple[list, list]:
    """The oldest join requests (by request) and members awaiting a welcome (by joining), up to one more than the
    page lists of each, in one query: a row number per queue keeps either from crowding out the other."""
    pending = Q(status=Membership.Status.PENDING)
    rows = (
        (
            Membership.objects.filter(community=community, status=Membership.Status.PENDING)
            | Membership.objects.filter(community=community).awaiting_welcome()
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[Case(When(pending, then=Value(0)), default=Value(1))],
                order_by=[Case(When(pending, then=F("created_at")), default=F("joined_at")).asc(), F("pk").asc()],
            )
        )
        .filter(place__lte=LIST_LIMIT + 1)
        .select_related("user")
        .order_by("place")
    )
    requests, to_welcome = [], []
    for membership in rows:
        (requests if membership.status == Membership.Status.PENDING else to_welcome).append(membership)
    return requests, to_welcome


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
            starter_id=t.starter_id,
            first_question=t.by_newcomer and t.first_of_starter,
            community=community,
            tags=tuple(str(tag) for tag in t.tags or ()),
        )
        for t in topics
        if t.key in documents
    ]
    unanswered.sort(key=lambda q: (not q.first_question, q.asked_at))
    unanswered = unanswered[: LIST_LIMIT + 1]
    suggestions(community, viewer, unanswered[:LIST_LIMIT])

    waiting = []
    for tab in registered(CommunityTab):
        if tab.count is not None and community.waiting.get(tab.key):
            try:
                waiting.append((tab.label, reverse(tab.url_name, args=[community.slug]), community.waiting[tab.key]))
            except NoReverseMatch:
                continue

    requests, to_welcome = _queues(community)
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
