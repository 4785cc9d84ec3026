"""Forum writes touch each row once: a reply is one INSERT of its post, not an INSERT patched by UPDATEs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services
from forums.models import Post

pytestmark = pytest.mark.django_db


def post_writes(queries) -> list[str]:
    """The statements that wrote forums_post rows: INSERT or UPDATE."""
    return [
        q["sql"].split()[0].upper()
        for q in queries
        if re.match(r'\s*(INSERT INTO|UPDATE)\s+"?forums_post"?\s', q["sql"], re.IGNORECASE)
    ]


def test_a_top_level_reply_and_a_nested_one_are_each_written_by_one_insert(question, member, facilitator):
    with CaptureQueriesContext(connection) as top:
        first = services.post_reply(thread=question, author=facilitator, body="Start with the business case.")
    with CaptureQueriesContext(connection) as nested:
        second = services.post_reply(thread=question, author=member, body="Thanks!", parent=first)

    assert post_writes(top.captured_queries) == ["INSERT"]
    assert post_writes(nested.captured_queries) == ["INSERT"]
    first, second = Post.objects.get(pk=first.pk), Post.objects.get(pk=second.pk)
    assert first.published_at == first.created_at and second.published_at == second.created_at
    assert (first.root_id, first.branch_id) == (None, first.pk)  # a top-level reply's branch is its own
    assert (second.root_id, second.branch_id, second.depth) == (first.pk, first.pk, 2)


def test_a_new_thread_writes_its_opening_post_once(category, member):
    with CaptureQueriesContext(connection) as queries:
        thread = services.thread_create(
            category=category, author=member, kind="discussion", title="Portfolio boards", body="How often?"
        )

    assert post_writes(queries.captured_queries) == ["INSERT"]
    opening = thread.posts.get()
    assert opening.published_at == opening.created_at and opening.branch_id is None
