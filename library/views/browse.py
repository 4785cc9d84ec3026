"""Finding things in a community's library: the home page, the filtered list, key links and tag pages."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from communities import search

from .. import permissions, selectors
from ..forms import BrowseForm
from ..models import Resource
from ._helpers import community_view, paginate, query_without_page

TAG_PAGE_SIZE = 20


def _filter_choices() -> dict:
    return {"kinds": Resource.Kind.choices, "sorts": [(key, label) for key, (label, _) in selectors.SORTS.items()]}


@login_not_required
@community_view
def home(request, community):
    """Featured, most useful and newest resources, and the filters that lead to the rest."""
    member = permissions.reads_members_only(request.user, community)
    context = selectors.home(community, member=member)
    return render(
        request,
        "library/home.html",
        {"community": community, "tab": "library", **_filter_choices(), **context},
    )


@login_not_required
@community_view
def browse(request, community):
    """Every resource the reader may open, filtered by kind, tag, theme and organisation, sorted and paged."""
    member = permissions.reads_members_only(request.user, community)
    form = BrowseForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.browse(community, member=member, filters=filters), selectors.PAGE_SIZE)
    return render(
        request,
        "library/browse.html",
        {
            "community": community,
            "tab": "library",
            "form": form,
            "filters": filters,
            **_filter_choices(),
            "page": page,
            "query": query_without_page(request),
            "facets": selectors.facets(Resource.objects.listed_in(community, member=member)),
            "kind_label": dict(Resource.Kind.choices).get(filters.get("kind", "")),
        },
    )


@login_not_required
@community_view
def key_links(request, community):
    """Useful websites the members recommend, grouped by tag."""
    member = permissions.reads_members_only(request.user, community)
    page = paginate(request, selectors.key_links(community, member=member), selectors.KEY_LINKS_PAGE_SIZE)
    return render(
        request,
        "library/key_links.html",
        {"community": community, "tab": "library", "page": page, "groups": selectors.group_by_tag(page.object_list)},
    )


@login_not_required
@community_view
def tag_detail(request, community, tag):
    """Resources carrying a tag, gathered through the search index as theme pages gather threads and hot seats."""
    documents = search.tagged(request.user, community, [tag]).filter(kind__in=Resource.Kind.values)
    page = paginate(request, documents, TAG_PAGE_SIZE)
    return render(
        request, "library/tag_detail.html", {"community": community, "tab": "library", "tag": tag, "page": page}
    )
