"""Cohorts by join month and the welcome effect: who made a first contribution within 7, 30 and 90 days of
joining, split by how they were welcomed, with the counts behind each share. One query."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from communities.extensions import Rung
from communities.models import Membership

from .models import MemberDay

WINDOWS = (7, 30, 90)
METHODS = (("personal", "Welcomed personally"), ("automatic", "Welcomed automatically"), ("none", "Not welcomed yet"))
TOO_SMALL = 10  # fewer members than this in a group: say so rather than compare shares


@dataclass
class Share:
    done: int = 0
    eligible: int = 0  # members who joined long enough ago for the window to have passed

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.eligible) if self.eligible else None


@dataclass
class Group:
    method: str
    label: str
    members: int = 0
    shares: dict = field(default_factory=lambda: {w: Share() for w in WINDOWS})

    @property
    def too_small(self) -> bool:
        return self.members < TOO_SMALL


@dataclass
class Cohort:
    month: date
    groups: list[Group]

    @property
    def members(self) -> int:
        return sum(g.members for g in self.groups)

    @property
    def too_small(self) -> bool:
        return sum(1 for g in self.groups if g.members) > 1 and any(g.too_small for g in self.groups if g.members)


def _method(welcome_method: str, welcomed_at) -> str:
    if welcomed_at is None:
        return "none"
    return "personal" if welcome_method == Membership.WelcomeMethod.PERSONAL else "automatic"


def cohorts(community, months: int = 12, today: date | None = None) -> tuple[list[Cohort], list[Group]]:
    """Cohorts newest first, and every cohort together by welcome method (the welcome effect)."""
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    first_month = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    first = MemberDay.objects.filter(community=community, user=OuterRef("user_id"), rung__gte=Rung.VOTE).order_by(
        "day"
    )
    rows = (
        Membership.objects.filter(community=community, joined_at__isnull=False, joined_at__date__gte=first_month)
        .exclude(status__in=[Membership.Status.PENDING, Membership.Status.DECLINED])
        .annotate(first_day=Subquery(first.values("day")[:1]))
        .values_list("joined_at", "welcome_method", "welcomed_at", "first_day")
    )
    by_month: dict[date, dict[str, Group]] = {}
    overall = {key: Group(key, label) for key, label in METHODS}
    for joined_at, welcome_method, welcomed_at, first_day in rows:
        joined = timezone.localdate(joined_at)
        month = joined.replace(day=1)
        groups = by_month.setdefault(month, {key: Group(key, label) for key, label in METHODS})
        method = _method(welcome_method, welcomed_at)
        for group in (groups[method], overall[method]):
            group.members += 1
            for window in WINDOWS:
                if joined + timedelta(days=window) <= yesterday:
                    share = group.shares[window]
                    share.eligible += 1
                    share.done += first_day is not None and (first_day - joined).days <= window
    cohorts = [Cohort(month, list(groups.values())) for month, groups in sorted(by_month.items(), reverse=True)]
    return cohorts, list(overall.values())
