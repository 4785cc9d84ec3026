"""Every jobs action tried by every persona through the views: who may, who is refused, and that a refusal
changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import ModerationAction, OutboundEmail
from jobs.models import JobSettings, Posting

from ..helpers import assert_sent_to_login, text_of
from .conftest import make_posting, posting_fields

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "banned", "member", "poster", "facilitator", "owner"]
MANAGERS = {"facilitator", "owner"}
MEMBERS = {"member", "poster"} | MANAGERS


def url(name, posting, *args):
    return reverse(f"jobs:{name}", args=[posting.community.slug, posting.pk, *args])


def form_data(**kw):
    data = posting_fields(**kw)
    data["closes_on"] = data["closes_on"].isoformat()
    data["tags"] = "PRINCE2, agile"
    return {k: "" if v is None else v for k, v in data.items()}


def assert_refused(response, persona, status=403):
    if persona == "anonymous":
        assert_sent_to_login(response)
    else:
        assert response.status_code == status, (persona, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_post_a_job(persona, client_as, community, posting, owner, facilitator, member, banned, outsider):
    client = client_as(persona)
    before = Posting.objects.count()
    path = reverse("jobs:posting_create", args=[community.slug])
    response = client.post(path, form_data(title=f"Role by {persona}"))
    if persona in MEMBERS:
        assert response.status_code == 302
        assert Posting.objects.count() == before + 1
    else:
        assert_refused(response, persona)
        assert Posting.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_edit_a_posting(persona, client_as, posting, owner, facilitator, member, banned, outsider):
    response = client_as(persona).post(url("posting_edit", posting), form_data(title="Changed"))
    posting.refresh_from_db()
    if persona == "poster":
        assert response.status_code == 302
        assert posting.title == "Changed"
    else:
        assert_refused(response, persona)
        assert posting.title == "PMO manager"


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_close_a_posting(persona, client_as, posting, owner, facilitator, member, banned, outsider):
    response = client_as(persona).post(url("posting_close", posting))
    posting.refresh_from_db()
    if persona in {"poster"} | MANAGERS:
        assert response.status_code == 302
        assert posting.status == Posting.Status.CLOSED
    else:
        assert_refused(response, persona)
        assert posting.status == Posting.Status.LIVE


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_approve_a_posting(
    persona, client_as, community, member, owner, facilitator, banned, outsider, poster
):
    waiting = make_posting(community, member, live=False)
    assert waiting.status == Posting.Status.PENDING  # a new member's first posting waits
    response = client_as(persona).post(
        reverse("jobs:moderation_act", args=[community.slug, waiting.pk]), {"action": "approve"}
    )
    waiting.refresh_from_db()
    if persona in MANAGERS:
        assert waiting.status == Posting.Status.LIVE
        assert ModerationAction.objects.filter(action=ModerationAction.Action.APPROVE, target_id=waiting.pk).exists()
    else:
        assert_refused(response, persona)
        assert waiting.status == Posting.Status.PENDING


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_reject_a_posting(persona, client_as, community, member, owner, facilitator, banned, outsider, poster):
    waiting = make_posting(community, member, live=False)
    response = client_as(persona).post(
        reverse("jobs:moderation_act", args=[community.slug, waiting.pk]),
        {"action": "reject", "reason": "Please add the salary."},
    )
    waiting.refresh_from_db()
    if persona in MANAGERS:
        assert waiting.status == Posting.Status.REJECTED
        email = OutboundEmail.objects.get(to=member.email)
        assert "Please add the salary." in email.text
    else:
        assert_refused(response, persona)
        assert waiting.status == Posting.Status.PENDING
        assert not OutboundEmail.objects.filter(to=member.email).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_hide_and_restore(
    persona, client_as, community, posting, owner, facilitator, member, banned, outsider
):
    client = client_as(persona)
    path = reverse("jobs:moderation_act", args=[community.slug, posting.pk])
    response = client.post(path, {"action": "hide", "reason": "Spam"})
    posting.refresh_from_db()
    if persona in MANAGERS:
        assert posting.is_hidden
        client.post(path, {"action": "restore"})
        posting.refresh_from_db()
        assert not posting.is_hidden
        actions = set(ModerationAction.objects.filter(target_id=posting.pk).values_list("action", flat=True))
        assert {ModerationAction.Action.HIDE, ModerationAction.Action.RESTORE} <= actions
    else:
        assert_refused(response, persona)
        assert not posting.is_hidden


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_the_moderation_queue_and_settings(
    persona, client_as, community, owner, facilitator, member, banned, outsider, poster
):
    client = client_as(persona)
    for name in ("moderation_queue", "settings"):
        response = client.get(reverse(f"jobs:{name}", args=[community.slug]))
        if persona in MANAGERS:
            assert response.status_code == 200
        else:
            assert_refused(response, persona)
    response = client.post(
        reverse("jobs:settings", args=[community.slug]), {"require_approval": "on", "max_days": 30, "daily_limit": 2}
    )
    assert JobSettings.of(community).require_approval is (persona in MANAGERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_who_reads_a_public_community_sees_live_postings(
    persona, client_as, posting, owner, facilitator, member, banned, outsider
):
    client = client_as(persona)
    assert client.get(url("posting_detail", posting)).status_code == 200
    listing = client.get(reverse("jobs:jobs_list", args=[posting.community.slug]))
    assert "PMO manager" in text_of(listing)


@pytest.mark.parametrize("persona", PERSONAS)
def test_drafts_and_pending_postings_are_for_the_poster_and_facilitators(
    persona, client_as, community, poster, owner, facilitator, member, banned, outsider
):
    draft = make_posting(community, poster, publish=False, title="Secret draft")
    response = client_as(persona).get(url("posting_detail", draft))
    assert response.status_code == (200 if persona in {"poster"} | MANAGERS else 404)
    listing = client_as(persona).get(reverse("jobs:jobs_list", args=[community.slug]))
    assert "Secret draft" not in text_of(listing)


def test_banned_member_may_not_flag_or_extend(client_as, posting, banned):
    client = client_as("banned")
    assert client.get(url("posting_flag", posting)).status_code == 403
    assert client.get(url("posting_extend", posting)).status_code == 403


def test_poster_extends_once_up_to_the_cap(client_as, posting):
    client = client_as("poster")
    too_far = timezone.localdate() + timedelta(days=91)
    response = client.post(url("posting_extend", posting), {"closes_on": too_far.isoformat()})
    assert response.status_code == 400
    good = posting.closes_on + timedelta(days=10)
    assert client.post(url("posting_extend", posting), {"closes_on": good.isoformat()}).status_code == 302
    posting.refresh_from_db()
    assert posting.closes_on == good and posting.extended_at is not None
    assert client.get(url("posting_extend", posting)).status_code == 403
