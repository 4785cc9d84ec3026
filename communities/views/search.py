from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from .. import search as site_search
from ..forms import SearchForm
from ..models import Community

PAGE_SIZE = 20
MAX_PAGE = 50


def _page_number(request) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def _page_query(request, number: int) -> str:
    params = request.GET.copy()
    params["page"] = number
    return params.urlencode()


@login_not_required
def search(request):
    """Search everything the user may read; anyone may search public communities.

    The results are one query whatever matches: one page ranked, with highlights and a count capped at
    SEARCH_CANDIDATES, shown as "1,000+" (`communities.search.result_page`).
    """
    communities = list(Community.objects.visible_to(request.user).values_list("pk", "slug", "name"))
    form = SearchForm(request.GET, communities=communities)
    filters = form.cleaned_data if form.is_valid() else {}
    searched = any(value for name, value in filters.items() if name != "order")
    number = _page_number(request)
    results, total = [], 0
    if searched:
        results, total = site_search.result_page(
            request.user,
            filters["q"],
            community=filters["community"],
            kind=filters["kind"] or None,
            tag=filters["tag"] or None,
            order=filters["order"],
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE + 1,
        )
    has_next = len(results) > PAGE_SIZE and number < MAX_PAGE
    return render(
        request,
        "communities/search.html",
        {
            "form": form,
            "query": filters.get("q", ""),
            "searched": searched,
            "results": results[:PAGE_SIZE],
            "total": min(total, site_search.SEARCH_CANDIDATES),
            "more_than_total": total > site_search.SEARCH_CANDIDATES,
            "page_number": number,
            "previous_query": _page_query(request, number - 1) if number > 1 else "",
            "next_query": _page_query(request, number + 1) if has_next else "",
        },
    )
