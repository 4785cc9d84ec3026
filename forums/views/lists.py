from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from .. import permissions, selectors
from ..models import Category, Thread
from ._helpers import community_view, mark_new, paginate

LIST_TITLES = {
    "latest": "Latest",
    "unanswered": "Unanswered questions",
    "mine": "My threads",
    "articles": "Articles",
}


def _render_list(request, community, threads, *, title, tab, category=None, tag=None, empty=""):
    page = paginate(request, threads)
    mark_new(request.user, community, page.object_list)
    categories = list(Category.objects.filter(community=community, is_archived=False))
    return render(
        request,
        "forums/thread_list.html",
        {
            "community": community,
            "tab": "forums",
            "list_tab": tab,
            "title": title,
            "page": page,
            "categories": categories,
            "category": category,
            "tag": tag,
            "empty": empty,
            "can_start": any(permissions.can_start_thread(request.user, c) for c in categories),
        },
    )


@community_view
def latest(request, community):
    threads = selectors.thread_list(request.user, community)
    return _render_list(
        request,
        community,
        threads,
        title="Latest",
        tab="latest",
        empty="No threads yet. Ask the first question: someone here will know.",
    )


@community_view
def unanswered(request, community):
    threads = selectors.thread_list(request.user, community, unanswered=True)
    return _render_list(
        request,
        community,
        threads,
        title="Unanswered questions",
        tab="unanswered",
        empty="Every question has a reply. Thank you, everyone.",
    )


@community_view
def mine(request, community):
    if not request.user.is_authenticated:
        threads = Thread.objects.none()
    else:
        threads = selectors.thread_list(request.user, community, mine=True)
    return _render_list(
        request,
        community,
        threads,
        title="My threads",
        tab="mine",
        empty="Threads you start, reply to or follow appear here.",
    )


@community_view
def articles(request, community):
    threads = selectors.thread_list(request.user, community, kind=Thread.Kind.ARTICLE)
    return _render_list(
        request,
        community,
        threads,
        title="Articles",
        tab="articles",
        empty="No articles yet. Articles are longer pieces members write to share what they know.",
    )


@community_view
def category_detail(request, community, category_slug):
    category = get_object_or_404(Category, community=community, slug=category_slug)
    threads = selectors.thread_list(request.user, community, category=category)
    return _render_list(
        request,
        community,
        threads,
        title=category.name,
        tab="category",
        category=category,
        empty="No threads in this category yet.",
    )


@community_view
def tag_detail(request, community, tag_slug):
    tag = get_object_or_404(Tag, slug=tag_slug)
    threads = selectors.thread_list(request.user, community, tag=tag.slug)
    return _render_list(
        request,
        community,
        threads,
        title=f"Tagged “{tag.name}”",
        tab="tag",
        tag=tag,
        empty="No threads with this tag here.",
    )


@community_view
def tag_list(request, community):
    """The community's tags by how many visible threads carry them."""
    tags = (
        Tag.objects.filter(Q(thread__community=community, thread__is_hidden=False))
        .annotate(n=Count("thread", distinct=True))
        .order_by("-n", "name")[:200]
    )
    return render(
        request, "forums/tag_list.html", {"community": community, "tab": "forums", "list_tab": "tags", "tags": tags}
    )
