"""Whole pages for readers who are not signed in, kept in the shared cache until anything they show may have changed.

Most visits to a community's public pages come from people who are not signed in (search engines, links in the
newsletter, readers who never post), and every one of them is shown the same bytes for the same address. So a view
marked `@anonymous_page` answers a visitor without cookies from the cache when the cache holds that address's page
from the current *generation*; the first visitor after a change renders it afresh.

Correctness does not rest on knowing which page shows what. The generation is a random token in the cache, and
every write to the database (an INSERT, UPDATE or DELETE through any Django connection, in the web processes, the
Celery workers or a management command) replaces it, except writes to the tables in `QUIET_TABLES`, which only
their owner ever sees. A write inside a transaction replaces it at once and again when the transaction commits,
so a page rendered from the state before the commit is never kept under a generation that follows it. Pages also
expire after `ANONYMOUS_PAGE_CACHE_SECONDS`, so "3 hours ago" moves on even on a quiet day.

Only a page that is the same for every visitor is kept: a GET, without any cookie (a session, a flash message, a
CSRF token or a time zone choice may change the page), answered 200 by a marked view, setting no cookie and not
marked private or no-store. The cache is shared by every process, so it is only on with Redis (`REDIS_URL`); with
each process's own memory, a write in one process could not reach another's pages.
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse

GENERATION_KEY = "anonymous-pages:generation"
PAGE_KEY = "anonymous-pages:page:{}"

# Writes that change nothing a visitor who is not signed in can see: sessions, one member's own read markers,
# visits, mail bookkeeping, private messages, the facilitators' roll-ups. A table missing here only costs misses.
QUIET_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "account_emailconfirmation",
        "communities_communityvisit",
        "communities_outboundemail",
        "communities_feedtoken",
        "forums_threadread",
        "hotseats_calendarfeed",
        "jobs_jobsearch",
        "jobs_savedposting",
        "newsletters_alert",
        "newsletters_click",
        "newsletters_delivery",
        "newsletters_mailsettings",
    }
)
QUIET_PREFIXES = ("conversations_", "facilitation_")
# And two updates of one column each, made as members come and go: signing in, and "new since your last visit".
QUIET_STATEMENTS = (
    'UPDATE "accounts_user" SET "last_login" = %s WHERE',
    'UPDATE "communities_membership" SET "last_visit_at" = %s WHERE',
)

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


def anonymous_page(view):
    """Mark a view whose page, for a visitor without cookies, depends only on its address and the database."""
    view.anonymous_page = True
    return view


def enabled() -> bool:
    # While Redis is down each process falls back to its own memory (cop_platform.cache), where a write in one
    # process could not reach another's pages: no page is kept or served then.
    return settings.ANONYMOUS_PAGE_CACHE_SECONDS > 0 and not getattr(cache, "degraded", False)


# --- The generation ------------------------------------------------------------------------------------------------


def new_generation() -> None:
    if enabled():
        cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def _changes_shown_data(sql: str) -> bool:
    match = _WRITE.match(sql)
    if match is None or sql.startswith(QUIET_STATEMENTS):
        return False
    table = match.group(1).lower()
    return table not in QUIET_TABLES and not table.startswith(QUIET_PREFIXES)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if enabled() and _changes_shown_data(sql):
        _written(context["connection"])
    return result


def _written(connection) -> None:
    new_generation()
    if connection.in_atomic_block and not any(func is new_generation for _, func, _ in connection.run_on_commit):
        transaction.on_commit(new_generation, using=connection.alias)


def _watch_connection(sender, connection, **kwargs):
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def watch_writes() -> None:
    """Every database connection, now and later, replaces the generation when it writes (see the module's text)."""
    connection_created.connect(_watch_connection, dispatch_uid="anonymous-pages")
    for connection in connections.all(initialized_only=True):
        _watch_connection(None, connection)


# --- The middleware ------------------------------------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Answers a cookie-less GET of a marked view from the cache; keeps such pages when they are the same for all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or request.method != "GET" or request.META.get("HTTP_COOKIE"):
            return self.get_response(request)
        key = PAGE_KEY.format(hashlib.sha256(request.build_absolute_uri().encode()).hexdigest())
        found = cache.get_many([GENERATION_KEY, key])
        generation, kept = found.get(GENERATION_KEY), found.get(key)
        if generation is None:
            cache.add(GENERATION_KEY, secrets.token_hex(8), None)
            generation = cache.get(GENERATION_KEY)
        elif kept is not None and kept[0] == generation:
            return _response(kept)
        response = self.get_response(request)
        if generation is not None and _same_for_everyone(request, response):
            kept = (generation, list(response.items()), response.content)
            cache.set(key, kept, settings.ANONYMOUS_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.anonymous_page = getattr(view_func, "anonymous_page", False)


def _same_for_everyone(request, response) -> bool:
    if not getattr(request, "anonymous_page", False) or response.status_code != 200 or response.streaming:
        return False
    varies = {v.strip().lower() for v in response.get("Vary", "").split(",")} - {"", "cookie"}
    if response.cookies or varies:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _response(kept) -> HttpResponse:
    _, headers, content = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
