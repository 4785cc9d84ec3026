"""Issue 8, item 3: pinned announcements stay on top; a facilitators-only category takes threads from
facilitators alone (the server refuses, and the form does not offer it)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Category, Thread

from ..helpers import page_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements(community):
    return Category.objects.create(
        community=community, name="Announcements", slug="announcements", facilitators_only=True, position=9
    )


@pytest.fixture
def pinned_then_busy(community, category, announcements, facilitator, member):
    """A pinned announcement from a week ago, then a member's thread with newer activity."""
    pinned = services.thread_create(
        category=announcements, author=facilitator, kind=Thread.Kind.ANNOUNCEMENT, title="Welcome, everyone", body="Hi"
    )
    Thread.objects.filter(pk=pinned.pk).update(last_activity_at=timezone.now() - timedelta(days=7))
    busy = services.thread_create(
        category=category, author=member, kind=Thread.Kind.QUESTION, title="A busy question", body="Help?"
    )
    services.post_reply(thread=busy, author=facilitator, body="Here you go.")
    return pinned, busy


def _titles_in_order(html: str, *titles: str) -> list[str]:
    return sorted(titles, key=html.index)


def test_pinned_announcement_stays_at_the_top_of_latest(community, pinned_then_busy, as_member):
    html = page_source(as_member.get(reverse("forums:latest", args=[community.slug])))
    assert _titles_in_order(html, "Welcome, everyone", "A busy question") == ["Welcome, everyone", "A busy question"]


def test_pinned_thread_stays_at_the_top_of_its_category(community, category, pinned_then_busy, facilitator, as_member):
    pinned, busy = pinned_then_busy
    services.thread_move(thread=pinned, category=category, by=facilitator)
    html = page_source(as_member.get(category.get_absolute_url()))
    assert _titles_in_order(html, "Welcome, everyone", "A busy question") == ["Welcome, everyone", "A busy question"]


def test_member_cannot_start_a_thread_in_a_facilitators_only_category(community, announcements, as_member):
    before = Thread.objects.count()
    response = as_member.post(
        reverse("forums:thread_create", args=[community.slug]),
        {"category": announcements.pk, "kind": "discussion", "title": "Sneaky announcement", "body": "Hello all"},
    )
    assert Thread.objects.count() == before
    assert response.status_code in (200, 403)


def test_service_refuses_a_members_thread_in_a_facilitators_only_category(announcements, member):
    with pytest.raises(services.ForumError):
        services.thread_create(
            category=announcements, author=member, kind=Thread.Kind.DISCUSSION, title="Sneaky one", body="x"
        )


def test_thread_form_does_not_offer_facilitators_only_categories_to_members(
    community, category, announcements, as_member, as_facilitator
):
    url = reverse("forums:thread_create", args=[community.slug])
    member_form = page_source(as_member.get(url))
    assert f'value="{category.pk}"' in member_form
    assert f'value="{announcements.pk}"' not in member_form
    assert f'value="{announcements.pk}"' in page_source(as_facilitator.get(url))


def test_facilitators_only_category_page_offers_new_thread_to_facilitators_only(
    announcements, as_member, as_facilitator
):
    new_thread = reverse("forums:thread_create", args=[announcements.community.slug])
    assert new_thread not in page_source(as_member.get(announcements.get_absolute_url()))
    assert new_thread in page_source(as_facilitator.get(announcements.get_absolute_url()))


def test_facilitator_marks_a_category_facilitators_only(community, category, as_facilitator):
    as_facilitator.post(
        reverse("forums:category_edit", args=[community.slug, category.slug]),
        {"name": category.name, "slug": category.slug, "position": 0, "facilitators_only": "on"},
    )
    category.refresh_from_db()
    assert category.facilitators_only


def test_demo_announcements_category_is_facilitators_only(db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    assert Category.objects.filter(slug="announcements").exists()
    assert all(c.facilitators_only for c in Category.objects.filter(slug="announcements"))
    assert not Category.objects.filter(slug="questions", facilitators_only=True).exists()
