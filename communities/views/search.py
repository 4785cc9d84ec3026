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

    Pages are fetched one row long instead of counted, so a page costs two queries (the ranked ids, then those rows)
    however many documents match.
    """
    communities = list(Community.objects.visible_to(request.user).values_list("pk", "slug", "name"))
    form = SearchForm(request.GET, communities=communities)
    filters = form.cleaned_data if form.is_valid() else {}
    searched = any(filters.values())
    number = _page_number(request)
    results = []
    if searched:
        documents = site_search.search(
            request.user,
            filters["q"],
            community=filters["community"],
            kind=filters["kind"] or None,
            tag=filters["tag"] or None,
        )
        offset = (number - 1) * PAGE_SIZE
        # Rank first, then join and highlight only the page's rows: joining every match before the cut costs
        # about a quarter of the time for a common word (bench/README.md).
        ids = list(documents.values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])
        rows = {d.pk: d for d in documents.filter(pk__in=ids).select_related("community", "author")} if ids else {}
        results = [rows[pk] for pk in ids if pk in rows]
    has_next = len(results) > PAGE_SIZE and number < MAX_PAGE
    return render(
        request,
        "communities/search.html",
        {
            "form": form,
            "query": filters.get("q", ""),
            "searched": searched,
            "results": results[:PAGE_SIZE],
            "page_number": number,
            "previous_query": _page_query(request, number - 1) if number > 1 else "",
            "next_query": _page_query(request, number + 1) if has_next else "",
        },
    )
