"""Forum journeys through the real pages: ask a question, get a nested reply, accept it; thank a post; flag a post
and have a facilitator hide it and restore it from the moderation queue."""

import re
from uuid import uuid4

from playwright.sync_api import expect

from .pages import FACILITATOR, MEMBER


def _ask(page, ids, title: str) -> str:
    page.goto(f"/c/{ids['community']}/forums/new/")
    page.get_by_label("Question").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Message").fill("We have two weeks to set up **benefits tracking**. Where would you start?")
    page.get_by_role("button", name="Post thread").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.url


def _post(page, text: str):
    return page.locator("article.post", has_text=text)


def test_a_member_asks_gets_a_nested_reply_and_accepts_an_answer_and_thanks_it(open_page, ids):
    title = f"Where do we start with benefits tracking? {uuid4().hex[:4]}"
    asker = open_page(MEMBER)
    thread_url = _ask(asker, ids, title)

    # A facilitator answers.
    facilitator = open_page(FACILITATOR)
    facilitator.goto(thread_url)
    facilitator.get_by_role("textbox", name="Your reply").fill(
        "Start from a benefits map: outcomes first, then measures."
    )
    facilitator.get_by_role("button", name="Post reply").click()
    expect(_post(facilitator, "Start from a benefits map")).to_be_visible()

    # The asker replies to that answer (nested under it) ...
    asker.goto(thread_url)
    _post(asker, "Start from a benefits map").get_by_role("link", name="Reply", exact=True).click()
    asker.get_by_role("textbox", name="Your reply").fill("Thanks! Do you have a template for the map?")
    asker.get_by_role("button", name="Post reply").click()
    # Replies to the question sit one step in; the reply to the answer one step further.
    expect(_post(asker, "Do you have a template for the map?")).to_have_class(re.compile(r"\bindent-2\b"))
    expect(_post(asker, "Start from a benefits map")).to_have_class(re.compile(r"\bindent-1\b"))

    # ... thanks it ...
    answer = _post(asker, "Start from a benefits map")
    thanks = answer.get_by_role("button", name=re.compile("^Thanks"))
    expect(thanks).to_have_attribute("aria-pressed", "false")
    thanks.click()
    answer = _post(asker, "Start from a benefits map").last
    expect(answer.get_by_role("button", name=re.compile("^Thanks"))).to_have_attribute("aria-pressed", "true")
    expect(answer.get_by_role("button", name=re.compile("^Thanks"))).to_contain_text("1")

    # ... and accepts it.
    answer.get_by_role("button", name="Accept answer").click()
    expect(asker.get_by_role("heading", name=re.compile("Solved"))).to_be_visible()
    accepted = asker.locator("section.accepted-answer")
    expect(accepted).to_contain_text("Start from a benefits map")
    expect(asker.locator("article.post.post-accepted[id]")).to_have_count(1)


def test_a_flagged_post_is_hidden_and_restored_from_the_moderation_queue(open_page, ids):
    title = f"Lessons from a late gateway review {uuid4().hex[:4]}"
    member = open_page(MEMBER)
    thread_url = _ask(member, ids, title)
    facilitator = open_page(FACILITATOR)
    facilitator.goto(thread_url)
    text = f"Buy cheap certificates at spam.example {uuid4().hex[:4]}"
    facilitator.get_by_role("textbox", name="Your reply").fill(text)
    facilitator.get_by_role("button", name="Post reply").click()

    # The member flags the reply.
    member.goto(thread_url)
    _post(member, text).get_by_role("link", name="Flag").click()
    member.get_by_label("Spam").check()
    member.get_by_role("button", name="Send to the facilitators").click()
    expect(member.locator(".flash").first).to_be_visible()

    # A facilitator hides it from the queue ...
    facilitator.goto(f"/c/{ids['community']}/forums/moderation/")
    item = facilitator.locator("article.queue-item", has_text=text).first
    expect(item).to_contain_text("Spam")
    item.get_by_label("Reason (kept in the log)").fill("Spam")
    item.get_by_role("button", name="Hide post").click()
    expect(facilitator.locator(".flash", has_text="hidden")).to_be_visible()
    member.goto(thread_url)
    expect(member.get_by_text(text)).to_have_count(0)

    # ... and restores it from the same page.
    hidden = facilitator.locator("section.hidden-posts article", has_text=text)
    hidden.get_by_role("button", name="Restore").click()
    expect(facilitator.locator(".flash", has_text="visible again")).to_be_visible()
    expect(facilitator.locator("section.hidden-posts article", has_text=text)).to_have_count(0)
    member.goto(thread_url)
    expect(member.get_by_text(text)).to_be_visible()
