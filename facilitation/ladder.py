"""The ladder of participation: each member's highest rung in a period (from the rungs event types declare),
who moved up or down since the period before, who is ready for a next small step, and a member's own next step."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from communities.extensions import Rung
from communities.models import Membership
from communities.permissions import active_memberships

from .models import MemberDay, Nudge
from .rollups import PERIODS

READY_LIMIT = 50

# What each highest rung so far invites next: (the rung it leads to, the words members read on their home page).
NEXT_STEP = {
    0: (Rung.REACT, "Found something useful? Thank the person who wrote it: a reaction is a first step."),
    Rung.READ: (Rung.REACT, "Found something useful? Thank the person who wrote it: a reaction is a first step."),
    Rung.REACT: (
        Rung.ASK,
        "You have thanked {reactions} post{plural}: ask your first question. There is no such thing as a silly "
        "question.",
    ),
    Rung.VOTE: (Rung.ASK, "You have voted: now ask your first question. There is no such thing as a silly question."),
    Rung.ASK: (Rung.ANSWER, "You have asked: now answer someone else's question. Your experience counts."),
    Rung.ANSWER: (Rung.ACCEPTED_ANSWER, "Keep answering: an accepted answer shows others you know the topic."),
    Rung.ACCEPTED_ANSWER: (Rung.HOST, "People trust your answers: offer to host a hot seat or write a guide."),
    Rung.HOST: (None, "You host and guide others: thank you. Welcome a newcomer today."),
}


@dataclass
class Ladder:
    start: date
    days: int
    counts: list[tuple[str, int, int]]  # (rung label, now, before)
    not_seen: int
    moved_up: int
    moved_down: int
    ready: list  # [(membership, nudged_at)]


def ladder(community, days: int = 30, today: date | None = None) -> Ladder:
    if days not in PERIODS:
        days = 30
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    start = yesterday - timedelta(days=days - 1)
    before = start - timedelta(days=days)
    rows = list(
        MemberDay.objects.filter(community=community)
        .values("user_id")
        .annotate(
            now=Max("rung", filter=Q(day__gte=start, day__lte=yesterday)),
            before=Max("rung", filter=Q(day__gte=before, day__lt=start)),
            ever=Max("rung", filter=Q(day__lte=yesterday)),
        )
        .values_list("user_id", "now", "before", "ever")
    )
    now = Counter(r[1] for r in rows if r[1])
    then = Counter(r[2] for r in rows if r[2])
    up = sum(1 for _, n, b, _ in rows if n and (b or 0) < n)
    down = sum(1 for _, n, b, _ in rows if b and (n or 0) < b)
    # Ready for a next small step: readers who react (or vote) in the period but have never asked or answered.
    ready_ids = [u for u, n, _, ever in rows if n in (Rung.REACT, Rung.VOTE) and ever < Rung.ASK]
    members = {
        m.user_id: m
        for m in Membership.objects.active()
        .filter(community=community, user_id__in=ready_ids[: READY_LIMIT * 2])
        .select_related("user")
    }
    nudged = dict(
        Nudge.objects.filter(community=community, user_id__in=list(members))
        .values("user_id")
        .annotate(at=Max("created_at"))
        .values_list("user_id", "at")
    )
    active = Membership.objects.active().filter(community=community).count()
    ready = sorted(
        ((m, nudged.get(uid)) for uid, m in members.items()),
        key=lambda pair: (pair[1] is not None, pair[0].user.display_name),
    )[:READY_LIMIT]
    return Ladder(
        start=start,
        days=days,
        counts=[(rung.label, now.get(int(rung), 0), then.get(int(rung), 0)) for rung in Rung],
        not_seen=max(active - sum(now.values()), 0),
        moved_up=up,
        moved_down=down,
        ready=ready,
    )


@transaction.atomic
def nudge_send(*, community, user, by) -> Nudge:
    """Invite a member to the next rung; it shows on their home page until they take it."""
    best = MemberDay.objects.filter(community=community, user=user).aggregate(best=Max("rung"))["best"] or 0
    rung = NEXT_STEP.get(best, NEXT_STEP[0])[0] or Rung.HOST
    return Nudge.objects.create(community=community, user=user, by=by, rung=int(rung))


def next_steps(user) -> list[dict]:
    """The member's next small step in each community they belong to (one query), for their home page."""
    if not user.is_authenticated:
        return []
    memberships = active_memberships(user)  # cached on the user: the page header has loaded them already
    if not memberships:
        return []
    nudge = Nudge.objects.filter(community=OuterRef("community_id"), user=user).order_by("-created_at")
    rows = (
        MemberDay.objects.filter(user=user)
        .values("community_id")
        .annotate(
            best=Max("rung"),
            reactions=Sum("reactions"),
            nudge_rung=Subquery(nudge.values("rung")[:1]),
            nudge_first=Subquery(nudge.values("by__first_name")[:1]),
            nudge_last=Subquery(nudge.values("by__last_name")[:1]),
        )
    )
    found = {row["community_id"]: row for row in rows}  # one query for every community
    steps = []
    for m in sorted(memberships, key=lambda m: m.community.name):
        row = found.get(m.community_id, {})
        rung = row.get("best") or 0
        _, words = NEXT_STEP.get(rung, NEXT_STEP[0])
        count = row.get("reactions") or 0
        nudged = row.get("nudge_rung") is not None and row["nudge_rung"] > rung
        steps.append(
            {
                "community": m.community,
                "text": words.format(reactions=count, plural="" if count == 1 else "s"),
                "nudged_by": f"{row.get('nudge_first') or ''} {row.get('nudge_last') or ''}".strip()
                if nudged
                else None,
            }
        )
    return steps


def home_block(obj, user) -> dict | None:
    """The registered block on the member's home page: their next step in each community."""
    steps = next_steps(user)
    return {"steps": steps} if steps else None
