"""Counters stay exact when many members post or react at the same moment (PostgreSQL only).

Twenty Python threads, each with its own database connection, wait at a barrier and then call the service at
once, so their transactions really overlap. A read-modify-write counter would lose updates here; F() does not.
SQLite serialises writers on one file, so the race cannot happen there and the tests are skipped.
"""

import threading

import pytest
from django.db import connection

from communities.models import Community
from forums import services
from forums.models import Category, Post, Reaction, Thread

from ..factories import make_community, make_membership, make_user

WORKERS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def run_together(work, items) -> list[BaseException]:
    """Run `work(item)` for every item in its own thread, all released at the same instant; return the errors."""
    barrier = threading.Barrier(len(items))
    errors: list[BaseException] = []

    def worker(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except BaseException as exc:  # collected and re-raised by the test, in the main thread
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection; don't leave it for the test database

    threads = [threading.Thread(target=worker, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


@pytest.fixture
def busy_forum():
    community = make_community(name="Concurrency CoP", slug="concurrency", join_policy=Community.JoinPolicy.OPEN)
    category = Category.objects.create(community=community, name="Questions", slug="questions")
    asker = make_membership(community, make_user(first_name="Asker")).user
    thread = services.thread_create(
        category=category, author=asker, kind=Thread.Kind.QUESTION, title="Who has run a gateway review?", body="?"
    )
    members = [make_membership(community, make_user(first_name=f"Member{i}")).user for i in range(WORKERS)]
    return thread, members


def test_twenty_members_replying_at_once_leave_the_reply_count_exact(busy_forum):
    thread, members = busy_forum

    def reply(member):
        own_thread = Thread.objects.select_related("community", "category").get(pk=thread.pk)
        services.post_reply(thread=own_thread, author=member, body=f"My experience, from {member.first_name}.")

    errors = run_together(reply, members)

    assert errors == []
    published = Post.objects.filter(thread=thread, is_opening=False, status=Post.Status.PUBLISHED).count()
    assert Thread.objects.get(pk=thread.pk).reply_count == WORKERS == published


def test_twenty_members_thanking_a_post_at_once_leave_the_thanks_count_exact(busy_forum):
    thread, members = busy_forum
    opening = thread.posts.get(is_opening=True)

    def thank(member):
        post = Post.objects.select_related("thread__community").get(pk=opening.pk)
        assert services.reaction_toggle(post=post, user=member, kind=Reaction.Kind.THANKS) is True

    errors = run_together(thank, members)

    assert errors == []
    assert Post.objects.get(pk=opening.pk).thanks_count == WORKERS
    assert Reaction.objects.filter(post=opening, kind=Reaction.Kind.THANKS).count() == WORKERS
