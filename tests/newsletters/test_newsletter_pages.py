"""The monthly newsletter from draft to report: automatic drafts and their sections, the facilitators' editing,
preview, test, scheduling and sending pages, who may see what, the web archive, the report, the preferences page,
and the query counts of the busiest pages."""

import json
import re
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from communities.models import ActivityEvent, Community, CommunityVisit, Membership, Segment, Theme
from forums import services as forum_services
from forums.models import Reaction, Thread
from hotseats import services as hotseat_services
from newsletters import rendering, sending, services, tasks, tokens
from newsletters.models import Click, Delivery, MailSettings, Newsletter, Subscription

from ..conftest import login
from ..factories import make_community, make_membership, make_user
from .helpers import item, make_category, make_newsletter, reply, start_thread, text_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo(settings.TIME_ZONE)
S = Delivery.Status


def local(day, hour=12, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def url(name: str, newsletter: Newsletter, *extra) -> str:
    return reverse(f"newsletters:{name}", args=[newsletter.community.slug, newsletter.pk, *extra])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def draft(community, facilitator):
    """A draft with three sections of hand-made items (thread links, so each may be the article of the month)."""
    return make_newsletter(
        community,
        subject="PPM Community: March",
        sections=[
            (
                "active_threads",
                "Most active conversations",
                [item(f"Active {i}", f"/c/ppm/forums/t/{i}/") for i in (1, 2, 3)],
            ),
            ("unanswered", "Questions waiting", [item("Waiting 1", "/c/ppm/forums/t/11/")]),
            ("articles", "New articles", [item("Playbook", "/c/ppm/forums/t/21/", summary="Our PMO playbook.")]),
        ],
        article=item("Playbook", "/c/ppm/forums/t/21/", summary="Our PMO playbook."),
    )


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

    response = as_facilitator.post(url("action", draft), {"action": "send"})

    assert response.status_code == 302 and response.url == url("report", draft)
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.SENDING
    tasks.send_newsletter_batch(draft.pk)
    again = as_facilitator.post(url("action", draft), {"action": "send"}, follow=True)
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


# --- The report ------------------------------------------------------------------------------------------------


def bulk_users(n: int, prefix: str) -> list[User]:
    return User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.org", first_name=prefix, handle=f"{prefix}-{i}") for i in range(n)]
    )


def deliveries(newsletter, statuses: list[str], prefix="r") -> list[Delivery]:
    users = bulk_users(len(statuses), prefix)
    return Delivery.objects.bulk_create(
        [
            Delivery(newsletter=newsletter, recipient=u, email=u.email, status=status, error="550 No such user")
            for u, status in zip(users, statuses, strict=True)
        ]
    )


@pytest.fixture
def sent_day():
    return timezone.localdate() - timedelta(days=3)


@pytest.fixture
def sent(community, sent_day):
    return make_newsletter(
        community,
        status=Newsletter.Status.SENT,
        sent_at=local(sent_day, 10, 0),
        sections=[("threads", "Threads", [item("T", "/c/ppm/forums/t/1/"), item("A", "/c/ppm/forums/t/2/")])],
    )


def test_the_report_counts_deliveries_opens_clicks_and_unsubscribes_and_ranks_the_links(as_facilitator, sent):
    d = deliveries(sent, [S.SENT, S.SENT, S.SENT, S.SENT, S.FAILED, S.BOUNCED, S.PENDING])
    now = timezone.now()
    Delivery.objects.filter(pk__in=[d[0].pk, d[1].pk, d[2].pk]).update(opened_at=now)
    Delivery.objects.filter(pk__in=[d[0].pk, d[1].pk]).update(clicked_at=now)
    Delivery.objects.filter(pk=d[3].pk).update(unsubscribed_at=now)
    Click.objects.bulk_create(
        [
            Click(delivery=d[0], url="/c/ppm/forums/t/1/"),
            Click(delivery=d[0], url="/c/ppm/forums/t/1/"),
            Click(delivery=d[1], url="/c/ppm/forums/t/1/"),
            Click(delivery=d[1], url="/c/ppm/forums/t/2/"),
        ]
    )

    page = text_of(as_facilitator.get(url("report", sent)))

    assert "4 delivered of 7" in page
    assert "1 still sending" in page
    assert "2 failed (1 address refused)" in page
    assert "3 opened (75%)" in page
    assert "2 clicked (50%)" in page
    assert "1 unsubscribed" in page
    assert "Top links Link Clicks People /c/ppm/forums/t/1/ 3 2 /c/ppm/forums/t/2/ 1 1" in page
    assert "Failed deliveries" in page and "r5@example.org Address refused 550 No such user" in page


