import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communities.access import community_or_404
from communities.views._helpers import membership_in, require

from . import charts, cohorts, figures, knowledge, ladder, lifecycle, permissions
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


@login_required
def knowledge_map(request, slug):
    """Who knows what, from practice; where nobody does; which other communities share the tags."""
    community = _facilitated(request, slug)
    tags = knowledge.knowledge_map(community, request.user)
    return render(
        request,
        "facilitation/knowledge_map.html",
        {"community": community, "tab": "facilitation", "tags": tags, "gaps": [t for t in tags if t.is_gap]},
    )


@login_required
def ask_who_knows(request, slug):
    """Members find someone who knows a topic, from the same evidence as the knowledge map."""
    community = community_or_404(request, slug)
    require(permissions.can_ask_who_knows(request.user, community))
    tags = [t for t in knowledge.knowledge_map(community, request.user) if t.people]
    return render(request, "facilitation/ask_who_knows.html", {"community": community, "tab": "ask", "tags": tags})


@login_required
def ladder_page(request, slug):
    """How many stand on each rung, who moved, and who is ready for a next small step."""
    community = _facilitated(request, slug)
    days = _days(request)
    return render(
        request,
        "facilitation/ladder.html",
        {
            "community": community,
            "tab": "facilitation",
            "ladder": ladder.ladder(community, days),
            "days": days,
            "periods": PERIODS,
        },
    )


@login_required
@require_POST
def nudge(request, slug, pk):
    """Invite a member to their next step; it shows on their home page."""
    community = _facilitated(request, slug)
    membership = membership_in(community, pk)
    if not membership.is_active:
        raise Http404
    ladder.nudge_send(community=community, user=membership.user, by=request.user)
    messages.success(request, f"{membership.user.display_name} will see your nudge on their home page.")
    return redirect("facilitation:ladder", slug=community.slug)


@login_required
def cohorts_page(request, slug):
    """Members by join month: who made a first contribution within 7, 30 and 90 days, by welcome."""
    community = _facilitated(request, slug)
    months, overall = cohorts.cohorts(community)
    return render(
        request,
        "facilitation/cohorts.html",
        {
            "community": community,
            "tab": "facilitation",
            "cohorts": months,
            "overall": overall,
            "windows": cohorts.WINDOWS,
            "too_small": cohorts.TOO_SMALL,
        },
    )


@login_required
def lifecycle_page(request, slug):
    """The checklist for the community's stage, and the stage its figures suggest."""
    community = _facilitated(request, slug)
    report = figures.health(community, 90)
    stage, why = lifecycle.suggested_stage(community, report)
    return render(
        request,
        "facilitation/lifecycle.html",
        {
            "community": community,
            "tab": "facilitation",
            "items": lifecycle.checklist(community, report),
            "suggested": community.Stage(stage).label,
            "why": why,
            "same": stage == community.stage,
        },
    )
