"""Member blogs (a member's articles, with an Atom feed) and the article of the month first on the Articles page."""

import feedparser
import pytest
from django.urls import reverse

from communities.models import Community
from communities.permissions import forget_memberships
from forums import services
from forums.models import Category
from newsletters.models import Newsletter

from ..factories import make_community, make_membership
from ..helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(community, member):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PUBLIC)
    community.refresh_from_db()
    category = Category.objects.create(community=community, name="Essays", slug="essays")
    public = services.thread_create(category=category, author=member, kind="article", title="On gateways", body="x")
    services.thread_create(category=category, author=member, kind="question", title="Not an article", body="x")
    private = make_community(name="Private", visibility=Community.Visibility.PRIVATE)
    make_membership(private, member)
    forget_memberships(member)
    hidden_cat = Category.objects.create(community=private, name="General", slug="general")
    services.thread_create(category=hidden_cat, author=member, kind="article", title="Members-only essay", body="x")
    return public


def test_the_blog_lists_a_members_articles_as_the_viewer_may_see_them(client, as_member, member, articles):
    url = reverse("forums_blog:member_blog", args=[member.pk])
    public = text_of(client.get(url))
    assert "On gateways" in public
    assert "Not an article" not in public
    assert "Members-only essay" not in public
    assert "Members-only essay" in text_of(as_member.get(url))
    assert reverse("forums_blog:member_blog_feed", args=[member.pk]) in client.get(url).content.decode()
    assert url in as_member.get(member.get_absolute_url()).content.decode()


def test_the_blog_feed_is_atom_with_public_articles_only(client, member, articles):
    response = client.get(reverse("forums_blog:member_blog_feed", args=[member.pk]))
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["On gateways"]


def test_the_article_of_the_month_comes_first_on_the_articles_page(client, community, articles):
    from datetime import date

    Newsletter.objects.create(
        community=community,
        period=date(2026, 11, 1),
        subject="November",
        status=Newsletter.Status.SENT,
        article={"title": "On gateways", "url": articles.get_absolute_url(), "summary": "Why reviews matter"},
    )
    page = text_of(client.get(reverse("forums:articles", args=[community.slug])))
    assert "Article of the month · November 2026" in page
    assert page.index("Article of the month") < page.rindex("On gateways")
    assert "Article of the month" not in text_of(client.get(reverse("forums:latest", args=[community.slug])))
