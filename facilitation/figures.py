"""The Health page's figures, read from roll-up rows only: a fixed handful of queries whatever the community's size.

A period is a whole number of days ending yesterday (today is not rolled up yet: see `today_so_far()`), with the
period just before it beside it.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Q, Sum, Value, When
from django.utils import timezone

from communities.extensions import Rung, event_type
from communities.models import ActivityEvent, CommunityVisit

from .models import CommunityDay, CommunitySpan, LabelDay, Marker, ReplyHours
from .rollups import PERIODS, day_bounds, week_of

CHART_WEEKS = 52
DAY_SUMS = ("visits", "posts", "questions", "answers", "new_members")


def percentile(values: list[float], share: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def bucket_percentile(buckets: list[tuple[float, int]], share: float) -> float | None:
    """`percentile` over (value, count) buckets in increasing order, each of its count values taken as the value."""
    total = sum(count for _, count in buckets)
    if not total:
        return None
    rank = share * (total - 1)
    low, high = math.floor(rank), math.ceil(rank)
    found, seen = {}, 0
    for value, count in buckets:
        for index in (low, high):
            if seen <= index < seen + count:
                found.setdefault(index, value)
        seen += count
        if high in found:
            break
    return found[low] + (found[high] - found[low]) * (rank - low)


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Replies:
    """Time to first reply over the questions asked in a period (hours)."""

    asked: int = 0
    answered: int = 0
    within_day: int = 0
    median: float | None = None
    p90: float | None = None

    @property
    def answered_share(self):
        return share(self.answered, self.asked)

    @property
    def within_day_share(self):
        return share(self.within_day, self.asked)


def replies(buckets: dict) -> Replies:
    """A period's figures from its summed ReplyHours: {hour (None: not answered): (questions, seconds)}. Every
    wait in an hour's bucket is taken as the bucket's mean, so a median or 90th percentile is less than an hour
    from the exact one (exact where the hours around it hold one question each, or equal waits)."""
    answered = sorted((hour, n, seconds) for hour, (n, seconds) in buckets.items() if hour is not None and n)
    means = [(seconds / n / 3600, n) for _, n, seconds in answered]
    return Replies(
        asked=sum(n for n, _ in buckets.values()),
        answered=sum(n for _, n, _ in answered),
        within_day=sum(n for hour, n, _ in answered if hour < 24),
        median=bucket_percentile(means, 0.5),
        p90=bucket_percentile(means, 0.9),
    )


@dataclass
class Period:
    start: date
    days: int
    members: int = 0
    active_members: int = 0
    contributors: int = 0
    visits: int = 0
    posts: int = 0
    questions: int = 0
    answers: int = 0
    new_members: int = 0
    replies: Replies = field(default_factory=Replies)
    newcomer_replies: Replies = field(default_factory=Replies)

    @property
    def end(self) -> date:
        """The last day of the period (included)."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def contributor_share(self):
        return share(self.contributors, self.members)

    @property
    def active_share(self):
        return share(self.active_members, self.members)


@dataclass
class Week:
    start: date
    active_members: int = 0
    contributors: int = 0
    posts: int = 0
    visits: int = 0
    markers: list = field(default_factory=list)


@dataclass
class Health:
    current: Period
    previous: Period
    weeks: list[Week]
    tags: list[dict]
    categories: list[dict]
    rolled_until: date | None

    ROWS = (
        ("members", "Members"),
        ("active_members", "Active members (visited or took part)"),
        ("contributors", "Contributors (voted, asked, answered, shared or hosted)"),
        ("contributor_share", "Contributors as a share of members (%)"),
        ("new_members", "New members"),
        ("questions", "Questions asked"),
        ("answered", "Questions answered"),
        ("median", "Median time to first reply (hours)"),
        ("p90", "90th percentile time to first reply (hours)"),
        ("newcomer_median", "Newcomers' questions: median time to first reply (hours)"),
        ("newcomer_p90", "Newcomers' questions: 90th percentile (hours)"),
        ("within_day_share", "Questions answered within 24 hours (%)"),
        ("posts", "Posts"),
        ("visits", "Visits"),
    )

    def table(self) -> list[tuple[str, object, object]]:
        return [(label, _value(self.current, key), _value(self.previous, key)) for key, label in self.ROWS]


def _value(period: Period, key: str):
    replies = {
        "answered": period.replies.answered,
        "median": period.replies.median,
        "p90": period.replies.p90,
        "newcomer_median": period.newcomer_replies.median,
        "newcomer_p90": period.newcomer_replies.p90,
        "within_day_share": period.replies.within_day_share,
    }
    if key not in replies:
        return getattr(period, key)
    value = replies[key]
    return round(value, 1) if isinstance(value, float) else value


