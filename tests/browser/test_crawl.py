"""Every page a crawl reaches as an anonymous visitor, a member and a facilitator: no broken link or missing
resource, 0 serious/critical axe violations and 0 Nu HTML checker errors."""

import pytest

from .checks import report
from .crawl import crawl, route_of
from .pages import ANONYMOUS, CRAWL_START, FACILITATOR, MAIN_PAGES, MEMBER

PER_ROUTE = 2


@pytest.mark.parametrize("persona", [ANONYMOUS, MEMBER, FACILITATOR])
def test_every_page_reached_is_valid_and_accessible(open_page, live_site, ids, html_store, persona):
    page = open_page(None if persona == ANONYMOUS else persona)
    # test_main_pages runs axe on these routes as this persona already.
    main_routes = frozenset(route_of(spec.url_path(ids)) for spec in MAIN_PAGES if spec.persona == persona)

    result = crawl(
        page,
        live_site.base_url,
        persona,
        CRAWL_START[persona],
        html_store,
        per_route=PER_ROUTE,
        axe_done=main_routes,
    )
    nu = html_store.nu_findings()

    axe = [f for f in result.findings if f.rule.startswith("axe")]
    print(
        f"\nCrawl as {persona}: {len(result.pages)} pages; axe serious/critical: {len(axe)}; "
        f"Nu errors: {len(nu)}; other: {len(result.findings) - len(axe)}"
    )
    assert len(result.pages) > 20, result.pages
    assert not result.findings + nu, report(result.findings + nu)
