from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.access import readable_community

from .. import permissions
from ..models import Resource, ResourceComment

community_view = readable_community


def resource_view(view=None, *, queryset=None):
    """Resolve a resource of the URL's community that the user may read (404 otherwise, STYLE rule 3).

    `queryset(request)` may supply a richer query, e.g. the resource page's annotations for members.
    """

    def decorate(view):
        @wraps(view)
        @readable_community
        def wrapped(request, community, pk, *args, **kwargs):
            base = queryset(request) if queryset else Resource.objects.select_related("author", "theme")
            resource = get_object_or_404(base, pk=pk, community=community)
            resource.community = community  # every permission check reads it: no second query
            if not permissions.can_read_resource(request.user, resource):
                raise Http404
            return view(request, resource, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def comment_view(view):
    """Resolve a published comment on a resource the user may read."""

    @wraps(view)
    @readable_community
    def wrapped(request, community, comment_pk, *args, **kwargs):
        comment = get_object_or_404(
            ResourceComment.objects.select_related("resource", "author"),
            pk=comment_pk,
            resource__community=community,
            is_deleted=False,
        )
        comment.resource.community = community
        moderator = permissions.can_moderate(request.user, community)
        if not permissions.can_read_resource(request.user, comment.resource) or (
            comment.status != ResourceComment.Status.PUBLISHED and not moderator
        ):
            raise Http404
        return view(request, comment, *args, **kwargs)

    return wrapped


def paginate(request, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
