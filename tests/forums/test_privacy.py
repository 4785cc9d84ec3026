"""Forum content of private and hidden communities, and content moderators hid or hold, reaches only the people
allowed to read it: on every list, thread page, permalink, the site search and the author's profile."""

import re
from html import unescape

import pytest
from django.urls import reverse

from communities.models import Community, Membership
from communities.permissions import forget_memberships
from forums import services
from forums.models import Category, Post, Thread

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, login, text_of

pytestmark = pytest.mark.django_db

SECRET = "Zephyrquill4412"  # in closed or removed threads' titles, bodies and tags: outsiders never see it
SECRET_NAME = "Brackenhollow"  # the closed community's and its category's name
SHARED = "marmalade"  # in public and secret content alike, so a search has results for everyone


def content(response) -> str:
    return response.content.decode()


def assert_no_secret(response, where: str) -> None:
    html = content(response).lower()
    assert SECRET.lower() not in html, where
    assert SECRET_NAME.lower() not in html, where


def search_results(response) -> list[str]:
    """The titles of the results on a search page."""
    return [unescape(t) for t in re.findall(r'class="search-result".*?<a [^>]*>(.*?)</a>', content(response), re.S)]


def contribution(profile_html: str, label: str) -> int:
    """A number from the profile's forum contributions, e.g. contribution(html, "threads? started")."""
    match = re.search(rf"(\d+)\s*{label}", text_of(profile_html))
    assert match, label
    return int(match.group(1))


# --- Private and hidden communities ------------------------------------------------------------------------


@pytest.fixture
def author(community):
    """Belongs to the public community and to the closed one; has written in both."""
    user = make_user(first_name="Rhea", last_name="Author", email="rhea@example.org")
    make_membership(community, user)
    public_category = Category.objects.create(community=community, name="General", slug="general")
    services.thread_create(
        category=public_category,
        author=user,
        kind=Thread.Kind.DISCUSSION,
        title="Public notes on planning",
        body=f"Some {SHARED} for everyone.",
        tags=["planning"],
    )
    return user


@pytest.fixture(params=[Community.Visibility.PRIVATE, Community.Visibility.HIDDEN])
def closed(request, author):
    """A private or hidden community with a question, an accepted and thanked answer, and an article."""
    closed = make_community(
        name=f"{SECRET_NAME} Circle", slug="estates", visibility=request.param, join_policy=Community.JoinPolicy.INVITE
    )
    make_membership(closed, author)
    forget_memberships(author)  # the author object cached its memberships while writing in the public community
    insider = make_membership(closed, make_user(first_name="Ivo", last_name="Insider")).user
    category = Category.objects.create(community=closed, name=f"{SECRET_NAME} plans", slug="plans")
    question = services.thread_create(
        category=category,
        author=insider,
        kind=Thread.Kind.QUESTION,
        title=f"Who owns the {SECRET} budget?",
        body=f"The {SECRET} board meets on Monday, bring {SHARED}.",
        tags=[SECRET],
    )
    answer = services.post_reply(thread=question, author=author, body=f"The {SECRET} sponsor does, with {SHARED}.")
    services.reaction_toggle(post=answer, user=insider, kind="thanks")
    services.answer_accept(thread=question, post=answer, by=insider)
    article = services.thread_create(
        category=category,
        author=author,
        kind=Thread.Kind.ARTICLE,
        title=f"What {SECRET} taught us",
        body=f"Lessons from {SECRET}.",
    )
    services.thread_create(
        category=category, author=insider, kind=Thread.Kind.QUESTION, title=f"Any {SECRET} templates?", body="?"
    )
    closed.insider, closed.question, closed.answer, closed.article = insider, question, answer, article
    return closed


def closed_forum_urls(closed) -> list[str]:
    slug = closed.slug
    return [
        reverse("forums:latest", args=[slug]),
        reverse("forums:unanswered", args=[slug]),
        reverse("forums:articles", args=[slug]),
        reverse("forums:mine", args=[slug]),
        reverse("forums:category_detail", args=[slug, "plans"]),
        reverse("forums:tag_detail", args=[slug, SECRET.lower()]),
        reverse("forums:tag_list", args=[slug]),
        closed.question.get_absolute_url(),
        closed.article.get_absolute_url(),
        closed.answer.get_absolute_url(),
        closed.question.posts.get(is_opening=True).get_absolute_url(),
    ]


def site_urls(closed, author) -> list[str]:
    return [
        f"{reverse('communities:search')}?q={SHARED}",
        reverse("communities:profile_detail", args=[author.pk]),
        reverse("forums:tag_detail", args=["ppm", SECRET.lower()]),
        reverse("forums:tag_list", args=["ppm"]),
        reverse("forums:latest", args=["ppm"]),
    ]


def test_a_logged_in_outsider_is_kept_out_of_every_forum_page_of_a_closed_community(closed, as_outsider):
    for path in closed_forum_urls(closed):
        response = as_outsider.get(path)
        assert_kept_out(response, closed)
        assert_no_secret(response, path)
        if response.status_code == 302:
            # The landing page names the private community (it is listed), and shows nothing of its forums.
            landing = content(as_outsider.get(response.url)).lower()
            assert SECRET.lower() not in landing, path
            assert closed.question.title.lower() not in landing, path


