"""Site-wide search: the index API, who may find what, the fallback matcher and the search page."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from communities import search
from communities.extensions import SearchKind
from communities.models import Community, Membership, SearchDocument, Segment

from ..factories import make_community, make_membership

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
off_postgres = pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback matcher")

SEARCH_URL = reverse("communities:search")
# Anonymous: the community select, and the results with their highlights in one query; no session, no header menu.
SEARCH_PAGE_ANONYMOUS = 2
# Signed in: + session, user and the header's communities menu.
SEARCH_PAGE_SIGNED_IN = 5


def make_target(community) -> Segment:
    """Any saved object will do as the indexed content; a segment is the cheapest one to hand."""
    return Segment.objects.create(community=community, name=uuid4().hex[:10])


def index_doc(community, **kw) -> SearchDocument:
    kw.setdefault("target", make_target(community))
    kw.setdefault("kind", "thread")
    kw.setdefault("title", "A thread")
    kw.setdefault("body", "Some words.")
    kw.setdefault("url", "/somewhere/")
    return search.index(community=community, **kw)


def titles(documents) -> list[str]:
    return [d.title for d in documents]


@pytest.fixture
def private_community(db):
    return make_community(name="Secret Circle", visibility=Community.Visibility.PRIVATE)


@pytest.fixture
def hidden_community(db):
    return make_community(name="Hidden Lodge", visibility=Community.Visibility.HIDDEN)


# --- Index API --------------------------------------------------------------------------------------------


def test_index_stores_plain_text_body_and_normalised_tags(community, member):
    target = make_target(community)
    doc = search.index(
        target=target,
        community=community,
        kind="thread",
        title="  Risk   registers ",
        body="<p>Keep a <strong>risk</strong> log &amp; review it.</p>",
        tags=["Risk", "Change Management", "risk"],
        url="/t/1/",
        author=member,
    )

    assert doc.target == target
    assert doc.title == "Risk registers"
    assert doc.body == "Keep a risk log & review it."
    assert doc.tags == "risk change-management"
    assert doc.author == member
    assert not doc.is_hidden


def test_index_accepts_comma_separated_tags(community):
    assert index_doc(community, tags="finance, Senior leaders").tags == "finance senior-leaders"


def test_index_again_updates_the_same_document(community):
    target = make_target(community)
    first = index_doc(community, target=target, title="Old title", created_at=timezone.now() - timedelta(days=3))

    second = index_doc(community, target=target, title="New title", body="Edited", is_hidden=True)

    assert second.pk == first.pk
    assert SearchDocument.objects.count() == 1
    second.refresh_from_db()
    assert (second.title, second.body, second.is_hidden) == ("New title", "Edited", True)
    assert second.created_at == first.created_at


def test_unindex_removes_the_document(community):
    target = make_target(community)
    index_doc(community, target=target)
    other = index_doc(community)

    search.unindex(target)

    assert list(SearchDocument.objects.all()) == [other]


def test_set_hidden_hides_and_restores(community, member):
    target = make_target(community)
    index_doc(community, target=target, title="Budget talk")

    search.set_hidden(target, True)
    assert titles(search.search(member, "budget")) == []

    search.set_hidden(target, False)
    assert titles(search.search(member, "budget")) == ["Budget talk"]


@on_postgres
def test_index_fills_the_search_vector(community):
    doc = index_doc(community, title="Risk register", tags=["planning"])
    doc.refresh_from_db()
    assert "risk" in doc.search_vector and "plan" in doc.search_vector


# --- PostgreSQL ranking and highlighting ------------------------------------------------------------------


@on_postgres
def test_results_are_ranked_title_before_tags_before_body(community, member):
    now = timezone.now()
    index_doc(community, title="Weekly notes", body="We talked about risk briefly.", created_at=now)
    index_doc(community, title="Weekly digest", tags=["risk"], created_at=now - timedelta(days=1))
    index_doc(community, title="Risk register template", created_at=now - timedelta(days=2))
    index_doc(community, title="Unrelated", body="Nothing to see.", created_at=now)

    results = search.search(member, "risks")

    assert titles(results) == ["Risk register template", "Weekly digest", "Weekly notes"]
    assert results[0].rank > results[1].rank > results[2].rank


@on_postgres
def test_snippets_highlight_matches_and_escape_the_text(community, member):
    index_doc(
        community, title="Scripts", body="&lt;script&gt;alert(1)&lt;/script&gt; Planning & <b>budgets</b> matter."
    )

    (doc,) = search.search(member, "budget planning")

    assert "<mark>Planning</mark>" in doc.snippet and "<mark>budgets</mark>" in doc.snippet
    assert "<script>" not in doc.snippet and "<b>" not in doc.snippet
    assert "&amp;" in doc.snippet


# --- Fallback matcher (SQLite) ----------------------------------------------------------------------------


def test_every_word_must_match_title_body_or_tags(community, member):
    index_doc(community, title="Risk register", body="A template.")
    index_doc(community, title="Appetite", body="How much risk is fine?")
    index_doc(community, title="Planning", tags=["risk", "register"])
    index_doc(community, title="Budgets", body="Nothing about it.")

    assert sorted(titles(search.search(member, "risk register"))) == ["Planning", "Risk register"]
    assert sorted(titles(search.search(member, "risk"))) == ["Appetite", "Planning", "Risk register"]


@off_postgres
def test_fallback_orders_newest_first_and_honours_exclusions(community, member):
    now = timezone.now()
    index_doc(community, title="Risk old", created_at=now - timedelta(days=2))
    index_doc(community, title="Risk new", created_at=now)
    index_doc(community, title="Risk middle", body="About budgets.", created_at=now - timedelta(days=1))

    assert titles(search.search(member, "risk")) == ["Risk new", "Risk middle", "Risk old"]
    assert titles(search.search(member, "risk -budgets")) == ["Risk new", "Risk old"]


@off_postgres
def test_fallback_snippet_is_an_escaped_excerpt_around_the_match(community, member):
    padding = "word " * 100
    index_doc(community, title="Long", body=f"{padding}&lt;b&gt;the Budget&lt;/b&gt; matters {padding}")

    (doc,) = search.search(member, "budget")

    assert "&lt;b&gt;the <mark>Budget</mark>&lt;/b&gt; matters" in doc.snippet
    assert doc.snippet.startswith("… ") and doc.snippet.endswith(" …")
    assert len(doc.snippet) < 400


def test_empty_query_lists_what_the_filters_allow_newest_first(community, member):
    now = timezone.now()
    index_doc(community, title="Older", created_at=now - timedelta(days=1))
    index_doc(community, title="Newer", created_at=now)

    assert titles(search.search(member, "  ")) == ["Newer", "Older"]


# --- Who may find what ------------------------------------------------------------------------------------


@pytest.fixture
def spread(community, private_community, hidden_community):
    index_doc(community, title="Public budget")
    index_doc(private_community, title="Private budget")
    index_doc(hidden_community, title="Hidden budget")
    index_doc(community, title="Removed budget", is_hidden=True)


@pytest.mark.usefixtures("spread")
def test_anonymous_and_outsiders_find_only_public_community_content(outsider):
    assert titles(search.search(AnonymousUser(), "budget")) == ["Public budget"]
    assert titles(search.search(outsider, "budget")) == ["Public budget"]


@pytest.mark.usefixtures("spread")
def test_members_find_their_private_and_hidden_communities_content(member, private_community, hidden_community):
    make_membership(private_community, member)
    make_membership(hidden_community, member)

    assert sorted(titles(search.search(member, "budget"))) == ["Hidden budget", "Private budget", "Public budget"]


@pytest.mark.usefixtures("spread")
def test_pending_and_banned_members_do_not_find_private_content(outsider, member, private_community, hidden_community):
    make_membership(private_community, outsider, status=Membership.Status.PENDING)
    make_membership(hidden_community, member, status=Membership.Status.BANNED)

    assert titles(search.search(outsider, "budget")) == ["Public budget"]
    assert titles(search.search(member, "budget")) == ["Public budget"]


@pytest.mark.usefixtures("spread")
def test_hidden_documents_never_appear_even_for_staff(staff, owner):
    assert "Removed budget" not in titles(search.search(staff, "budget"))
    assert "Removed budget" not in titles(search.search(owner, "budget"))
    assert "Removed budget" not in titles(search.search(owner, ""))


# --- Filters ----------------------------------------------------------------------------------------------


def test_filters_by_community_kind_and_tag(community, member):
    other = make_community(name="Other place")
    index_doc(community, title="Budget thread", kind="thread", tags=["finance", "year-end"])
    index_doc(community, title="Budget reply", kind="reply", tags=["finance-team"])
    index_doc(other, title="Budget elsewhere", kind="thread", tags=["Finance"])

    assert sorted(titles(search.search(member, "budget", community=community))) == ["Budget reply", "Budget thread"]
    assert sorted(titles(search.search(member, "budget", community=other.pk))) == ["Budget elsewhere"]
    assert sorted(titles(search.search(member, "budget", kind="reply"))) == ["Budget reply"]
    assert sorted(titles(search.search(member, "budget", tag="finance"))) == ["Budget elsewhere", "Budget thread"]
    assert titles(search.search(member, "", tag="Year End")) == ["Budget thread"]


# --- The search page --------------------------------------------------------------------------------------


def test_page_without_a_query_invites_a_search(client, community):
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    assert b"Type something to search" in response.content


def test_page_says_when_nothing_matches(client, community):
    response = client.get(SEARCH_URL, {"q": "zebra crossing"})
    assert "No results for “zebra crossing”; try fewer words" in response.content.decode()


def test_page_shows_results_with_their_details(as_member, community, member, plug_in):
    plug_in(SearchKind(key="note", label="Field note"))
    index_doc(
        community,
        kind="note",
        title="Budget thread",
        body="Plan the budget early.",
        url="/t/9/",
        author=member,
        tags=["finance"],
    )

    html = as_member.get(SEARCH_URL, {"q": "budget"}).content.decode()

    assert '<a href="/t/9/">Budget thread</a>' in html
    assert "PPM Community" in html and "Field note" in html and member.display_name in html
    assert '<option value="note">Field note</option>' in html  # a registered kind is offered in the filter
    assert "<mark>budget</mark>" in html
    assert f'href="{SEARCH_URL}?tag=finance"' in html


def test_page_lists_only_visible_communities_in_the_filter(as_outsider, community, private_community):
    html = as_outsider.get(SEARCH_URL).content.decode()
    assert "PPM Community" in html
    assert "Secret Circle" not in html


def test_outsider_cannot_filter_on_a_private_community(as_outsider, private_community):
    index_doc(private_community, title="Private budget")

    response = as_outsider.get(SEARCH_URL, {"q": "budget", "community": private_community.slug})

    assert "Private budget" not in response.content.decode()
    assert not response.context["results"]


def test_page_hides_private_content_from_anonymous_and_shows_it_to_members(
    client, as_member, member, spread, private_community
):
    make_membership(private_community, member)

    assert "Private budget" not in client.get(SEARCH_URL, {"q": "budget"}).content.decode()
    assert "Private budget" in as_member.get(SEARCH_URL, {"q": "budget"}).content.decode()


def test_page_keeps_markup_in_titles_bodies_and_tags_inert(as_member, community):
    index_doc(
        community,
        title='<script>alert("title")</script> Budget',
        body="&lt;script&gt;alert('body')&lt;/script&gt; budget <img src=x onerror=alert(1)>",
        tags=['"><script>alert(3)</script>'],
        url="/t/1/",
    )

    html = as_member.get(SEARCH_URL, {"q": "budget"}).content.decode()

    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Budget" in html


def test_page_pages_through_results_without_counting(as_member, community):
    now = timezone.now()
    for i in range(25):
        index_doc(community, title=f"Budget {i:02d}", created_at=now - timedelta(minutes=i))

    first = as_member.get(SEARCH_URL, {"q": "budget"})
    second = as_member.get(SEARCH_URL, {"q": "budget", "page": 2})

    assert len(first.context["results"]) == 20 and 'rel="next"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    assert len(second.context["results"]) == 5 and 'rel="prev"' in second.content.decode()
    assert 'rel="next"' not in second.content.decode()


def test_header_has_a_search_box(client, community):
    html = client.get(reverse("communities:home")).content.decode()
    assert f'<form role="search" action="{SEARCH_URL}"' in html
    assert 'name="q"' in html and 'for="site-search-q"' in html


# --- Query budget -----------------------------------------------------------------------------------------


@pytest.fixture(params=[5, 500], ids=lambda n: f"{n}-documents")
def indexed(request, community, owner, facilitator, member):
    """`n` documents in the shared community, bulk-created with their vectors computed in one UPDATE."""
    n = request.param
    segment_type = ContentType.objects.get_for_model(Segment)
    now = timezone.now()
    SearchDocument.objects.bulk_create(
        SearchDocument(
            community=community,
            kind="thread",
            target_type=segment_type,
            target_id=i,
            title=f"Budget plan {i}",
            body=f"Notes on the budget, part {i}.",
            tags="finance",
            url=f"/t/{i}/",
            author=owner,
            created_at=now - timedelta(minutes=i),
        )
        for i in range(n)
    )
    search.refresh_vectors()
    return n


def test_search_page_query_count_anonymous(client, indexed, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEARCH_PAGE_ANONYMOUS):
        response = client.get(SEARCH_URL, {"q": "budget", "tag": "finance"})
    assert len(response.context["results"]) == min(indexed, 20)


def test_search_page_query_count_signed_in(as_member, indexed, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEARCH_PAGE_SIGNED_IN):
        response = as_member.get(SEARCH_URL, {"q": "budget", "page": 2 if indexed > 20 else 1})
    assert len(response.context["results"]) == min(indexed, 20)


def test_two_words_within_one_community_cost_one_query_more_at_most(as_member, indexed, django_assert_max_num_queries):
    # On PostgreSQL the page asks pg_stats whether both words are common (communities.search._all_words_common).
    with django_assert_max_num_queries(SEARCH_PAGE_SIGNED_IN + 1):
        response = as_member.get(SEARCH_URL, {"q": "budget notes", "community": "ppm"})
    assert len(response.context["results"]) == min(indexed, 20)
