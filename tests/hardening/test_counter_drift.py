"""Issue 9, fix 4: every forum counter changes exactly once per state change. Every path (the author deletes, a
facilitator hides, restores, approves, moves) is driven in every order, and after each step the counters equal
the rows they count."""

import itertools

import pytest
from django.db.models import Count, Q

from communities.models import Community, Membership
from forums import services
from forums.models import Category, Post, Thread

from ..factories import make_community, make_membership, make_user

pytestmark = pytest.mark.django_db

OPS = ("delete", "hide", "restore", "move")


@pytest.fixture
def cast():
    community = make_community(visibility=Community.Visibility.PUBLIC)
    author = make_membership(community, make_user()).user
    facilitator = make_membership(community, make_user(), role=Membership.Role.FACILITATOR).user
    home = Category.objects.create(community=community, name="Questions", slug="questions")
    away = Category.objects.create(community=community, name="Elsewhere", slug="elsewhere")
    return community, author, facilitator, home, away


def assert_counters_match_rows(community):
    for thread in Thread.objects.filter(category__community=community):
        live = thread.posts.filter(is_opening=False, status=Post.Status.PUBLISHED, is_deleted=False).count()
        assert thread.reply_count == live, f"thread {thread.pk}: reply_count {thread.reply_count}, {live} replies"
    for category in Category.objects.filter(community=community).annotate(
        shown=Count("threads", filter=Q(threads__is_hidden=False))
    ):
        assert category.thread_count == category.shown, f"{category.slug}: {category.thread_count} != {category.shown}"


def apply(op, *, post, thread, author, facilitator, home, away):
    post = Post.objects.select_related("thread__community", "thread__category").get(pk=post.pk)
    thread = Thread.objects.select_related("category", "community").get(pk=thread.pk)
    try:
        if op == "delete":
            services.post_delete(post=post, by=author)
        elif op == "hide":
            services.post_hide(post=post, by=facilitator)
        elif op == "restore":  # also "approve" for a held post
            services.post_restore(post=post, by=facilitator)
        elif op == "move":
            target = away if thread.category_id == home.pk else home
            services.thread_move(thread=thread, category=target, by=facilitator)
    except services.ForumError:
        pass  # not a possible step from this state: nothing may have moved either


def sequences():
    # Every order of the four operations (24), and each operation twice running (4): 28 paths per post.
    yield from itertools.permutations(OPS)
    yield from ((op, op) for op in OPS)


@pytest.mark.parametrize("which", ["only reply", "second reply", "held reply", "opening post"])
def test_counters_equal_rows_after_every_path_in_every_order(cast, which, settings):
    community, author, facilitator, home, away = cast
    settings.FORUM_POSTS_PER_HOUR = 10_000
    if which == "held reply":  # a new member's post with a link waits for a facilitator's approval
        settings.FORUM_NEW_MEMBER_MAX_LINKS, settings.FORUM_NEW_MEMBER_POSTS = 0, 10_000
    paths = 0
    for path in sequences():
        thread = services.thread_create(category=home, author=author, kind="discussion", title="A thread", body="Hi")
        if which == "second reply":
            services.post_reply(thread=thread, author=facilitator, body="The other reply")
        post = services.post_reply(thread=thread, author=author, body="My reply, see https://example.org/guide")
        assert (post.status == Post.Status.HELD) is (which == "held reply")
        if which == "opening post":
            post = thread.posts.get(is_opening=True)
        assert_counters_match_rows(community)
        for op in path:
            apply(op, post=post, thread=thread, author=author, facilitator=facilitator, home=home, away=away)
            assert_counters_match_rows(community)
        paths += 1
    assert paths == 28


def test_hiding_the_only_reply_its_author_deleted_is_no_500_and_no_drift(cast):
    community, author, facilitator, home, _ = cast
    thread = services.thread_create(category=home, author=author, kind="question", title="A question", body="Hi?")
    reply = services.post_reply(thread=thread, author=author, body="Answering myself")
    services.post_delete(post=Post.objects.get(pk=reply.pk), by=author)

    services.post_hide(post=Post.objects.get(pk=reply.pk), by=facilitator)

    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert_counters_match_rows(community)