def test_an_anonymous_visitor_is_asked_to_log_in_to_a_private_forum_and_finds_no_hidden_one(closed, client):
    for path in closed_forum_urls(closed):
        response = client.get(path)
        if closed.visibility == Community.Visibility.PRIVATE:
            assert_sent_to_login(response, path)
        else:
            assert response.status_code == 404, path
        assert_no_secret(response, path)


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_search_public_forums_and_the_authors_profile_show_outsiders_nothing_of_a_closed_community(
    closed, author, client, request, persona
):
    viewer = client if persona == "anonymous" else login(request.getfixturevalue(persona))
    for path in site_urls(closed, author):
        response = viewer.get(path)
        assert response.status_code in (200, 404), path
        assert_no_secret(response, path)

    assert search_results(viewer.get(f"{reverse('communities:search')}?q={SHARED}")) == ["Public notes on planning"]
    # These two echo the query in the search box, so only their results may not mention it.
    assert search_results(viewer.get(f"{reverse('communities:search')}?q={SECRET}")) == []
    assert search_results(viewer.get(f"{reverse('communities:search')}?tag={SECRET}")) == []


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_the_authors_profile_counts_for_outsiders_only_what_they_may_read(closed, author, client, request, persona):
    viewer = client if persona == "anonymous" else login(request.getfixturevalue(persona))

    profile = content(viewer.get(reverse("communities:profile_detail", args=[author.pk])))

    assert contribution(profile, "threads? started") == 1
    assert contribution(profile, "accepted answers?") == 0
    assert contribution(profile, "thanks received") == 0
    assert "Public notes on planning" in profile


def test_members_of_the_closed_community_see_all_of_it(closed, author):
    insider = login(closed.insider)
    for path in closed_forum_urls(closed):
        response = insider.get(path, follow=True)
        assert response.status_code == 200, path
        assert SECRET.lower() in content(response).lower(), path

    assert len(search_results(insider.get(f"{reverse('communities:search')}?tag={SECRET}"))) == 1
    found = search_results(insider.get(f"{reverse('communities:search')}?q={SECRET}"))
    assert sorted(found) == sorted(
        [
            f"Who owns the {SECRET} budget?",
            f"Who owns the {SECRET} budget?",
            f"What {SECRET} taught us",
            f"Any {SECRET} templates?",
        ]
    )
    profile = content(insider.get(reverse("communities:profile_detail", args=[author.pk])))
    assert f"What {SECRET} taught us" in profile
    assert contribution(profile, "threads? started") == 2
    assert contribution(profile, "accepted answers?") == 1
    assert contribution(profile, "thanks received") == 1


def test_a_member_who_left_the_closed_community_no_longer_finds_its_threads(closed):
    Membership.objects.filter(community=closed, user=closed.insider).update(status=Membership.Status.LEFT)
    former = login(closed.insider)

    assert_kept_out(former.get(closed.question.get_absolute_url()), closed)
    assert search_results(former.get(f"{reverse('communities:search')}?q={SECRET}")) == []


# --- Hidden by a moderator, or held for approval -----------------------------------------------------------


@pytest.fixture
def reader(community):
    """Another member of the community, who must not see what moderators removed or have not yet approved."""
    return make_membership(community, make_user(first_name="Rita", last_name="Reader")).user


@pytest.fixture
def forum(category, member, other_thread):
    """The member's question, next to a thread of the facilitator's."""
    return services.thread_create(
        category=category,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="How long is a gateway review?",
        body=f"Planning the {SHARED} timetable.",
        tags=["gateway"],
    )


@pytest.fixture
def other_thread(category, facilitator):
    return services.thread_create(
        category=category,
        author=facilitator,
        kind=Thread.Kind.DISCUSSION,
        title="Welcome thread",
        body=f"Introduce yourself and your {SHARED}.",
    )


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return content(response)


def community_pages(community) -> list[str]:
    slug = community.slug
    return [
        reverse("forums:latest", args=[slug]),
        reverse("forums:unanswered", args=[slug]),
        reverse("forums:mine", args=[slug]),
        reverse("forums:category_detail", args=[slug, "questions"]),
        reverse("forums:tag_detail", args=[slug, SECRET.lower()]),
        reverse("forums:tag_list", args=[slug]),
        f"{reverse('communities:search')}?q={SHARED}",
    ]


def test_a_reply_hidden_by_a_moderator_is_gone_for_other_members_but_facilitators_still_see_it(
    forum, newcomer, reader, facilitator, as_facilitator
):
    reply = services.post_reply(thread=forum, author=newcomer, body=f"Buy {SECRET} pills, {SHARED} cheap.")
    services.post_hide(post=reply, by=facilitator)
    as_reader = login(reader)

    assert SECRET not in page(as_reader, forum.get_absolute_url())
    assert as_reader.get(reply.get_absolute_url()).status_code == 404
    assert_no_secret(as_reader.get(f"{reverse('communities:search')}?q={SHARED}"), "search")
    assert search_results(as_reader.get(f"{reverse('communities:search')}?q={SECRET}")) == []

    moderator_view = page(as_facilitator, forum.get_absolute_url())
    assert SECRET in moderator_view
    assert "Hidden by a moderator" in moderator_view


