"""Every forum action, tried by every persona through the views: who may, who is refused, and that a refusal
writes nothing."""

import re
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from communities.models import ActivityEvent, Community, Flag, Membership, ModerationAction, SearchDocument
from forums import services
from forums.models import Category, CategoryFollow, Post, PostRevision, Reaction, Thread, ThreadFollow

from ..factories import make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, text_of

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


# --- Fixtures and helpers ----------------------------------------------------------------------------------


@pytest.fixture
def other(community):
    """A second ordinary member: the author of the posts the member may not touch."""
    return make_membership(community, make_user(first_name="Maya", email="maya@example.org")).user


@pytest.fixture
def banned(community):
    """A member who is banned once the forum fixture has let them write a reply."""
    return make_membership(community, make_user(first_name="Bram", email="bram@example.org"))


@pytest.fixture
def forum(community, category, question, member, other, facilitator, banned):
    """The member's question (answered by another member and by the since-banned member), the other member's
    question answered by the facilitator, the member's discussion, and a second category to move threads to."""
    answer = services.post_reply(thread=question, author=other, body="Read the **IPA** guidance first.")
    banned_reply = services.post_reply(thread=question, author=banned.user, body="Bram's old advice.")
    Membership.objects.filter(pk=banned.pk).update(status=Membership.Status.BANNED)
    other_question = services.thread_create(
        category=category,
        author=other,
        kind=Thread.Kind.QUESTION,
        title="Who chairs the risk board?",
        body="Is it the SRO or the sponsor?",
    )
    other_answer = services.post_reply(thread=other_question, author=facilitator, body="Usually the SRO.")
    discussion = services.thread_create(
        category=category, author=member, kind=Thread.Kind.DISCUSSION, title="Favourite templates", body="Share."
    )
    elsewhere = Category.objects.create(community=community, name="Tools", slug="tools")
    return SimpleNamespace(
        community=community,
        category=category,
        elsewhere=elsewhere,
        question=question,
        answer=answer,
        banned_reply=banned_reply,
        other_question=other_question,
        other_answer=other_answer,
        discussion=discussion,
    )


def url(name: str, community: Community, *args) -> str:
    return reverse(f"forums:{name}", args=[community.slug, *args])


def forum_state() -> list:
    """Every row a forum action could write: a refused action must leave all of it as it was."""
    models = (
        Category,
        Thread,
        Post,
        PostRevision,
        Reaction,
        ThreadFollow,
        CategoryFollow,
        Flag,
        ModerationAction,
        ActivityEvent,
        SearchDocument,
        Tag,
        TaggedItem,
    )
    return [list(model.objects.order_by("pk").values()) for model in models]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def post_text(html: str, post: Post) -> str:
    """The visible text of one post on a thread page."""
    start = html.index(f'id="{post.anchor}"')
    return text_of(html[start : html.index("</article>", start)])


def non_member_actions(f) -> dict[str, tuple[str, str, dict]]:
    """Every forum action, as (method, path, data), aimed at content a member could act on."""
    c, q, a = f.community, f.question, f.answer
    return {
        "start a thread": (
            "post",
            url("thread_create", c),
            {"category": f.category.pk, "kind": "discussion", "title": "Brand new thread", "body": "Hello"},
        ),
        "open the new thread form": ("get", url("thread_create", c), {}),
        "reply": ("post", url("thread_reply", c, q.pk), {"body": "Me too."}),
        "edit a post": ("post", url("post_edit", c, a.pk), {"body": "Rewritten."}),
        "edit a thread": ("post", url("thread_edit", c, q.pk), {"title": "Retitled thread", "tags": "x"}),
        "delete a reply": ("post", url("post_delete", c, a.pk), {}),
        "accept an answer": ("post", url("thread_accept", c, q.pk), {"post": a.pk}),
        "thank a post": ("post", url("post_react", c, a.pk, "thanks"), {}),
        "find a post helpful": ("post", url("post_react", c, a.pk, "helpful"), {}),
        "follow a thread": ("post", url("thread_follow", c, q.pk), {"follow": "1"}),
        "follow a category": ("post", url("category_follow", c, f.category.slug), {"follow": "1"}),
        "flag a post": ("post", url("post_flag", c, a.pk), {"reason": Flag.Reason.SPAM}),
        "pin a thread": ("post", url("thread_moderate", c, q.pk), {"action": Action.PIN}),
        "lock a thread": ("post", url("thread_moderate", c, q.pk), {"action": Action.LOCK}),
        "close a thread": ("post", url("thread_moderate", c, q.pk), {"action": Action.CLOSE}),
        "move a thread": (
            "post",
            url("thread_moderate", c, q.pk),
            {"action": Action.MOVE, "category": f.elsewhere.pk},
        ),
        "hide a post": ("post", url("post_moderate", c, a.pk), {"action": "hide"}),
        "add a category": ("post", url("category_manage", c), {"name": "Events", "slug": "events"}),
        "open category management": ("get", url("category_manage", c), {}),
        "reorder categories": ("post", url("category_move", c, f.elsewhere.slug, "up"), {}),
        "view revisions": ("get", url("post_revisions", c, a.pk), {}),
        "open the moderation queue": ("get", url("moderation_queue", c), {}),
    }


