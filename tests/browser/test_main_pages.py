"""The main pages (pages.py) as each persona sees them: 0 serious/critical axe violations, 0 Nu errors."""

from .checks import axe_findings, report
from .pages import MAIN_PAGES


def test_main_pages_pass_axe_and_the_nu_checker(open_page, live_site, ids, html_store, record_property):
    pages = {}
    axe = []
    for spec in MAIN_PAGES:
        if spec.persona not in pages:
            pages[spec.persona] = open_page(None if spec.persona == "anonymous" else spec.persona)
        page = pages[spec.persona]
        response = page.goto(spec.url_path(ids))
        assert response.status == 200, f"{spec.name}: {response.status} at {page.url}"
        html_store.save(f"{spec.persona} {spec.name}", response.body())
        axe += axe_findings(page, f"{spec.persona} {spec.name}")
    nu = html_store.nu_findings()
    record_property("pages", len(MAIN_PAGES))
    print(f"\nMain pages: {len(MAIN_PAGES)} checked; axe serious/critical: {len(axe)}; Nu errors: {len(nu)}")
    assert not axe + nu, report(axe + nu)
