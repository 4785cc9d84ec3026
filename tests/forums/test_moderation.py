"""Keeping the forums healthy: flags, the facilitators' queue and log, new-member holds, rate limits, mentions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from communities import search
from communities.models import ActivityEvent, Flag, Membership, ModerationAction, SearchDocument
from forums import services
from forums.activity import Verb
from forums.models import Category, Post, Thread

from ..conftest import login
from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action
THREE_LINKS = (
    "Useful reading: [one](https://one.example.org), [two](https://two.example.org) "
    "and [three](https://three.example.org)."
)
TWO_LINKS = "Useful reading: [one](https://one.example.org) and [two](https://two.example.org)."
HELD_MESSAGE = "wait for a facilitator to approve them"


@pytest.fixture
def other(community):
    """A second member, whose posts get flagged and moderated."""
    return make_membership(community, make_user(first_name="Sam", email="sam@example.org")).user


@pytest.fixture
def newcomer(community):
    """A member who has not posted anything yet."""
    return make_membership(community, make_user(first_name="Nina", email="nina@example.org")).user


@pytest.fixture
def thread(category, facilitator):
    return services.thread_create(
        category=category,
        author=facilitator,
        kind=Thread.Kind.DISCUSSION,
        title="Lessons from our first gateway review",
        body="What went well, and what would you do differently?",
    )


@pytest.fixture
def reply(thread, other):
    return services.post_reply(thread=thread, author=other, body="Cheap project software at a discount today")


def url(name: str, community, *args) -> str:
    return reverse(f"forums:{name}", args=[community.slug, *args])


def html(response) -> str:
    return response.content.decode()


def flags_on(post: Post):
    return Flag.objects.filter(target_type=ContentType.objects.get_for_model(Post), target_id=post.pk)


def actions_on(post: Post):
    return ModerationAction.objects.filter(target_type=ContentType.objects.get_for_model(Post), target_id=post.pk)


def search_document(obj) -> SearchDocument | None:
    target_type = ContentType.objects.get_for_model(obj)
    return SearchDocument.objects.filter(target_type=target_type, target_id=obj.pk).first()


def reply_count(thread: Thread) -> int:
    return Thread.objects.get(pk=thread.pk).reply_count


# --- Flagging ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", Flag.Reason.values)
def test_a_member_flags_someone_elses_post_with_a_reason_and_a_note(community, member, reply, as_member, reason):
    response = as_member.post(
        url("post_flag", community, reply.pk), {"reason": reason, "note": "Third advert this week."}, follow=True
    )

    assert "Thank you. The facilitators will look at this post." in html(response)
    flag = flags_on(reply).get()
    assert (flag.reporter, flag.reason, flag.note, flag.status) == (member, reason, "Third advert this week.", "open")
    assert flag.community == community


def test_a_second_open_flag_by_the_same_member_is_ignored(community, reply, as_member):
    as_member.post(url("post_flag", community, reply.pk), {"reason": "spam", "note": "An advert."})
    response = as_member.post(url("post_flag", community, reply.pk), {"reason": "abusive"}, follow=True)

    assert "You have already flagged this post" in html(response)
    assert list(flags_on(reply).values_list("reason", "note")) == [("spam", "An advert.")]


def test_a_member_may_flag_a_post_again_once_the_facilitators_closed_their_first_flag(
    community, member, facilitator, reply, as_member
):
    services.post_flag(post=reply, reporter=member, reason="spam")
    services.flag_dismiss(post=reply, by=facilitator)

    as_member.post(url("post_flag", community, reply.pk), {"reason": "abusive"})

    assert sorted(flags_on(reply).values_list("status", flat=True)) == ["dismissed", "open"]


# --- The queue and the log ---------------------------------------------------------------------------------


def test_the_queue_lists_flagged_posts_with_their_reasons_and_held_posts(
    community, thread, reply, member, facilitator, newcomer, as_facilitator
):
    services.post_flag(post=reply, reporter=member, reason="spam", note="Selling software.")
    services.post_flag(post=reply, reporter=newcomer, reason="off_topic")
    held = services.post_reply(thread=thread, author=newcomer, body=THREE_LINKS)
    quiet = services.post_reply(thread=thread, author=member, body="A perfectly ordinary reply.")

    page = html(as_facilitator.get(url("moderation_queue", community)))

    assert reply.body in page
    assert "Spam or advertising" in page and "Selling software." in page
    assert "Off-topic" in page
    assert held.status == Post.Status.HELD
    assert "three.example.org" in page and "Waiting for approval" in page
    assert quiet.body not in page


@pytest.mark.parametrize("page_name", ["moderation_queue", "moderation_log"])
@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("outsider", 403), ("owner", 200), ("facilitator", 200)]
)
def test_the_queue_and_the_log_are_for_facilitators_only(community, page_name, persona, status, request):
    response = login(request.getfixturevalue(persona)).get(url(page_name, community))
    assert response.status_code == status


@pytest.mark.parametrize("page_name", ["moderation_queue", "moderation_log"])
def test_anonymous_visitors_are_sent_to_log_in_for_the_queue_and_the_log(community, client, page_name):
    response = client.get(url(page_name, community))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_hiding_a_flagged_reply_takes_it_out_of_the_thread_the_count_and_search(
    community, thread, reply, member, facilitator, as_member, as_facilitator, client
):
    services.post_flag(post=reply, reporter=member, reason="spam")
    assert reply_count(thread) == 1
    assert search.search(member, "discount").count() == 1

    response = as_facilitator.post(
        url("post_moderate", community, reply.pk), {"action": "hide", "reason": "Advertising.", "next": "queue"}
    )

    assert response.url == url("moderation_queue", community)
    assert Post.objects.get(pk=reply.pk).status == Post.Status.HIDDEN
    assert reply_count(thread) == 0
    assert reply.body not in html(as_member.get(thread.get_absolute_url()))
    assert reply.body not in html(client.get(thread.get_absolute_url()))
    assert "Hidden by a moderator" in html(as_facilitator.get(thread.get_absolute_url()))
    assert search_document(reply).is_hidden
    assert search.search(member, "discount").count() == 0
    assert list(flags_on(reply).values_list("status", "resolved_by")) == [("actioned", facilitator.pk)]
    queue = html(as_facilitator.get(url("moderation_queue", community)))
    waiting, recently_hidden = queue.split('id="hidden-h"', 1)
    assert reply.body not in waiting
    assert reply.body in recently_hidden  # within reach, to restore it if that was a mistake


def test_hiding_the_opening_post_hides_the_whole_thread_from_lists_and_search(
    community, category, other, member, as_member, as_facilitator, client
):
    spam = services.thread_create(
        category=category, author=other, kind=Thread.Kind.DISCUSSION, title="Discount software bonanza", body="Buy!"
    )
    opening = spam.posts.get(is_opening=True)
    assert spam.title in html(client.get(url("latest", community)))

    as_facilitator.post(url("post_moderate", community, opening.pk), {"action": "hide", "reason": "Spam thread."})

    for viewer in (as_member, client):
        assert spam.title not in html(viewer.get(url("latest", community)))
        assert spam.title not in html(viewer.get(category.get_absolute_url()))
        assert viewer.get(spam.get_absolute_url()).status_code == 404
    assert Category.objects.get(pk=category.pk).thread_count == 0
    assert search_document(spam).is_hidden
    assert search.search(member, "bonanza").count() == 0
    assert "Hidden from members" in html(as_facilitator.get(spam.get_absolute_url()))


def test_restoring_a_hidden_reply_brings_it_back_for_members_counts_and_search(
    community, thread, reply, member, facilitator, as_member, as_facilitator
):
    services.post_hide(post=reply, by=facilitator, reason="Looked like spam.")

    as_facilitator.post(
        url("post_moderate", community, reply.pk), {"action": "restore", "reason": "It was a real tip."}
    )

    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED
    assert reply_count(thread) == 1
    assert reply.body in html(as_member.get(thread.get_absolute_url()))
    assert not search_document(reply).is_hidden
    restored = actions_on(reply).get(action=Action.RESTORE)
    assert (restored.moderator, restored.reason) == (facilitator, "It was a real tip.")


def test_dismissing_flags_keeps_the_post_and_closes_the_flags_as_dismissed(
    community, thread, reply, member, newcomer, facilitator, as_member, as_facilitator
):
    services.post_flag(post=reply, reporter=member, reason="spam")
    services.post_flag(post=reply, reporter=newcomer, reason="other", note="Not sure about this one.")

    response = as_facilitator.post(
        url("post_moderate", community, reply.pk), {"action": "dismiss", "reason": "A fair tip.", "next": "queue"}
    )

    assert "Nothing needs your attention" in html(as_facilitator.get(response.url))
    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED
    assert reply.body in html(as_member.get(thread.get_absolute_url()))
    assert set(flags_on(reply).values_list("status", "resolved_by")) == {("dismissed", facilitator.pk)}
    assert actions_on(reply).get().action == Action.DISMISS_FLAG


def test_warning_a_member_from_the_queue_emails_them_the_reason(
    community, other, facilitator, as_facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    reason = "Please keep adverts out of the forums; share experience instead."
    with django_capture_on_commit_callbacks(execute=True):
        response = as_facilitator.post(
            url("member_sanction", community, other.pk), {"action": "warn", "reason": reason}
        )

    assert response.url == url("moderation_queue", community)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [other.email]
    assert community.name in message.subject
    assert reason in message.body
    html_part, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "keep adverts out of the forums" in html_part
    warning = ModerationAction.objects.get(action=Action.WARN)
    assert (warning.moderator, warning.target_user, warning.reason) == (facilitator, other, reason)
    assert community.memberships.get(user=other).status == Membership.Status.ACTIVE


def test_banning_a_member_from_the_queue_takes_away_their_access_and_is_logged(
    community, thread, other, facilitator, as_facilitator
):
    as_facilitator.post(url("member_sanction", community, other.pk), {"action": "ban", "reason": "Repeated spam."})

    assert community.memberships.get(user=other).status == Membership.Status.BANNED
    assert login(other).get(url("thread_reply", community, thread.pk)).status_code == 403
    ban = ModerationAction.objects.get(action=Action.BAN)
    assert (ban.moderator, ban.target_user, ban.reason) == (facilitator, other, "Repeated spam.")


def test_members_cannot_moderate_posts_or_sanction_people(community, reply, other, member, as_member):
    services.post_flag(post=reply, reporter=member, reason="spam")

    assert as_member.post(url("post_moderate", community, reply.pk), {"action": "hide"}).status_code == 403
    assert as_member.post(url("member_sanction", community, other.pk), {"action": "ban"}).status_code == 403
    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED
    assert community.memberships.get(user=other).status == Membership.Status.ACTIVE
    assert not ModerationAction.objects.exists()


def test_every_moderation_action_is_logged_with_moderator_time_target_and_reason(
    community, reply, member, other, facilitator, as_facilitator, django_capture_on_commit_callbacks
):
    services.post_flag(post=reply, reporter=member, reason="spam")
    moderate = url("post_moderate", community, reply.pk)
    steps = [
        (moderate, {"action": "hide", "reason": "Reason one: an advert."}),
        (moderate, {"action": "restore", "reason": "Reason two: on reflection, useful."}),
        (moderate, {"action": "dismiss", "reason": "Reason three: nothing wrong."}),
        (url("member_sanction", community, other.pk), {"action": "warn", "reason": "Reason four: tone it down."}),
        (url("member_sanction", community, other.pk), {"action": "ban", "reason": "Reason five: did it again."}),
    ]
    moment = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        for path, data in steps:
            assert as_facilitator.post(path, data).status_code == 302

    logged = ModerationAction.objects.order_by("pk")
    assert [a.action for a in logged] == ["hide", "restore", "dismiss_flag", "warn", "ban"]
    for entry, (_, data) in zip(logged, steps, strict=True):
        assert (entry.moderator, entry.target_user, entry.reason) == (facilitator, other, data["reason"])
        assert entry.created_at == moment
        assert entry.community == community
    assert all(entry.target == reply for entry in logged[:3])

    log_page = html(as_facilitator.get(url("moderation_log", community)))
    for label in ("Hid content", "Restored content", "Dismissed a flag", "Warned a member", "Banned a member"):
        assert label in log_page
    for _, data in steps:
        assert data["reason"] in log_page
    assert facilitator.display_name in log_page and other.display_name in log_page
    assert "4 Mar 2025" in log_page


# --- New members' links wait for approval ------------------------------------------------------------------


def test_a_new_members_reply_with_more_than_two_links_waits_for_a_facilitator(
    community, thread, newcomer, as_member, client, as_facilitator
):
    response = login(newcomer).post(url("thread_reply", community, thread.pk), {"body": THREE_LINKS}, follow=True)

    held = Post.objects.get(author=newcomer)
    assert held.status == Post.Status.HELD
    assert HELD_MESSAGE in html(response)
    assert "Waiting for a facilitator to approve it." in html(response)  # the author still sees their post
    assert reply_count(thread) == 0
    assert "three.example.org" not in html(as_member.get(thread.get_absolute_url()))
    assert "three.example.org" not in html(client.get(thread.get_absolute_url()))
    assert search_document(held) is None
    assert "three.example.org" in html(as_facilitator.get(url("moderation_queue", community)))


def test_a_new_members_thread_with_more_than_two_links_waits_for_a_facilitator(
    community, category, newcomer, as_member
):
    response = login(newcomer).post(
        url("thread_create", community),
        {"category": category.pk, "kind": "discussion", "title": "Reading list for new PMs", "body": THREE_LINKS},
        follow=True,
    )

    assert HELD_MESSAGE in html(response)
    thread = Thread.objects.get(title="Reading list for new PMs")
    assert thread.is_hidden and thread.posts.get().status == Post.Status.HELD
    assert thread.title not in html(as_member.get(url("latest", community)))
    assert Category.objects.get(pk=category.pk).thread_count == 0


def test_approving_a_held_reply_publishes_it_with_counters_activity_and_search(
    community, thread, newcomer, facilitator, as_member, as_facilitator
):
    held = services.post_reply(thread=thread, author=newcomer, body=THREE_LINKS)

    response = as_facilitator.post(url("post_moderate", community, held.pk), {"action": "restore", "next": "queue"})

    assert response.url == url("moderation_queue", community)
    assert Post.objects.get(pk=held.pk).status == Post.Status.PUBLISHED
    refreshed = Thread.objects.get(pk=thread.pk)
    assert (refreshed.reply_count, refreshed.last_post_author) == (1, newcomer)
    assert ActivityEvent.objects.filter(verb="post_replied", actor=newcomer, target_id=held.pk).exists()
    assert not search_document(held).is_hidden
    assert "three.example.org" in html(as_member.get(thread.get_absolute_url()))
    assert actions_on(held).get().action == Action.APPROVE


def test_approving_a_held_thread_puts_it_in_the_lists(community, category, newcomer, facilitator, as_member):
    held = services.thread_create(
        category=category, author=newcomer, kind=Thread.Kind.DISCUSSION, title="Reading list", body=THREE_LINKS
    )

    services.post_restore(post=held.posts.get(), by=facilitator)

    assert held.title in html(as_member.get(url("latest", community)))
    assert Category.objects.get(pk=category.pk).thread_count == 1
    assert ActivityEvent.objects.filter(verb="thread_started", actor=newcomer, target_id=held.pk).exists()
    assert not search_document(held).is_hidden


def test_two_links_are_fine_for_a_new_member(community, thread, newcomer):
    login(newcomer).post(url("thread_reply", community, thread.pk), {"body": TWO_LINKS})

    assert Post.objects.get(author=newcomer).status == Post.Status.PUBLISHED
    assert reply_count(thread) == 1


@pytest.mark.parametrize(("earlier_posts", "held"), [("just short", True), ("enough", False)])
def test_links_are_held_only_until_a_member_has_a_few_published_posts(
    community, thread, newcomer, settings, earlier_posts, held
):
    count = settings.FORUM_NEW_MEMBER_POSTS - (1 if earlier_posts == "just short" else 0)
    for i in range(count):
        services.post_reply(thread=thread, author=newcomer, body=f"Plain reply {i}")

    post = services.post_reply(thread=thread, author=newcomer, body=THREE_LINKS)

    assert (post.status == Post.Status.HELD) is held


def test_a_facilitators_posts_with_many_links_are_never_held(community, thread, facilitator):
    post = services.post_reply(thread=thread, author=facilitator, body=THREE_LINKS)
    assert post.status == Post.Status.PUBLISHED


# --- Rate limit --------------------------------------------------------------------------------------------

RATE_MESSAGE = "the most we allow"


def test_the_fourth_reply_within_an_hour_is_refused_and_the_typed_text_is_kept(
    community, thread, member, as_member, settings
):
    settings.FORUM_POSTS_PER_HOUR = 3
    for i in range(3):
        assert as_member.post(url("thread_reply", community, thread.pk), {"body": f"Reply {i}"}).status_code == 302

    response = as_member.post(
        url("thread_reply", community, thread.pk), {"body": "A fourth thought about benefits realisation"}
    )

    assert response.status_code == 200
    page = html(response)
    assert RATE_MESSAGE in page
    assert "A fourth thought about benefits realisation</textarea>" in page
    assert Post.objects.filter(author=member).count() == 3


def test_the_fourth_new_thread_within_an_hour_is_refused_and_the_typed_text_is_kept(
    community, category, member, as_member, settings
):
    settings.FORUM_POSTS_PER_HOUR = 3
    new_thread = url("thread_create", community)
    for i in range(3):
        data = {"category": category.pk, "kind": "discussion", "title": f"Thread number {i}", "body": "Text."}
        assert as_member.post(new_thread, data).status_code == 302

    response = as_member.post(
        new_thread,
        {"category": category.pk, "kind": "discussion", "title": "Yet another idea", "body": "Kept body text"},
    )

    page = html(response)
    assert RATE_MESSAGE in page
    assert 'value="Yet another idea"' in page and "Kept body text</textarea>" in page
    assert not Thread.objects.filter(title="Yet another idea").exists()


def test_posting_works_again_an_hour_later(community, thread, member, as_member, settings):
    settings.FORUM_POSTS_PER_HOUR = 3
    reply_url = url("thread_reply", community, thread.pk)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for i in range(3):
            as_member.post(reply_url, {"body": f"Reply {i}"})
        assert RATE_MESSAGE in html(as_member.post(reply_url, {"body": "Too soon"}))

        traveller.shift(timedelta(minutes=61))
        response = as_member.post(reply_url, {"body": "An hour later"})

    assert response.status_code == 302
    assert Post.objects.filter(author=member, body="An hour later").exists()


# --- Mentions ----------------------------------------------------------------------------------------------


def mentions():
    return ActivityEvent.objects.filter(verb=Verb.MENTIONED)


def test_mentioning_a_member_links_to_their_profile_and_records_a_mention(community, thread, member, other, as_member):
    response = as_member.post(
        url("thread_reply", community, thread.pk), {"body": f"Thanks @{other.handle}, that helped."}, follow=True
    )

    post = Post.objects.get(author=member)
    assert f'<a href="{other.get_absolute_url()}"' in html(response)
    assert f"@{other.handle}</a>" in html(response)
    event = mentions().get()
    assert (event.actor, event.target, event.data["mentioned_user_id"]) == (member, post, other.pk)


def test_mentioning_yourself_records_nothing(community, thread, member, as_member):
    as_member.post(url("thread_reply", community, thread.pk), {"body": f"Note to self, @{member.handle}: follow up."})

    assert Post.objects.filter(author=member).exists()
    assert not mentions().exists()


def test_unknown_handles_stay_plain_text(community, thread, member, as_member):
    response = as_member.post(
        url("thread_reply", community, thread.pk), {"body": "Ask @nobody-by-that-name about it."}, follow=True
    )

    assert "Ask @nobody-by-that-name about it." in html(response)
    assert not mentions().exists()
