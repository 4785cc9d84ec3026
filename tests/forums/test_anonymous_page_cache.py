"""Pages kept for visitors who are not signed in (cop_platform/anonymous_pages.py): served again only while nothing
they show can have changed, and never to anyone whose page could differ."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from communities.models import Community
from cop_platform import anonymous_pages
from forums import services
from forums.models import Thread
from tests.helpers import login


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "anonymous-pages"}
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def visit(path):
    """A visitor without cookies: a new client each time, as a search engine or a newsletter link brings them."""
    return Client().get(path)


@pytest.fixture
def thread_path(question):
    return question.get_absolute_url()


def test_the_second_visit_is_the_same_page_without_a_query(page_cache, thread_path, django_assert_num_queries):
    first = visit(thread_path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = visit(thread_path)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


@pytest.mark.parametrize(
    "path",
    ["/", "/communities/", "/c/ppm/", "/c/ppm/forums/", "/c/ppm/forums/c/questions/", "/c/ppm/forums/unanswered/"],
)
def test_community_and_list_pages_are_kept(page_cache, question, path, django_assert_num_queries):
    assert visit(path).status_code == 200
    with django_assert_num_queries(0):
        assert visit(path).status_code == 200


def test_a_new_reply_shows_on_the_next_visit(page_cache, question, thread_path, facilitator):
    assert "Start with the business case" not in visit(thread_path).content.decode()
    services.post_reply(thread=question, author=facilitator, body="Start with the business case.")
    assert "Start with the business case" in visit(thread_path).content.decode()


def test_a_reply_through_the_form_shows_on_the_lists_at_once(page_cache, question, member, facilitator):
    before = visit("/c/ppm/forums/").content.decode()
    assert "Priya" not in before
    response = login(facilitator).post(
        f"{question.get_absolute_url()}reply/", {"body": "Ask the SRO for the last review's report."}
    )
    assert response.status_code == 302
    assert "Priya" in visit("/c/ppm/forums/").content.decode()


def test_a_hidden_post_is_gone_from_the_next_visit(page_cache, question, thread_path, facilitator, member):
    reply = services.post_reply(thread=question, author=member, body="My phone number is 07700 900123.")
    assert "07700 900123" in visit(thread_path).content.decode()
    services.post_hide(post=reply, by=facilitator, reason="Personal data")
    assert "07700 900123" not in visit(thread_path).content.decode()


def test_a_community_made_private_is_closed_on_the_next_visit(page_cache, community, thread_path):
    assert visit(thread_path).status_code == 200
    # A bulk UPDATE sends no model signal: the watch is on the SQL every connection runs.
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PRIVATE)
    response = visit(thread_path)
    assert response.status_code != 200
    assert b"gateway review" not in response.content


def test_a_write_by_raw_sql_changes_the_generation(page_cache, question, thread_path):
    visit(thread_path)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forums_thread SET title = %s WHERE id = %s", ["Renamed by a script", question.pk])
    assert "Renamed by a script" in visit(thread_path).content.decode()


def test_members_signing_in_and_reading_keep_the_pages(
    page_cache, question, thread_path, member, django_assert_num_queries
):
    visit(thread_path)
    visit("/c/ppm/")
    reader = login(member)  # a session and the last sign-in time
    assert reader.get(thread_path).status_code == 200  # the member's read marker
    assert reader.get("/c/ppm/").status_code == 200  # the time of their last visit
    with django_assert_num_queries(0):
        visit(thread_path)
        visit("/c/ppm/")


def test_a_write_in_a_transaction_changes_it_again_when_it_commits(page_cache, transactional_db, question):
    # A page rendered meanwhile from the state before the commit is kept under the generation of the first change
    # at the latest: the commit's own change makes sure it is never served.
    visit(question.get_absolute_url())
    before = cache.get(anonymous_pages.GENERATION_KEY)
    with transaction.atomic():
        Thread.objects.filter(pk=question.pk).update(title="One")
        Thread.objects.filter(pk=question.pk).update(title="Two")
        during = cache.get(anonymous_pages.GENERATION_KEY)
    assert len({before, during, cache.get(anonymous_pages.GENERATION_KEY)}) == 3
    assert "Two" in visit(question.get_absolute_url()).content.decode()


def test_visitors_with_a_cookie_get_their_own_page(page_cache, thread_path, django_assert_max_num_queries):
    visit(thread_path)
    client = Client()
    client.cookies["csrftoken"] = "x" * 32
    with django_assert_max_num_queries(10) as queries:
        assert client.get(thread_path).status_code == 200
    assert len(queries) > 0


def test_members_never_get_the_kept_page(page_cache, question, thread_path, member):
    anonymous = visit(thread_path).content.decode()
    page = login(member).get(thread_path).content.decode()
    assert page != anonymous
    assert "Log out" in page and "Log out" not in anonymous
    assert "Log out" not in visit(thread_path).content.decode()


def test_pages_that_are_not_marked_are_not_kept(page_cache, question, django_assert_max_num_queries):
    visit("/search/?q=gateway")
    with django_assert_max_num_queries(10) as queries:
        assert visit("/search/?q=gateway").status_code == 200
    assert len(queries) > 0


def test_missing_pages_are_not_kept(page_cache, question, django_assert_max_num_queries):
    missing = f"/c/ppm/forums/t/{question.pk + 1000}/"
    assert visit(missing).status_code == 404
    with django_assert_max_num_queries(10) as queries:
        assert visit(missing).status_code == 404
    assert len(queries) > 0


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.set_cookie("csrftoken", "abc"),
        lambda r: r.headers.__setitem__("Cache-Control", "private"),
        lambda r: r.headers.__setitem__("Vary", "Accept-Language"),
    ],
    ids=["sets a cookie", "private", "varies by language"],
)
def test_a_response_that_may_differ_per_visitor_is_not_kept(page_cache, change):
    calls = []

    def view(request):
        calls.append(request)
        request.anonymous_page = True  # as process_view marks a request for a marked view
        response = HttpResponse("<p>Hello</p>")
        change(response)
        return response

    middleware = anonymous_pages.AnonymousPageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get("/c/ppm/"))
    assert len(calls) == 2


def test_nothing_is_kept_while_redis_is_down(settings, thread_path, django_assert_max_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "cop_platform.cache.FallbackRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 60
    cache.get("anything")  # the first failure puts this process on its own memory
    assert cache.degraded
    visit(thread_path)
    with django_assert_max_num_queries(10) as queries:
        assert visit(thread_path).status_code == 200
    assert len(queries) > 0


def test_off_without_a_shared_cache(settings, thread_path, django_assert_max_num_queries):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    visit(thread_path)
    with django_assert_max_num_queries(10) as queries:
        visit(thread_path)
    assert len(queries) > 0
