from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import permissions, selectors
from ..access import readable_community
from ..forms import DirectoryFilterForm
from ._helpers import paginate, require


@login_required
@readable_community
def member_directory(request, community):
    """Find people by name, organisation or expertise; filter by role and segment."""
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
