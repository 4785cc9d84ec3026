"""Forms that keep what they show: dates render as ISO in date inputs (what browsers accept), every paginated
list keeps its filters with exactly one `page`, and email preferences sit in the user menu on every page."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Theme
from hotseats import services as hotseat_services

from ..factories import make_community, make_membership, make_user

pytestmark = pytest.mark.django_db

DATE_INPUT = re.compile(r'<input type="date"[^>]*>')
DATETIME_INPUT = re.compile(r'<input type="datetime-local"[^>]*>')


def values(pattern, html: str) -> list[str]:
    return [m.group(1) for m in (re.search(r'value="([^"]*)"', tag) for tag in pattern.findall(html)) if m]


def test_the_theme_form_shows_its_dates_as_iso_and_saves_them_unchanged(as_facilitator, community):
    theme = Theme.objects.create(
        community=community, title="Benefits", slug="benefits", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    edit = reverse("communities:theme_edit", args=[community.slug, theme.slug])

    html = as_facilitator.get(edit).content.decode()

    assert values(DATE_INPUT, html) == ["2026-12-01", "2026-12-31"]
    # What the browser sends back untouched is accepted: nothing to type again.
    response = as_facilitator.post(
        edit,
        {
            "title": "Benefits, renamed",
            "slug": "benefits",
            "description": "",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "tags": "benefits",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.starts_on, theme.ends_on) == (
        "Benefits, renamed",
        date(2026, 12, 1),
        date(2026, 12, 31),
    )


def test_the_hot_seat_form_shows_its_times_as_iso(as_facilitator, community, facilitator):
    opens = timezone.localtime() + timedelta(days=3)
    hotseat = hotseat_services.hotseat_create(
        community=community,
        by=facilitator,
        title="Gateways",
        topic="Ask",
        opens_at=opens,
        closes_at=opens + timedelta(days=5),
        early_questions=True,
        experts=(),
        guest_emails=(),
    )

    html = as_facilitator.get(reverse("hotseats:hotseat_edit", args=[community.slug, hotseat.pk])).content.decode()

    found = values(DATETIME_INPUT, html)
    assert len(found) == 2
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", value) for value in found), found


def test_the_member_directory_pages_keep_the_filter_and_one_page(as_facilitator, community):
    for n in range(30):
        make_membership(community, make_user(first_name="Pat", last_name=f"Smith{n:02d}"))
    url = reverse("communities:member_directory", args=[community.slug])

    page2 = as_facilitator.get(url, {"q": "Pat", "page": "2"}).content.decode()
    links = re.findall(r'<a href="\?([^"]*)" rel="(prev|next)"', page2)

    assert links, "page 2 has a link back to page 1"
    for query, _ in links:
        params = parse_qs(query.replace("&amp;", "&"))
        assert params["q"] == ["Pat"]
        assert len(params["page"]) == 1
    page1 = as_facilitator.get(url, {"q": "Pat"}).content.decode()
    (next_query,) = re.findall(r'<a href="\?([^"]*)" rel="next"', page1)
    assert parse_qs(next_query.replace("&amp;", "&")) == {"q": ["Pat"], "page": ["2"]}


def test_the_community_list_pages_carry_one_page(client):
    for _ in range(30):
        make_community()
    page2 = client.get(reverse("communities:community_list"), {"page": "2"}).content.decode()
    (prev,) = re.findall(r'<a href="\?([^"]*)" rel="prev"', page2)
    assert parse_qs(prev.replace("&amp;", "&")) == {"page": ["1"]}


@pytest.mark.parametrize(
    "path",
    [
        lambda c: reverse("communities:home"),
        lambda c: c.get_absolute_url(),
        lambda c: reverse("communities:member_directory", args=[c.slug]),
        lambda c: reverse("forums:latest", args=[c.slug]),
        lambda c: reverse("accounts:profile_edit"),
        lambda c: reverse("communities:search") + "?q=x",
    ],
)
def test_email_preferences_are_in_the_user_menu_on_every_page(as_member, community, path):
    html = as_member.get(path(community)).content.decode()

    header = html.split("</header>", 1)[0]
    assert f'<a href="{reverse("newsletters:preferences")}">Email preferences</a>' in header
