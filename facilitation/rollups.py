"""Turning a day of events into roll-up rows, and keeping them current.

`compute_day()` reads one day's events and visits and returns what that day adds up to, without writing;
`store_day()` replaces the day's rows with it, in one transaction, so running it again changes nothing.
`rollup_community()` rolls every day from the last one stored (recomputed, for late writes) to yesterday: a
task that was down for a week catches up on its next run. Today is never stored: pages add today's live counts.

Everything is read through the event contract: an event's rung comes from its registered `EventType`, and the
shared data keys (`topic`, `question`, `tags`, `category`, `credit`, `credit_to`) say what it started or
answered. No other app's models are named here.
"""

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from communities.extensions import Milestone, Rung, calendar_items, event_type, registered
from communities.models import ActivityEvent, Community, CommunityVisit, Membership

from .models import (
    CommunityDay,
    CommunitySpan,
    Evidence,
    LabelDay,
    Marker,
    MemberDay,
    ReplyHours,
    TagExpert,
    TagTotal,
    Topic,
)

NEWCOMER_DAYS = 30
MAX_CATCH_UP_DAYS = 400
PERIODS = (7, 30, 90, 365)  # the Health page's choices, in days ending yesterday
EXPERTS_PER_TAG = 10  # the knowledge map's people per tag (TagExpert rows kept per tag)
EVIDENCE_KINDS = ("accepted", "helpful", "hosted", "library")
EVIDENCE_WEIGHTS = {"accepted": 3, "hosted": 3, "library": 2, "helpful": 1}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def rung_of(verb: str) -> int | None:
    kind = event_type(verb)
    return int(kind.rung) if kind is not None and kind.rung is not None else None


@dataclass
class DayResult:
    community_id: int
    day: date
    stats: dict = field(default_factory=dict)
    member_rungs: dict[int, int] = field(default_factory=dict)
    reactions: Counter = field(default_factory=Counter)  # user -> reactions given
    new_topics: dict[str, dict] = field(default_factory=dict)
    first_replies: dict[str, datetime] = field(default_factory=dict)
    labels: Counter = field(default_factory=Counter)  # (kind, name) -> posts
    evidence: dict = field(default_factory=lambda: defaultdict(Counter))  # (user, tag) -> {kind: n}
    reply_days: set = field(default_factory=set)  # days whose questions got (earlier) first replies