NON_MEMBER_ACTIONS = [
    "start a thread",
    "open the new thread form",
    "reply",
    "edit a post",
    "edit a thread",
    "delete a reply",
    "accept an answer",
    "thank a post",
    "find a post helpful",
    "follow a thread",
    "follow a category",
    "flag a post",
    "pin a thread",
    "lock a thread",
    "close a thread",
    "move a thread",
    "hide a post",
    "add a category",
    "open category management",
    "reorder categories",
    "view revisions",
    "open the moderation queue",
]


def member_refusals(f) -> dict[str, tuple[str, str, dict]]:
    """What an ordinary member may not do: other people's posts, their own post's reactions, moderation."""
    c, q = f.community, f.question
    return {
        "edit someone else's post": ("post", url("post_edit", c, f.answer.pk), {"body": "Rewritten."}),
        "edit someone else's thread": ("post", url("thread_edit", c, f.other_question.pk), {"title": "Mine now"}),
        "delete someone else's reply": ("post", url("post_delete", c, f.answer.pk), {}),
        "accept an answer to someone else's question": (
            "post",
            url("thread_accept", c, f.other_question.pk),
            {"post": f.other_answer.pk},
        ),
        "thank their own post": ("post", url("post_react", c, f.question.posts.get(is_opening=True).pk, "thanks"), {}),
        "flag their own post": ("get", url("post_flag", c, f.question.posts.get(is_opening=True).pk), {}),
        "pin a thread": ("post", url("thread_moderate", c, q.pk), {"action": Action.PIN}),
        "lock a thread": ("post", url("thread_moderate", c, q.pk), {"action": Action.LOCK}),
        "close a thread": ("post", url("thread_moderate", c, q.pk), {"action": Action.CLOSE}),
        "move a thread": (
            "post",
            url("thread_moderate", c, q.pk),
            {"action": Action.MOVE, "category": f.elsewhere.pk},
        ),
        "hide a post": ("post", url("post_moderate", c, f.answer.pk), {"action": "hide"}),
        "add a category": ("post", url("category_manage", c), {"name": "Events", "slug": "events"}),
        "open category management": ("get", url("category_manage", c), {}),
        "reorder categories": ("post", url("category_move", c, f.elsewhere.slug, "up"), {}),
        "view revisions of their own post": ("get", url("post_revisions", c, q.posts.get(is_opening=True).pk), {}),
        "open the moderation queue": ("get", url("moderation_queue", c), {}),
    }


def attempt(client, method: str, path: str, data: dict):
    return client.post(path, data) if method == "post" else client.get(path)


# --- Refusals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "banned", "anonymous"])
@pytest.mark.parametrize("action", NON_MEMBER_ACTIONS)
def test_people_outside_a_public_community_are_refused_every_forum_action_and_nothing_changes(
    forum, client_as, persona, action
):
    method, path, data = non_member_actions(forum)[action]
    before = forum_state()

    response = attempt(client_as(persona), method, path, data)

    if persona == "anonymous":
        assert_sent_to_login(response, path)
    else:
        assert response.status_code == 403, (action, response.status_code)
    assert forum_state() == before


