"""Issue 11: a list row prints what `selectors.attach_list_data` worked out for it, escaped, and follows edits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from communities.models import Membership
from forums.models import Category, Thread

from ..factories import make_membership, make_user
from ..helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(community):
    return Category.objects.create(community=community, name="General", slug="general")


def _row(html: str, title: str) -> str:
    start = html.index(title)
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


def test_a_row_shows_kind_people_tags_and_replies(client, community, category, member):
    replier = make_user(first_name="Rhea", last_name="Reply")
    question = Thread.objects.create(
        community=community,
        category=category,
        title="Which risk log?",
        author=member,
        kind=Thread.Kind.QUESTION,
        reply_count=1,
        last_post_author=replier,
    )
    question.tags.add("risk <b>log</b>")
    Thread.objects.create(
        community=community,
        category=category,
        title="An article",
        author=None,
        kind=Thread.Kind.ARTICLE,
        reply_count=2,
    )
    html = client.get(reverse("forums:latest", args=[community.slug])).content.decode()
    row = _row(html, "Which risk log?")
    assert '<span class="badge">Question</span>' in row
    assert "Tom " in row and "· Rhea Reply" in row
    assert "<strong>1</strong> reply<" in row
    tag_url = reverse("forums:tag_detail", args=[community.slug, Tag.objects.get(name="risk <b>log</b>").slug])
    assert f' <a class="tag" href="{tag_url}">risk &lt;b&gt;log&lt;/b&gt;</a>' in row
    assert "<b>log</b>" not in html
    article = _row(html, "An article")
    assert '<span class="badge">Article</span>' in article
    assert "Former member in" in article and "<strong>2</strong> replies<" in article


def test_a_row_follows_an_accepted_answer_and_a_new_name(client, community, category, member):
    thread = Thread.objects.create(
        community=community, category=category, title="Solved yet?", author=member, kind=Thread.Kind.QUESTION
    )
    url = reverse("forums:latest", args=[community.slug])
    assert '<span class="badge">Question</span>' in _row(client.get(url).content.decode(), "Solved yet?")
    opening = thread.posts.create(author=member, body="Q", body_html="<p>Q</p>", is_opening=True)
    Thread.objects.filter(pk=thread.pk).update(accepted_post=opening)
    User.objects.filter(pk=member.pk).update(first_name="Tamsin")
    row = _row(client.get(url).content.decode(), "Solved yet?")
    assert '<span class="badge badge-solved">✓ Solved</span>' in row and "Tamsin " in row


def test_rows_kept_in_the_cache_show_each_member_their_own_news_and_every_change(community, category):
    long_ago = timezone.now() - timedelta(days=30)
    away = make_membership(community, make_user(first_name="Away"), joined_at=long_ago)
    here = make_membership(community, make_user(first_name="Here"), joined_at=long_ago)
    thread = Thread.objects.create(community=community, category=category, title="Fresh news", author=None)
    Membership.objects.filter(pk=here.pk).update(last_visit_at=timezone.now() + timedelta(minutes=1))
    Membership.objects.filter(pk=away.pk).update(last_visit_at=long_ago)
    url = reverse("forums:latest", args=[community.slug])
    as_away, as_here = login(away.user), login(here.user)

    for _ in range(2):  # the second time from the cache
        assert '<span class="badge badge-new">New</span>' in _row(as_away.get(url).content.decode(), "Fresh news")
        assert "badge-new" not in _row(as_here.get(url).content.decode(), "Fresh news")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True, title="Fresh news, locked")
    row = _row(as_here.get(url).content.decode(), "Fresh news, locked")
    assert '<span class="badge">Locked</span>' in row and "badge-new" not in row
