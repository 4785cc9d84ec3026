"""Event fixtures: events made through the services, the extra personas, and a crowd of members."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from events import services
from events.models import Event

from ..factories import make_community, make_membership, make_user

LINK = "https://meet.example.org/secret-room-4711"


def plan(community, by, *, starts_in=timedelta(days=10), length=timedelta(hours=2), **fields):
    start = fields.pop("starts_at", None) or timezone.now() + starts_in
    defaults = {
        "title": "PPM quarterly meeting",
        "description": "Talks and a *workshop*.",
        "format": Event.Format.IN_PERSON,
        "venue": "Friends House",
        "address": "173 Euston Road, London",
        "accessibility": "",
        "online_url": "",
        "starts_at": start,
        "ends_at": fields.pop("ends_at", None) or start + length,
        "time_zone": "Europe/London",
        "tags": "",
        "capacity": None,
        "questions": "",
        "theme": None,
    }
    return services.event_create(community=community, by=by, **(defaults | fields))


@pytest.fixture
def banned(community):
    return make_membership(
        community, make_user(first_name="Bram", email="bram@example.org"), status=Membership.Status.BANNED
    ).user


@pytest.fixture
def other(community):
    return make_membership(community, make_user(first_name="Maya", email="maya@example.org")).user


@pytest.fixture
def meeting(community, facilitator):
    return plan(community, facilitator, capacity=2, questions="Dietary needs\nAccess needs")


@pytest.fixture
def online(community, facilitator):
    return plan(
        community,
        facilitator,
        title="Lunchtime assurance session",
        format=Event.Format.ONLINE,
        venue="",
        address="",
        online_url=LINK,
    )


@pytest.fixture
def private_community(db):
    return make_community(name="Secret circle", slug="circle", visibility=Community.Visibility.PRIVATE)


@pytest.fixture
def private_event(private_community):
    boss = make_membership(private_community, make_user(first_name="Cara"), role=Membership.Role.FACILITATOR).user
    return plan(private_community, boss, title="Circle-only gathering zqx")


def crowd(community, n: int, prefix="Person"):
    return [make_membership(community, make_user(first_name=f"{prefix}{i}")).user for i in range(n)]


__all__ = ["LINK", "UTC", "crowd", "datetime", "plan"]