@pytest.mark.parametrize("visibility", [Community.Visibility.PRIVATE, Community.Visibility.HIDDEN])
@pytest.mark.parametrize("action", NON_MEMBER_ACTIONS)
def test_outsiders_are_kept_out_of_every_forum_action_in_a_community_they_cannot_read(
    forum, client_as, visibility, action
):
    Community.objects.filter(pk=forum.community.pk).update(visibility=visibility)
    method, path, data = non_member_actions(forum)[action]
    before = forum_state()

    assert_kept_out(attempt(client_as("outsider"), method, path, data), forum.community)
    assert_sent_to_login(attempt(client_as("anonymous"), method, path, data), path)
    assert forum_state() == before


@pytest.mark.parametrize(
    "action",
    [
        "edit someone else's post",
        "edit someone else's thread",
        "delete someone else's reply",
        "accept an answer to someone else's question",
        "thank their own post",
        "flag their own post",
        "pin a thread",
        "lock a thread",
        "close a thread",
        "move a thread",
        "hide a post",
        "add a category",
        "open category management",
        "reorder categories",
        "view revisions of their own post",
        "open the moderation queue",
    ],
)
def test_members_get_403_for_other_peoples_posts_and_for_moderation_and_nothing_changes(forum, as_member, action):
    method, path, data = member_refusals(forum)[action]
    before = forum_state()

    assert attempt(as_member, method, path, data).status_code == 403
    assert forum_state() == before


def test_a_banned_member_can_no_longer_edit_or_delete_their_own_reply(forum, client_as):
    as_banned = client_as("banned")
    reply = forum.banned_reply
    before = forum_state()

    assert as_banned.post(url("post_edit", forum.community, reply.pk), {"body": "Changed."}).status_code == 403
    assert as_banned.post(url("post_delete", forum.community, reply.pk)).status_code == 403
    assert forum_state() == before
    assert "old advice" in post_text(page(as_banned, forum.question.get_absolute_url()), reply)


def test_a_member_cannot_reach_a_thread_a_moderator_removed(forum, facilitator, as_member, client_as):
    services.post_hide(post=forum.other_question.posts.get(is_opening=True), by=facilitator)
    before = forum_state()

    assert as_member.get(forum.other_question.get_absolute_url()).status_code == 404
    path = url("thread_reply", forum.community, forum.other_question.pk)
    assert as_member.post(path, {"body": "Hello?"}).status_code == 404
    assert forum_state() == before


# --- Starting threads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "facilitator"])
def test_members_and_facilitators_start_threads_and_follow_them(forum, client_as, persona, request):
    client = client_as(persona)
    data = {
        "category": forum.category.pk,
        "kind": "question",
        "title": "How do you size contingency?",
        "body": "Percentages or Monte Carlo?",
        "tags": "risk",
    }

    response = client.post(url("thread_create", forum.community), data)

    thread = Thread.objects.get(title="How do you size contingency?")
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert thread.author == request.getfixturevalue(persona)
    assert ThreadFollow.objects.filter(thread=thread, user=thread.author).exists()
    assert "Unfollow" in page(client, thread.get_absolute_url())


