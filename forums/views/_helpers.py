from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.access import readable_community, refuse
from communities.models import Community
from communities.permissions import can_view_community, membership_for

from .. import permissions
from ..models import Post, Thread

community_view = readable_community


def thread_view(view=None, *, lookup=None):
    """Resolve a thread (with its community and category, in one query) that the user may read.

    `lookup(user, slug, pk)` may find it instead (None: no such thread), e.g. the thread page's
    (`selectors.thread_for_page`: its annotations for members, only the joins it needs); it must bring the
    community and the category along.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, slug, pk, *args, **kwargs):
            if lookup is not None:
                thread = lookup(request.user, slug, pk)
                if thread is None:
                    raise Http404("No such thread.")
            else:
                base = Thread.objects.select_related("community", "category", "author")
                thread = get_object_or_404(base, pk=pk, community__slug=slug)
            if not can_view_community(request.user, thread.community):
                return refuse(request, thread.community)
            if not permissions.can_read_thread(request.user, thread):
                raise Http404
            return view(request, thread, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def post_view(view):
    """Resolve a post the user may see, with its thread and community."""

    @wraps(view)
    def wrapped(request, slug, pk, *args, **kwargs):
        post = get_object_or_404(
            Post.objects.select_related("thread__community", "thread__category", "author"),
            pk=pk,
            thread__community__slug=slug,
        )
        thread = post.thread
        if not can_view_community(request.user, thread.community):
            return refuse(request, thread.community)
        if not permissions.can_open_post(request.user, post):
            raise Http404
        return view(request, post, *args, **kwargs)

    return wrapped


def paginate(request, queryset, per_page: int | None = None):
    """A page of a list; `settings.FORUM_THREADS_PER_PAGE` rows unless told otherwise."""
    return Paginator(queryset, per_page or settings.FORUM_THREADS_PER_PAGE).get_page(request.GET.get("page"))


def mark_new(user, community: Community, threads) -> None:
    """Mark threads started or active since the member last looked: `is_new` / `is_updated` for the list."""
    membership = membership_for(user, community) if user.is_authenticated else None
    if membership is None or not membership.is_active:
        return
    baseline = membership.last_visit_at or membership.joined_at
    for thread in threads:
        read_at = getattr(thread, "read_at", None)
        thread.is_new = read_at is None and baseline is not None and thread.created_at > baseline
        thread.is_updated = read_at is not None and thread.last_activity_at > read_at
