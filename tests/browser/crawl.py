"""Follow every same-site link a persona can see, checking each page the way test_main_pages does.

Pages are grouped by route (URL name): the crawl opens at most `per_route` pages of each and runs axe on the
first of them (the Nu checker sees them all), so fifty member profiles cost two page loads while every kind of
page is still reached. The main pages (pages.py) are checked in full by test_main_pages, so a route that is one of
the persona's main pages is not run through axe again here (`axe_done`); the Nu checker still sees it.
"""

from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from .checks import Finding, HtmlStore, axe_findings
from .pages import CRAWL_SKIP_PREFIXES, CRAWL_SKIP_SUFFIXES

LINKS_JS = "els => els.map(e => e.getAttribute('href'))"


@dataclass
class CrawlResult:
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def route_of(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.view_name


def _wanted(path: str) -> bool:
    bare = urlsplit(path).path
    return not bare.startswith(CRAWL_SKIP_PREFIXES) and not bare.endswith(CRAWL_SKIP_SUFFIXES)


def crawl(
    page,
    base_url: str,
    persona: str,
    starts: list[str],
    store: HtmlStore,
    *,
    per_route: int,
    axe_done: frozenset[str] = frozenset(),
) -> CrawlResult:
    result = CrawlResult()
    broken: list[str] = []
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.url.startswith(base_url)
            else None
        ),
    )
    queue, queued, opened = deque(starts), set(starts), Counter()
    while queue:
        path = queue.popleft()
        route = route_of(path)
        if opened[route] >= per_route:
            continue
        opened[route] += 1
        label = f"{persona} {path}"
        broken.clear()
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            # A file served as an attachment (CSV exports, library downloads) is not a page to check.
            if "Download is starting" in str(error):
                continue
            raise
        for failure in broken:
            result.findings.append(Finding(label, "HTTP error", failure))
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        result.pages.append(path)
        store.save(label, response.body())
        if opened[route] == 1 and route not in axe_done:
            result.findings += axe_findings(page, label)
        for href in page.eval_on_selector_all("a[href]", LINKS_JS):
            absolute, _ = urldefrag(urljoin(page.url, href))
            if not absolute.startswith(base_url + "/"):
                continue
            target = absolute[len(base_url) :]
            if target not in queued and _wanted(target):
                queued.add(target)
                queue.append(target)
    return result
