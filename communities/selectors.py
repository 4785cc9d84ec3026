"""Reads that need joins, shaped so a page's query count does not grow with its data."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cop_platform.compiled import CompiledQuery

from .extensions import FeedLink, event_type, feed_verbs
from .models import ActivityEvent, Community, Invitation, Membership, Theme


def my_memberships(user):
    """The user's active memberships with the number of events since their last visit, in one query."""
    new_events = (
        ActivityEvent.objects.filter(
            community=OuterRef("community_id"), created_at__gt=OuterRef("last_visit_at"), verb__in=feed_verbs()
        )
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("community")
        .annotate(new_count=Coalesce(Subquery(new_events, output_field=IntegerField()), Value(0)))
        .order_by("community__name")
    )


def communities_to_join(user):
    """Communities the user can see but is not in, with their member counts."""
    qs = Community.objects.discoverable_by(user).exclude(stage=Community.Stage.ARCHIVED)
    if user.is_authenticated:
        mine = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("community_id")
        qs = qs.exclude(pk__in=mine)
    return with_member_counts(qs)


def with_member_counts(qs):
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
    ).order_by("name")


@dataclass
class FeedEntry:
    """One line of a community's recent activity: who did what, about what (a link), how many times."""

    actor: Any
    verb: str
    created_at: Any
    link: FeedLink | None = None
    count: int = 1

    @property
    def phrase(self) -> str:
        kind = event_type(self.verb)
        if kind is None:
            return self.verb.replace("_", " ")
        if self.link is None:
            return kind.phrase
        if self.count > 1 and kind.feed_phrase_many:
            return kind.feed_phrase_many.format(n=self.count)
        return kind.feed_phrase or kind.phrase


@CompiledQuery
def _feed_events(count, verbs, *, community_id: int):
    return (
        ActivityEvent.objects.filter(community_id=community_id, verb__in=verbs)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:count]
    )


def recent_activity(community: Community, limit: int = 12, *, viewer=None) -> list[FeedEntry]:
    """The latest member-facing events of a community (moderation stays out of the feed), each naming and linking
    what it is about when its app says how; one person's repeats about the same thing collapse into one line.

    Costs one query for the events plus one per verb shown that links its targets, however many events there are.
    """
    events = _feed_events(limit * 4, tuple(feed_verbs()), community_id=community.pk)
    by_verb: dict[str, list] = {}
    for event in events:
        by_verb.setdefault(event.verb, []).append(event)
    links: dict[int, FeedLink] = {}
    for verb, batch in by_verb.items():
        kind = event_type(verb)
        if kind is not None and kind.feed_links is not None:
            links.update(kind.feed_links(batch, viewer or AnonymousUser()))
    entries: list[FeedEntry] = []
    seen: dict[tuple, FeedEntry] = {}
    for event in events:
        link = links.get(event.pk)
        key = (event.actor_id, event.verb, link.url) if link is not None else None
        if key is not None and key in seen:
            seen[key].count += 1
            continue
        if len(entries) == limit:
            continue
        entry = FeedEntry(actor=event.actor, verb=event.verb, created_at=event.created_at, link=link)
        entries.append(entry)
        if key is not None:
            seen[key] = entry
    return entries


def community_leads(community: Community):
    """Facilitators and owners, for the community's sidebar."""
    return sidebar_people(community, newest=0)[0]


def newest_members(community: Community, limit: int = 8):
    return sidebar_people(community, newest=limit)[1]


@CompiledQuery
def _sidebar_rows(newest, *, community_id: int):
    active = Membership.objects.active().filter(community_id=community_id)
    wanted = Q(role__in=[Membership.Role.FACILITATOR, Membership.Role.OWNER])
    if newest:
        latest_first = (F("joined_at").desc(nulls_last=True), "-pk")
        wanted |= Q(pk__in=active.order_by(*latest_first).values("pk")[:newest])
    return active.filter(wanted).select_related("user__profile").order_by("role", "user__first_name", "pk")


@CompiledQuery
def _active_member_count(*, community_id: int):
    return (
        Membership.objects.active()
        .filter(community_id=community_id)
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def active_member_count(community: Community) -> int:
    """How many active members the community has."""
    return next(iter(_active_member_count(community_id=community.pk)), 0)


def sidebar_people(community: Community, *, newest: int = 8) -> tuple[list[Membership], list[Membership]]:
    """The sidebar's facilitators and owners (by role, then first name) and its `newest` latest joiners, in one
    query: the staff rows plus the newest few, split here. The newest few of the active members are all among the
    rows read, so the first `newest` of them by join date are the newest overall."""
    rows = _sidebar_rows(newest, community_id=community.pk)
    leads = [m for m in rows if m.role in (Membership.Role.FACILITATOR, Membership.Role.OWNER)]
    # The same order as `latest_first` (the join date unknown last), so these are the rows the subquery picked.
    latest = sorted(rows, key=lambda m: (m.joined_at is not None, m.joined_at, m.pk), reverse=True)[:newest]
    return leads, latest


def directory(community: Community, *, q: str = "", role: str = "", segment: int | None = None):
    """Active members matching a name, organisation or expertise search, filtered by role and segment."""
    qs = (
        Membership.objects.active()
        .filter(community=community)
        .select_related("user__profile")
        .prefetch_related("segments", Prefetch("user__profile__expertise"))
        .order_by("user__first_name", "user__last_name", "pk")
    )
    if q:
        terms = Q()
        for word in q.split()[:5]:
            terms &= (
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__profile__organisation__icontains=word)
                | Q(user__profile__job_title__icontains=word)
                | Q(user__profile__expertise__name__icontains=word)
            )
        qs = qs.filter(pk__in=Membership.objects.filter(terms).values("pk"))
    if role:
        qs = qs.filter(role=role)
    if segment:
        qs = qs.filter(segments=segment)
    return qs


def pending_requests(community: Community):
    return (
        Membership.objects.filter(community=community, status=Membership.Status.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "pk")
    )


def welcome_queue(community: Community):
    return (
        Membership.objects.awaiting_welcome()
        .filter(community=community)
        .select_related("user__profile")
        .prefetch_related("user__profile__expertise")
    )


def outstanding_invitations(community: Community):
    return Invitation.objects.outstanding().filter(community=community).select_related("invited_by")


@CompiledQuery
def _open_themes(*, community_id: int, today: date):
    return Theme.objects.filter(community_id=community_id, ends_on__gte=today).order_by("starts_on")[:5]


def current_and_next_theme(community: Community):
    """The theme running today and the next one to start, in one query."""
    today = timezone.localdate()
    themes = _open_themes(community_id=community.pk, today=today)
    current = next((t for t in themes if t.starts_on <= today), None)
    upcoming = next((t for t in themes if t.starts_on > today), None)
    return current, upcoming


def count_all(querysets: dict[str, object]) -> dict[str, int]:
    """Count the rows of several querysets in one query."""
    if not querysets:
        return {}
    parts, params = [], []
    db = next(iter(querysets.values())).db
    for index, queryset in enumerate(querysets.values()):
        sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{index})")
        params.extend(sql_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
