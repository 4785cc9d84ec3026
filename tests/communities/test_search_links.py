"""Issue 8, item 4: every link the app builds to the site search carries values the search form accepts.

Two checks: no template hand-builds a query string for the search page (they all go through `{% search_url %}`),
and a crawl of the demo site as its facilitator collects every search link the pages build and validates each
one against `SearchForm`, then follows the "Search past hot seats" link to its results.
"""

import re
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse

from accounts.models import User
from communities.forms import SearchForm
from communities.models import Community

from ..helpers import login, page_source, text_of

HREF = re.compile(r'href="([^"]+)"')
SKIP = ("/admin/", "/static/", "/media/", "/n/", "/accounts/logout/")
SKIP_SUFFIXES = (".ics", ".txt", ".html", ".text", "/download/", "/preview/", "/export/", ".csv")


def _template_files():
    for directory in settings.TEMPLATES[0]["DIRS"]:
        yield from Path(directory).rglob("*.html")


def test_no_template_hand_builds_a_search_query_string():
    hand_built = [
        str(path)
        for path in _template_files()
        if re.search(r"\{% url ['\"]communities:search['\"] %\}\?", path.read_text())
    ]
    assert hand_built == []


def _route(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


def _crawl_for_search_links(client, starts, *, per_route=1, limit=200) -> set[str]:
    """Open same-site pages breadth first (a couple per route) and gather every link to the search page."""
    search_path = reverse("communities:search")
    found: set[str] = set()
    queue, seen, opened = deque(starts), set(starts), Counter()
    pages = 0
    while queue and pages < limit:
        path = queue.popleft()
        route = _route(path)
        if opened[route] >= per_route:
            continue
        opened[route] += 1
        response = client.get(path)
        pages += 1
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(page_source(response)):
            link = urldefrag(urljoin(path, href)).url
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path == search_path:
                if parts.query:
                    found.add(link)
                continue
            if parts.path.startswith(SKIP) or parts.path.endswith(SKIP_SUFFIXES) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return found


@pytest.mark.django_db
def test_every_search_link_the_pages_build_is_accepted_by_the_search_form():
    call_command("seed_demo", verbosity=0)
    facilitator = User.objects.get(email="facilitator@demo.cop.example")
    client = login(facilitator)
    ppm = Community.objects.get(slug="ppm-community")
    starts = [
        "/",
        ppm.get_absolute_url(),
        reverse("hotseats:hotseat_list", args=[ppm.slug]),
        reverse("library:browse", args=[ppm.slug]) + "?q=zzzz-nothing-matches",
        reverse("communities:search") + "?q=benefits",
        *[theme.get_absolute_url() for theme in ppm.themes.all()],
    ]
    links = _crawl_for_search_links(client, starts)
    communities = list(Community.objects.visible_to(facilitator).values_list("pk", "slug", "name"))

    # The links the issue names are among those found, so this test sees what it checks.
    past_hot_seats = [link for link in links if "kind=hotseat" in link]
    assert past_hot_seats, links
    assert any("tag=" in link and "community=" in link for link in links), links

    refused = {}
    for link in links:
        data = QueryDict(urlsplit(link).query)
        form = SearchForm(data, communities=communities)
        if not form.is_valid():
            refused[link] = form.errors.as_json()
        elif data.get("community") and form.cleaned_data["community"] is None:
            refused[link] = "names a community the form does not know"
    assert refused == {}

    results = client.get(past_hot_seats[0])
    assert "Select a valid choice" not in text_of(results)
    assert results.context["results"], "the past hot seats link lands on results"