def test_only_facilitators_are_offered_announcements_and_a_member_posting_one_gets_a_form_error(
    forum, as_member, as_facilitator
):
    assert 'value="announcement"' in page(as_facilitator, url("thread_create", forum.community))
    assert 'value="announcement"' not in page(as_member, url("thread_create", forum.community))
    before = forum_state()

    response = as_member.post(
        url("thread_create", forum.community),
        {"category": forum.category.pk, "kind": "announcement", "title": "Everyone listen", "body": "Now."},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert forum_state() == before


def test_the_service_refuses_an_announcement_from_a_member(forum, member):
    with pytest.raises(services.ForumError):
        services.thread_create(
            category=forum.category, author=member, kind=Thread.Kind.ANNOUNCEMENT, title="Listen up", body="Now."
        )
    assert not Thread.objects.filter(title="Listen up").exists()


def test_a_facilitators_announcement_is_pinned_above_newer_threads(forum, as_facilitator, member):
    as_facilitator.post(
        url("thread_create", forum.community),
        {"category": forum.category.pk, "kind": "announcement", "title": "Welcome to the forums", "body": "Hi."},
    )
    services.thread_create(category=forum.category, author=member, kind="discussion", title="Newer chat", body=".")

    announcement = Thread.objects.get(title="Welcome to the forums")
    assert announcement.is_pinned
    listing = page(as_facilitator, forum.category.get_absolute_url())
    assert "Pinned" in text_of(listing)
    assert listing.index("Welcome to the forums") < listing.index("Newer chat")


# --- Replying ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "facilitator"])
def test_members_and_facilitators_reply_and_then_follow_the_thread(forum, client_as, persona, request):
    user = request.getfixturevalue(persona)
    thread = forum.other_question
    ThreadFollow.objects.filter(thread=thread, user=user).delete()

    response = client_as(persona).post(url("thread_reply", forum.community, thread.pk), {"body": "It is the SRO."})

    reply = Post.objects.get(thread=thread, body="It is the SRO.")
    assert response.status_code == 302 and response.url == reply.get_absolute_url()
    assert reply.author == user
    assert ThreadFollow.objects.filter(thread=thread, user=user).exists()


def test_a_locked_thread_takes_replies_only_from_facilitators(forum, as_member, as_facilitator):
    thread = forum.other_question
    as_facilitator.post(url("thread_moderate", forum.community, thread.pk), {"action": Action.LOCK})
    before = forum_state()
    path = url("thread_reply", forum.community, thread.pk)

    assert as_member.post(path, {"body": "Member reply."}).status_code == 403
    assert forum_state() == before
    member_view = page(as_member, thread.get_absolute_url())
    assert "Locked: only facilitators reply" in member_view
    assert "Your reply" not in member_view

    assert as_facilitator.post(path, {"body": "Facilitator reply."}).status_code == 302
    assert Post.objects.filter(thread=thread, body="Facilitator reply.").exists()


@pytest.mark.parametrize("persona", ["member", "facilitator", "owner"])
def test_a_closed_thread_takes_replies_from_nobody(forum, as_facilitator, client_as, persona):
    thread = forum.other_question
    as_facilitator.post(url("thread_moderate", forum.community, thread.pk), {"action": Action.CLOSE})
    before = forum_state()
    client = client_as(persona)

    response = client.post(url("thread_reply", forum.community, thread.pk), {"body": "Too late?"})

    assert response.status_code == 403
    assert forum_state() == before
    view = page(client, thread.get_absolute_url())
    assert "This thread is closed." in view
    assert "Your reply" not in view


# --- Editing and deleting ----------------------------------------------------------------------------------


def test_a_member_edits_their_own_reply_and_the_old_text_is_kept_as_a_revision(forum, client_as):
    as_other = client_as("other")
    path = url("post_edit", forum.community, forum.answer.pk)

    response = as_other.post(path, {"body": "Read the *NAO* guidance first."})

    assert response.status_code == 302
    answer = Post.objects.get(pk=forum.answer.pk)
    assert answer.body == "Read the *NAO* guidance first."
    assert answer.edited_at is not None
    assert list(answer.revisions.values_list("body", flat=True)) == ["Read the **IPA** guidance first."]
    assert "<em>NAO</em>" in page(as_other, forum.question.get_absolute_url())


def test_a_member_retitles_their_own_thread_but_not_someone_elses(forum, as_member):
    own = as_member.post(url("thread_edit", forum.community, forum.question.pk), {"title": "Gateway review tips"})
    assert own.status_code == 302
    assert Thread.objects.get(pk=forum.question.pk).title == "Gateway review tips"

    theirs = as_member.post(url("thread_edit", forum.community, forum.other_question.pk), {"title": "Hijacked"})
    assert theirs.status_code == 403
    assert Thread.objects.get(pk=forum.other_question.pk).title == "Who chairs the risk board?"


def test_a_facilitator_edits_someone_elses_post(forum, as_facilitator):
    response = as_facilitator.post(url("post_edit", forum.community, forum.answer.pk), {"body": "[Edited: link]"})

    assert response.status_code == 302
    assert Post.objects.get(pk=forum.answer.pk).body == "[Edited: link]"


def test_deleting_own_reply_shows_it_as_removed_and_keeps_the_replies_under_it(forum, member, client_as):
    child = services.post_reply(thread=forum.question, author=member, body="Which part of it?", parent=forum.answer)
    as_other = client_as("other")

    response = as_other.post(url("post_delete", forum.community, forum.answer.pk))

    assert response.status_code == 302
    view = page(client_as("member"), forum.question.get_absolute_url())
    assert "This post was removed by its author." in view
    assert "IPA" not in view
    assert "Which part of it?" in view
    assert Post.objects.get(pk=child.pk).parent_id == forum.answer.pk
    assert Post.objects.get(pk=forum.answer.pk).is_deleted


def test_facilitators_cannot_delete_other_peoples_replies_they_hide_them_instead(forum, as_facilitator):
    before = forum_state()

    assert as_facilitator.post(url("post_delete", forum.community, forum.answer.pk)).status_code == 403
    assert forum_state() == before


def test_nobody_deletes_an_opening_post(forum, as_member):
    opening = forum.question.posts.get(is_opening=True)
    before = forum_state()

    assert as_member.post(url("post_delete", forum.community, opening.pk)).status_code == 403
    assert forum_state() == before


# --- Accepted answers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "facilitator"])
def test_the_asker_or_a_facilitator_accepts_an_answer_which_then_tops_the_thread(forum, client_as, persona, other):
    later = services.post_reply(thread=forum.question, author=other, body="Also book the **review team** early.")
    client = client_as(persona)

    response = client.post(url("thread_accept", forum.community, forum.question.pk), {"post": later.pk})

    assert response.status_code == 302
    assert Thread.objects.get(pk=forum.question.pk).accepted_post_id == later.pk
    view = page(client, forum.question.get_absolute_url())
    top = view.index("Accepted answer")
    assert top < view.index("review team") < view.index('id="replies-h"') < view.index("IPA")
    assert "Solved" in text_of(view)
    assert "Solved" in text_of(page(client, url("latest", forum.community)))


def test_unmarking_the_accepted_answer_takes_solved_away(forum, as_member):
    services.answer_accept(thread=forum.question, post=forum.answer, by=forum.question.author)

    response = as_member.post(url("thread_accept", forum.community, forum.question.pk))

    assert response.status_code == 302
    assert Thread.objects.get(pk=forum.question.pk).accepted_post_id is None
    assert "Solved" not in page(as_member, url("latest", forum.community))
    assert "Accepted answer" not in page(as_member, forum.question.get_absolute_url())


def test_deleting_the_accepted_answer_clears_it(forum, member, client_as):
    services.answer_accept(thread=forum.question, post=forum.answer, by=member)

    client_as("other").post(url("post_delete", forum.community, forum.answer.pk))

    assert Thread.objects.get(pk=forum.question.pk).accepted_post_id is None
    assert "Solved" not in page(client_as("member"), url("latest", forum.community))


def test_discussions_have_no_accepted_answer_even_for_facilitators(forum, other, as_facilitator, as_member):
    reply = services.post_reply(thread=forum.discussion, author=other, body="The RAID log.")
    path = url("thread_accept", forum.community, forum.discussion.pk)
    before = forum_state()

    assert as_member.post(path, {"post": reply.pk}).status_code == 403
    assert as_facilitator.post(path, {"post": reply.pk}).status_code == 403
    assert forum_state() == before
    assert "Accept answer" not in page(as_member, forum.discussion.get_absolute_url())


def test_the_question_itself_cannot_be_its_accepted_answer(forum, as_member):
    opening = forum.question.posts.get(is_opening=True)
    before = forum_state()

    response = as_member.post(url("thread_accept", forum.community, forum.question.pk), {"post": opening.pk})

    assert response.status_code == 403
    assert forum_state() == before


# --- Reactions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["thanks", "helpful"])
def test_a_member_reacts_once_per_kind_and_a_second_press_takes_it_back(forum, member, client_as, kind):
    as_member = client_as("member")
    path = url("post_react", forum.community, forum.answer.pk, kind)
    counter = f"{kind}_count"

    assert as_member.post(path).status_code == 302
    assert getattr(Post.objects.get(pk=forum.answer.pk), counter) == 1
    assert Reaction.objects.filter(post=forum.answer, user=member, kind=kind).count() == 1
    assert 'aria-pressed="true"' in page(as_member, forum.question.get_absolute_url())

    assert as_member.post(path).status_code == 302
    assert getattr(Post.objects.get(pk=forum.answer.pk), counter) == 0
    assert not Reaction.objects.filter(post=forum.answer, user=member).exists()
    assert 'aria-pressed="true"' not in page(as_member, forum.question.get_absolute_url())


def test_reaction_counts_add_up_across_members_and_show_to_everyone(forum, as_member, as_facilitator, client):
    as_member.post(url("post_react", forum.community, forum.answer.pk, "thanks"))
    as_facilitator.post(url("post_react", forum.community, forum.answer.pk, "thanks"))
    as_facilitator.post(url("post_react", forum.community, forum.answer.pk, "helpful"))

    answer = Post.objects.get(pk=forum.answer.pk)
    assert (answer.thanks_count, answer.helpful_count) == (2, 1)
    anonymous_view = post_text(page(client, forum.question.get_absolute_url()), answer)
    assert "2 thanks" in anonymous_view
    assert re.search(r"\b1\b\D{0,20}helpful", anonymous_view, re.IGNORECASE)
    assert "Thanks 2" in post_text(page(as_member, forum.question.get_absolute_url()), answer)


def test_a_member_cannot_react_to_their_own_post(forum, client_as):
    before = forum_state()

    response = client_as("other").post(url("post_react", forum.community, forum.answer.pk, "helpful"))

    assert response.status_code == 403
    assert forum_state() == before


def test_an_unknown_reaction_is_refused(forum, as_member):
    before = forum_state()

    assert as_member.post(url("post_react", forum.community, forum.answer.pk, "love")).status_code == 403
    assert forum_state() == before


def test_the_database_refuses_a_second_identical_reaction(forum, member):
    Reaction.objects.create(post=forum.answer, user=member, kind=Reaction.Kind.THANKS)

    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(post=forum.answer, user=member, kind=Reaction.Kind.THANKS)

    Reaction.objects.create(post=forum.answer, user=member, kind=Reaction.Kind.HELPFUL)
    assert Reaction.objects.filter(post=forum.answer, user=member).count() == 2


# --- Following ---------------------------------------------------------------------------------------------


def test_a_member_unfollows_and_follows_a_thread_again(forum, member, as_member):
    thread = forum.question
    assert ThreadFollow.objects.filter(thread=thread, user=member).exists()  # started it

    assert as_member.post(url("thread_follow", forum.community, thread.pk), {"follow": "0"}).status_code == 302
    assert not ThreadFollow.objects.filter(thread=thread, user=member).exists()
    assert '<input type="hidden" name="follow" value="1">' in page(as_member, thread.get_absolute_url())

    assert as_member.post(url("thread_follow", forum.community, thread.pk), {"follow": "1"}).status_code == 302
    assert ThreadFollow.objects.filter(thread=thread, user=member).count() == 1
    assert '<input type="hidden" name="follow" value="0">' in page(as_member, thread.get_absolute_url())


def test_a_member_follows_a_category(forum, member, as_member):
    response = as_member.post(url("category_follow", forum.community, forum.category.slug), {"follow": "1"})

    assert response.status_code == 302
    assert CategoryFollow.objects.filter(category=forum.category, user=member).exists()


# --- Flags -------------------------------------------------------------------------------------------------


def test_a_member_flags_someone_elses_post_once(forum, member, as_member):
    path = url("post_flag", forum.community, forum.answer.pk)

    first = as_member.post(path, {"reason": Flag.Reason.OFF_TOPIC, "note": "Not about reviews."})
    second = as_member.post(path, {"reason": Flag.Reason.SPAM})

    assert first.status_code == second.status_code == 302
    flag = Flag.objects.get(reporter=member)
    assert (flag.target_id, flag.reason, flag.note) == (forum.answer.pk, "off_topic", "Not about reviews.")


# --- Moderation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, field, value",
    [
        (Action.PIN, "is_pinned", True),
        (Action.LOCK, "is_locked", True),
        (Action.CLOSE, "is_closed", True),
    ],
)
def test_facilitators_pin_lock_and_close_threads_and_each_is_logged(
    forum, facilitator, as_facilitator, action, field, value
):
    thread = forum.other_question

    response = as_facilitator.post(url("thread_moderate", forum.community, thread.pk), {"action": action})

    assert response.status_code == 302
    assert getattr(Thread.objects.get(pk=thread.pk), field) is value
    logged = ModerationAction.objects.get(action=action)
    assert (logged.moderator, logged.target_id, logged.community) == (facilitator, thread.pk, forum.community)
    assert thread.title in page(as_facilitator, url("moderation_log", forum.community))


