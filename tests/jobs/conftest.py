"""Jobs fixtures: postings made through the services, the extra personas (banned, the poster), and a private
community with its own member."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from jobs import services
from jobs.models import Posting

from ..factories import make_community, make_membership, make_user


def posting_fields(**kw) -> dict:
    fields = {
        "title": "PMO manager",
        "employer": "Leeds City Council",
        "location": "Leeds",
        "working_pattern": Posting.Pattern.HYBRID,
        "contract": Posting.Contract.PERMANENT,
        "salary_text": "£52,000 to £58,000",
        "salary_min": 52000,
        "salary_max": 58000,
        "closes_on": timezone.localdate() + timedelta(days=30),
        "apply_url": "https://jobs.example.org/pmo",
        "apply_email": "",
        "description": "Run the **portfolio office**.",
    }
    fields.update(kw)
    return fields


def make_posting(community, author, *, tags=("PRINCE2", "MSP"), publish=True, live=True, **kw) -> Posting:
    """A posting through the service; `live` publishes it even where it would wait for approval."""
    posting = services.posting_create(
        community=community, author=author, tags=tags, publish=publish, **posting_fields(**kw)
    )
    if live and publish and posting.status == Posting.Status.PENDING:
        services._go_live(posting, now=timezone.now())  # as a facilitator's approval would
        services.index_posting(posting)
    return posting


@pytest.fixture
def banned(community):
    return make_membership(
        community, make_user(first_name="Bram", email="bram@example.org"), status=Membership.Status.BANNED
    ).user


@pytest.fixture
def poster(community):
    """A member who has advertised before (so their postings go live at once)."""
    return make_membership(community, make_user(first_name="Pat", email="poster@example.org")).user


@pytest.fixture
def posting(community, poster):
    return make_posting(community, poster)


@pytest.fixture
def private_community(db):
    return make_community(name="Private PMO", slug="private", visibility=Community.Visibility.PRIVATE)


@pytest.fixture
def insider(private_community):
    return make_membership(private_community, make_user(first_name="Ines", email="insider@example.org")).user