def test_the_report_shows_how_far_activity_rose_after_sending(as_facilitator, community, sent, sent_day):
    visitors = bulk_users(3, "v")
    before = [sent_day - timedelta(days=n) for n in range(1, 15)]
    CommunityVisit.objects.bulk_create([CommunityVisit(community=community, user=visitors[0], day=d) for d in before])
    after = {
        sent_day: ["post_replied", "thread_started", "hotseat_question_asked"],
        sent_day + timedelta(days=1): ["article_published"],
    }
    events = [
        ActivityEvent(community=community, verb=verb, created_at=local(day, 12))
        for day, verbs in after.items()
        for verb in verbs
    ]
    elsewhere = make_community(name="Elsewhere")
    events += [
        ActivityEvent(community=community, verb="joined", created_at=local(sent_day, 13)),  # not a contribution
        ActivityEvent(community=elsewhere, verb="post_replied", created_at=local(sent_day, 13)),
        ActivityEvent(community=community, verb="post_replied", created_at=local(sent_day - timedelta(days=20))),
    ]
    ActivityEvent.objects.bulk_create(events)
    CommunityVisit.objects.bulk_create(
        [
            CommunityVisit(community=community, user=visitors[1], day=sent_day + timedelta(days=1)),
            CommunityVisit(community=community, user=visitors[1], day=sent_day + timedelta(days=3)),
            CommunityVisit(community=community, user=visitors[2], day=sent_day + timedelta(days=3)),
            CommunityVisit(community=elsewhere, user=visitors[2], day=sent_day + timedelta(days=2)),
        ]
    )

    page = text_of(as_facilitator.get(url("report", sent)))

    # Before: 14 visits over 14 days. Since: 7 over 4 days (sending day to today) = 1.75 a day, 75% up.
    busiest = f"{sent_day.day} {sent_day:%b}"
    assert (
        "Daily activity since sending is 75% above the 14-day baseline (1.8 a day against 1.0); "
        f"the busiest day was {busiest} with 3." in page
    )


# --- Preferences -----------------------------------------------------------------------------------------------


def preference_data(community, **overrides) -> dict:
    data = {
        f"c{community.pk}-newsletter": "on",
        f"c{community.pk}-followed": "daily",
        f"c{community.pk}-replies": "immediate",
        f"c{community.pk}-mentions": "immediate",
        f"c{community.pk}-hotseats": "daily",
        f"c{community.pk}-announcements": "immediate",
    }
    for key, value in overrides.items():
        name = f"c{community.pk}-{key}"
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    return data


def test_members_save_per_community_settings_and_the_global_switch_on_the_preferences_page(
    as_member, member, community
):
    agile = make_community(name="Agile Delivery")
    make_membership(agile, member)
    data = {
        **preference_data(community, newsletter=None, followed="immediate", hotseats="off"),
        **preference_data(agile, mentions="off"),
        "no_email": "on",
    }

    response = as_member.post(reverse("newsletters:preferences"), data)

    assert response.status_code == 302
    ppm_sub = Subscription.objects.get(user=member, community=community)
    assert (ppm_sub.newsletter, ppm_sub.followed, ppm_sub.hotseats) == (False, "immediate", "off")
    agile_sub = Subscription.objects.get(user=member, community=agile)
    assert (agile_sub.newsletter, agile_sub.mentions, agile_sub.followed) == (True, "off", "daily")
    assert MailSettings.objects.get(user=member).no_email is True


