"""Small screens: under 600 px the header folds into a "Menu" (a <details>, no JavaScript), wide tables scroll in
their own box, and no main page scrolls sideways at 390 px."""

from playwright.sync_api import expect

from .pages import ANONYMOUS, FACILITATOR, MAIN_PAGES, MEMBER

SIDEWAYS_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_no_main_page_scrolls_sideways_at_390_px(open_page, ids):
    pages = {
        persona: open_page(None if persona == ANONYMOUS else persona, width=390, height=844)
        for persona in (ANONYMOUS, MEMBER, FACILITATOR)
    }
    overflowing = []
    for spec in MAIN_PAGES:
        page = pages[spec.persona]
        page.goto(spec.url_path(ids))
        extra = page.evaluate(SIDEWAYS_JS)
        if extra > 0:
            overflowing.append(f"{spec.persona} {spec.name}: {extra}px too wide")
    assert not overflowing, "\n".join(overflowing)


def test_the_header_folds_into_a_menu_under_600_px(open_page):
    page = open_page(MEMBER, width=390, height=844)
    page.goto("/")
    menu = page.locator("header details.site-menu")
    search = page.get_by_role("searchbox", name="Search the communities")
    expect(menu.locator(":scope > summary")).to_be_visible()
    expect(search).to_be_hidden()

    menu.locator(":scope > summary").click()
    expect(search).to_be_visible()
    page.locator("header details.dropdown summary").last.click()
    expect(page.get_by_role("link", name="Email preferences")).to_be_visible()

    wide = open_page(MEMBER, width=1280)
    wide.goto("/")
    expect(wide.locator("header details.site-menu > summary")).to_be_hidden()
    expect(wide.get_by_role("searchbox", name="Search the communities")).to_be_visible()


def test_wide_tables_scroll_in_their_own_box(open_page, ids):
    page = open_page(FACILITATOR, width=390, height=844)
    page.goto(f"/c/{ids['community']}/manage/welcome/")
    box = page.locator(".table-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the welcome queue is wider than the screen"
    assert page.evaluate(SIDEWAYS_JS) == 0
    box.focus()  # reachable from the keyboard, so it can be scrolled without a mouse
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