def compute_day(community: Community, day: date, known: dict[str, dict] | None = None) -> DayResult:
    """What one day adds up to. `known` maps topic keys to earlier topics (loaded from Topic rows when None)."""
    start, end = day_bounds(day)
    result = DayResult(community_id=community.pk, day=day)
    events = list(
        ActivityEvent.objects.filter(community=community, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "pk")
        .values_list("actor_id", "verb", "data", "created_at")
    )
    visitors = set(CommunityVisit.objects.filter(community=community, day=day).values_list("user_id", flat=True))
    if known is None:
        keys = {(data or {}).get("topic") for _, _, data, _ in events} - {None}
        known = {
            t["key"]: t
            for t in Topic.objects.filter(community=community, key__in=keys).values(
                "key", "starter_id", "started_at", "is_question", "tags", "category", "first_reply_at"
            )
        }
    topics = dict(known)

    rungs = dict.fromkeys(visitors, int(Rung.READ))
    posts = questions = answers = 0
    starters: dict[str, tuple[int, datetime]] = {}
    for actor, verb, data, at in events:
        data = data or {}
        rung = rung_of(verb)
        if actor is not None and rung is not None:
            rungs[actor] = max(rungs.get(actor, 0), rung)
            if rung == Rung.REACT:
                result.reactions[actor] += 1
        if rung in (Rung.ASK, Rung.ANSWER):
            posts += 1
        key = data.get("topic")
        # The event that starts a topic carries its tags (when a day is rolled again, its topics are known).
        if key and "tags" in data and (key not in topics or topics[key].get("started_at") == at):
            topic = {
                "key": key,
                "starter_id": actor,
                "started_at": at,
                "is_question": bool(data.get("question")),
                "tags": list(data.get("tags") or []),
                "category": str(data.get("category") or "")[:120],
                "first_reply_at": None,
            }
            topics[key] = result.new_topics[key] = topic
            starters[key] = (actor, at)
            if topic["is_question"]:
                questions += 1
            if rung == Rung.ANSWER and not topic["is_question"] and actor is not None:
                for tag in topic["tags"]:
                    result.evidence[(actor, tag)]["library"] += 1
            _count_labels(result, topic, rung)
            continue
        topic = topics.get(key) if key else None
        if topic is None:
            continue
        _count_labels(result, topic, rung)
        if rung is not None and rung >= Rung.ANSWER and actor is not None and actor != topic["starter_id"]:
            if topic["is_question"] and rung in (Rung.ANSWER, Rung.HOST):
                answers += 1
            if topic["first_reply_at"] is None or at < topic["first_reply_at"]:
                topic["first_reply_at"] = at
                result.first_replies[key] = at
                result.reply_days.add(timezone.localdate(topic["started_at"]))
        for tag in topic["tags"]:
            if rung == Rung.ACCEPTED_ANSWER and actor is not None:
                result.evidence[(actor, tag)]["accepted"] += 1
            elif rung == Rung.HOST and actor is not None:
                result.evidence[(actor, tag)]["hosted"] += 1
            if data.get("credit") == "helpful" and data.get("credit_to"):
                result.evidence[(int(data["credit_to"]), tag)]["helpful"] += 1

    _mark_newcomers(community, result, starters)
    members = Membership.objects.filter(community=community).aggregate(
        members=Count("pk", filter=Q(status=Membership.Status.ACTIVE, joined_at__lt=end)),
        new_members=Count("pk", filter=Q(joined_at__gte=start, joined_at__lt=end)),
    )
    result.member_rungs = rungs
    result.stats = {
        **members,
        "visits": len(visitors),
        "active_members": len(rungs),
        "contributors": sum(1 for r in rungs.values() if r >= Rung.VOTE),
        "posts": posts,
        "questions": questions,
        "answers": answers,
        "rungs": {str(r): n for r, n in sorted(Counter(rungs.values()).items())},
    }
    return result


def _count_labels(result: DayResult, topic: dict, rung: int | None) -> None:
    if rung not in (Rung.ASK, Rung.ANSWER):
        return
    for tag in topic["tags"]:
        result.labels[(LabelDay.Kind.TAG, str(tag)[:120])] += 1
    if topic["category"]:
        result.labels[(LabelDay.Kind.CATEGORY, topic["category"])] += 1


def _mark_newcomers(community: Community, result: DayResult, starters: dict[str, tuple[int, datetime]]) -> None:
    """A question is a newcomer's when asked within 30 days of joining; flag each asker's first question."""
    askers = {actor for key, (actor, _) in starters.items() if result.new_topics[key]["is_question"] and actor}
    if not askers:
        return
    joined = dict(
        Membership.objects.filter(community=community, user_id__in=askers).values_list("user_id", "joined_at")
    )
    asked_before = set(
        Topic.objects.filter(
            community=community, starter_id__in=askers, is_question=True, started_at__lt=day_bounds(result.day)[0]
        ).values_list("starter_id", flat=True)
    )
    for key in sorted(starters, key=lambda k: starters[k][1]):
        actor, at = starters[key]
        topic = result.new_topics[key]
        if not topic["is_question"] or actor is None:
            continue
        joined_at = joined.get(actor)
        topic["by_newcomer"] = joined_at is not None and at - joined_at <= timedelta(days=NEWCOMER_DAYS)
        topic["first_of_starter"] = actor not in asked_before
        asked_before.add(actor)


