from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Community, Membership
from ..permissions import can_see_landing

PAGE_SIZE = 24


def community_or_404(request, slug: str) -> Community:
    """The community if the user may at least see its landing page; hidden ones 404 for outsiders."""
    community = get_object_or_404(Community, slug=slug)
    if not can_see_landing(request.user, community):
        raise Http404("No such community.")
    return community


def require(allowed: bool) -> None:
    """Refuse a signed-in user who lacks the right (anonymous users are sent to log in by @login_required)."""
    if not allowed:
        raise PermissionDenied


def membership_in(community: Community, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "community"), pk=pk, community=community)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
