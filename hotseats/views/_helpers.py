from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.models import Community
from communities.permissions import can_view_community

from .. import permissions, selectors


def community_view(view):
    """Only people who may read the community get its hot-seat pages."""

    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        community = get_object_or_404(Community, slug=slug)
        if not can_view_community(request.user, community):
            if not request.user.is_authenticated and community.visibility == Community.Visibility.PRIVATE:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return view(request, community, *args, **kwargs)

    return wrapped


def hotseat_view(view):
    """A hot seat the user may see (readers of the community, or its guest expert while it runs)."""

    @wraps(view)
    def wrapped(request, slug, pk, *args, **kwargs):
        hotseat = get_object_or_404(selectors.hotseat_page_queryset(), pk=pk, community__slug=slug)
        if not permissions.can_view_hotseat(request.user, hotseat):
            if not request.user.is_authenticated and hotseat.community.visibility == Community.Visibility.PRIVATE:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return view(request, hotseat, *args, **kwargs)

    return wrapped
