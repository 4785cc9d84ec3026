"""The one way content apps turn "may not read this community" into a response (STYLE rule 5)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Community
from .permissions import can_see_landing, can_view_community


def community_or_404(request, slug: str) -> Community:
    """The community if the user may at least see its landing page; hidden ones 404 for outsiders."""
    community = get_object_or_404(Community, slug=slug)
    if not can_see_landing(request.user, community):
        raise Http404("No such community.")
    return community


def refuse(request, community: Community):
    """Anonymous visitors to a private community may log in; everyone else gets a 404 that says nothing."""
    if not request.user.is_authenticated and community.visibility == Community.Visibility.PRIVATE:
        return redirect_to_login(request.get_full_path())
    raise Http404


def readable_community(view):
    """Resolve the community from the URL's slug and let through only people who may read its content."""

    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        community = get_object_or_404(Community, slug=slug)
        if not can_view_community(request.user, community):
            return refuse(request, community)
        return view(request, community, *args, **kwargs)

    return wrapped
