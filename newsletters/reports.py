"""The facilitator's report for one issue: delivery figures and the community's activity around the send."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from communities.extensions import Rung, verbs_at
from communities.models import ActivityEvent, CommunityVisit

from .models import Click, Delivery, Newsletter

WINDOW_DAYS = 14


@dataclass
class Day:
    day: date
    posts: int
    visits: int
    after: bool

    @property
    def total(self) -> int:
        return self.posts + self.visits


@dataclass
class Report:
    total: int = 0
    delivered: int = 0
    pending: int = 0
    failed: int = 0
    bounced: int = 0
    opened: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    possible_duplicates: int = 0
    top_links: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    days: list = field(default_factory=list)
    baseline: float | None = None
    after_average: float | None = None
    spike_percent: int | None = None
    peak: Day | None = None

    def rate(self, part: int) -> int | None:
        return round(100 * part / self.delivered) if self.delivered else None

    @property
    def open_rate(self):
        return self.rate(self.opened)

    @property
    def click_rate(self):
        return self.rate(self.clicked)

    @property
    def chart_max(self) -> int:
        return max((d.total for d in self.days), default=0) or 1


def newsletter_report(newsletter: Newsletter) -> Report:
    S = Delivery.Status
    counts = Delivery.objects.filter(newsletter=newsletter).aggregate(
        total=Count("pk"),
        delivered=Count("pk", filter=Q(status=S.SENT)),
        pending=Count("pk", filter=Q(status__in=[S.PENDING, S.CLAIMED, S.SENDING])),
        failed=Count("pk", filter=Q(status=S.FAILED)),
        bounced=Count("pk", filter=Q(status=S.BOUNCED)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        possible_duplicates=Count("pk", filter=Q(possible_duplicate=True)),
    )
    report = Report(**counts)
    report.top_links = list(
        Click.objects.filter(delivery__newsletter=newsletter)
        .values("url")
        .annotate(clicks=Count("pk"), people=Count("delivery", distinct=True))
        .order_by("-clicks")[:10]
    )
    report.failures = list(
        Delivery.objects.filter(newsletter=newsletter, status__in=[S.FAILED, S.BOUNCED]).order_by("email")[:200]
    )
    if newsletter.sent_at:
        _activity(report, newsletter)
    return report


def _activity(report: Report, newsletter: Newsletter) -> None:
    """Daily posts and member visits for 14 days either side of sending; spike = after vs before, in percent.

    A "post" is any event its app places on the ask or answer rungs of participation (threads, replies,
    articles, hot-seat questions...), so the next app's contributions count without changing this report."""
    sent_day = timezone.localdate(newsletter.sent_at)
    start, end = sent_day - timedelta(days=WINDOW_DAYS), sent_day + timedelta(days=WINDOW_DAYS)
    community = newsletter.community_id
    posts = dict(
        ActivityEvent.objects.filter(
            community=community,
            verb__in=verbs_at(Rung.ASK, Rung.ANSWER),
            created_at__date__gte=start,
            created_at__date__lt=end,
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    visits = dict(
        CommunityVisit.objects.filter(community=community, day__gte=start, day__lt=end)
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    today = timezone.localdate()
    report.days = [
        Day(d, posts.get(d, 0), visits.get(d, 0), d >= sent_day)
        for d in (start + timedelta(days=i) for i in range(2 * WINDOW_DAYS))
        if d <= today
    ]
    before = [d.total for d in report.days if not d.after]
    after = [d.total for d in report.days if d.after]
    if before:
        report.baseline = sum(before) / len(before)
    if after:
        report.after_average = sum(after) / len(after)
        report.peak = max((d for d in report.days if d.after), key=lambda d: d.total)
    if report.baseline and report.after_average is not None:
        report.spike_percent = round(100 * (report.after_average - report.baseline) / report.baseline)


def sends(community, since, until) -> list[tuple]:
    """When each issue went out, for the activity charts of the facilitation pages (a registered Milestone)."""
    return list(
        Newsletter.objects.filter(community=community, sent_at__gte=since, sent_at__lt=until)
        .order_by("sent_at")
        .values_list("sent_at", "subject")
    )
