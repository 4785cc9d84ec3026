from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.models import Community
from communities.permissions import can_see_landing

from ..models import Newsletter


def community_or_404(request, slug: str) -> Community:
    community = get_object_or_404(Community, slug=slug)
    if not can_see_landing(request.user, community):
        raise Http404
    return community


def newsletter_in(community: Community, pk: int) -> Newsletter:
    return get_object_or_404(Newsletter.objects.select_related("community"), pk=pk, community=community)
