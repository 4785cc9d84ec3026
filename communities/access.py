"""The one way content apps turn "may not read this community" into a response (STYLE rule 5)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from cop_platform.compiled import CompiledQuery

from .models import Community
from .permissions import can_see_landing, can_view_community


@CompiledQuery
def _community_by_slug(*, slug: str):
    return Community.objects.filter(slug=slug)[:1]


def community_by_slug_or_404(slug: str) -> Community:
    """The community of a URL's slug, whoever asks (what they may see of it is for the caller to decide)."""
    rows = _community_by_slug(slug=slug)
    if not rows:
        raise Http404("No Community matches the given query.")
    return rows[0]


def community_or_404(request, slug: str) -> Community:
    """The community if the user may at least see its landing page; hidden ones 404 for outsiders."""
    community = community_by_slug_or_404(slug)
    if not can_see_landing(request.user, community):
        raise Http404("No such community.")
    return community


def refuse(request, community: Community):
    """The answer to someone who may not read a community's inner pages (forums, threads, hot seats, members...).

    A private community's anonymous visitor logs in first; a signed-in outsider lands on its landing page, which
    says only what the community shows everyone, with its "ask to join" or "request an invitation" action.
    A hidden community does not exist for outsiders: 404, like anything else they may not see. Actions (POSTs)
    are refused with a 404 too, so a refusal never looks like a redirect after success.
    """
    if community.visibility != Community.Visibility.PRIVATE:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        raise Http404  # an action, not a page: refused, and nothing was done
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    messages.info(request, f"That page is for members of {community.name}. Here is how to join.")
    return redirect(community)


def readable_community(view):
    """Resolve the community from the URL's slug and let through only people who may read its content."""

    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        community = community_by_slug_or_404(slug)
        if not can_view_community(request.user, community):
            return refuse(request, community)
        return view(request, community, *args, **kwargs)

    return wrapped
