"""Every hot-seat action, tried by every persona in every state through the views: who may, who is refused,
and that a refusal writes nothing."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, ModerationAction
from hotseats import services
from hotseats.models import Answer, HotSeat, Question, Vote

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, login, text_of
from .conftest import hotseat_rows, seat_guest

pytestmark = pytest.mark.django_db

SCHEDULED = "scheduled"
EARLY_OFF = "scheduled without early questions"
OPEN = "open"
CLOSED = "closed"
STATES = [SCHEDULED, EARLY_OFF, OPEN, CLOSED]

PERSONAS = ["member", "facilitator", "expert", "guest", "outsider", "anonymous", "banned"]
PARTICIPANTS = {"member", "facilitator", "expert"}  # active members of the community

OPENS_IN = timedelta(days=3)
LENGTH = timedelta(days=5)


@pytest.fixture
def world(request, community, hotseat, member, other, expert, guest, banned, outsider, facilitator):
    """A public community's hot seat with a member expert and an accepted guest expert, three questions asked
    early, and the clock stopped at a moment where the hot seat is in the given state."""

    def make(state: str) -> SimpleNamespace:
        start = timezone.now().replace(microsecond=0)
        opens_at = start + OPENS_IN
        closes_at = opens_at + LENGTH
        seat = hotseat(opens_at=opens_at, closes_at=closes_at, experts=[expert], guest_emails=[guest.email])
        seat_guest(seat, guest)
        theirs = services.question_ask(hotseat=seat, asker=other, body="How early should the SRO be involved?")
        mine = services.question_ask(hotseat=seat, asker=member, body="Who writes the terms of reference?")
        dupe = services.question_ask(hotseat=seat, asker=other, body="When should the SRO join the review?")
        if state == EARLY_OFF:
            HotSeat.objects.filter(pk=seat.pk).update(early_questions=False)
        moment = {
            SCHEDULED: start,
            EARLY_OFF: start,
            OPEN: opens_at + timedelta(days=1),
            CLOSED: closes_at + timedelta(days=1),
        }[state]
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        request.addfinalizer(traveller.stop)
        users = {"member": member, "other": other, "expert": expert, "guest": guest, "banned": banned}
        users |= {"outsider": outsider, "facilitator": facilitator}
        return SimpleNamespace(community=community, hotseat=seat, theirs=theirs, mine=mine, dupe=dupe, **users)

    return make


def url(name: str, w, *args) -> str:
    return reverse(f"hotseats:{name}", args=[w.community.slug, w.hotseat.pk, *args])


def assert_refused(response, persona: str, path: str, status: int = 403) -> None:
    if persona == "anonymous":
        assert_sent_to_login(response, path)
    else:
        assert response.status_code == status, (persona, response.status_code)


def page_text(client, w) -> str:
    response = client.get(w.hotseat.get_absolute_url())
    assert response.status_code == 200
    return text_of(response)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- Asking --------------------------------------------------------------------------------------------------

ASKING = {SCHEDULED, OPEN}  # states in which the community's members may ask


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_members_ask_while_questions_are_taken_and_everyone_else_is_refused(client_as, world, state, persona):
    w = world(state)
    path = url("question_ask", w)
    before = hotseat_rows()
    body = "Should the gateway review panel include a finance lead?"

    response = client_as(persona).post(path, {"body": body})

    if persona in PARTICIPANTS and state in ASKING:
        question = Question.objects.get(body=body)
        assert question.asker == getattr(w, persona)
        assert response.status_code == 302
        assert response.url == f"{w.hotseat.get_absolute_url()}?sort=new#{question.anchor}"
        assert fresh(w.hotseat).question_count == 4
    elif persona in PARTICIPANTS:
        # A member who is merely too early or too late keeps what they typed, with the reason.
        assert response.status_code == 400
        html = response.content.decode()
        assert body in html
        assert ("has closed, so it no longer takes questions" if state == CLOSED else "not taking questions") in html
        assert hotseat_rows() == before
    else:
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


def test_asking_after_the_hot_seat_closed_shows_why_and_keeps_the_typed_question(as_member, world):
    w = world(CLOSED)
    typed = "Is a **red** rating at gate 3 ever recoverable?"
    response = as_member.post(url("question_ask", w), {"body": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This hot seat has closed, so it no longer takes questions. Your text is kept below." in text_of(html)
    assert "Is a **red** rating at gate 3 ever recoverable?</textarea>" in html
    assert not Question.objects.filter(body=typed).exists()


# --- Voting --------------------------------------------------------------------------------------------------

VOTING = {SCHEDULED, EARLY_OFF, OPEN}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_members_vote_on_other_peoples_questions_until_it_closes_and_a_second_click_takes_it_back(
    client_as, world, state, persona
):
    w = world(state)
    path = url("question_vote", w, w.theirs.pk)
    before = hotseat_rows()
    client = client_as(persona)

    response = client.post(path)

    if persona in PARTICIPANTS and state in VOTING:
        assert response.status_code == 302
        assert response.url == f"{w.hotseat.get_absolute_url()}#{w.theirs.anchor}"
        assert fresh(w.theirs).vote_count == 1
        assert list(Vote.objects.filter(question=w.theirs).values_list("user", flat=True)) == [getattr(w, persona).pk]
        client.post(path)
        assert fresh(w.theirs).vote_count == 0
        assert not Vote.objects.exists()
    else:
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


@pytest.mark.parametrize("state", STATES)
def test_a_member_cannot_vote_for_their_own_question(as_member, world, state):
    w = world(state)
    before = hotseat_rows()
    response = as_member.post(url("question_vote", w, w.mine.pk))
    assert response.status_code == 403
    assert hotseat_rows() == before
    page = as_member.get(w.hotseat.get_absolute_url()).content.decode()
    assert url("question_vote", w, w.mine.pk) not in page


# --- Answering -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_only_the_hot_seats_experts_answer_and_only_while_it_is_open(client_as, world, state, persona):
    w = world(state)
    path = url("answer_post", w, w.theirs.pk)
    before = hotseat_rows()
    body = "Before the business case, so they own the benefits."

    response = client_as(persona).post(path, {"body": body, "next": "page"})

    if persona in ("expert", "guest") and state == OPEN:
        answer = Answer.objects.get()
        assert (answer.question, answer.expert, answer.body) == (w.theirs, getattr(w, persona), body)
        assert response.status_code == 302
        assert fresh(w.hotseat).answered_count == 1
        assert body in page_text(client_as("member"), w)
    else:
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


# --- Moderating ----------------------------------------------------------------------------------------------

MODERATORS = {"facilitator"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_facilitators_hide_a_question_and_it_leaves_the_list(client_as, world, state, persona):
    w = world(state)
    path = url("question_moderate", w, w.theirs.pk)
    before = hotseat_rows()

    response = client_as(persona).post(path, {"action": "hide", "reason": "Off topic"})

    if persona in MODERATORS:
        assert response.status_code == 302
        assert fresh(w.theirs).is_hidden
        assert fresh(w.hotseat).question_count == 2
        assert "How early should the SRO be involved?" not in page_text(client_as("member"), w)
        log = ModerationAction.objects.get()
        assert (log.action, log.moderator, log.target_user, log.reason) == (
            ModerationAction.Action.HIDE,
            w.facilitator,
            w.other,
            "Off topic",
        )
    else:
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitators_restore_a_hidden_question_and_it_comes_back(client_as, world, persona):
    w = world(OPEN)
    services.question_hide(question=w.theirs, by=w.facilitator)
    path = url("question_moderate", w, w.theirs.pk)
    before = hotseat_rows()

    response = client_as(persona).post(path, {"action": "restore"})

    if persona in MODERATORS:
        assert response.status_code == 302
        assert not fresh(w.theirs).is_hidden
        assert fresh(w.hotseat).question_count == 3
        assert "How early should the SRO be involved?" in page_text(client_as("member"), w)
    else:
        assert_refused(response, persona, path)
        assert hotseat_rows() == before
        assert "How early should the SRO be involved?" not in page_text(client_as("member"), w)


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitators_merge_a_duplicate_into_another_question(client_as, world, persona):
    w = world(OPEN)
    path = url("question_moderate", w, w.dupe.pk)
    before = hotseat_rows()

    response = client_as(persona).post(path, {"action": "merge", "into": w.theirs.pk})

    if persona in MODERATORS:
        assert response.status_code == 302
        assert fresh(w.dupe).merged_into == w.theirs
        assert fresh(w.hotseat).question_count == 2
        page = page_text(client_as("member"), w)
        assert "When should the SRO join the review?" not in page
        assert "How early should the SRO be involved?" in page
        assert ModerationAction.objects.get().action == ModerationAction.Action.MERGE
    else:
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


def test_a_merge_moves_the_duplicates_votes_to_the_target_once_per_member(world, client_as, community):
    w = world(OPEN)
    maria = make_membership(community, make_user(first_name="Maria")).user
    for voter in (w.member, w.expert, maria):
        services.question_vote(question=w.dupe, user=voter)
    services.question_vote(question=w.theirs, user=w.member)  # voted for both: must count once

    response = client_as("facilitator").post(
        url("question_moderate", w, w.dupe.pk), {"action": "merge", "into": w.theirs.pk}
    )

    assert response.status_code == 302
    assert fresh(w.theirs).vote_count == 3
    assert set(Vote.objects.filter(question=w.theirs).values_list("user", flat=True)) == {
        w.member.pk,
        w.expert.pk,
        maria.pk,
    }
    assert not Vote.objects.filter(question=w.dupe).exists()
    assert fresh(w.dupe).vote_count == 0
    assert "3 votes" in page_text(client_as("member"), w)


def test_a_merge_does_not_turn_the_targets_askers_vote_into_a_vote_for_their_own_question(world, client_as):
    w = world(OPEN)
    services.question_vote(question=w.dupe, user=w.member)  # the member voted for Maya's duplicate...
    services.question_vote(question=w.dupe, user=w.expert)

    # ...which is then merged into the member's own question.
    client_as("facilitator").post(url("question_moderate", w, w.dupe.pk), {"action": "merge", "into": w.mine.pk})

    assert list(Vote.objects.filter(question=w.mine).values_list("user", flat=True)) == [w.expert.pk]
    assert fresh(w.mine).vote_count == 1


def test_hiding_a_question_twice_takes_it_off_the_count_once(world, client_as):
    w = world(OPEN)
    facilitator = client_as("facilitator")
    path = url("question_moderate", w, w.theirs.pk)
    facilitator.post(path, {"action": "hide"})
    facilitator.post(path, {"action": "hide"})  # a double click, or a second facilitator at the same moment
    assert fresh(w.hotseat).question_count == 2
    assert "2 · 0 answered" in page_text(client_as("member"), w)
    facilitator.post(path, {"action": "restore"})
    facilitator.post(path, {"action": "restore"})
    assert fresh(w.hotseat).question_count == 3


def test_merging_the_same_duplicate_twice_takes_it_off_the_count_once(world, client_as):
    w = world(OPEN)
    facilitator = client_as("facilitator")
    path = url("question_moderate", w, w.dupe.pk)
    facilitator.post(path, {"action": "merge", "into": w.theirs.pk})
    facilitator.post(path, {"action": "merge", "into": w.mine.pk})
    assert fresh(w.hotseat).question_count == 2
    assert fresh(w.dupe).merged_into == w.theirs


def test_merging_a_hidden_duplicate_does_not_take_it_off_the_count_a_second_time(world, client_as):
    w = world(OPEN)
    facilitator = client_as("facilitator")
    facilitator.post(url("question_moderate", w, w.dupe.pk), {"action": "hide"})
    facilitator.post(url("question_moderate", w, w.dupe.pk), {"action": "merge", "into": w.theirs.pk})
    assert fresh(w.dupe).merged_into == w.theirs
    assert fresh(w.hotseat).question_count == 2
    assert "2 · 0 answered" in page_text(client_as("member"), w)


# --- Scheduling and editing ----------------------------------------------------------------------------------


def schedule_form(**overrides) -> dict:
    opens = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Agile in government",
        "topic": "Bring your **sprint** questions.",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M"),
        "early_questions": "on",
        "tags": "agile",
        "member_experts": "sam@example.org",
        "guest_experts": "",
    }
    return data | overrides


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_facilitators_schedule_a_hot_seat(client_as, world, persona):
    w = world(OPEN)
    path = reverse("hotseats:hotseat_create", args=[w.community.slug])
    before = hotseat_rows()
    client = client_as(persona)

    form_page = client.get(path)
    response = client.post(path, schedule_form())

    if persona in MODERATORS:
        assert form_page.status_code == 200
        created = HotSeat.objects.get(title="Agile in government")
        assert response.status_code == 302
        assert response.url == created.get_absolute_url()
        assert [e.user for e in created.experts.all()] == [w.expert]
    else:
        assert_refused(form_page, persona, path)
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_only_facilitators_edit_a_hot_seat(client_as, world, state, persona):
    w = world(state)
    path = url("hotseat_edit", w)
    before = hotseat_rows()
    client = client_as(persona)
    data = {
        "title": "Gateway reviews, renamed",
        "topic": w.hotseat.topic,
        "opens_at": timezone.localtime(w.hotseat.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(w.hotseat.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "early_questions": "on",
    }

    form_page = client.get(path)
    response = client.post(path, data)

    if persona in MODERATORS:
        assert form_page.status_code == 200
        assert response.status_code == 302
        assert fresh(w.hotseat).title == "Gateway reviews, renamed"
    else:
        assert_refused(form_page, persona, path)
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


def test_a_schedule_that_closes_before_it_opens_is_refused_and_keeps_what_was_typed(as_facilitator, world):
    w = world(OPEN)
    before = hotseat_rows()
    data = schedule_form(title="Portfolio office basics", closes_at="2020-01-01T09:00", tags="pmo, portfolio")
    response = as_facilitator.post(reverse("hotseats:hotseat_create", args=[w.community.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The hot seat must close after it opens." in html
    assert 'value="Portfolio office basics"' in html
    assert "Bring your **sprint** questions.</textarea>" in html
    assert 'value="pmo, portfolio"' in html
    assert 'value="sam@example.org"' in html
    assert 'value="2020-01-01T09:00"' in html
    assert hotseat_rows() == before


def test_an_unknown_member_expert_email_is_refused_and_keeps_what_was_typed(as_facilitator, world):
    w = world(OPEN)
    before = hotseat_rows()
    data = schedule_form(member_experts="sam@example.org, nobody@example.org", guest_experts="gita2@example.org")
    response = as_facilitator.post(reverse("hotseats:hotseat_create", args=[w.community.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not active members of this community: nobody@example.org." in html
    assert 'value="sam@example.org, nobody@example.org"' in html
    assert 'value="gita2@example.org"' in html
    assert 'value="Agile in government"' in html
    assert hotseat_rows() == before


def test_a_banned_members_email_does_not_make_them_an_expert(as_facilitator, world):
    w = world(OPEN)
    before = hotseat_rows()
    data = schedule_form(member_experts="bram@example.org")
    response = as_facilitator.post(reverse("hotseats:hotseat_create", args=[w.community.slug]), data)
    assert response.status_code == 200
    assert "Not active members of this community: bram@example.org." in response.content.decode()
    assert hotseat_rows() == before


# --- The summary ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_facilitators_write_the_summary_once_the_hot_seat_has_closed(client_as, world, state, persona):
    w = world(state)
    path = url("hotseat_summary", w)
    before = hotseat_rows()
    client = client_as(persona)

    form_page = client.get(path)
    response = client.post(path, {"summary": "Involve the **SRO** early."})

    if persona in MODERATORS and state == CLOSED:
        assert form_page.status_code == 200
        assert response.status_code == 302
        assert fresh(w.hotseat).summary == "Involve the **SRO** early."
        html = client_as("member").get(w.hotseat.get_absolute_url()).content.decode()
        assert "Involve the <strong>SRO</strong> early." in html
    else:
        assert_refused(form_page, persona, path)
        assert_refused(response, persona, path)
        assert hotseat_rows() == before


# --- Private communities -------------------------------------------------------------------------------------


@pytest.fixture
def private_seat(hotseat, expert):
    private = make_community(name="Commercial Circle", slug="commercial", visibility=Community.Visibility.PRIVATE)
    insider = make_membership(private, make_user(first_name="Ines")).user
    former = make_membership(private, make_user(first_name="Fred"), status=Membership.Status.BANNED).user
    seat = hotseat(community=private, title="Negotiating with suppliers", experts=[insider])
    asker = make_membership(private, make_user(first_name="Ana")).user
    question = services.question_ask(hotseat=seat, asker=asker, body="Which levers matter most?")
    return SimpleNamespace(community=private, hotseat=seat, question=question, banned=former)


@pytest.mark.parametrize("persona", ["outsider", "banned"])
def test_outsiders_and_banned_members_are_kept_out_of_a_private_hot_seat_and_its_actions(
    client_as, private_seat, persona
):
    w = private_seat
    client = login(w.banned) if persona == "banned" else client_as(persona)
    before = hotseat_rows()
    requests = [
        ("get", w.hotseat.get_absolute_url(), {}),
        ("get", reverse("hotseats:hotseat_list", args=[w.community.slug]), {}),
        ("post", url("question_ask", w), {"body": "Let me in"}),
        ("post", url("question_vote", w, w.question.pk), {}),
        ("post", url("answer_post", w, w.question.pk), {"body": "An answer"}),
        ("get", url("expert_desk", w), {}),
    ]
    for method, path, data in requests:
        response = getattr(client, method)(path, data)
        assert_kept_out(response, w.community)
        assert "Which levers matter most?" not in response.content.decode()
    assert hotseat_rows() == before


def test_anonymous_visitors_are_sent_to_log_in_for_a_private_hot_seat(client, private_seat):
    path = private_seat.hotseat.get_absolute_url()
    assert_sent_to_login(client.get(path), path)