def test_the_signed_footer_link_opens_the_preferences_page_without_login(member, community):
    browser = Client(enforce_csrf_checks=True)
    path = urlsplit(rendering.preferences_url(member.pk)).path

    page = browser.get(path)
    assert page.status_code == 200
    assert member.email in page.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    response = browser.post(path, {**preference_data(community, replies="daily"), "csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response.url == path
    assert Subscription.objects.get(user=member, community=community).replies == "daily"
    assert MailSettings.objects.get(user=member).no_email is False


@pytest.mark.parametrize("token", ["garbled", "unsubscribe-token"])
def test_a_bad_preferences_link_is_a_404(client, member, token):
    if token == "unsubscribe-token":
        token = tokens.make(member.pk, tokens.UNSUBSCRIBE)

    assert client.get(reverse("newsletters:preferences_token", args=[token])).status_code == 404


def test_a_preferences_form_error_keeps_the_choices_made_and_saves_nothing(as_member, member, community):
    data = {**preference_data(community, newsletter=None, followed="immediate", mentions="weekly"), "no_email": "on"}

    response = as_member.post(reverse("newsletters:preferences"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. weekly is not one of the available choices." in page
    followed = re.search(rf'<select name="c{community.pk}-followed".*?</select>', page, re.S)[0]
    assert re.search(r'<option value="immediate" selected>', followed)
    assert not re.search(rf'name="c{community.pk}-newsletter"[^>]*checked', page)
    assert re.search(r'name="no_email"[^>]*checked', page)
    assert not Subscription.objects.exists()
    assert not MailSettings.objects.filter(no_email=True).exists()


def test_the_preferences_page_tells_a_member_whose_address_bounced(as_member, member):
    MailSettings.objects.create(user=member, bounced_at=timezone.now())

    assert "could not deliver to this address" in as_member.get(reverse("newsletters:preferences")).content.decode()


# --- Query counts ----------------------------------------------------------------------------------------------
# Measured on SQLite and PostgreSQL, for a facilitator, whatever the number of issues, members, segments or
# deliveries: the archive 5 (session, user, memberships, community, issues; it ran one more per issue until the
# issues came with their community), the edit page 10 and the report 10.

ARCHIVE_QUERIES, EDIT_QUERIES, REPORT_QUERIES = 5, 10, 10


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_archive_page_runs_the_same_queries_for_5_or_200_issues(
    as_facilitator, community, django_assert_max_num_queries
):
    def add_issues(start, n):
        Newsletter.objects.bulk_create(
            [
                Newsletter(
                    community=community,
                    period=datetime(2000 + i // 12, i % 12 + 1, 1).date(),
                    subject=f"Issue {i}",
                    status=Newsletter.Status.SENT if i % 2 else Newsletter.Status.DRAFT,
                    sent_at=timezone.now(),
                )
                for i in range(start, start + n)
            ]
        )

    path = reverse("newsletters:archive", args=["ppm"])
    add_issues(0, 5)
    small = count_queries(as_facilitator, path)
    add_issues(5, 195)
    with django_assert_max_num_queries(ARCHIVE_QUERIES):
        page = as_facilitator.get(path)

    assert page.content.decode().count("/newsletter/") >= 200
    assert count_queries(as_facilitator, path) == small


def test_the_edit_page_runs_the_same_queries_for_5_or_200_members_and_segments(
    as_facilitator, community, draft, django_assert_max_num_queries
):
    def grow(n, prefix):
        users = bulk_users(n, prefix)
        memberships = Membership.objects.bulk_create(
            [Membership(community=community, user=u, joined_at=timezone.now()) for u in users]
        )
        segments = Segment.objects.bulk_create([Segment(community=community, name=f"{prefix}{i}") for i in range(n)])
        Membership.segments.through.objects.bulk_create(
            [Membership.segments.through(membership=m, segment=s) for m, s in zip(memberships, segments, strict=True)]
        )
        draft.segments.add(*segments[:2])

    grow(5, "a")
    small = count_queries(as_facilitator, url("edit", draft))
    grow(195, "b")
    with django_assert_max_num_queries(EDIT_QUERIES):
        as_facilitator.get(url("edit", draft))

    assert count_queries(as_facilitator, url("edit", draft)) == small


def test_the_report_page_runs_the_same_queries_for_5_or_200_deliveries(
    as_facilitator, sent, django_assert_max_num_queries
):
    def grow(n, prefix):
        rows = deliveries(sent, [[S.SENT, S.FAILED, S.BOUNCED, S.PENDING][i % 4] for i in range(n)], prefix)
        Click.objects.bulk_create([Click(delivery=d, url=f"/c/ppm/forums/t/{i % 7}/") for i, d in enumerate(rows)])
        Delivery.objects.filter(pk__in=[d.pk for d in rows[::3]]).update(opened_at=timezone.now())

    grow(5, "a")
    small = count_queries(as_facilitator, url("report", sent))
    grow(195, "b")
    with django_assert_max_num_queries(REPORT_QUERIES):
        as_facilitator.get(url("report", sent))

    assert count_queries(as_facilitator, url("report", sent)) == small
