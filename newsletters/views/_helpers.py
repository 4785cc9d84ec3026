from django.shortcuts import get_object_or_404

from communities.access import community_or_404  # noqa: F401  (the views import it from here)
from communities.models import Community

from ..models import Newsletter


def newsletter_in(community: Community, pk: int) -> Newsletter:
    return get_object_or_404(Newsletter.objects.select_related("community"), pk=pk, community=community)