@transaction.atomic
def store_day(result: DayResult) -> set[str]:
    """Replace the day's rows with what it adds up to (running it twice changes nothing); returns the tags whose
    evidence changed, for `store_knowledge()`."""
    cid, day = result.community_id, result.day
    before = set(Evidence.objects.filter(community_id=cid, day=day).values_list("user_id", "tag", *EVIDENCE_KINDS))
    CommunityDay.objects.update_or_create(
        community_id=cid, day=day, defaults={**result.stats, "computed_at": timezone.now()}
    )
    MemberDay.objects.filter(community_id=cid, day=day).delete()
    MemberDay.objects.bulk_create(
        MemberDay(community_id=cid, day=day, user_id=user, rung=rung, reactions=result.reactions.get(user, 0))
        for user, rung in result.member_rungs.items()
    )
    LabelDay.objects.filter(community_id=cid, day=day).delete()
    LabelDay.objects.bulk_create(
        LabelDay(community_id=cid, day=day, kind=kind, name=name, posts=n) for (kind, name), n in result.labels.items()
    )
    Evidence.objects.filter(community_id=cid, day=day).delete()
    Evidence.objects.bulk_create(
        Evidence(community_id=cid, day=day, user_id=user, tag=tag[:120], **counts)
        for (user, tag), counts in result.evidence.items()
    )
    Topic.objects.bulk_create(
        [
            Topic(
                community_id=cid,
                key=t["key"],
                starter_id=t["starter_id"],
                started_at=t["started_at"],
                is_question=t["is_question"],
                by_newcomer=t.get("by_newcomer", False),
                first_of_starter=t.get("first_of_starter", False),
                tags=t["tags"],
                category=t["category"],
            )
            for t in result.new_topics.values()
        ],
        ignore_conflicts=True,
    )
    for key, at in result.first_replies.items():
        Topic.objects.filter(community_id=cid, key=key).filter(
            Q(first_reply_at__isnull=True) | Q(first_reply_at__gt=at)
        ).update(first_reply_at=at)
    store_reply_hours(cid, {day} | result.reply_days)
    after = {
        (user, tag[:120], *(counts.get(kind, 0) for kind in EVIDENCE_KINDS))
        for (user, tag), counts in result.evidence.items()
    }
    return {row[1] for row in before ^ after}


def reply_hour(asked: datetime, replied: datetime) -> int:
    """The hour bucket of a wait: h holds waits of more than h and at most h + 1 hours (0 from no wait at all),
    so "within 24 hours" is exactly the buckets 0 to 23."""
    return max(0, math.ceil((replied - asked).total_seconds() / 3600) - 1)


def store_reply_hours(community_id: int, days: set[date]) -> None:
    """Rebuild the ReplyHours rows of these days from their Topic rows (the questions asked on each day)."""
    if not days:
        return
    when, ordered = Q(), sorted(days)
    runs = [[ordered[0], ordered[0]]]
    for day in ordered[1:]:
        if day == runs[-1][1] + timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    for first, last in runs:
        when |= Q(started_at__gte=day_bounds(first)[0], started_at__lt=day_bounds(last)[1])
    buckets: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    asked = Topic.objects.filter(when, community_id=community_id, is_question=True)
    for started, replied, newcomer in asked.values_list("started_at", "first_reply_at", "by_newcomer"):
        hour = None if replied is None else reply_hour(started, replied)
        bucket = buckets[(timezone.localdate(started), newcomer, hour)]
        bucket[0] += 1
        bucket[1] += 0.0 if replied is None else (replied - started).total_seconds()
    ReplyHours.objects.filter(community_id=community_id, days=1, day__in=days).delete()
    ReplyHours.objects.bulk_create(
        ReplyHours(community_id=community_id, day=d, by_newcomer=n, hour=h, questions=count, seconds=seconds)
        for (d, n, h), (count, seconds) in buckets.items()
    )


