"""The monthly newsletter from draft to sending: automatic drafts and their sections, the facilitators'
editing, preview, test, scheduling and sending pages, who may see what, and the web archive."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, Segment, Theme
from forums import services as forum_services
from forums.models import Reaction, Thread
from hotseats import services as hotseat_services
from newsletters import sending, services, tasks
from newsletters.models import Delivery, Newsletter

from ..conftest import login
from ..factories import make_community, make_membership, make_user
from .helpers import item, local, make_category, make_newsletter, messages_of, reply, start_thread, text_of, url

pytestmark = pytest.mark.django_db


# --- Automatic drafts ------------------------------------------------------------------------------------------


def test_a_draft_is_prepared_once_per_community_and_month_on_or_after_its_newsletter_day(community):
    Community.objects.filter(pk=community.pk).update(newsletter_day=10)
    early = make_community(name="Early", newsletter_day=3)
    late = make_community(name="Late", newsletter_day=20)
    make_community(name="Retired", newsletter_day=1, stage=Community.Stage.ARCHIVED)
    march = datetime(2031, 3, 1).date()

    def prepare_on(day: int, month=march) -> int:
        with time_machine.travel(local(month.replace(day=day), 6, 0)):
            return tasks.prepare_due_newsletters()

    assert prepare_on(9) == 1  # Early only
    assert prepare_on(10) == 1  # PPM's day
    assert prepare_on(10) == 0  # again the same day: nothing new
    assert prepare_on(19) == 0
    assert prepare_on(25) == 1  # Late
    assert prepare_on(28) == 0

    periods = Newsletter.objects.values_list("community__name", "period", "status")
    assert sorted(periods) == [
        ("Early", march, "draft"),
        ("Late", march, "draft"),
        ("PPM Community", march, "draft"),
    ]
    assert prepare_on(10, march.replace(month=4)) == 2  # a new month: Early and PPM again, Late waits
    assert Newsletter.objects.filter(community=community).count() == 2
    assert Newsletter.objects.get(community=early, period=march).subject == "Early: March 2031"
    assert not Newsletter.objects.filter(community=late, period=march.replace(month=4)).exists()


def test_preparing_by_hand_finds_the_month_already_prepared(as_facilitator, community, facilitator):
    first = as_facilitator.post(reverse("newsletters:prepare", args=[community.slug]))
    second = as_facilitator.post(reverse("newsletters:prepare", args=[community.slug]), follow=True)

    newsletter = Newsletter.objects.get()
    assert first.url == url("edit", newsletter)
    assert "This month's issue already exists." in messages_of(second)
    assert newsletter.created_by == facilitator


@pytest.fixture
def month_of_activity(community, facilitator, member, owner):
    """A month in the community: everything a newsletter reports, and content moderators hid or still hold."""
    now = timezone.now()
    helper = make_membership(community, make_user(first_name="Hal", last_name="Helper")).user
    make_membership(community, make_user(first_name="Nadia", last_name="Newcomer"), joined_at=now - timedelta(days=3))
    make_membership(community, make_user(first_name="Olga", last_name="Oldtimer"), joined_at=now - timedelta(days=60))
    make_membership(
        community,
        make_user(first_name="Bert", last_name="Banned"),
        status=Membership.Status.BANNED,
        joined_at=now - timedelta(days=2),
    )
    category = make_category(community)

    busy = start_thread(category, member, title="Benefits realisation in practice")
    replies = [reply(busy, helper, f"Point {i}") for i in range(3)]
    forum_services.post_hide(post=reply(busy, helper, "SECRET reply with a name"), by=facilitator)
    forum_services.reaction_toggle(post=replies[0], user=member, kind=Reaction.Kind.HELPFUL)
    quiet = start_thread(category, member, title="Quiet corner")
    reply(quiet, helper, "Hello")
    start_thread(category, helper, title="How big should a PMO be?", kind=Thread.Kind.QUESTION)
    solved = start_thread(category, member, title="Stage gate criteria?", kind=Thread.Kind.QUESTION)
    answer = reply(solved, helper, "Use the five-case model.")
    forum_services.answer_accept(thread=solved, post=answer, by=member)
    start_thread(category, member, title="Our PMO playbook", kind=Thread.Kind.ARTICLE, body="How we **work**.")

    hidden = start_thread(category, member, title="SECRET hidden question", kind=Thread.Kind.QUESTION)
    forum_services.post_hide(post=hidden.posts.get(is_opening=True), by=facilitator)
    spammer = make_membership(community, make_user(first_name="Sam", last_name="Spammer")).user
    held = start_thread(
        category,
        spammer,
        title="SECRET held article",
        kind=Thread.Kind.ARTICLE,
        body="[a](https://a.example) [b](https://b.example) [c](https://c.example)",
    )
    assert held.is_hidden

    upcoming = hotseat_services.hotseat_create(
        community=community,
        by=facilitator,
        title="Risk appetite with Rosa",
        topic="Ask Rosa.",
        opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=8),
    )
    closed = hotseat_services.hotseat_create(
        community=community,
        by=facilitator,
        title="Estimating with Eli",
        topic="Ask Eli.",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=4),
    )
    hotseat_services.summary_write(hotseat=closed, by=facilitator, summary="Eli says: **reference classes**.")
    Theme.objects.create(
        community=community,
        title="Benefits month",
        slug="benefits",
        starts_on=timezone.localdate() - timedelta(days=5),
        ends_on=timezone.localdate() + timedelta(days=20),
        tags="benefits",
    )
    return {"busy": busy, "upcoming": upcoming, "closed": closed}


def titles(newsletter, key) -> list[str]:
    section = next((s for s in newsletter.sections if s["key"] == key), {"items": []})
    return [i["title"] for i in section["items"]]


def test_the_draft_gathers_the_months_highlights_and_never_hidden_or_held_content(community, month_of_activity):
    newsletter, created = services.newsletter_prepare(community=community)

    assert created
    assert [s["key"] for s in newsletter.sections] == [
        "theme",
        "new_members",
        "active_threads",
        "helpful_threads",
        "unanswered",
        "accepted_answers",
        "hotseats",
        "articles",
    ]
    assert titles(newsletter, "theme") == ["Benefits month"]
    new_members = titles(newsletter, "new_members")
    assert "Nadia Newcomer" in new_members
    assert "Olga Oldtimer" not in new_members and "Bert Banned" not in new_members
    assert titles(newsletter, "active_threads")[:2] == ["Benefits realisation in practice", "Stage gate criteria?"]
    busy = next(s for s in newsletter.sections if s["key"] == "active_threads")["items"][0]
    assert busy["meta"] == "3 new replies"  # the hidden fourth does not count
    assert busy["url"] == month_of_activity["busy"].get_absolute_url()
    assert titles(newsletter, "helpful_threads") == ["Benefits realisation in practice"]
    assert titles(newsletter, "unanswered") == ["How big should a PMO be?"]
    assert titles(newsletter, "accepted_answers") == ["Stage gate criteria?"]
    assert titles(newsletter, "hotseats") == ["Risk appetite with Rosa", "Catch up: Estimating with Eli"]
    catch_up = next(s for s in newsletter.sections if s["key"] == "hotseats")["items"][1]
    assert catch_up["summary"] == "Eli says: reference classes."
    assert titles(newsletter, "articles") == ["Our PMO playbook"]
    assert newsletter.article["title"] == "Our PMO playbook"
    assert "SECRET" not in json.dumps(newsletter.sections)


# --- Editing ---------------------------------------------------------------------------------------------------


def test_facilitators_edit_the_intro_drop_and_reorder_items_pick_the_article_and_target_segments(
    as_facilitator, community, draft, member, facilitator
):
    finance = Segment.objects.create(community=community, name="finance")
    Segment.objects.create(community=community, name="leaders")
    Membership.objects.get(user=member, community=community).segments.add(finance)
    data = {
        "subject": "March at PPM",
        "intro": "Hello **everyone**",
        "article": "/c/ppm/forums/t/2/",
        "segments": [finance.pk],
        # Articles first, then active threads with "Active 3" before "Active 1"; "Active 2" and the
        # unanswered section are left out.
        "s0-keep": "on",
        "s0-pos": "2",
        "s0-i0-keep": "on",
        "s0-i0-pos": "5",
        "s0-i1-pos": "1",
        "s0-i2-keep": "on",
        "s0-i2-pos": "3",
        "s1-pos": "1",
        "s1-i0-keep": "on",
        "s2-keep": "on",
        "s2-pos": "1",
        "s2-i0-keep": "on",
        "s2-i0-pos": "1",
    }

    response = as_facilitator.post(url("edit", draft), data)

    assert response.status_code == 302 and response.url == url("edit", draft)
    draft.refresh_from_db()
    assert draft.subject == "March at PPM"
    assert "Hello <strong>everyone</strong>" in draft.intro_html
    assert [(s["key"], [i["title"] for i in s["items"]]) for s in draft.sections] == [
        ("articles", ["Playbook"]),
        ("active_threads", ["Active 3", "Active 1"]),
    ]
    assert draft.article == {"title": "Active 2", "url": "/c/ppm/forums/t/2/", "summary": ""}
    assert list(draft.segments.all()) == [finance]
    assert {uid for uid, _ in sending.recipients(draft)} == {member.pk}
    page = as_facilitator.get(url("edit", draft))
    assert "Goes to 1 member " in text_of(page)


def test_keeping_the_article_of_the_month_keeps_its_summary(as_facilitator, draft):
    data = {
        "subject": draft.subject,
        "intro": "",
        "article": "/c/ppm/forums/t/21/",
        "s0-keep": "on",
        "s0-i0-keep": "on",
    }

    as_facilitator.post(url("edit", draft), data)

    draft.refresh_from_db()
    assert draft.article["summary"] == "Our PMO playbook."
    assert [s["key"] for s in draft.sections] == ["active_threads"]


def test_a_draft_with_no_subject_is_not_saved_and_the_page_says_why(as_facilitator, draft):
    response = as_facilitator.post(url("edit", draft), {"subject": "", "intro": "Changed"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    draft.refresh_from_db()
    assert draft.intro == "Hello everyone" and len(draft.sections) == 3


def test_an_issue_already_sent_can_no_longer_be_edited(as_facilitator, draft):
    Newsletter.objects.filter(pk=draft.pk).update(status=Newsletter.Status.SENT, sent_at=timezone.now())

    response = as_facilitator.post(url("edit", draft), {"subject": "Rewritten history", "intro": ""})

    assert response.status_code == 302 and response.url == url("report", draft)
    assert Newsletter.objects.get(pk=draft.pk).subject == "PPM Community: March"


def test_the_preview_shows_the_email_as_html_and_as_plain_text(as_facilitator, draft):
    html = as_facilitator.get(url("preview", draft, "html"))
    text = as_facilitator.get(url("preview", draft, "text"))

    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert "<p>Hello everyone</p>" in html.content.decode()
    assert "Active 3" in html.content.decode() and "Article of the month" in html.content.decode()
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    body = text.content.decode()
    assert "ARTICLE OF THE MONTH\nPlaybook\nhttp" in body
    assert f"{settings.SITE_URL}/c/ppm/forums/t/3/" in body
    assert "<p>" not in body and "<a " not in body


def test_send_a_test_goes_only_to_the_facilitator_marked_test(as_facilitator, draft, facilitator, mailoutbox):
    response = as_facilitator.post(url("action", draft), {"action": "test"})

    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == [facilitator.email]
    assert message.subject == "[TEST] PPM Community: March"
    html = message.alternatives[0][0]
    assert "/n/o/" not in html and "/n/c/" not in html
    assert not Delivery.objects.exists()
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT


def test_a_scheduled_issue_goes_out_when_due_and_not_before(as_facilitator, draft, community, member, mailoutbox):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with time_machine.travel(local(tomorrow, 9, 0), tick=False) as clock:
        response = as_facilitator.post(url("action", draft), {"action": "schedule", "when": f"{tomorrow}T12:00"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == Newsletter.Status.SCHEDULED
        assert draft.scheduled_for == local(tomorrow, 12, 0)

        clock.move_to(local(tomorrow, 11, 59))
        assert tasks.dispatch_scheduled() == 0
        assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.SCHEDULED
        assert not Delivery.objects.exists()

        clock.move_to(local(tomorrow, 12, 1))
        assert tasks.dispatch_scheduled() == 1
        assert tasks.dispatch_scheduled() == 0
        tasks.send_newsletter_batch(draft.pk)

    draft.refresh_from_db()
    assert draft.status == Newsletter.Status.SENT
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        Membership.objects.filter(community=community).values_list("user__email", flat=True)
    )


def test_scheduling_in_the_past_is_refused_and_unscheduling_returns_to_draft(as_facilitator, draft):
    past = timezone.localtime() - timedelta(hours=1)
    refused = as_facilitator.post(
        url("action", draft), {"action": "schedule", "when": past.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "Choose a time in the future, or send it now." in messages_of(refused)
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT

    future = timezone.localtime() + timedelta(days=2)
    as_facilitator.post(url("action", draft), {"action": "schedule", "when": future.strftime("%Y-%m-%dT%H:%M")})
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.SCHEDULED
    as_facilitator.post(url("action", draft), {"action": "unschedule"})
    draft.refresh_from_db()
    assert (draft.status, draft.scheduled_for) == (Newsletter.Status.DRAFT, None)
    assert tasks.dispatch_scheduled() == 0


def test_send_now_sends_once_to_the_chosen_segment(as_facilitator, draft, community, member, owner, mailoutbox):
    finance = Segment.objects.create(community=community, name="finance")
    Membership.objects.get(user=member, community=community).segments.add(finance)
    draft.segments.set([finance])

    response = as_facilitator.post(url("action", draft), {"action": "send", "confirm": "yes"})

    assert response.status_code == 302 and response.url == url("report", draft)
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.SENDING
    tasks.send_newsletter_batch(draft.pk)
    again = as_facilitator.post(url("action", draft), {"action": "send", "confirm": "yes"}, follow=True)
    tasks.send_newsletter_batch(draft.pk)

    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "This issue has already been sent." in messages_of(again)
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.SENT


# --- Who may do what -------------------------------------------------------------------------------------------

MANAGE_PAGES = [
    ("get", "edit", ()),
    ("get", "preview", ("html",)),
    ("get", "preview", ("text",)),
    ("get", "report", ()),
    ("get", "send_confirm", ()),
    ("post", "action", ()),
    ("post", "prepare", None),
]


def manage_url(draft, name, extra) -> str:
    if extra is None:
        return reverse(f"newsletters:{name}", args=[draft.community.slug])
    return url(name, draft, *extra)


@pytest.mark.parametrize("persona", ["as_member", "as_outsider"])
@pytest.mark.parametrize(("method", "name", "extra"), MANAGE_PAGES)
def test_members_and_outsiders_get_403_on_every_manage_page(request, draft, mailoutbox, persona, method, name, extra):
    client = request.getfixturevalue(persona)

    response = getattr(client, method)(manage_url(draft, name, extra), {"action": "test"} if method == "post" else {})

    assert response.status_code == 403
    assert mailoutbox == []
    assert Newsletter.objects.count() == 1


@pytest.mark.parametrize(("method", "name", "extra"), MANAGE_PAGES)
def test_anonymous_visitors_are_sent_to_login_from_every_manage_page(client, draft, method, name, extra):
    path = manage_url(draft, name, extra)

    response = getattr(client, method)(path)

    assert response.status_code == 302
    assert response.url.startswith(f"{resolve_url(settings.LOGIN_URL)}?next=")


@pytest.mark.parametrize("persona", ["as_facilitator", "as_owner"])
@pytest.mark.parametrize(("method", "name", "extra"), MANAGE_PAGES[:4])
def test_facilitators_and_owners_open_every_manage_page(request, draft, persona, method, name, extra):
    assert request.getfixturevalue(persona).get(manage_url(draft, name, extra)).status_code == 200


def test_a_facilitator_of_another_community_gets_403(draft):
    elsewhere = make_community(name="Elsewhere")
    other = make_membership(elsewhere, make_user(), role=Membership.Role.FACILITATOR).user

    assert login(other).get(url("edit", draft)).status_code == 403


# --- The web archive -------------------------------------------------------------------------------------------


@pytest.fixture
def issues(community, draft):
    sent = make_newsletter(
        community,
        subject="PPM Community: February",
        period=(draft.period - timedelta(days=20)).replace(day=1),
        status=Newsletter.Status.SENT,
        sent_at=timezone.now() - timedelta(days=30),
        sections=[("active_threads", "Most active", [item("February's big thread", "/c/ppm/forums/t/9/")])],
    )
    return sent, draft


def test_the_archive_of_a_public_community_shows_sent_issues_to_anyone_and_drafts_to_facilitators_only(
    client, as_member, as_facilitator, issues
):
    sent, draft = issues
    archive = reverse("newsletters:archive", args=["ppm"])

    for reader in (client, as_member):
        page = text_of(reader.get(archive))
        assert "PPM Community: February" in page and "PPM Community: March" not in page
        assert "February's big thread" in text_of(reader.get(url("archive_detail", sent)))
        assert reader.get(url("archive_detail", draft)).status_code == 404
    page = text_of(as_facilitator.get(archive))
    assert "PPM Community: February" in page and "PPM Community: March" in page
    assert as_facilitator.get(url("archive_detail", draft)).status_code == 200


def test_the_archive_of_a_private_community_is_for_its_members(client, as_outsider, as_member, community, issues):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PRIVATE)
    sent, _ = issues
    archive = reverse("newsletters:archive", args=["ppm"])

    anonymous = client.get(archive)
    assert anonymous.status_code == 302 and anonymous.url.startswith(resolve_url(settings.LOGIN_URL))
    assert as_outsider.get(archive).status_code == 403
    assert client.get(url("archive_detail", sent)).status_code == 404
    assert as_outsider.get(url("archive_detail", sent)).status_code == 404
    assert "February's big thread" in text_of(as_member.get(url("archive_detail", sent)))


def test_the_archive_of_a_hidden_community_does_not_exist_for_outsiders(as_outsider, community, issues):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.HIDDEN)

    assert as_outsider.get(reverse("newsletters:archive", args=["ppm"])).status_code == 404
    assert as_outsider.get(url("archive_detail", issues[0])).status_code == 404
