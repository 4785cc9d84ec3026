"""Sign up, confirm by the emailed link, ask to join, be approved and welcomed: all through the real pages."""

import re

from .journeys import PASSWORD, link_in, newcomer
from .pages import FACILITATOR
from .site import text_part


def test_a_newcomer_signs_up_confirms_asks_to_join_and_is_approved_and_welcomed(open_page, live_site, ids):
    person = newcomer()
    name = f"{person['first']} {person['last']}"
    page = open_page()

    # Sign up from the community's page.
    page.goto(f"/c/{ids['community']}/")
    page.get_by_role("button", name="Sign up to join").click()
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("First name").fill(person["first"])
    page.get_by_label("Last name").fill(person["last"])
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign up").click()
    page.get_by_text("Verify Your Email Address").first.wait_for()

    # The confirmation email names the platform, links to this server, and reads as plain text.
    message = live_site.wait_for_message(to=person["email"], subject_contains="Confirm")
    assert str(message["Subject"]).startswith("[CoP Platform] ")
    assert "example.com" not in text_part(message)
    page.goto(link_in(live_site, message, "/accounts/confirm-email/"))
    page.locator("main form").get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "confirm-email" not in url)

    # Ask to join the approval-only community.
    page.goto(f"/c/{ids['community']}/")
    page.get_by_role("button", name="Ask to join").click()
    page.get_by_label("Why").or_(page.locator("main textarea")).first.fill("I run a PMO in a fire and rescue service.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("Your request to join is with the facilitators").wait_for()

    # A facilitator approves it from the Requests queue.
    facilitator = open_page(FACILITATOR)
    facilitator.goto(f"/c/{ids['community']}/manage/requests/")
    request = facilitator.locator("article.request-card", has_text=name)
    request.get_by_label(re.compile("^Note to")).fill("Glad to have you with us.")
    request.get_by_role("button", name="Approve").click()
    facilitator.locator(".flash", has_text=name).wait_for()
    approved = live_site.wait_for_message(to=person["email"], subject_contains="approved")
    assert "Glad to have you with us." in text_part(approved)
    assert f"{live_site.base_url}/c/{ids['community']}/" in text_part(approved)

    # ... and welcomes them personally from the To welcome queue.
    facilitator.goto(f"/c/{ids['community']}/manage/welcome/")
    facilitator.locator("tr", has_text=name).get_by_role("button", name="Welcome").click()
    facilitator.locator("main textarea").fill(
        f"Welcome **{person['first']}**! Start with the [questions](/c/{ids['community']}/forums/)."
    )
    facilitator.get_by_role("button", name="Send welcome").click()
    facilitator.locator(".flash").first.wait_for()

    welcome = live_site.wait_for_message(to=person["email"], subject_contains="Welcome")
    assert f"Welcome {person['first']}! Start with the questions" in text_part(welcome)
    assert "**" not in text_part(welcome)
    page.goto("/")
    card = page.locator(".welcome-card")
    card.get_by_text("a personal welcome").wait_for()
    assert card.locator("strong", has_text=person["first"]).count() == 1
    assert page.locator(".membership-actions, .card-grid").first.is_visible()
