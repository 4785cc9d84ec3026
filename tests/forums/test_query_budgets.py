"""Forum pages run a fixed number of queries however many threads, posts, reactions and tags there are.

Each page is measured with 5 and with 500 posts under the same bound: a page whose count grows with its posts
has an N+1 query. The data is built with bulk_create (a busy thread whose replies branch six levels deep, many
small threads, reactions, tags, an accepted answer, a held and a hidden reply), then the denormalised counters
are set the way the services keep them.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from forums.models import Category, Post, Reaction, Thread, ThreadRead
from forums.selectors import replies_per_page
from forums.services import number_branches

from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db

# The budgets. Measured on SQLite and PostgreSQL, with 5 and with 500 posts alike:
# thread page 4 anonymous (thread with its header data, page-bounds count, the page's posts, tags) and
# 9 for a member (+ session, user, memberships, their reactions, the read-marker upsert);
# list pages 5 anonymous (community, count, threads, their tags, categories) and 8 for a member
# (+ session, user, memberships; read markers come with the threads as a subquery).
# Since then the page also asks the registry for blocks (a poll) and attachments (library files): one query each.
# Issue 11: the thread page is cut along stored branch positions (no count, no page-bounds query: 6 -> 5 and
# 11 -> 10); list pages no longer ask which communities are readable in a subquery and read tags once (6 -> 5).
THREAD_PAGE_ANONYMOUS = 5
THREAD_PAGE_MEMBER = 10
LIST_PAGE_ANONYMOUS = 5
LIST_PAGE_MEMBER = 8

WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class Forum:
    community: object
    busy: Thread
    held: Post
    hidden: Post
    page_two_root: Post | None


def _bulk_posts(posts: list[Post]) -> list[Post]:
    created = Post.objects.bulk_create(posts)
    assert all(p.pk for p in created), "the database must return the new primary keys"
    return created


def build_forum(community, authors, *, posts: int, top_level: int | None = None) -> Forum:
    """About `posts` posts: a third are replies in one busy thread, the rest open small threads."""
    categories = [
        Category.objects.create(community=community, name="Questions", slug="questions"),
        Category.objects.create(community=community, name="Tools", slug="tools"),
    ]
    start = timezone.now() - timedelta(days=30)
    replies = max(posts // 3, 2)
    top_level = top_level or max(replies // 4, 1)
    replies = max(replies, top_level + 1)
    kinds = [Thread.Kind.QUESTION, Thread.Kind.DISCUSSION, Thread.Kind.ARTICLE]
    threads = Thread.objects.bulk_create(
        Thread(
            community=community,
            category=categories[i % 2],
            kind=kinds[i % 3],
            title=f"Thread number {i}",
            author=authors[i % len(authors)],
            last_post_author=authors[(i + 1) % len(authors)],
            created_at=start + timedelta(minutes=i),
            last_activity_at=start + timedelta(minutes=i),
        )
        for i in range(max(posts - replies, 4))
    )
    busy = threads[0]
    _bulk_posts(
        [
            Post(
                thread=t,
                author=t.author,
                body=f"Opening of {t.title}",
                body_html=f"<p>Opening of {t.title}</p>",
                is_opening=True,
                created_at=t.created_at,
            )
            for t in threads
        ]
    )

    # The busy thread: top-level replies (each its own root), then one bulk insert per level of branches below
    # them, five levels deep, so some replies go past the indentation limit.
    clock = iter(start + timedelta(days=1, seconds=s) for s in range(posts + top_level + 100))
    roots = _bulk_posts(
        [
            Post(
                thread=busy,
                author=authors[i % len(authors)],
                body=f"Top-level reply {i}",
                body_html=f"<p>Top-level reply {i}</p>",
                depth=1,
                created_at=next(clock),
            )
            for i in range(top_level)
        ]
    )
    nested: list[Post] = []
    level = roots
    for size in filter(None, [(replies - top_level + 4 - d) // 5 for d in range(5)]):
        level = _bulk_posts(
            [
                Post(
                    thread=busy,
                    parent=(parent := level[i % len(level)]),
                    root_id=parent.root_id or parent.pk,
                    depth=parent.depth + 1,
                    author=authors[(i + parent.depth) % len(authors)],
                    body=f"Reply {i} at depth {parent.depth + 1}",
                    body_html=f"<p>Reply {i} at depth {parent.depth + 1}</p>",
                    created_at=next(clock),
                )
                for i in range(size)
            ]
        )
        nested += level
    # A reply waiting for approval and one hidden by a moderator, by people other than the viewers.
    held, hidden = _bulk_posts(
        [
            Post(
                thread=busy,
                parent=roots[0],
                root_id=roots[0].pk,
                depth=2,
                author=authors[2],
                body=f"Held reply with links {i}",
                body_html=f"<p>Held reply with links {i}</p>",
                status=status,
                created_at=next(clock),
            )
            for i, status in enumerate([Post.Status.HELD, Post.Status.HIDDEN])
        ]
    )
    Thread.objects.filter(pk=busy.pk).update(accepted_post=roots[0], last_activity_at=timezone.now())

    # Thanks and "helpful" from every other author on every third reply, then the counters from the rows.
    Reaction.objects.bulk_create(
        Reaction(post=post, user=user, kind=kind)
        for post in (roots + nested)[::3]
        for user in authors
        if user.pk != post.author_id
        for kind in Reaction.Kind.values
    )
    for kind, counter in ((Reaction.Kind.THANKS, "thanks_count"), (Reaction.Kind.HELPFUL, "helpful_count")):
        rows = Reaction.objects.filter(post=OuterRef("pk"), kind=kind).values("post").annotate(n=Count("pk"))
        Post.objects.filter(thread__community=community).update(**{counter: Coalesce(Subquery(rows.values("n")), 0)})

    # Two or three tags on every thread, through taggit's generic table.
    tags = [Tag.objects.create(name=name, slug=name) for name in ("risk", "assurance", "benefits", "agile")]
    thread_type = ContentType.objects.get_for_model(Thread)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tag, content_type=thread_type, object_id=t.pk)
        for i, t in enumerate(threads)
        for tag in tags[i % 2 : i % 2 + 2 + i % 2]
    )

    # Counters as the services keep them: published replies per thread, visible threads per category.
    published = Post.objects.filter(thread=OuterRef("pk"), is_opening=False, status=Post.Status.PUBLISHED)
    Thread.objects.filter(community=community).update(
        reply_count=Coalesce(Subquery(published.values("thread").annotate(n=Count("pk")).values("n")), 0)
    )
    for category in categories:
        category.thread_count = Thread.objects.filter(category=category, is_hidden=False).count()
        category.save(update_fields=["thread_count"])

    number_branches(Thread.objects.filter(community=community))  # as post_reply would have numbered them
    assert Post.objects.filter(thread__community=community).count() >= posts
    busy.refresh_from_db()
    page_two_root = roots[replies_per_page()] if len(roots) > replies_per_page() else None
    return Forum(community=community, busy=busy, held=held, hidden=hidden, page_two_root=page_two_root)


def _authors(community, member, facilitator) -> list:
    extra = [make_membership(community, make_user(first_name=f"Author{i}")).user for i in range(4)]
    return [member, facilitator, *extra]


@pytest.fixture(params=[5, 500], ids=lambda n: f"{n}-posts")
def forum(request, community, facilitator, member):
    return build_forum(community, _authors(community, member, facilitator), posts=request.param)


@pytest.fixture(params=[5, 500], ids=lambda n: f"{n}-posts")
def long_forum(request, community, facilitator, member):
    """The busy thread has more top-level replies than one page holds, whatever the number of posts."""
    authors = _authors(community, member, facilitator)
    return build_forum(
        community, authors, posts=request.param, top_level=max(request.param // 12, replies_per_page() + 2)
    )


def _viewer(persona, client, as_member):
    return {"anonymous": client, "member": as_member}[persona]


# --- Thread page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "budget"), [("anonymous", THREAD_PAGE_ANONYMOUS), ("member", THREAD_PAGE_MEMBER)])
def test_the_thread_page_stays_within_its_query_budget_however_long_the_thread(
    forum, persona, budget, client, as_member, django_assert_max_num_queries
):
    viewer, url = _viewer(persona, client, as_member), forum.busy.get_absolute_url()
    with django_assert_max_num_queries(budget):
        response = viewer.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opening of Thread number 0" in html
    assert "Top-level reply 0" in html
    assert "Accepted answer" in html
    assert forum.held.body not in html
    assert forum.hidden.body not in html


@pytest.mark.parametrize(("persona", "budget"), [("anonymous", THREAD_PAGE_ANONYMOUS), ("member", THREAD_PAGE_MEMBER)])
def test_the_second_page_of_a_thread_stays_within_the_same_budget(
    long_forum, persona, budget, client, as_member, django_assert_max_num_queries
):
    viewer, url = _viewer(persona, client, as_member), long_forum.busy.get_absolute_url() + "?page=2"
    with django_assert_max_num_queries(budget):
        response = viewer.get(url)
    html = response.content.decode()
    assert long_forum.page_two_root.body in html
    assert "Top-level reply 0</p>" not in html.split('id="replies-h"')[1]  # page 1's replies stay on page 1


# --- List pages ----------------------------------------------------------------------------------------------

LIST_PAGES = {
    "latest": lambda slug: reverse("forums:latest", args=[slug]),
    "category": lambda slug: reverse("forums:category_detail", args=[slug, "questions"]),
    "tag": lambda slug: reverse("forums:tag_detail", args=[slug, "risk"]),
    "unanswered": lambda slug: reverse("forums:unanswered", args=[slug]),
}


@pytest.mark.parametrize("list_page", LIST_PAGES)
@pytest.mark.parametrize(("persona", "budget"), [("anonymous", LIST_PAGE_ANONYMOUS), ("member", LIST_PAGE_MEMBER)])
def test_each_thread_list_stays_within_its_query_budget_however_many_threads(
    forum, list_page, persona, budget, client, as_member, django_assert_max_num_queries
):
    viewer, url = _viewer(persona, client, as_member), LIST_PAGES[list_page](forum.community.slug)
    with django_assert_max_num_queries(budget):
        response = viewer.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="thread-row' in html
    # The busy thread is the most recently active question, with an accepted answer: listed unless unanswered.
    assert (forum.busy.title in html) is (list_page != "unanswered")


# --- Writes on read ------------------------------------------------------------------------------------------


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]


def test_an_anonymous_visit_to_a_thread_writes_nothing(forum, client):
    url = forum.busy.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert _writes(queries.captured_queries) == []


def test_a_members_visit_to_a_thread_writes_only_their_read_marker(forum, member, as_member):
    url = forum.busy.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        as_member.get(url)
    writes = _writes(queries.captured_queries)
    assert len(writes) <= 1, writes
    assert ThreadRead.objects.filter(thread=forum.busy, user=member).count() == 1
    assert ThreadRead.objects.count() == 1

    with CaptureQueriesContext(connection) as queries:
        as_member.get(url)
    assert len(_writes(queries.captured_queries)) <= 1
    assert ThreadRead.objects.count() == 1  # the second visit moves the marker rather than adding a row