def health(community, days: int = 30, today: date | None = None) -> Health:
    """Figures for the `days` days ending yesterday and the period before, and 52 weeks of charts."""
    if days not in PERIODS:
        days = 30
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    current = Period(start=yesterday - timedelta(days=days - 1), days=days)
    previous = Period(start=current.start - timedelta(days=days), days=days)
    chart_start = week_of(today) - timedelta(weeks=CHART_WEEKS - 1)
    first = min(previous.start, chart_start)

    rows = list(
        CommunityDay.objects.filter(community=community, day__gte=first, day__lte=yesterday)
        .order_by("day")
        .values_list("day", "members", *DAY_SUMS)
    )
    for period in (current, previous):
        inside = [r for r in rows if period.start <= r[0] <= period.end]
        for i, name in enumerate(DAY_SUMS, start=2):
            setattr(period, name, sum(r[i] for r in inside))
        period.members = inside[-1][1] if inside else 0

    spans = list(
        CommunitySpan.objects.filter(community=community)
        .filter(Q(days=7, start__gte=chart_start) | Q(days=days, start__in=[current.start, previous.start]))
        .values_list("start", "days", "active_members", "contributors")
    )
    by_week = {start: (active, contributors) for start, span, active, contributors in spans if span == 7}
    for period in (current, previous):
        for start, span, active, contributors in spans:
            if span == days and start == period.start:
                period.active_members, period.contributors = active, contributors

    rolled_until = rows[-1][0] if rows else None
    if rolled_until == yesterday:  # the task summed the periods ending yesterday when it stored yesterday
        sums = (
            ReplyHours.objects.filter(community=community, days=days, day__in=[current.start, previous.start])
            .annotate(now=Case(When(day=current.start, then=Value(True)), default=Value(False)))
            .values_list("now", "by_newcomer", "hour", "questions", "seconds")
        )
    else:
        sums = (
            ReplyHours.objects.filter(community=community, days=1, day__gte=previous.start, day__lte=yesterday)
            .annotate(now=Case(When(day__gte=current.start, then=Value(True)), default=Value(False)))
            .values_list("now", "by_newcomer", "hour")
            .annotate(questions=Sum("questions"), seconds=Sum("seconds"))
            .order_by()
        )
    everyone: dict[bool, dict] = {True: {}, False: {}}
    newcomers: dict[bool, dict] = {True: {}, False: {}}
    for now, newcomer, hour, questions, seconds in sums:
        for target in (everyone, newcomers) if newcomer else (everyone,):
            count, waited = target[now].get(hour, (0, 0.0))
            target[now][hour] = (count + questions, waited + seconds)
    for period, now in ((current, True), (previous, False)):
        period.replies, period.newcomer_replies = replies(everyone[now]), replies(newcomers[now])

    labels = list(
        LabelDay.objects.filter(community=community, day__gte=previous.start, day__lte=yesterday)
        .values("kind", "name")
        .annotate(
            current=Sum("posts", filter=Q(day__gte=current.start)),
            previous=Sum("posts", filter=Q(day__lt=current.start)),
        )
        .order_by("kind", "name")
    )
    for label in labels:
        label["current"], label["previous"] = label["current"] or 0, label["previous"] or 0
    labels.sort(key=lambda label: (-label["current"], -label["previous"], label["name"]))

    weeks = {
        chart_start + timedelta(weeks=i): Week(start=chart_start + timedelta(weeks=i)) for i in range(CHART_WEEKS)
    }
    for day, _, visits, posts, *_ in rows:
        week = weeks.get(week_of(day))
        if week is not None:
            week.visits += visits
            week.posts += posts
    for start, (active, contributors) in by_week.items():
        if start in weeks:
            weeks[start].active_members, weeks[start].contributors = active, contributors
    for day, kind, label in Marker.objects.filter(community=community, day__gte=chart_start).values_list(
        "day", "kind", "label"
    ):
        if (week := weeks.get(week_of(day))) is not None:
            week.markers.append((day, kind, label))

    return Health(
        current=current,
        previous=previous,
        weeks=list(weeks.values()),
        tags=[label for label in labels if label["kind"] == LabelDay.Kind.TAG][:20],
        categories=[label for label in labels if label["kind"] == LabelDay.Kind.CATEGORY][:20],
        rolled_until=rolled_until,
    )


def today_so_far(community, events: list | None = None) -> dict:
    """Today's live counts, straight from today's events and visits (today's rows only; pass `events`, as
    (actor_id, verb, data) rows, when the page has loaded them already)."""
    start, end = day_bounds(timezone.localdate())
    if events is None:
        events = ActivityEvent.objects.filter(community=community, created_at__gte=start, created_at__lt=end)
        events = events.values_list("actor_id", "verb", "data")
    rungs: dict[int, int] = {}
    posts = questions = 0
    for actor, verb, data in events:
        kind = event_type(verb)
        if kind is None or kind.rung is None:
            continue
        if actor is not None:
            rungs[actor] = max(rungs.get(actor, 0), int(kind.rung))
        posts += kind.rung in (Rung.ASK, Rung.ANSWER)
        questions += bool((data or {}).get("question")) and "tags" in (data or {})
    visitors = set(
        CommunityVisit.objects.filter(community=community, day=start.date()).values_list("user_id", flat=True)
    )
    for user in visitors:
        rungs.setdefault(user, int(Rung.READ))
    return {
        "visits": len(visitors),
        "active_members": len(rungs),
        "contributors": sum(1 for r in rungs.values() if r >= Rung.VOTE),
        "posts": posts,
        "questions": questions,
    }
