"""Issue 8, item 10: each line of a community's recent activity names and links what it is about, and one
person's repeats about the same thing collapse into one line; the page's query count stays bounded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forums import services as forum_services
from forums.models import Category, Thread
from library import services as library_services
from polls import services as poll_services

from ..helpers import page_source, text_of

pytestmark = pytest.mark.django_db

TITLE = "A one-page benefits profile template for small projects"


@pytest.fixture
def thread(community, facilitator):
    category = Category.objects.create(community=community, name="Tools", slug="tools")
    return forum_services.thread_create(
        category=category, author=facilitator, kind=Thread.Kind.DISCUSSION, title=TITLE, body="Here it is."
    )


def test_replies_name_their_thread_and_collapse_into_one_line(community, thread, member, as_member):
    for n in range(3):
        forum_services.post_reply(thread=thread, author=member, body=f"Thanks, point {n}.")
    page = text_of(as_member.get(community.get_absolute_url()))
    assert "Tom" in page and "replied 3 times in A one-page benefits profile template" in page
    assert page.count("replied in") == 0
    assert f'href="{thread.get_absolute_url()}"' in page_source(as_member.get(community.get_absolute_url()))
    assert "started A one-page benefits profile template" in page


def test_library_and_polls_lines_are_named_through_their_event_types(community, member, facilitator, as_member):
    resource = library_services.resource_create(
        community=community,
        author=member,
        kind="link",
        title="Green Book supplementary guidance",
        url="https://example.org/green-book",
    )
    poll = poll_services.poll_create(
        community=community,
        by=facilitator,
        question="Which benefits tool do you use?",
        choices=["Maps", "Profiles"],
        opens_at=timezone.now() - timedelta(minutes=1),
    )
    html = page_source(as_member.get(community.get_absolute_url()))
    assert "added to the library:" in text_of(html) and "Green Book supplementary guidance" in text_of(html)
    assert f'href="{resource.get_absolute_url()}"' in html
    assert "opened the poll" in text_of(html) and f'href="{poll.get_absolute_url()}"' in html


def test_a_thread_hidden_by_moderators_is_not_named_in_the_feed(community, thread, facilitator, client):
    forum_services.post_hide(post=thread.posts.get(is_opening=True), by=facilitator, reason="Spam")
    page = text_of(client.get(community.get_absolute_url()))
    assert TITLE[:30] not in page


@pytest.mark.parametrize("replies", [3, 16])
def test_recent_activity_costs_the_same_queries_however_much_happened(
    community, thread, member, facilitator, as_member, replies, django_assert_max_num_queries
):
    other = Thread.objects.create(
        community=community, category=thread.category, title="Second thread", author=facilitator
    )
    for n in range(replies):
        forum_services.post_reply(thread=thread if n % 2 else other, author=member, body=f"Reply {n}.")
    library_services.resource_create(
        community=community, author=member, kind="link", title="Guidance", url="https://example.org/g"
    )
    # 14 for the page and its activity, 1 for the blocks other apps show there (the next event)
    with django_assert_max_num_queries(15):
        response = as_member.get(community.get_absolute_url())
    assert response.status_code == 200
