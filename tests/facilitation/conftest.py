import pytest

from communities.models import Membership
from facilitation import rollups
from tests.factories import make_membership, make_user

from .dataset import build


@pytest.fixture
def banned(community):
    return make_membership(
        community, make_user(first_name="Bram", email="bram@example.org"), status=Membership.Status.BANNED
    ).user


@pytest.fixture
def hand(community):
    """The hand-built data set in the personas' community, rolled up to yesterday."""
    data = build(community)
    rollups.rollup_community(community)
    return data


PERSONA_STATUS = {
    "outsider": 403,
    "member": 403,
    "banned": 403,
    "facilitator": 200,
    "owner": 200,
    "staff": 200,
}