def test_facilitators_undo_a_pin_and_the_undo_is_logged_too(forum, facilitator, as_facilitator):
    path = url("thread_moderate", forum.community, forum.question.pk)
    as_facilitator.post(path, {"action": Action.PIN})

    as_facilitator.post(path, {"action": Action.UNPIN})

    assert not Thread.objects.get(pk=forum.question.pk).is_pinned
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == ["pin", "unpin"]


def test_facilitators_move_a_thread_to_another_category_and_it_is_logged(forum, facilitator, as_facilitator):
    thread = forum.other_question

    response = as_facilitator.post(
        url("thread_moderate", forum.community, thread.pk), {"action": Action.MOVE, "category": forum.elsewhere.pk}
    )

    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).category == forum.elsewhere
    logged = ModerationAction.objects.get(action=Action.MOVE)
    assert logged.moderator == facilitator and "Questions → Tools" in logged.summary
    assert thread.title in page(as_facilitator, forum.elsewhere.get_absolute_url())
    assert thread.title not in page(as_facilitator, forum.category.get_absolute_url())


def test_facilitators_add_and_reorder_categories(forum, as_facilitator):
    response = as_facilitator.post(url("category_manage", forum.community), {"name": "Events", "position": 5})

    assert response.status_code == 302
    assert Category.objects.filter(community=forum.community, slug="events").exists()
    assert "Events" in page(as_facilitator, url("category_manage", forum.community))

    as_facilitator.post(url("category_move", forum.community, "events", "up"))

    names = list(Category.objects.filter(community=forum.community).values_list("name", flat=True))
    assert names.index("Events") < names.index("Tools")


