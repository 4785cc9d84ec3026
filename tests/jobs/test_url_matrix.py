"""Every jobs URL pattern, asked by every persona with GET: the answer each should get (200, 403, 404, a
redirect to log in, or 405 for POST-only actions). A public community's live posting, plus a private community
whose pages 404 (or ask anonymous visitors to log in) for everyone but its members."""

import pytest
from django.urls import reverse

from ..helpers import assert_sent_to_login
from .conftest import make_posting

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "banned", "member", "poster", "facilitator", "owner", "insider"]
OK, LOGIN, DENIED, GONE, POST_ONLY = 200, "login", 403, 404, 405
# A private community's pages send a signed-in non-member to its landing page, with its way in (issue 8, item 6).
LANDING = "landing"
MANAGERS = {"facilitator": OK, "owner": OK}
POSTER = {"poster": OK}
EVERYONE = dict.fromkeys(PERSONAS, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}


def expect(default, **by_persona):
    return {**dict.fromkeys(PERSONAS, default), **by_persona}


PUBLIC = {
    "jobs_list": EVERYONE,
    "feed": EVERYONE,
    "posting_create": expect(DENIED, anonymous=LOGIN, member=OK, poster=OK, **MANAGERS),
    "moderation_queue": expect(DENIED, anonymous=LOGIN, **MANAGERS),
    "settings": expect(DENIED, anonymous=LOGIN, **MANAGERS),
    "posting_detail": EVERYONE,
    "posting_apply": expect(302),
    "posting_save": expect(POST_ONLY, anonymous=LOGIN),
    "posting_edit": expect(DENIED, anonymous=LOGIN, **POSTER),
    "posting_close": expect(POST_ONLY, anonymous=LOGIN),
    "posting_extend": expect(DENIED, anonymous=LOGIN, **POSTER),
    "posting_flag": expect(DENIED, anonymous=LOGIN, member=OK, **MANAGERS),
    "moderation_act": expect(POST_ONLY, anonymous=LOGIN),
}
SITE = {"all_jobs": EVERYONE, "saved": SIGNED_IN, "searches": SIGNED_IN}
PRIVATE = {
    "jobs_list": expect(LANDING, anonymous=LOGIN, insider=OK),
    "feed": expect(GONE),
    "posting_detail": expect(LANDING, anonymous=LOGIN, insider=OK),
    "posting_apply": expect(LANDING, anonymous=LOGIN, insider=302),
}


def check(response, expected, label):
    if expected == LOGIN:
        assert_sent_to_login(response)
    elif expected == LANDING:
        assert response.status_code == 302 and response.url.endswith("/c/private/"), (label, response.status_code)
    else:
        assert response.status_code == expected, (label, response.status_code)


@pytest.fixture
def world(community, poster, private_community, insider):
    return {"public": make_posting(community, poster), "private": make_posting(private_community, insider)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_jobs_url_answers_each_persona_as_it_should(
    persona, client_as, world, owner, facilitator, member, banned, outsider, insider
):
    client = client_as(persona)
    for name, answers in PUBLIC.items():
        posting = world["public"]
        args = (
            [posting.community.slug]
            if name in ("jobs_list", "feed", "posting_create", "moderation_queue", "settings")
            else [posting.community.slug, posting.pk]
        )
        check(client.get(reverse(f"jobs:{name}", args=args)), answers[persona], name)
    for name, answers in SITE.items():
        check(client.get(reverse(f"jobs:{name}")), answers[persona], name)
    for name, answers in PRIVATE.items():
        posting = world["private"]
        args = [posting.community.slug] if name in ("jobs_list", "feed") else [posting.community.slug, posting.pk]
        check(client.get(reverse(f"jobs:{name}", args=args)), answers[persona], f"private {name}")


def test_the_matrix_covers_every_jobs_url_pattern():
    from jobs import urls

    def names(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from names(pattern.url_patterns)
            else:
                yield pattern.name

    assert set(names(urls.urlpatterns)) == set(PUBLIC) | set(SITE)
