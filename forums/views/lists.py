from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from cop_platform.anonymous_pages import anonymous_page
from cop_platform.links import url_with_slug

from .. import permissions, row_fragments, selectors
from ..models import Thread
from ._helpers import community_view, mark_new, paginate

LIST_TITLES = {
    "latest": "Latest",
    "unanswered": "Unanswered questions",
    "mine": "My threads",
    "articles": "Articles",
}


def list_links(community) -> dict[str, str]:
    """The forum sub-navigation's links and "New thread", without a resolver walk per link."""
    names = ("latest", "unanswered", "mine", "articles", "tag_list", "thread_create")
    return {name: url_with_slug(f"forums:{name}", community.slug) for name in names}


def _render_list(request, community, threads, *, title, tab, category=None, tag=None, empty="", categories=None):
    """Render a list page. `threads` is a queryset, or a Page already cut and given its list data; pass
    `categories` if already loaded."""
    if categories is None:
        categories = selectors.community_categories(community)
    if isinstance(threads, Page):
        page = threads
    else:
        page = paginate(request, threads)
        page.object_list = selectors.attach_list_data(community, page.object_list, categories)
    mark_new(request.user, community, page.object_list)
    rows = row_fragments.render_rows(page.object_list)
    # Members who may not start a thread are told why where the "New thread" button would be.
    start_refusal = (
        permissions.start_thread_refusal(request.user, community, [category] if category else categories)
        if permissions.is_active_member(request.user, community)
        else None
    )
    categories = [c for c in categories if not c.is_archived]
    return render(
        request,
        "forums/thread_list.html",
        {
            "community": community,
            "tab": "forums",
            "list_tab": tab,
            "list_links": list_links(community),
            "title": title,
            "page": page,
            "rows": rows,
            "categories": categories,
            "category": category,
            "tag": tag,
            "empty": empty,
            "start_refusal": start_refusal,
            "can_manage_categories": permissions.can_manage_categories(request.user, community),
            # On a category's page, "New thread" means a thread in that category.
            "can_start": permissions.can_start_thread(request.user, category)
            if category is not None
            else any(permissions.can_start_thread(request.user, c) for c in categories),
        },
    )


@anonymous_page
@login_not_required
@community_view
def latest(request, community):
    threads = selectors.ListedThreads(request.user, community)
    return _render_list(
        request,
        community,
        threads,
        title="Latest",
        tab="latest",
        empty="No threads yet. Ask the first question: someone here will know.",
    )


@anonymous_page
@login_not_required
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


@login_not_required
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


@anonymous_page
@login_not_required
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


@anonymous_page
@login_not_required
@community_view
def category_detail(request, community, category_slug):
    # The sidebar lists the categories anyway: find this one among them rather than asking again.
    categories = selectors.community_categories(community)
    category = next((c for c in categories if c.slug == category_slug), None)
    if category is None:
        raise Http404
    threads = selectors.ListedThreads(request.user, community, category=category)
    return _render_list(
        request,
        community,
        threads,
        title=category.name,
        tab="category",
        category=category,
        categories=categories,
        empty="No threads in this category yet.",
    )


@anonymous_page
@login_not_required
@community_view
def tag_detail(request, community, tag_slug):
    page = paginate(request, selectors.thread_list(request.user, community, tag=tag_slug))
    categories = selectors.community_categories(community)
    page.object_list = selectors.attach_list_data(community, page.object_list, categories)
    # The listed threads carry their tags already; only an empty page needs to look the tag up.
    name = next((n for thread in page.object_list for n, _, slug in thread.tag_list if slug == tag_slug), None)
    tag = Tag(name=name, slug=tag_slug) if name is not None else None
    if tag is None:
        # Only a tag on this community's listed threads: tags are site-wide, and one used only in a private or
        # hidden community (or on removed threads) must not have its name shown here.
        tag = get_object_or_404(
            Tag.objects.filter(thread__community=community, thread__is_hidden=False).distinct(), slug=tag_slug
        )
    return _render_list(
        request,
        community,
        page,
        title=f"Tagged “{tag.name}”",
        tab="tag",
        tag=tag,
        categories=categories,
        empty="No threads with this tag here.",
    )


@anonymous_page
@login_not_required
@community_view
def tag_list(request, community):
    """The community's tags by how many visible threads carry them."""
    tags = (
        Tag.objects.filter(Q(thread__community=community, thread__is_hidden=False))
        .annotate(n=Count("thread", distinct=True))
        .order_by("-n", "name")[:200]
    )
    return render(
        request,
        "forums/tag_list.html",
        {
            "community": community,
            "tab": "forums",
            "list_tab": "tags",
            "list_links": list_links(community),
            "tags": tags,
        },
    )
