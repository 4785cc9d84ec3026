"""Issue 11: a long thread costs what a short one does, rows carry no per-row work, and a visit with nothing new
writes nothing.

Thread pages are cut along the stored `Post.branch_position`; these tests build threads in bulk (as the bench
does), number them with `services.number_branches`, and compare pages of a long and a short thread.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import permissions, selectors, services
from forums.models import Category, Post, Thread, ThreadRead

from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _thread(community, author, *, top_level: int, children_each: int = 1, title="Long thread") -> Thread:
    category, _ = Category.objects.get_or_create(community=community, slug="general", defaults={"name": "General"})
    start = timezone.now() - timedelta(days=10)
    thread = Thread.objects.create(
        community=community, category=category, title=title, author=author, created_at=start, last_activity_at=start
    )
    Post.objects.create(thread=thread, author=author, body="Opening", body_html="<p>Opening</p>", is_opening=True)
    roots = Post.objects.bulk_create(
        Post(
            thread=thread,
            author=author,
            depth=1,
            body=f"Root {i}",
            body_html=f"<p>Root {i}</p>",
            created_at=start + timedelta(minutes=i),
        )
        for i in range(top_level)
    )
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=author,
            parent=root,
            root_id=root.pk,
            depth=2,
            body=f"Child {j} of root {i}",
            body_html=f"<p>Child {j} of root {i}</p>",
            created_at=start + timedelta(minutes=i, seconds=j + 1),
        )
        for i, root in enumerate(roots)
        for j in range(children_each)
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=top_level * (1 + children_each))
    services.number_branches(Thread.objects.filter(pk=thread.pk))
    thread.refresh_from_db()
    return thread


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_branches_are_numbered_by_their_top_level_reply(community, member):
    thread = _thread(community, member, top_level=3, children_each=2)
    positions = {p.body: p.branch_position for p in thread.posts.all()}
    assert positions["Opening"] == 0
    assert [positions[f"Root {i}"] for i in range(3)] == [1, 2, 3]
    assert positions["Child 1 of root 2"] == 3
    assert thread.root_count == 3


def test_a_reply_takes_the_next_position_and_a_nested_reply_its_branchs(community, member):
    thread = _thread(community, member, top_level=2)
    top = services.post_reply(thread=thread, author=member, body="A third top-level reply")
    nested = services.post_reply(
        thread=thread, author=member, body="Under the first", parent=thread.posts.get(body="Root 0")
    )
    thread.refresh_from_db()
    assert (top.branch_position, nested.branch_position, thread.root_count) == (3, 1, 3)


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_page_one_a_middle_page_and_the_last_page_of_a_long_thread_cost_the_same_queries_as_a_short_one(
    community, member, persona, client, as_member, settings
):
    settings.FORUM_REPLIES_PER_PAGE = 5
    viewer = {"anonymous": client, "member": as_member}[persona]
    author = make_membership(community, make_user(first_name="Writer")).user
    long, short = _thread(community, author, top_level=52), _thread(community, author, top_level=3, title="Short")
    base = long.get_absolute_url()
    counts = {}
    for label, url in {
        "short": short.get_absolute_url(),
        "1": base,
        "5": f"{base}?page=5",
        "11": f"{base}?page=11",
    }.items():
        # A second visit: the member's read marker is then already current on every page.
        viewer.get(url)
        counts[label], html = _count(viewer, url)
        if label == "5":
            assert "Root 20</p>" in html and "Root 24</p>" in html and "Child 0 of root 22" in html
            assert "Root 19</p>" not in html and "Root 25</p>" not in html and "Opening" not in html
        if label == "11":
            assert "Root 51</p>" in html and "Root 49</p>" not in html
    assert len(set(counts.values())) == 1, counts


def test_a_permalink_finds_its_page_from_the_stored_position(community, member, client, settings):
    settings.FORUM_REPLIES_PER_PAGE = 5
    thread = _thread(community, member, top_level=12)
    child = thread.posts.get(body="Child 0 of root 7")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("forums:post_permalink", args=[community.slug, child.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{child.pk}"
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_a_reply_into_a_long_thread_costs_the_queries_of_a_reply_into_a_new_one(community, member, as_member):
    long = _thread(community, member, top_level=60)
    short = _thread(community, member, top_level=0, title="New")
    counts = []
    for thread in (long, short):
        url = reverse("forums:thread_reply", args=[community.slug, thread.pk])
        with CaptureQueriesContext(connection) as queries:
            response = as_member.post(url, {"body": f"A reply to {thread.title}"})
        assert response.status_code == 302
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    long.refresh_from_db()
    assert long.root_count == 61
    assert long.posts.get(body="A reply to Long thread").branch_position == 61


def test_a_visit_with_nothing_new_writes_nothing(community, member, as_member):
    thread = _thread(community, member, top_level=3)
    url = thread.get_absolute_url()
    as_member.get(url)
    assert ThreadRead.objects.filter(thread=thread, user=member).count() == 1
    with CaptureQueriesContext(connection) as queries:
        as_member.get(url)
    sql = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert not [s for s in sql if s.startswith(WRITES)], sql
    assert not [s for s in sql if s.startswith(("BEGIN", "SAVEPOINT", "COMMIT"))], sql
    # Something new: the next visit moves the marker, in one statement.
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now() + timedelta(seconds=1))
    before = ThreadRead.objects.get(thread=thread, user=member).read_at
    with CaptureQueriesContext(connection) as queries:
        as_member.get(url)
    assert len([q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]) == 1
    assert ThreadRead.objects.get(thread=thread, user=member).read_at > before


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member", "facilitator", "owner", "author", "staff"])
def test_the_rights_decided_once_a_page_are_the_rules_themselves(community, member, facilitator, owner, persona):
    from django.contrib.auth.models import AnonymousUser

    author = make_membership(community, make_user(first_name="Asker")).user
    users = {
        "anonymous": AnonymousUser(),
        "outsider": make_user(first_name="Out"),
        "member": member,
        "facilitator": facilitator,
        "owner": owner,
        "author": author,
        "staff": make_user(first_name="Staff", is_staff=True),
    }
    user = users[persona]
    for closed in (False, True):
        thread = _thread(community, author, top_level=2, title=f"Closed {closed}")
        Thread.objects.filter(pk=thread.pk).update(is_closed=closed)
        thread = Thread.objects.select_related("community", "category").get(pk=thread.pk)
        if not closed:
            services.post_reply(thread=thread, author=member, body="Mine")
        Post.objects.filter(thread=thread, body="Root 1").update(is_deleted=True)
        rights = permissions.post_rights(user, thread)
        for post in Post.objects.filter(thread=thread):
            post.thread = thread
            expected = (
                permissions.can_edit_post(user, post),
                permissions.can_delete_post(user, post),
                permissions.can_react(user, post),
                permissions.can_flag(user, post),
            )
            assert rights(post) == expected, (persona, post.body, closed)


def test_links_built_from_bases_are_the_reversed_urls(community, facilitator, member, as_facilitator):
    thread = _thread(community, member, top_level=2)
    Post.objects.filter(thread=thread, body="Root 0").update(edited_at=timezone.now())
    html = as_facilitator.get(thread.get_absolute_url()).content.decode()
    slug = community.slug
    post = thread.posts.get(body="Root 0")
    for url in [
        reverse("forums:post_permalink", args=[slug, post.pk]),
        reverse("forums:post_react", args=[slug, post.pk, "thanks"]),
        reverse("forums:post_react", args=[slug, post.pk, "helpful"]),
        reverse("forums:post_edit", args=[slug, post.pk]),
        reverse("forums:post_flag", args=[slug, post.pk]),
        reverse("forums:post_revisions", args=[slug, post.pk]),
        reverse("forums:post_moderate", args=[slug, post.pk]),
        reverse("forums:thread_reply", args=[slug, thread.pk]) + f"?parent={post.pk}",
        member.get_absolute_url(),
    ]:
        assert f'href="{url}' in html or f'action="{url}' in html, url
    # Lists: thread, category and tag links.
    thread.tags.add("Risk register")
    listing = as_facilitator.get(reverse("forums:latest", args=[slug])).content.decode()
    for url in [
        thread.get_absolute_url(),
        thread.category.get_absolute_url(),
        reverse("forums:tag_detail", args=[slug, "risk-register"]),
    ]:
        assert f'href="{url}"' in listing, url


@pytest.mark.parametrize(
    "delta",
    [
        timedelta(seconds=20),
        timedelta(minutes=1),
        timedelta(minutes=59),
        timedelta(hours=1, minutes=5),
        timedelta(days=1),
        timedelta(days=2, hours=3),
        timedelta(days=9),
        timedelta(days=45),
        timedelta(days=400, hours=5),
        timedelta(days=800),
    ],
)
def test_time_ago_says_what_timesince_says(delta):
    from django.utils.timesince import timesince

    now = timezone.now()
    assert selectors.time_ago(now - delta, now) == timesince(now - delta, now)


def test_list_rows_show_when_they_were_active_as_the_filters_did(community, member, client):
    from django.template.defaultfilters import date as date_filter
    from django.utils.timesince import timesince

    thread = _thread(community, member, top_level=1)
    active = timezone.now() - timedelta(days=3, hours=2)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=active)
    html = client.get(reverse("forums:latest", args=[community.slug])).content.decode()
    iso = date_filter(active, "Y-m-d\\TH:i:sO")
    assert f'<time datetime="{iso}">{timesince(active)} ago</time>' in html


def test_post_times_read_as_the_date_filters_print_them(community, member, client):
    from django.template.defaultfilters import date as date_filter

    thread = _thread(community, member, top_level=1)
    post = thread.posts.get(body="Root 0")
    html = client.get(thread.get_absolute_url()).content.decode()
    iso, label = date_filter(post.created_at, "Y-m-d\\TH:i:sO"), date_filter(post.created_at, "j M Y, H:i")
    assert f'<time datetime="{iso}">{label}</time>' in html
