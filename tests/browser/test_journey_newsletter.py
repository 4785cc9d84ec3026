"""A facilitator prepares a special edition, edits it (tick, untick, reorder), previews it, sends a test to
themselves, sends it after the confirmation page, and opens its report."""

import re

from playwright.sync_api import expect

from .pages import FACILITATOR, PERSONAS
from .site import html_part, text_part


def _title(item) -> str:
    """An item's title as the editor shows it, without its grey "· meta" line."""
    return item.locator(".item-choice").inner_text().split(" · ")[0].strip()


def test_a_facilitator_prepares_edits_previews_tests_and_sends_a_newsletter(open_page, live_site, ids):
    page = open_page(FACILITATOR)
    page.goto(f"/c/{ids['community']}/newsletter/")
    page.get_by_role("button", name="Prepare a special edition").click()
    expect(page.locator("h2 .badge", has_text="Special edition")).to_be_visible()
    page.get_by_label("Subject").fill("Gateway reviews: a special edition")
    page.get_by_label("Introduction").fill("Hello everyone,\n\nThis month we look at **gateway reviews**.")

    # In a section with three items or more: untick the first and move the third to the top, by clicking and
    # typing as a person would.
    sections = page.locator("article.section-editor")
    index = next(i for i in range(sections.count()) if sections.nth(i).locator(".item-editor").count() >= 3)
    section = sections.nth(index)
    first, third = section.locator(".item-editor").nth(0), section.locator(".item-editor").nth(2)
    left_out = _title(first)
    moved = _title(third)
    first.get_by_role("checkbox").click()
    expect(first.get_by_role("checkbox")).not_to_be_checked()
    third.get_by_role("spinbutton").fill("0")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash", has_text="Draft saved.")).to_be_visible()
    section = page.locator("article.section-editor").nth(index)
    expect(section.locator(".item-editor").first).to_contain_text(moved)
    expect(section.locator(".item-editor", has_text=left_out).get_by_role("checkbox")).not_to_be_checked()

    # Tick it again, then refresh the sections: what was typed and chosen stays.
    section.locator(".item-editor", has_text=left_out).get_by_role("checkbox").click()
    page.get_by_label("Introduction").fill("Hello everyone,\n\nThis month we look at **gateway reviews**. Enjoy!")
    page.get_by_role("button", name="Refresh sections").click()
    expect(page.locator(".flash", has_text="choices and order are kept")).to_be_visible()
    expect(page.get_by_label("Introduction")).to_have_value(re.compile("Enjoy!"))
    section = page.locator("article.section-editor").nth(index)
    expect(section.locator(".item-editor").first).to_contain_text(moved)
    expect(section.locator(".item-editor", has_text=left_out).get_by_role("checkbox")).to_be_checked()

    # Preview as HTML (a new tab) and as text.
    with page.context.expect_page() as preview_tab:
        page.get_by_role("link", name="Preview email").click()
    preview = preview_tab.value
    preview.wait_for_load_state()
    expect(preview.locator("body")).to_contain_text("gateway reviews")
    expect(preview.locator("body")).to_contain_text(moved)
    preview.close()

    # A test copy to the facilitator: text part is readable, links point at this server.
    page.get_by_role("button", name="Send a test to me").click()
    expect(page.locator(".flash", has_text="A test copy is on its way")).to_be_visible()
    test = live_site.wait_for_message(to=PERSONAS[FACILITATOR], subject_contains="[TEST] Gateway reviews")
    assert "This month we look at gateway reviews. Enjoy!" in text_part(test)
    assert "**" not in text_part(test)
    assert f"{live_site.base_url}/c/{ids['community']}/" in html_part(test)

    # Send now asks first, with the count the editor showed.
    goes_to = re.search(r"Goes to (\d+) member", page.locator("main").inner_text()).group(1)
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("heading", name=re.compile("Send .* now?"))).to_be_visible()
    expect(page.locator(".confirm-summary")).to_contain_text(f"{goes_to} member")
    expect(page.locator(".confirm-summary")).to_contain_text("All segments")
    page.get_by_role("button", name=f"Send to {goes_to} member").click()

    # The report opens.
    expect(page.get_by_role("heading", name=re.compile("Gateway reviews: a special edition"))).to_be_visible()
    expect(page.locator("section.stats")).to_contain_text(f"delivered of {goes_to}")
    live_site.wait_for_message(to="member@demo.cop.example", subject_contains="Gateway reviews: a special edition")


def test_every_checkbox_in_the_newsletter_editor_takes_a_click(open_page, ids):
    """The grey "· joined" / "1 Dec – 31 Dec" line under an item once lay over its checkbox and took the click."""
    page = open_page(FACILITATOR)
    page.goto(f"/c/{ids['community']}/newsletter/{ids['draft_newsletter']}/edit/")
    boxes = page.locator("article.section-editor input[type=checkbox]")
    assert boxes.count() > 3
    for n in range(boxes.count()):
        box = boxes.nth(n)
        before = box.is_checked()
        box.click(timeout=3000)  # Playwright refuses when another element would receive the click
        assert box.is_checked() is not before
