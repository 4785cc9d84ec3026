from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from ..access import community_or_404  # noqa: F401  (the views import it from here)
from ..models import Community, Membership

PAGE_SIZE = 24


def require(allowed: bool) -> None:
    """Refuse a signed-in user who lacks the right (anonymous users are sent to log in by @login_required)."""
    if not allowed:
        raise PermissionDenied


def membership_in(community: Community, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "community"), pk=pk, community=community)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