def test_a_thread_hidden_by_a_moderator_disappears_everywhere_for_other_members(
    category, member, reader, facilitator, as_facilitator, other_thread
):
    thread = services.thread_create(
        category=category,
        author=member,
        kind=Thread.Kind.QUESTION,
        title=f"Cheap {SECRET} here",
        body=f"Visit {SECRET} for {SHARED}.",
        tags=[SECRET],
    )
    reply = services.post_reply(thread=thread, author=reader, body=f"Is {SECRET} legit? I like {SHARED}.")
    services.post_hide(post=thread.posts.get(is_opening=True), by=facilitator)
    as_reader = login(reader)

    for path in community_pages(thread.community):
        response = as_reader.get(path)
        assert response.status_code in (200, 404), path
        assert_no_secret(response, path)
    assert as_reader.get(thread.get_absolute_url()).status_code == 404
    assert as_reader.get(reply.get_absolute_url()).status_code == 404
    assert search_results(as_reader.get(f"{reverse('communities:search')}?q={SECRET}")) == []
    assert_no_secret(as_reader.get(reverse("communities:profile_detail", args=[member.pk])), "profile")

    assert SECRET in page(as_facilitator, thread.get_absolute_url())


def test_a_restored_thread_is_found_again_with_its_replies(category, member, reader, facilitator):
    thread = services.thread_create(
        category=category,
        author=member,
        kind=Thread.Kind.DISCUSSION,
        title=f"About {SECRET}",
        body="Opening.",
    )
    services.post_reply(thread=thread, author=reader, body=f"Agreed on {SECRET}.")
    opening = thread.posts.get(is_opening=True)
    services.post_hide(post=opening, by=facilitator)

    services.post_restore(post=Post.objects.get(pk=opening.pk), by=facilitator)

    found = search_results(login(reader).get(f"{reverse('communities:search')}?q={SECRET}"))
    assert sorted(found) == [f"About {SECRET}", f"About {SECRET}"]


def test_a_hidden_accepted_answer_is_not_shown_at_the_top_of_the_thread(
    forum, member, newcomer, reader, facilitator, as_facilitator
):
    answer = services.post_reply(thread=forum, author=newcomer, body=f"Six weeks, says {SECRET}.")
    services.answer_accept(thread=forum, post=answer, by=member)

    services.post_hide(post=answer, by=facilitator)

    view = page(login(reader), forum.get_absolute_url())
    assert SECRET not in view
    assert "Accepted answer" not in view
    assert SECRET in page(as_facilitator, forum.get_absolute_url())


@pytest.fixture
def newcomer(community):
    """A member with no published posts yet: a post with several links waits for a facilitator."""
    return make_membership(community, make_user(first_name="Nina", last_name="Newcomer")).user


LINKS = "[one](https://one.example) [two](https://two.example) [three](https://three.example)"


def test_a_held_reply_is_seen_by_its_author_and_facilitators_only(forum, newcomer, reader, as_facilitator):
    reply = services.post_reply(thread=forum, author=newcomer, body=f"{SECRET} offers: {LINKS}")
    assert reply.status == Post.Status.HELD
    as_reader = login(reader)

    assert SECRET not in page(as_reader, forum.get_absolute_url())
    assert as_reader.get(reply.get_absolute_url()).status_code == 404
    assert search_results(as_reader.get(f"{reverse('communities:search')}?q={SECRET}")) == []

    own_view = page(login(newcomer), forum.get_absolute_url())
    assert SECRET in own_view and "Waiting for a facilitator" in own_view
    assert login(newcomer).get(reply.get_absolute_url()).status_code == 302
    assert SECRET in page(as_facilitator, forum.get_absolute_url())


def test_a_held_thread_is_seen_by_its_author_and_facilitators_only(category, newcomer, reader, as_facilitator):
    thread = services.thread_create(
        category=category,
        author=newcomer,
        kind=Thread.Kind.QUESTION,
        title=f"{SECRET} resources",
        body=f"Have a look: {LINKS} {SHARED}",
        tags=[SECRET],
    )
    assert thread.is_hidden
    as_reader = login(reader)

    for path in community_pages(category.community):
        response = as_reader.get(path)
        assert response.status_code in (200, 404), path
        assert_no_secret(response, path)
    assert as_reader.get(thread.get_absolute_url()).status_code == 404
    assert_no_secret(as_reader.get(reverse("communities:profile_detail", args=[newcomer.pk])), "profile")

    assert SECRET in page(login(newcomer), thread.get_absolute_url())
    assert SECRET in page(as_facilitator, thread.get_absolute_url())
    assert SECRET in page(as_facilitator, reverse("forums:moderation_queue", args=[category.community.slug]))
