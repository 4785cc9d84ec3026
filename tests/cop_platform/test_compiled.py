"""Issue 11: queries compiled once per process answer exactly what the ORM would, for every value, and refuse a
value that the SQL would not carry as a parameter."""

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, Theme
from cop_platform.compiled import CompiledQuery

from ..factories import PASSWORD, make_community, make_membership, make_user

pytestmark = pytest.mark.django_db


@CompiledQuery
def _memberships(*, user_id: int, status: str = None):
    qs = Membership.objects.filter(user_id=user_id).select_related("community", "user")
    if status is not None:
        qs = qs.filter(status=status)
    return qs.order_by("community__name")


@CompiledQuery
def _themes(count, *, community_id: int, today: date):
    return Theme.objects.filter(community_id=community_id, ends_on__gte=today).order_by("starts_on")[:count]


def test_each_call_runs_with_its_own_values_and_reads_the_database_as_it_is_now():
    first, second = make_user(), make_user()
    a, b = make_community(name="Alpha"), make_community(name="Beta")
    make_membership(a, first)
    make_membership(b, first, status=Membership.Status.LEFT)
    make_membership(b, second)

    mine = _memberships(user_id=first.pk)
    assert [(m.community.name, m.user.email) for m in mine] == [("Alpha", first.email), ("Beta", first.email)]
    assert [m.community.name for m in _memberships(user_id=second.pk)] == ["Beta"]
    # A value left out is another shape: its filter is not in the SQL.
    assert [m.community.name for m in _memberships(user_id=first.pk, status="active")] == ["Alpha"]
    assert [m.community.name for m in _memberships(user_id=first.pk, status="left")] == ["Beta"]
    make_membership(make_community(name="Gamma"), second)
    assert [m.community.name for m in _memberships(user_id=second.pk)] == ["Beta", "Gamma"]
    assert _memberships(user_id=first.pk) == list(
        Membership.objects.filter(user=first).select_related("community").order_by("community__name")
    )


def test_dates_and_shapes_bind_like_the_orm():
    community = make_community()
    today = timezone.localdate()
    for offset in range(4):
        Theme.objects.create(
            community=community,
            title=f"Theme {offset}",
            slug=f"theme-{offset}",
            starts_on=today + timedelta(days=10 * offset - 5),
            ends_on=today + timedelta(days=10 * offset + 4),
        )
    assert [t.title for t in _themes(5, community_id=community.pk, today=today)] == [f"Theme {i}" for i in range(4)]
    assert [t.title for t in _themes(2, community_id=community.pk, today=today + timedelta(days=10))] == [
        "Theme 1",
        "Theme 2",
    ]
    assert _themes(5, community_id=community.pk + 1000, today=today) == []


def test_a_value_the_sql_would_not_carry_as_a_parameter_is_refused():
    @CompiledQuery
    def by_name(*, name: str):
        return Community.objects.filter(name__icontains=name)

    @CompiledQuery
    def counted(*, when: datetime):
        return Community.objects.annotate(n=Count("pk")).values_list("n", flat=True)

    with pytest.raises(ImproperlyConfigured):
        by_name(name="alpha")
    with pytest.raises(ImproperlyConfigured):
        counted(when=timezone.now())
    with pytest.raises(TypeError):
        _memberships(user_id=None)
    with pytest.raises(TypeError):
        _memberships()
    with pytest.raises(TypeError):
        _memberships(user_id=1, other=2)


def test_a_session_logged_out_or_expired_no_longer_signs_anyone_in(community):
    user = make_user()
    make_membership(community, user)
    browser = Client()
    assert browser.login(email=user.email, password=PASSWORD)
    page = reverse("communities:community_detail", args=[community.slug])
    assert f"<summary>{user.display_name}</summary>" in browser.get(page).content.decode()

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert f"<summary>{user.display_name}</summary>" not in browser.get(page).content.decode()

    assert browser.login(email=user.email, password=PASSWORD)
    assert f"<summary>{user.display_name}</summary>" in browser.get(page).content.decode()
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert f"<summary>{user.display_name}</summary>" in stolen.get(page).content.decode()
    browser.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert f"<summary>{user.display_name}</summary>" not in stolen.get(page).content.decode()
