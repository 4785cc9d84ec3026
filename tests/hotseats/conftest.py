"""Hot-seat fixtures: a `hotseat` factory that schedules through the service, the two kinds of expert, and a
second member whose questions the member may vote on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import ActivityEvent, Membership, ModerationAction, SearchDocument
from hotseats import services
from hotseats.models import Answer, Expert, HotSeat, Question, Vote

from ..factories import make_membership, make_user
from ..helpers import text_of

# Where each state puts the hot seat's window, relative to the present moment.
WINDOWS = {
    HotSeat.State.SCHEDULED: (timedelta(days=2), timedelta(days=7)),
    HotSeat.State.OPEN: (timedelta(days=-1), timedelta(days=4)),
    HotSeat.State.CLOSED: (timedelta(days=-6), timedelta(days=-1)),
}


@pytest.fixture
def hotseat(community, facilitator):
    """Schedule a hot seat through the service, as a facilitator would; `state` places its window around now."""

    home = community

    def make(
        *,
        state: str = HotSeat.State.OPEN,
        community=None,
        by=None,
        title: str = "Gateway reviews with Sam",
        topic: str = "Ask Sam anything about **gateway reviews**.",
        experts=(),
        guest_emails=(),
        early_questions: bool = True,
        opens_at=None,
        closes_at=None,
        **kw,
    ) -> HotSeat:
        community = community or home
        if by is None:
            by = facilitator if community == home else make_facilitator(community)
        opens, closes = WINDOWS[state]
        now = timezone.now()
        return services.hotseat_create(
            community=community,
            by=by,
            title=title,
            topic=topic,
            opens_at=opens_at or now + opens,
            closes_at=closes_at or now + closes,
            early_questions=early_questions,
            experts=experts,
            guest_emails=guest_emails,
            **kw,
        )

    return make


def make_facilitator(community):
    return make_membership(community, make_user(first_name="Fay"), role=Membership.Role.FACILITATOR).user


@pytest.fixture
def expert(community):
    """A member of the community who is named as the hot seat's expert."""
    return make_membership(community, make_user(first_name="Sam", last_name="Expert", email="sam@example.org")).user


@pytest.fixture
def guest(db):
    """Someone outside every community, invited by email to be a guest expert."""
    return make_user(first_name="Gita", last_name="Guest", email="gita@example.org")


@pytest.fixture
def other(community):
    """A second ordinary member: the asker of the questions the member votes on."""
    return make_membership(community, make_user(first_name="Maya", email="maya@example.org")).user


@pytest.fixture
def banned(community):
    """A member of the community who has been banned from it."""
    return make_membership(
        community, make_user(first_name="Bram", email="bram@example.org"), status=Membership.Status.BANNED
    ).user


def seat_guest(hotseat: HotSeat, user) -> Expert:
    """The guest's invitation for this hot seat, accepted with their account."""
    invitation = Expert.objects.get(hotseat=hotseat, email=user.email.lower(), is_guest=True)
    return services.expert_accept(expert=invitation, user=user)


def section_text(html: str, heading_id: str) -> str:
    """The visible text of the `<section aria-labelledby=heading_id>` on a page, or "" when there is none."""
    start = html.find(f'aria-labelledby="{heading_id}"')
    if start == -1:
        return ""
    return text_of(html[start : html.index("</section>", start)])


def hotseat_rows() -> list:
    """Every row a hot-seat action could write: a refused action must leave all of it as it was."""
    models = (HotSeat, Expert, Question, Vote, Answer, ActivityEvent, ModerationAction, SearchDocument)
    return [list(model.objects.order_by("pk").values()) for model in models]
