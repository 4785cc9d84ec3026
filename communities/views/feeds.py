from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import extensions, feeds, permissions, services
from ..access import community_or_404, refuse
from ..extensions import FeedSource
from ..models import Community, FeedToken
from ._helpers import require


@login_not_required
def feed_list(request, slug):
    """The community's feeds: public addresses for a public community, and each member's secret address."""
    community = community_or_404(request, slug)
    if not permissions.can_view_community(request.user, community):
        return refuse(request, community)
    sources = extensions.registered(FeedSource)
    public = community.visibility == Community.Visibility.PUBLIC
    member = permissions.is_active_member(request.user, community)
    token = FeedToken.objects.filter(user=request.user, community=community).first() if member else None
    rows = [
        {
            "source": source,
            "public": feeds.public_url(community, source) if public else None,
            "private": feeds.private_url(token, source) if token else None,
        }
        for source in sources
    ]
    return render(
        request,
        "communities/feed_list.html",
        {"community": community, "rows": rows, "member": member, "token": token, "public": public},
    )


@login_required
@require_POST
def feed_token_reset(request, slug):
    """Create the member's secret feed address, or replace it (the old one stops working at once)."""
    community = community_or_404(request, slug)
    require(permissions.is_active_member(request.user, community))
    services.feed_token_reset(user=request.user, community=community)
    messages.success(request, "Your private feed addresses are ready. Any earlier addresses no longer work.")
    return redirect("communities:feed_list", slug=community.slug)
