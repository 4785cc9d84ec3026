import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from communities.access import community_or_404
from communities.views._helpers import require

from . import charts, figures, permissions
from .rollups import PERIODS
from .today import today as today_figures


def _facilitated(request, slug):
    """The community for its facilitators and owners; others get 403 (404 where the community is hidden)."""
    community = community_or_404(request, slug)
    require(permissions.can_facilitate(request.user, community))
    return community


def _days(request) -> int:
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    return days if days in PERIODS else 30


@login_required
def today(request, slug):
    """The facilitator's start page: what waits for them today, each with its action."""
    community = _facilitated(request, slug)
    return render(
        request,
        "facilitation/today.html",
        {"community": community, "tab": "facilitation", **today_figures(community, request.user)},
    )


@login_required
def health(request, slug):
    """The community's figures over a period with the period before it, and 12 months of weekly charts."""
    community = _facilitated(request, slug)
    days = _days(request)
    report = figures.health(community, days)
    return render(
        request,
        "facilitation/health.html",
        {
            "community": community,
            "tab": "facilitation",
            "report": report,
            "days": days,
            "periods": PERIODS,
            "charts": charts.charts(report.weeks),
        },
    )


CSV_TABLES = ("summary", "weekly", "tags", "categories")


def _cell(value):
    """Text a spreadsheet would run as a formula is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


class _SafeWriter:
    def __init__(self, out):
        self.writer = csv.writer(out)

    def writerow(self, row):
        self.writer.writerow([_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


@login_required
def health_csv(request, slug, table):
    """Each Health table as CSV, with the figures the page shows."""
    community = _facilitated(request, slug)
    if table not in CSV_TABLES:
        raise Http404
    days = _days(request)
    report = figures.health(community, days)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{community.slug}-{table}-{days}d.csv"'
    writer = _SafeWriter(response)
    if table == "summary":
        writer.writerow(
            [
                "figure",
                f"{report.current.start}..{report.current.end}",
                f"{report.previous.start}..{report.previous.end}",
            ]
        )
        writer.writerows(report.table())
    elif table == "weekly":
        writer.writerow(["week starting", "active members", "contributors", "posts", "visits", "marked"])
        for w in report.weeks:
            writer.writerow(
                [w.start, w.active_members, w.contributors, w.posts, w.visits, "; ".join(m[2] for m in w.markers)]
            )
    else:
        writer.writerow(
            [table[:-1] if table == "tags" else "category", "posts this period", "posts the period before"]
        )
        for label in report.tags if table == "tags" else report.categories:
            writer.writerow([label["name"], label["current"], label["previous"]])
    return response
