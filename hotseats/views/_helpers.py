from functools import wraps

from django.shortcuts import get_object_or_404

from communities.access import readable_community, refuse

from .. import permissions, selectors

community_view = readable_community


def hotseat_view(view):
    """A hot seat the user may see (readers of the community, or its guest expert while it runs)."""

    @wraps(view)
    def wrapped(request, slug, pk, *args, **kwargs):
        hotseat = get_object_or_404(selectors.hotseat_page_queryset(), pk=pk, community__slug=slug)
        if not permissions.can_view_hotseat(request.user, hotseat):
            return refuse(request, hotseat.community)
        return view(request, hotseat, *args, **kwargs)

    return wrapped
