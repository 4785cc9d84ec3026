from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.models import Community
from communities.permissions import can_view_community

from .. import calendar, services
from ..models import CalendarFeed, HotSeat
from ._helpers import community_view, hotseat_view

FEED_HORIZON_DAYS = 90


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_not_required
@hotseat_view
def hotseat_ics(request, hotseat):
    """One hot seat as an .ics file, for whoever may see the hot seat."""
    return _ics(calendar.hotseat_ics(hotseat), f"hotseat-{hotseat.pk}.ics")


def _upcoming(community):
    since = timezone.now() - timedelta(days=FEED_HORIZON_DAYS)
    return HotSeat.objects.filter(community=community, closes_at__gte=since).select_related("community")


@login_not_required
def calendar_feed(request, slug):
    """The public iCalendar feed of a public community's hot seats; private ones use a member's secret URL."""
    community = get_object_or_404(Community, slug=slug, visibility=Community.Visibility.PUBLIC)
    return _ics(calendar.feed_ics(community, _upcoming(community)), f"{community.slug}-hotseats.ics")


@login_not_required
def calendar_feed_private(request, slug, token):
    """A member's secret feed: it stops working if they leave, are banned, or reset it."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user", "community"), token=token, community__slug=slug
    )
    if not feed.user.is_active or not can_view_community(feed.user, feed.community):
        raise Http404
    return _ics(calendar.feed_ics(feed.community, _upcoming(feed.community)), f"{slug}-hotseats.ics")


@login_required
@require_POST
@community_view
def calendar_feed_reset(request, community):
    """Create the member's secret feed address, or replace it (the old address stops working at once)."""
    try:
        services.calendar_feed_reset(user=request.user, community=community)
    except services.HotSeatError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Your private calendar address is ready. Any earlier address no longer works.")
    return redirect("hotseats:hotseat_list", slug=community.slug)
