"""Conversation fixtures: more personas (a second member, banned, departed, another community's member) and a
helper that starts a conversation through the service."""

import pytest

from communities.models import Membership
from conversations import services

from ..factories import make_community, make_membership, make_user


@pytest.fixture
def other(community):
    """A second ordinary member."""
    return make_membership(community, make_user(first_name="Maya", email="maya@example.org")).user


@pytest.fixture
def banned(community):
    return make_membership(
        community, make_user(first_name="Bram", email="bram@example.org"), status=Membership.Status.BANNED
    ).user


@pytest.fixture
def departed(community):
    return make_membership(
        community, make_user(first_name="Dee", email="dee@example.org"), status=Membership.Status.LEFT
    ).user


@pytest.fixture
def elsewhere(db):
    """A member of another community only."""
    return make_membership(make_community(name="Elsewhere"), make_user(first_name="Ezra")).user


@pytest.fixture
def start(community):
    def make(sender, *recipients, body="Hello there, could we talk about the risk register?", **kw):
        return services.conversation_start(
            sender=sender, recipients=recipients, community=kw.pop("through", community), body=body, **kw
        )

    return make


@pytest.fixture
def chat(start, member, other):
    """A conversation between the member and a second member."""
    return start(member, other, subject="Risk registers")