def store_reply_span(community_id: int, start: date, days: int) -> None:
    """A Health period's ReplyHours: the sums of its days' rows."""
    sums = (
        ReplyHours.objects.filter(
            community_id=community_id, days=1, day__gte=start, day__lt=start + timedelta(days=days)
        )
        .values_list("by_newcomer", "hour")
        .annotate(Sum("questions"), Sum("seconds"))
        .order_by()
    )
    rows = [
        ReplyHours(
            community_id=community_id, day=start, days=days, by_newcomer=n, hour=h, questions=count, seconds=seconds
        )
        for n, h, count, seconds in sums
    ]
    ReplyHours.objects.filter(community_id=community_id, days=days, day=start).delete()
    ReplyHours.objects.bulk_create(rows)


def evidence_score(counts) -> int:
    return sum(counts[kind] * weight for kind, weight in EVIDENCE_WEIGHTS.items())


def _person_name(first, last, email) -> str:
    return f"{first} {last}".strip() or (email or "").split("@", 1)[0]


@transaction.atomic
def store_knowledge(community: Community, changed: set[str]) -> None:
    """Rebuild the knowledge map's rows: TagTotal for every tag (posts, unanswered questions, people with
    evidence), and the top members of each tag whose evidence changed, whose people changed (a member joined,
    left or was banned) or whose stored experts include someone no longer an active member."""
    cid = community.pk
    active = Membership.objects.filter(community=community, status=Membership.Status.ACTIVE).values("user_id")
    evidence = Evidence.objects.filter(community=community, user_id__in=active)
    people = dict(evidence.values_list("tag").annotate(n=Count("user_id", distinct=True)).order_by())
    posts = dict(
        LabelDay.objects.filter(community=community, kind=LabelDay.Kind.TAG)
        .values_list("name")
        .annotate(n=Sum("posts"))
        .order_by()
    )
    unanswered: Counter = Counter()
    for tags in Topic.objects.filter(community=community, is_question=True, first_reply_at__isnull=True).values_list(
        "tags", flat=True
    ):
        unanswered.update({str(tag)[:120] for tag in tags or []})
    stored_people = dict(TagTotal.objects.filter(community=community).values_list("tag", "people"))
    rebuild = set(changed)
    rebuild |= {tag for tag in set(people) | set(stored_people) if people.get(tag, 0) != stored_people.get(tag, 0)}
    rebuild |= set(
        TagExpert.objects.filter(community=community).exclude(user_id__in=active).values_list("tag", flat=True)
    )
    TagTotal.objects.filter(community=community).delete()
    TagTotal.objects.bulk_create(
        TagTotal(
            community_id=cid, tag=tag, posts=posts.get(tag, 0), unanswered=unanswered[tag], people=people.get(tag, 0)
        )
        for tag in sorted(set(people) | set(posts) | set(unanswered))
    )
    if not rebuild:
        return
    sums = (
        evidence.filter(tag__in=rebuild)
        .values_list("tag", "user_id")
        .annotate(*(Sum(kind) for kind in EVIDENCE_KINDS))
        .order_by()
    )
    by_tag: dict[str, list] = defaultdict(list)
    for tag, user, *counts in sums:
        by_tag[tag].append((user, dict(zip(EVIDENCE_KINDS, counts, strict=True))))
    # The ranking ties break on names, which only the few members at the cut need.
    cut: dict[str, list] = {}
    for tag, rows in by_tag.items():
        scores = heapq.nlargest(EXPERTS_PER_TAG, (evidence_score(c) for _, c in rows))
        cut[tag] = [(user, c) for user, c in rows if evidence_score(c) >= scores[-1]]
    names = {
        pk: _person_name(first, last, email)
        for pk, first, last, email in get_user_model()
        .objects.filter(pk__in={user for rows in cut.values() for user, _ in rows})
        .values_list("pk", "first_name", "last_name", "email")
    }
    TagExpert.objects.filter(community=community, tag__in=rebuild).delete()
    TagExpert.objects.bulk_create(
        TagExpert(community_id=cid, tag=tag, user_id=user, **counts)
        for tag in sorted(cut)
        for user, counts in sorted(cut[tag], key=lambda row: (-evidence_score(row[1]), names.get(row[0], ""), row[0]))[
            :EXPERTS_PER_TAG
        ]
    )


