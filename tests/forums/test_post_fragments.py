"""Issue 11: thread pages serve each post's HTML from the cache, and that never shows anything stale or anybody else's.

Every test views the page first (so the post's fragment is cached), changes something through the site or the
database, and views it again as a reader would: the change shows at once, and what belongs to one viewer (a
pressed reaction, an Edit or Delete link, a CSRF token, a time zone) never reaches another.
"""

import re

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from accounts.models import Profile, User
from forums import services
from forums.models import Post

from ..factories import make_membership, make_user
from ..helpers import login

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reply(question, facilitator):
    return services.post_reply(thread=question, author=facilitator, body="Start with the **brief**.")


def article(client, post) -> str:
    """The post's own <article> on its thread page, as this client sees it ('' when it is not shown)."""
    response = client.get(post.thread.get_absolute_url())
    assert response.status_code == 200
    found = re.search(rf'<article id="post-{post.pk}".*?</article>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def rendered_posts(response) -> int:
    return sum(1 for t in response.templates if t.name == "forums/_post.html")


def test_a_second_view_renders_no_post_and_shows_the_same_page(client, question, reply):
    first = client.get(question.get_absolute_url())
    second = client.get(question.get_absolute_url())
    assert rendered_posts(first) == 2  # the question and the reply
    assert rendered_posts(second) == 0
    assert second.content == first.content


def test_an_edit_shows_at_once(question, reply, facilitator, client):
    as_author = login(facilitator)
    assert "brief" in article(client, reply) and "brief" in article(as_author, reply)
    response = as_author.post(
        reverse("forums:post_edit", args=[question.community.slug, reply.pk]),
        {"body": "Start with the terms of reference."},
    )
    assert response.status_code == 302
    for viewer in (client, as_author):
        html = article(viewer, reply)
        assert "terms of reference" in html and "brief" not in html and "· edited" in html


def test_a_hide_and_a_restore_show_at_once(question, reply, as_owner, as_member, client):
    moderate = reverse("forums:post_moderate", args=[question.community.slug, reply.pk])
    assert "brief" in article(client, reply) and "brief" in article(as_member, reply)
    assert 'value="hide"' in article(as_owner, reply)

    assert as_owner.post(moderate, {"action": "hide"}).status_code == 302
    assert article(client, reply) == "" and article(as_member, reply) == ""
    hidden = article(as_owner, reply)
    assert "Hidden by a moderator" in hidden and 'value="restore"' in hidden

    assert as_owner.post(moderate, {"action": "restore"}).status_code == 302
    assert "brief" in article(client, reply) and "Hidden by a moderator" not in article(as_member, reply)


def test_a_reaction_shows_its_count_to_all_and_is_pressed_only_for_who_gave_it(community, question, reply, as_member):
    other = login(make_membership(community, make_user(first_name="Other")).user)
    anonymous = Client()
    for viewer in (as_member, other, anonymous):
        article(viewer, reply)

    response = as_member.post(reverse("forums:post_react", args=[community.slug, reply.pk, "thanks"]))
    assert response.status_code == 302

    mine, theirs, public = article(as_member, reply), article(other, reply), article(anonymous, reply)
    assert 'class="reaction is-on" aria-pressed="true">Thanks <span>1</span>' in mine
    assert 'class="reaction" aria-pressed="false">Thanks <span>1</span>' in theirs
    assert 'aria-pressed="true"' not in theirs
    assert "1 thanks" in public and "<form" not in public


def test_a_new_name_avatar_state_or_expert_badge_shows_at_once(question, reply, facilitator, client):
    assert "Priya" in article(client, reply)
    User.objects.filter(pk=facilitator.pk).update(first_name="Priyanka", last_name="Shah")
    html = article(client, reply)
    assert "<strong>Priyanka Shah</strong>" in html and ">PS</span>" in html
    Profile.objects.update_or_create(user=facilitator, defaults={"is_expert": True})
    assert "badge-expert" in article(client, reply)


def test_one_members_edit_and_delete_links_never_show_to_another_member_or_a_visitor(
    community, question, reply, facilitator, client
):
    mine = services.post_reply(thread=question, author=make_membership(community).user, body="My own reply")
    author = login(mine.author)
    other = login(make_membership(community, make_user(first_name="Other")).user)
    edit = reverse("forums:post_edit", args=[community.slug, mine.pk])
    assert f'href="{edit}"' in article(author, mine)  # cached with the author's rights

    for viewer in (other, client):
        html = article(viewer, mine)
        assert "My own reply" in html
        assert f'href="{edit}"' not in html and "/delete/" not in html
    assert f'href="{edit}"' in article(author, mine)


def test_each_viewers_forms_carry_their_own_csrf_token(community, question, reply):
    first, second = (login(make_membership(community, make_user()).user) for _ in range(2))
    second.handler.enforce_csrf_checks = True
    article(first, reply)  # cached with the first viewer's page

    html = article(second, reply)
    tokens = TOKEN.findall(html)
    assert tokens
    secret = second.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    react = reverse("forums:post_react", args=[community.slug, reply.pk, "helpful"])
    assert second.post(react, {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert Post.objects.get(pk=reply.pk).helpful_count == 1


def test_an_anonymous_reader_gets_no_csrf_cookie_from_cached_posts(question, reply):
    for _ in range(2):
        visitor = Client()
        response = visitor.get(question.get_absolute_url())
        assert "csrftoken" not in response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_times_are_shown_in_each_viewers_own_zone(community, question, reply):
    tokyo = login(make_membership(community, make_user(time_zone="Asia/Tokyo")).user)
    london = login(make_membership(community, make_user(time_zone="Europe/London")).user)
    pattern = re.compile(r'<time datetime="[^"]+([+-]\d{4})">')
    assert pattern.search(article(tokyo, reply)).group(1) == "+0900"
    assert pattern.search(article(london, reply)).group(1) in ("+0000", "+0100")
