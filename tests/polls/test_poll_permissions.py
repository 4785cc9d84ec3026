"""Every poll action, tried by every persona through the views: who may, who is refused, and that a refusal
writes nothing. Results are checked in each "show results" mode, open and closed."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from communities.models import Community, ModerationAction
from polls.models import Ballot, BallotChoice, Choice, Poll

from ..helpers import assert_kept_out, text_of
from .conftest import choice_id, vote

pytestmark = pytest.mark.django_db

PERSONAS = ["member", "facilitator", "outsider", "anonymous", "banned"]
PARTICIPANTS = {"member", "facilitator"}


def poll_rows():
    return [list(m.objects.order_by("pk").values()) for m in (Poll, Choice, Ballot, BallotChoice, ModerationAction)]


def url(poll, name):
    return reverse(f"polls:{name}", args=[poll.community.slug, poll.pk])


def assert_login_redirect(response, path):
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL)), response.url


def results_shown(response) -> bool:
    return "Results" in text_of(response) and "votes," in text_of(response)


# --- Seeing results ------------------------------------------------------------------------------------------

EXPECTED_RESULTS = {
    # (mode, state): personas who see the counts; "voter" is a member who has voted, "member" one who has not.
    ("always", "open"): {"voter", "member", "facilitator", "outsider", "anonymous", "banned"},
    ("after_vote", "open"): {"voter", "facilitator"},
    ("after_close", "open"): {"facilitator"},
    ("always", "closed"): {"voter", "member", "facilitator", "outsider", "anonymous", "banned"},
    ("after_vote", "closed"): {"voter", "member", "facilitator", "outsider", "anonymous", "banned"},
    ("after_close", "closed"): {"voter", "member", "facilitator", "outsider", "anonymous", "banned"},
}


@pytest.mark.parametrize("mode,state", list(EXPECTED_RESULTS))
@pytest.mark.parametrize("persona", ["voter", *PERSONAS])
def test_results_show_to_exactly_who_the_mode_allows(mode, state, persona, poll, client_as, other, facilitator):
    the_poll = poll(results=mode)
    vote(the_poll, facilitator, "Spreadsheet")
    vote(the_poll, other, "Spreadsheet")
    if state == "closed":
        Poll.objects.filter(pk=the_poll.pk).update(closed_at=the_poll.opens_at)

    response = client_as("other" if persona == "voter" else persona).get(the_poll.get_absolute_url())

    assert response.status_code == 200
    assert results_shown(response) is (persona in EXPECTED_RESULTS[(mode, state)])
    if persona not in EXPECTED_RESULTS[(mode, state)]:
        assert "2 votes" not in text_of(response)  # nothing of the counts leaks, not even in a label


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_private_communitys_poll_is_for_its_members_only(persona, poll, client_as, community):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PRIVATE)
    the_poll = poll()

    response = client_as(persona).get(the_poll.get_absolute_url())

    if persona in PARTICIPANTS:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert_login_redirect(response, the_poll.get_absolute_url())
    else:
        assert_kept_out(response, community)


@pytest.mark.parametrize("persona", PERSONAS)
def test_voters_are_listed_only_on_public_polls(persona, poll, client_as, other, community):
    public = poll(public_voters=True, question="Public: which day suits you?")
    anonymous = poll(public_voters=False, question="Anonymous: which day suits you?")
    for p in (public, anonymous):
        vote(p, other, "Spreadsheet")

    client = client_as(persona)
    public_page, anonymous_page = client.get(public.get_absolute_url()), client.get(anonymous.get_absolute_url())

    assert other.display_name in text_of(public_page)
    assert other.display_name not in text_of(anonymous_page)
    assert client.get(url(public, "poll_voters")).status_code == 200
    assert client.get(url(anonymous, "poll_voters")).status_code == 403  # facilitators included


# --- Voting --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "scheduled", "closed"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_active_members_vote_and_only_while_the_poll_is_open(persona, state, poll, client_as, request):
    the_poll = poll(state=state)
    before = poll_rows()

    response = client_as(persona).post(url(the_poll, "poll_vote"), {"choice": choice_id(the_poll, "PPM tool")})

    if persona in PARTICIPANTS and state == "open":
        assert response.status_code == 302
        user = request.getfixturevalue(persona)
        ballot = Ballot.objects.get(poll=the_poll, user=user)
        assert [c.label for c in ballot.choices.all()] == ["PPM tool"]
        assert Poll.objects.get(pk=the_poll.pk).voter_count == 1
        return
    if persona == "anonymous":
        assert_login_redirect(response, url(the_poll, "poll_vote"))
    elif persona in PARTICIPANTS:
        assert response.status_code == (409 if state == "closed" else 400)
    else:
        assert response.status_code == 403
    assert poll_rows() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_voter_takes_their_own_vote_back(persona, poll, client_as, other):
    the_poll = poll()
    vote(the_poll, other, "Spreadsheet")
    before = poll_rows()

    response = client_as(persona).post(url(the_poll, "poll_withdraw"))

    if persona == "anonymous":
        assert_login_redirect(response, url(the_poll, "poll_withdraw"))
    elif persona in PARTICIPANTS:
        assert response.status_code == 302  # nothing to take back: their own ballot is none
    else:
        assert response.status_code == 403
    assert poll_rows() == before  # the other member's ballot stands, whoever asked


# --- Editing, closing, exporting -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitators_edit_polls_and_nobody_else_does(persona, poll, client_as):
    the_poll = poll()
    before = poll_rows()
    data = {
        "question": "Edited question?",
        "choices": "One\nTwo",
        "kind": "single",
        "results": "always",
    }

    page = client_as(persona).get(url(the_poll, "poll_edit"))
    response = client_as(persona).post(url(the_poll, "poll_edit"), data)

    if persona == "facilitator":
        assert page.status_code == 200
        assert response.status_code == 302
        assert Poll.objects.get(pk=the_poll.pk).question == "Edited question?"
        return
    if persona == "anonymous":
        assert_login_redirect(page, url(the_poll, "poll_edit"))
    else:
        assert page.status_code == response.status_code == 403
    assert poll_rows() == before


def test_a_closed_poll_can_no_longer_be_edited(poll, as_facilitator):
    the_poll = poll(state="closed")

    assert as_facilitator.get(url(the_poll, "poll_edit")).status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitators_close_and_reopen_and_nobody_else_does(persona, poll, client_as):
    the_poll = poll()
    client = client_as(persona)
    before = poll_rows()

    closing = client.post(url(the_poll, "poll_close"))

    if persona == "facilitator":
        assert closing.status_code == 302
        assert Poll.objects.get(pk=the_poll.pk).is_closed
        assert client.post(url(the_poll, "poll_reopen")).status_code == 302
        assert Poll.objects.get(pk=the_poll.pk).is_open
        actions = list(ModerationAction.objects.values_list("action", flat=True).order_by("pk"))
        assert actions == [ModerationAction.Action.CLOSE, ModerationAction.Action.REOPEN]
        return
    Poll.objects.filter(pk=the_poll.pk).update(closed_at=the_poll.opens_at)
    reopening = client.post(url(the_poll, "poll_reopen"))
    if persona == "anonymous":
        assert_login_redirect(closing, url(the_poll, "poll_close"))
        assert_login_redirect(reopening, url(the_poll, "poll_reopen"))
    else:
        assert closing.status_code == reopening.status_code == 403
    assert Poll.objects.get(pk=the_poll.pk).is_closed
    assert ModerationAction.objects.count() == len(before[-1])


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitators_export_votes_and_nobody_else_does(persona, poll, client_as):
    the_poll = poll()

    response = client_as(persona).get(url(the_poll, "poll_export"))

    if persona == "facilitator":
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    elif persona == "anonymous":
        assert_login_redirect(response, url(the_poll, "poll_export"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", ["member", "outsider", "anonymous", "banned"])
def test_only_facilitators_create_polls(persona, client_as, community):
    create = reverse("polls:poll_create", args=[community.slug])
    data = {"question": "Any question?", "choices": "A\nB", "kind": "single", "results": "always"}

    page, response = client_as(persona).get(create), client_as(persona).post(create, data)

    if persona == "anonymous":
        assert_login_redirect(page, create)
    else:
        assert page.status_code == response.status_code == 403
    assert not Poll.objects.exists()


def test_an_archived_community_takes_no_votes_and_no_new_polls(poll, as_member, as_facilitator, community):
    the_poll = poll()
    Community.objects.filter(pk=community.pk).update(stage=Community.Stage.ARCHIVED)

    assert as_member.post(url(the_poll, "poll_vote"), {"choice": choice_id(the_poll, "PPM tool")}).status_code == 403
    assert as_facilitator.get(reverse("polls:poll_create", args=[community.slug])).status_code == 403
    assert as_facilitator.post(url(the_poll, "poll_close")).status_code == 403
    assert not Ballot.objects.exists()
