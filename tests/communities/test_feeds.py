"""Atom feeds: public communities' feeds for anyone, private communities' through a member's secret address, which
dies when they leave, are banned or reset it. Entries hold only what the reader may see. Parsed with feedparser and
checked as Atom 1.0."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from communities import services
from communities.models import Community, FeedToken, Membership
from forums import services as forum_services
from forums.models import Category, Thread

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_kept_out, login

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}author") is not None or root.find(f"{ATOM}author") is not None
    return feed


@pytest.fixture
def forum(community, member):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PUBLIC)
    community.refresh_from_db()
    risk = Category.objects.create(community=community, name="Risk", slug="risk")
    other = Category.objects.create(community=community, name="Other", slug="other")
    forum_services.thread_create(
        category=risk, author=member, kind="question", title="Risk appetite statements?", body="Q", tags=["risk"]
    )
    forum_services.thread_create(category=other, author=member, kind="article", title="Lessons from a PMO", body="A")
    hidden = forum_services.thread_create(
        category=other, author=member, kind="discussion", title="Removed one", body="x"
    )
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    return community


def _titles(feed):
    return [e.title for e in feed.entries]


def test_public_feeds_latest_category_tag_articles(client, forum):
    slug = forum.slug
    latest = _parse(client.get(reverse("communities:feed", args=[slug, "threads"])))
    assert set(_titles(latest)) == {"Risk appetite statements?", "Lessons from a PMO"}
    assert latest.entries[0].link.startswith("http")
    category = _parse(client.get(reverse("communities:feed", args=[slug, "category"]) + "?category_slug=risk"))
    assert _titles(category) == ["Risk appetite statements?"]
    tag = _parse(client.get(reverse("communities:feed", args=[slug, "tag"]) + "?tag_slug=risk"))
    assert _titles(tag) == ["Risk appetite statements?"]
    assert [t.term for t in tag.entries[0].tags] == ["risk"]
    articles = _parse(client.get(reverse("communities:feed", args=[slug, "articles"])))
    assert _titles(articles) == ["Lessons from a PMO"]
    library = _parse(client.get(reverse("communities:feed", args=[slug, "library"])))
    assert library.entries == []


def test_pages_advertise_their_feeds(client, forum):
    page = client.get(reverse("forums:latest", args=[forum.slug])).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" title="Latest threads · {forum.name}"' in page
    assert f'href="/c/{forum.slug}/feeds/threads/"' in page
    tag_page = client.get(reverse("forums:tag_detail", args=[forum.slug, "risk"])).content.decode()
    assert f'href="/c/{forum.slug}/feeds/tag/?tag_slug=risk"' in tag_page
    articles = client.get(reverse("forums:articles", args=[forum.slug])).content.decode()
    assert f'href="/c/{forum.slug}/feeds/articles/"' in articles


@pytest.fixture
def private(member):
    community = make_community(name="Private", visibility=Community.Visibility.PRIVATE)
    make_membership(community, member)
    category = Category.objects.create(community=community, name="General", slug="general")
    forum_services.thread_create(category=category, author=member, kind="discussion", title="Members only", body="x")
    return community


def test_private_communities_have_no_public_feed(client, private, as_member):
    for persona in (client, as_member):
        assert persona.get(reverse("communities:feed", args=[private.slug, "threads"])).status_code == 404
    page = as_member.get(reverse("forums:latest", args=[private.slug])).content.decode()
    assert "application/atom+xml" not in page


def test_a_members_secret_address_shows_private_content_until_they_leave(client, private, member, as_member):
    response = as_member.post(reverse("communities:feed_token_reset", args=[private.slug]))
    assert response.status_code == 302
    token = FeedToken.objects.get(user=member, community=private)
    url = reverse("communities:feed_private", args=[token.token, "threads"])
    assert (
        reverse("communities:feed_private", args=[token.token, "threads"])
        in as_member.get(reverse("communities:feed_list", args=[private.slug])).content.decode()
    )
    # Anyone holding the address reads it (that is what a feed reader does), as the member.
    assert _titles(_parse(client.get(url))) == ["Members only"]
    # Leaving kills it, and so does a ban.
    Membership.objects.filter(user=member, community=private).update(status=Membership.Status.LEFT)
    assert client.get(url).status_code == 404
    Membership.objects.filter(user=member, community=private).update(status=Membership.Status.BANNED)
    assert client.get(url).status_code == 404


def test_resetting_the_address_kills_the_old_one(client, private, member):
    old = services.feed_token_reset(user=member, community=private).token
    new = services.feed_token_reset(user=member, community=private).token
    assert old != new
    assert client.get(reverse("communities:feed_private", args=[old, "threads"])).status_code == 404
    assert client.get(reverse("communities:feed_private", args=[new, "threads"])).status_code == 200


def test_outsiders_cannot_get_an_address_or_guess_one(private, client):
    outsider = make_user()
    response = login(outsider).post(reverse("communities:feed_token_reset", args=[private.slug]))
    assert response.status_code in (403, 404)
    assert not FeedToken.objects.exists()
    assert client.get(reverse("communities:feed_private", args=["guess" * 8, "threads"])).status_code == 404
    assert client.get(reverse("communities:feed_private", args=["x", "nosuchfeed"])).status_code == 404


def test_a_deactivated_account_has_no_feed(client, private, member):
    token = services.feed_token_reset(user=member, community=private).token
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(reverse("communities:feed_private", args=[token, "threads"])).status_code == 404


def test_members_only_library_items_stay_out_of_public_feeds(client, forum, member):
    from library.models import Resource

    Resource.objects.create(community=forum, title="Open guide", kind="guide", author=member)
    Resource.objects.create(
        community=forum, title="Secret paper", kind="guide", author=member, licence=Resource.Licence.MEMBERS_ONLY
    )
    public = _titles(_parse(client.get(reverse("communities:feed", args=[forum.slug, "library"]))))
    assert public == ["Open guide"]
    token = services.feed_token_reset(user=member, community=forum).token
    mine = _titles(_parse(client.get(reverse("communities:feed_private", args=[token, "library"]))))
    assert set(mine) == {"Open guide", "Secret paper"}


def test_hostile_titles_stay_text(client, forum, member):
    category = Category.objects.get(community=forum, slug="risk")
    payload = "<script>alert(1)</script>\"&'<img src=x onerror=alert(1)>"
    forum_services.thread_create(category=category, author=member, kind="discussion", title=payload, body="x")
    response = client.get(reverse("communities:feed", args=[forum.slug, "threads"]))
    assert b"<script>" not in response.content
    assert payload in _titles(_parse(response))


def test_the_feeds_page(client, forum, as_member):
    page = client.get(reverse("communities:feed_list", args=[forum.slug])).content.decode()
    assert f"/c/{forum.slug}/feeds/threads/" in page
    assert "Make my private addresses" not in page
    assert (
        "Make my private addresses"
        in as_member.get(reverse("communities:feed_list", args=[forum.slug])).content.decode()
    )


def test_hidden_and_private_feed_lists_are_not_shown_to_outsiders(client, private):
    assert client.get(reverse("communities:feed_list", args=[private.slug])).status_code in (302, 404)
    assert_kept_out(login(make_user()).get(reverse("communities:feed_list", args=[private.slug])), private)