def test_facilitators_read_what_a_post_said_before_each_edit(forum, other, as_facilitator):
    services.post_edit(post=forum.answer, editor=other, body="Start with the NAO report.")

    view = page(as_facilitator, url("post_revisions", forum.community, forum.answer.pk))

    assert "Read the **IPA** guidance first." in view
    assert "Start with the NAO report." in view


# --- Archived communities ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "facilitator", "owner"])
def test_nobody_posts_in_an_archived_community(forum, client_as, persona):
    Community.objects.filter(pk=forum.community.pk).update(stage=Community.Stage.ARCHIVED)
    client = client_as(persona)
    c, q = forum.community, forum.question
    attempts = [
        (
            "post",
            url("thread_create", c),
            {"category": forum.category.pk, "kind": "discussion", "title": "One more thread", "body": "Hello"},
        ),
        ("post", url("thread_reply", c, q.pk), {"body": "One more reply."}),
        ("post", url("post_edit", c, q.posts.get(is_opening=True).pk), {"body": "Rewritten."}),
        ("post", url("post_react", c, forum.answer.pk, "thanks"), {}),
        ("post", url("category_manage", c), {"name": "Events", "slug": "events"}),
    ]
    before = forum_state()

    for method, path, data in attempts:
        assert attempt(client, method, path, data).status_code == 403, path

    assert forum_state() == before
    view = page(client, q.get_absolute_url())
    assert "Your reply" not in view
    assert "<strong>IPA</strong>" in view  # still readable
