"""A member asks in an open hot seat and another member upvotes the question."""

from uuid import uuid4

from playwright.sync_api import expect

from .pages import FACILITATOR, MEMBER


def test_a_member_asks_in_an_open_hot_seat_and_another_upvotes_it(open_page, ids):
    question = f"How do you keep a benefits register alive after handover? {uuid4().hex[:4]}"
    url = f"/c/{ids['community']}/hotseats/{ids['open_hotseat']}/"
    asker = open_page(MEMBER)
    asker.goto(url)
    asker.get_by_role("textbox", name="Your question").fill(question)
    asker.get_by_role("button", name="Send question").click()
    expect(asker.locator("article.question", has_text=question)).to_be_visible()

    voter = open_page(FACILITATOR)
    voter.goto(url)
    card = voter.locator("article.question", has_text=question)
    expect(card.locator(".question-votes strong")).to_have_text("0")
    card.get_by_role("button", name="Vote for this question").click()
    card = voter.locator("article.question", has_text=question)
    expect(card.get_by_role("button", name="Remove your vote")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".question-votes strong")).to_have_text("1")
