"""Themes: facilitators set a community's focus for a period, and threads and hot seats carrying its tags gather
on its page; the community home names the theme running now and the next one."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, Theme
from forums import services as forum_services
from forums.models import Category, Thread
from hotseats import services as hotseat_services

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, login

pytestmark = pytest.mark.django_db

TODAY = date(2031, 3, 15)  # the tests that depend on "today" travel here


def theme_form(**overrides) -> dict:
    data = {
        "title": "Benefits realisation",
        "slug": "benefits",
        "description": "Why **benefits** slip after go-live.",
        "starts_on": "2031-03-01",
        "ends_on": "2031-03-31",
        "tags": "benefits realisation, outcomes",
    }
    return {**data, **overrides}


def make_theme(community, **kw) -> Theme:
    kw.setdefault("title", "Benefits realisation")
    kw.setdefault("slug", "benefits")
    kw.setdefault("starts_on", TODAY - timedelta(days=14))
    kw.setdefault("ends_on", TODAY + timedelta(days=16))
    kw.setdefault("tags", "benefits realisation, outcomes")
    return Theme.objects.create(community=community, **kw)


def text(response) -> str:
    return response.content.decode()


# --- Creating and editing themes -------------------------------------------------------------------------------


def test_a_facilitator_creates_a_theme_and_lands_on_its_page(community, as_facilitator, facilitator):
    response = as_facilitator.post(reverse("communities:theme_create", args=[community.slug]), theme_form())
    theme = Theme.objects.get(community=community, slug="benefits")
    assert response.status_code == 302
    assert response.url == theme.get_absolute_url()
    assert (theme.title, theme.starts_on, theme.ends_on) == (
        "Benefits realisation",
        date(2031, 3, 1),
        date(2031, 3, 31),
    )
    assert theme.tag_list == ["benefits realisation", "outcomes"]
    assert theme.created_by == facilitator
    page = as_facilitator.get(theme.get_absolute_url())
    assert "<strong>benefits</strong>" in text(page)


def test_a_facilitator_edits_a_theme_and_keeps_its_address(community, as_facilitator):
    theme = make_theme(community)
    url = reverse("communities:theme_edit", args=[community.slug, theme.slug])
    form = as_facilitator.get(url)
    assert 'value="Benefits realisation"' in text(form)
    response = as_facilitator.post(url, theme_form(title="Benefits, six months on", ends_on="2031-04-30"))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.slug, theme.ends_on) == ("Benefits, six months on", "benefits", date(2031, 4, 30))
    assert Theme.objects.filter(community=community).count() == 1


def test_an_owner_creates_themes_too(community, as_owner):
    as_owner.post(reverse("communities:theme_create", args=[community.slug]), theme_form())
    assert Theme.objects.filter(community=community, slug="benefits").exists()


def test_a_member_may_not_create_or_edit_themes(community, as_member):
    theme = make_theme(community)
    create = reverse("communities:theme_create", args=[community.slug])
    edit = reverse("communities:theme_edit", args=[community.slug, theme.slug])
    assert as_member.get(create).status_code == 403
    assert as_member.post(create, theme_form(slug="sneaky")).status_code == 403
    assert as_member.get(edit).status_code == 403
    assert as_member.post(edit, theme_form(title="Renamed")).status_code == 403
    assert list(Theme.objects.values_list("slug", "title")) == [("benefits", "Benefits realisation")]


def test_members_are_not_offered_the_theme_buttons(community, as_member, as_facilitator):
    theme = make_theme(community)
    edit = reverse("communities:theme_edit", args=[community.slug, theme.slug])
    create = reverse("communities:theme_create", args=[community.slug])
    assert edit not in text(as_member.get(theme.get_absolute_url()))
    assert create not in text(as_member.get(reverse("communities:theme_list", args=[community.slug])))
    assert edit in text(as_facilitator.get(theme.get_absolute_url()))
    assert create in text(as_facilitator.get(reverse("communities:theme_list", args=[community.slug])))


def test_an_anonymous_visitor_is_sent_to_log_in_before_creating_a_theme(community):
    create = reverse("communities:theme_create", args=[community.slug])
    for response in (Client().get(create), Client().post(create, theme_form())):
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert not Theme.objects.exists()


def test_a_theme_that_ends_before_it_starts_is_refused_and_the_form_keeps_what_was_typed(community, as_facilitator):
    response = as_facilitator.post(
        reverse("communities:theme_create", args=[community.slug]),
        theme_form(starts_on="2031-03-31", ends_on="2031-03-01"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "A theme ends on or after the day it starts." in page
    assert 'value="Benefits realisation"' in page
    assert 'value="benefits realisation, outcomes"' in page
    assert 'value="2031-03-31"' in page and 'value="2031-03-01"' in page
    assert "Why **benefits** slip after go-live." in page
    assert not Theme.objects.exists()


def test_a_second_theme_with_the_same_address_is_refused_and_the_form_keeps_what_was_typed(community, as_facilitator):
    make_theme(community)
    response = as_facilitator.post(
        reverse("communities:theme_create", args=[community.slug]),
        theme_form(title="Benefits, again", tags="hindsight"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "Another theme of this community already uses this web address." in page
    assert 'value="Benefits, again"' in page
    assert 'value="hindsight"' in page
    assert list(Theme.objects.values_list("title", flat=True)) == ["Benefits realisation"]


def test_renaming_a_themes_address_to_one_already_taken_is_refused(community, as_facilitator):
    make_theme(community)
    other = make_theme(community, title="Risk", slug="risk", tags="risk")
    response = as_facilitator.post(
        reverse("communities:theme_edit", args=[community.slug, other.slug]), theme_form(title="Risk", slug="benefits")
    )
    assert response.status_code == 200
    assert "Another theme of this community already uses this web address." in text(response)
    other.refresh_from_db()
    assert other.slug == "risk"


def test_another_community_may_use_the_same_theme_address(community, as_facilitator):
    make_theme(make_community(slug="elsewhere"))
    response = as_facilitator.post(reverse("communities:theme_create", args=[community.slug]), theme_form())
    assert response.status_code == 302
    assert Theme.objects.filter(slug="benefits").count() == 2


# --- What a theme page gathers ---------------------------------------------------------------------------------


def start_thread(community, author, title, tags, **kw):
    category, _ = Category.objects.get_or_create(community=community, slug="general", defaults={"name": "General"})
    return forum_services.thread_create(
        category=category, author=author, kind=Thread.Kind.DISCUSSION, title=title, body=f"About {title}.", tags=tags
    )


def schedule(community, by, title, tags):
    opens = timezone.now() + timedelta(days=2)
    return hotseat_services.hotseat_create(
        community=community,
        by=by,
        title=title,
        topic="Questions welcome.",
        opens_at=opens,
        closes_at=opens + timedelta(days=4),
        tags=tags,
    )


@pytest.fixture
def gathered(community, facilitator, member):
    """A theme with tagged threads and hot seats around it, and things that must stay off its page."""
    theme = make_theme(community)
    start_thread(community, member, "Measuring benefits after go-live", ["Benefits realisation"])
    start_thread(community, member, "Outcome frameworks that worked", ["outcomes", "frameworks"])
    schedule(community, facilitator, "Hot seat on outcome reviews", "outcomes")
    start_thread(community, member, "Agile estimation", ["estimation"])
    removed = start_thread(community, member, "Removed benefits spam", ["benefits realisation"])
    forum_services.post_hide(post=removed.posts.get(is_opening=True), by=facilitator, reason="Spam")
    elsewhere = make_community(slug="elsewhere")
    outsider_author = make_membership(elsewhere, role=Membership.Role.FACILITATOR).user
    start_thread(elsewhere, outsider_author, "Benefits in another community", ["benefits realisation"])
    schedule(elsewhere, outsider_author, "Hot seat in another community", "outcomes")
    return theme


def test_the_theme_page_gathers_threads_and_hot_seats_carrying_its_tags(gathered, as_member):
    page = text(as_member.get(gathered.get_absolute_url()))
    assert "Measuring benefits after go-live" in page
    assert "Outcome frameworks that worked" in page
    assert "Hot seat on outcome reviews" in page
    assert "Hot seat</h3>" in page  # grouped under the kind's label


def test_the_theme_page_leaves_out_threads_without_its_tags(gathered, as_member):
    assert "Agile estimation" not in text(as_member.get(gathered.get_absolute_url()))


def test_the_theme_page_leaves_out_threads_a_facilitator_removed(gathered, as_member, as_facilitator):
    assert "Removed benefits spam" not in text(as_member.get(gathered.get_absolute_url()))
    assert "Removed benefits spam" not in text(as_facilitator.get(gathered.get_absolute_url()))


def test_the_theme_page_leaves_out_other_communities_threads_and_hot_seats(gathered, as_member):
    page = text(as_member.get(gathered.get_absolute_url()))
    assert "Benefits in another community" not in page
    assert "Hot seat in another community" not in page


def test_a_hot_seat_retagged_away_from_the_theme_leaves_its_page(gathered, facilitator, as_member):
    from hotseats.models import HotSeat

    hotseat = HotSeat.objects.get(title="Hot seat on outcome reviews")
    hotseat_services.hotseat_update(hotseat=hotseat, by=facilitator, tags="estimation")
    assert "Hot seat on outcome reviews" not in text(as_member.get(gathered.get_absolute_url()))


def test_a_theme_with_nothing_tagged_yet_says_how_to_add_to_it(community, as_member):
    theme = make_theme(community, tags="portfolio")
    page = text(as_member.get(theme.get_absolute_url()))
    assert "Nothing carries this theme" in page
    assert "“portfolio”" in page


def test_a_theme_of_another_community_is_not_found_under_this_ones_address(community, as_member):
    foreign = make_theme(make_community(slug="elsewhere"), slug="foreign-only")
    response = as_member.get(reverse("communities:theme_detail", args=[community.slug, foreign.slug]))
    assert response.status_code == 404


# --- The community home ----------------------------------------------------------------------------------------


@time_machine.travel(datetime(2031, 3, 15, 12, 0, tzinfo=UTC))
def test_the_community_home_shows_the_current_theme_and_the_next_one(community, as_member):
    make_theme(
        community,
        title="Last winter's theme",
        slug="winter",
        starts_on=date(2031, 1, 1),
        ends_on=TODAY - timedelta(days=30),
    )
    current = make_theme(community)
    make_theme(
        community,
        title="Risk appetite",
        slug="risk",
        starts_on=date(2031, 4, 1),
        ends_on=date(2031, 4, 30),
        tags="risk",
    )
    make_theme(
        community,
        title="Far-off theme",
        slug="later",
        starts_on=date(2031, 9, 1),
        ends_on=date(2031, 9, 30),
        tags="later",
    )
    page = text(as_member.get(community.get_absolute_url()))
    assert "Current theme" in page
    assert current.get_absolute_url() in page and "Benefits realisation" in page
    assert "Next:" in page and "Risk appetite" in page and "1 April" in page
    assert "Last winter&#x27;s theme" not in page and "Last winter's theme" not in page
    assert "Far-off theme" not in page


@time_machine.travel(datetime(2031, 3, 15, 12, 0, tzinfo=UTC))
def test_the_community_home_names_the_next_theme_when_none_is_running(community, as_member):
    make_theme(community, title="Risk appetite", slug="risk", starts_on=date(2031, 4, 1), ends_on=date(2031, 4, 30))
    page = text(as_member.get(community.get_absolute_url()))
    assert "Current theme" not in page
    assert "Risk appetite" in page


# --- Themes of closed communities ------------------------------------------------------------------------------


@pytest.fixture(params=[Community.Visibility.PRIVATE, Community.Visibility.HIDDEN])
def closed_theme(request, db) -> Theme:
    closed = make_community(slug=f"closed-{request.param}", visibility=request.param)
    facilitator = make_membership(closed, role=Membership.Role.FACILITATOR).user
    theme = make_theme(closed, title="Confidential restructuring")
    start_thread(closed, facilitator, "Restructuring rumours", ["outcomes"])
    return theme


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_theme_pages_of_a_closed_community_are_kept_from_strangers(closed_theme, outsider, persona):
    client = Client() if persona == "anonymous" else login(outsider)
    community = closed_theme.community
    for url in (reverse("communities:theme_list", args=[community.slug]), closed_theme.get_absolute_url()):
        response = client.get(url)
        if community.visibility == Community.Visibility.HIDDEN:
            assert response.status_code == 404, url
        elif persona == "anonymous":
            assert_sent_to_login(response, url)
        else:
            assert_kept_out(response, community)
        assert "Confidential restructuring" not in text(response)
        assert "Restructuring rumours" not in text(response)


def test_the_private_community_home_does_not_show_strangers_its_theme(outsider):
    closed = make_community(slug="closed", visibility=Community.Visibility.PRIVATE)
    make_theme(
        closed, title="Confidential restructuring", starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    response = login(outsider).get(closed.get_absolute_url())
    assert response.status_code == 200  # the landing page, with the join button
    assert "Confidential restructuring" not in text(response)


def test_members_of_a_closed_community_see_its_theme_and_what_it_gathers(closed_theme):
    insider = make_membership(closed_theme.community, make_user(first_name="Ines")).user
    page = text(login(insider).get(closed_theme.get_absolute_url()))
    assert "Confidential restructuring" in page
    assert "Restructuring rumours" in page
