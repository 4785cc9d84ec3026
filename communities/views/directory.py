from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import permissions, selectors
from ..forms import DirectoryFilterForm
from ._helpers import community_or_404, paginate, require


@login_required
def member_directory(request, slug):
    """Find people by name, organisation or expertise; filter by role and segment."""
    community = community_or_404(request, slug)
    require(permissions.can_view_directory(request.user, community))
    segments = list(community.segments.all())
    form = DirectoryFilterForm(request.GET or None, segments=segments)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.directory(
        community, q=filters.get("q", ""), role=filters.get("role", ""), segment=filters.get("segment")
    )
    return render(
        request,
        "communities/member_directory.html",
        {
            "community": community,
            "tab": "members",
            "form": form,
            "page": paginate(request, members),
            "filtered": any(filters.values()),
            "can_manage": permissions.can_manage_members(request.user, community),
        },
    )
