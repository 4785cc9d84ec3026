from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from communities.access import readable_community

from .. import permissions
from ..models import Posting

PER_PAGE = 20
community_view = readable_community


class ApplyRedirect(HttpResponseRedirect):
    """Sends the applicant on to the advert: a web page, or their mail program (mailto:)."""

    allowed_schemes = ["http", "https", "mailto"]


def posting_view(view=None, *, queryset=None):
    """Resolve a posting of the URL's community that the user may see (404 otherwise, STYLE rule 3)."""

    def decorate(view):
        @wraps(view)
        @readable_community
        def wrapped(request, community, pk, *args, **kwargs):
            base = queryset(request) if queryset else Posting.objects.select_related("author")
            posting = get_object_or_404(base, pk=pk, community=community)
            posting.community = community
            if not permissions.can_view_posting(request.user, posting):
                raise Http404
            return view(request, posting, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def paginate(request, queryset, per_page: int = PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
