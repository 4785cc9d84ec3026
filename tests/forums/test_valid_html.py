"""What the Nu checker and axe found on real pages, pinned where it starts (the browser crawl in tests/browser
checks every page; these say which template broke)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from forums import services

pytestmark = pytest.mark.django_db

DATETIME = re.compile(r'<time datetime="([^"]+)"')


def test_times_carry_whole_seconds_in_their_datetime(client, question, facilitator):
    services.post_reply(thread=question, author=facilitator, body="Start with the brief.")

    html = client.get(question.get_absolute_url()).content.decode()

    found = DATETIME.findall(html)
    assert found
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:?\d\d)", value) for value in found), found


def test_the_accepted_answer_shown_above_the_replies_does_not_repeat_its_id(client, question, facilitator, member):
    answer = services.post_reply(thread=question, author=facilitator, body="Start with the brief.")
    services.answer_accept(thread=question, post=answer, by=member)

    html = client.get(question.get_absolute_url()).content.decode()

    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    assert html.count("Start with the brief.") == 2  # once at the top, once in its place
    assert f'href="{answer.get_absolute_url()}">Go to this answer in the thread' in html


def test_the_community_list_does_not_skip_a_heading_level(client, community):
    html = client.get(reverse("communities:community_list")).content.decode()

    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html.split('id="main"', 1)[1])]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_the_sign_up_form_nests_its_help_text_validly(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert not re.search(r"<span[^>]*>\s*<ul", html)
    assert not re.search(r"<p>\s*<label", html)
    assert 'class="field-help" id="id_password1_helptext"><ul>' in html


def test_every_page_names_its_icon_and_favicon_ico_answers(client):
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/favicon.svg"