def store_span(community_id: int, start: date, days: int) -> None:
    """Distinct members active, and contributing, over `days` days from `start` (from the stored days)."""
    rows = MemberDay.objects.filter(community_id=community_id, day__gte=start, day__lt=start + timedelta(days=days))
    figures = rows.aggregate(
        active_members=Count("user", distinct=True),
        contributors=Count("user", distinct=True, filter=Q(rung__gte=Rung.VOTE)),
    )
    CommunitySpan.objects.update_or_create(community_id=community_id, start=start, days=days, defaults=figures)


def period_starts(until: date) -> list[tuple[date, int]]:
    """(start, days) of each Health period ending on `until`, and of the period before it."""
    spans = []
    for days in PERIODS:
        current = until - timedelta(days=days - 1)
        spans += [(current, days), (current - timedelta(days=days), days)]
    return spans


@transaction.atomic
def store_markers(community: Community, first: date, last: date) -> None:
    """Copy the moments providers mark (newsletter sends, hot seats, events) between two days into Marker rows."""
    since, until = day_bounds(first)[0], day_bounds(last)[1]
    found = []
    for milestone in registered(Milestone):
        found += [(when, milestone.key, label) for when, label in milestone.items(community, since, until)]
    found += [
        (item.starts_at, "calendar", item.title) for item in calendar_items(community, since) if item.starts_at < until
    ]
    Marker.objects.filter(community=community, day__gte=first, day__lte=last).delete()
    Marker.objects.bulk_create(
        Marker(community=community, day=timezone.localdate(when), at=when, kind=kind, label=str(label)[:300])
        for when, kind, label in found
    )


def first_day(community: Community) -> date:
    """The first day with anything to roll up."""
    candidates = [timezone.localdate(community.created_at)]
    first_event = ActivityEvent.objects.filter(community=community).aggregate(at=Min("created_at"))["at"]
    if first_event:
        candidates.append(timezone.localdate(first_event))
    first_join = Membership.objects.filter(community=community).aggregate(at=Min("joined_at"))["at"]
    if first_join:
        candidates.append(timezone.localdate(first_join))
    first_visit = CommunityVisit.objects.filter(community=community).aggregate(day=Min("day"))["day"]
    if first_visit:
        candidates.append(first_visit)
    return min(candidates)


def rollup_community(community: Community, *, until: date | None = None) -> int:
    """Roll up every day from the last stored one (recomputed) to yesterday; returns how many days it stored."""
    until = until or timezone.localdate() - timedelta(days=1)
    last = CommunityDay.objects.filter(community=community).aggregate(day=Max("day"))["day"]
    day = last if last is not None else first_day(community)
    day = max(day, until - timedelta(days=MAX_CATCH_UP_DAYS))
    first, weeks, stored, changed = day, set(), 0, set()
    _backfill_reply_hours(community, until)
    while day <= until:
        changed |= store_day(compute_day(community, day))
        weeks.add(week_of(day))
        day += timedelta(days=1)
        stored += 1
    if not stored:
        return 0
    for week in sorted(weeks):
        store_span(community.pk, week, 7)
    for start, days in period_starts(until):
        store_span(community.pk, start, days)
        store_reply_span(community.pk, start, days)
    store_markers(community, first, until)
    store_knowledge(community, changed)
    return stored


def _backfill_reply_hours(community: Community, until: date) -> None:
    """Questions rolled up before ReplyHours existed get their rows once (a community's first run with them)."""
    if ReplyHours.objects.filter(community=community).exists():
        return
    asked = Topic.objects.filter(community=community, is_question=True).aggregate(first=Min("started_at"))["first"]
    if asked is None:
        return
    day, days = timezone.localdate(asked), set()
    while day <= until:
        days.add(day)
        day += timedelta(days=1)
    store_reply_hours(community.pk, days)


def rollup_all(*, until: date | None = None) -> int:
    return sum(rollup_community(community, until=until) for community in Community.objects.order_by("pk"))
