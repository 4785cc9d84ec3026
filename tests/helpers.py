"""Assertions and readers the whole suite shares (fixtures live in conftest.py, factories in factories.py)."""

import re
from html import unescape
from urllib.parse import quote

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_source(response) -> str:
    """The page's HTML with entities (quotes, apostrophes) decoded: for checks on markup and exact wording."""
    return unescape(response.content.decode())


def text_of(html) -> str:
    """What a reader sees: the text of a page (or a response) without tags, whitespace collapsed."""
    if not isinstance(html, str):
        html = html.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def assert_sent_to_login(response, path: str | None = None) -> None:
    """The response sends the visitor to log in, and back to `path` afterwards (when given)."""
    login_url = resolve_url(settings.LOGIN_URL)
    assert response.status_code == 302, path
    if path is None:
        assert response.url.startswith(f"{login_url}?next="), response.url
    else:
        assert response.url == f"{login_url}?next={quote(path)}"


def assert_kept_out(response, community) -> None:
    """A signed-in person who may not read the community is kept out of its inner pages: a hidden community
    answers 404 (it does not exist for them); a private one sends them to its landing page, with its way in.
    Actions (POSTs) are refused with a 404 either way."""
    from communities.models import Community

    community = Community.objects.get(pk=community.pk)
    if community.visibility == Community.Visibility.HIDDEN or response.request["REQUEST_METHOD"] != "GET":
        assert response.status_code == 404, getattr(response, "url", "")
    else:
        assert response.status_code == 302, response.status_code
        assert response.url == community.get_absolute_url()
