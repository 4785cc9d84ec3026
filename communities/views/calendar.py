from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404

from .. import calendars
from ..models import Community


@login_not_required
def calendar_feed(request, slug):
    """A public community's calendar feed: every app's dated items, gathered through the registry. Members of
    private communities subscribe through their own secret address instead."""
    community = get_object_or_404(Community, slug=slug, visibility=Community.Visibility.PUBLIC)
    return calendars.response(calendars.feed_ics(community), f"{community.slug}-calendar.ics")
