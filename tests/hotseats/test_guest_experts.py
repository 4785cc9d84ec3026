"""Guest experts: invited by email, accepted with that address only, and given this one hot seat of a private
community while it runs, and nothing else."""

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from forums import services as forum_services
from forums.models import Category, Thread
from hotseats import services
from hotseats.models import Answer, Expert, Question, Vote

from ..factories import make_community, make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, login, text_of
from .conftest import hotseat_rows, seat_guest

pytestmark = pytest.mark.django_db

SECRET = "Larkspur4471"  # written only where a guest expert must not read it


def accept_path(mail) -> str:
    """The accept link of an invitation, as a path the test client can follow."""
    match = re.search(r"https?://\S+/experts/[\w-]+/", mail.body)
    assert match, mail.body
    return urlsplit(match.group()).path


@pytest.fixture
def invitation(as_facilitator, community, expert, mailoutbox, django_capture_on_commit_callbacks):
    """A facilitator schedules a hot seat through the page with Sam as member expert and Gita as guest."""
    opens = timezone.localtime() + timedelta(days=2)
    data = {
        "title": "Commercial models with Gita",
        "topic": "Outcome-based contracts.",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M"),
        "early_questions": "on",
        "member_experts": expert.email,
        "guest_experts": "Gita@Example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = as_facilitator.post(reverse("hotseats:hotseat_create", args=[community.slug]), data)
    assert response.status_code == 302
    return Expert.objects.get(is_guest=True)


def test_a_guest_invited_by_email_gets_a_multipart_invitation_with_the_accept_link(invitation, mailoutbox):
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["gita@example.org"]
    assert mail.subject == "You are invited to be the expert in “Commercial models with Gita”"
    assert "Priya" in mail.body and "PPM Community" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    path = reverse("hotseat_expert_accept", args=[invitation.token])
    assert accept_path(mail) == path
    assert f'{path}"' in html
    assert "Sign in, or create an account, with this email address first." in html


def test_no_invitation_goes_out_when_the_schedule_is_refused(
    as_facilitator, community, mailoutbox, django_capture_on_commit_callbacks
):
    data = {"title": "Nope", "topic": "x", "opens_at": "2030-01-02T09:00", "closes_at": "2030-01-01T09:00"}
    data["guest_experts"] = "gita@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_facilitator.post(reverse("hotseats:hotseat_create", args=[community.slug]), data)
    assert response.status_code == 200
    assert mailoutbox == []
    assert not Expert.objects.exists()


def test_the_guest_accepts_by_signing_in_with_the_invited_address(invitation, guest, mailoutbox):
    path = accept_path(mailoutbox[0])
    gita = login(guest)
    page = gita.get(path)
    assert page.status_code == 200
    assert "Commercial models with Gita" in text_of(page)
    response = gita.post(path)
    assert response.status_code == 302
    assert response.url == invitation.hotseat.get_absolute_url()
    invitation.refresh_from_db()
    assert invitation.user == guest
    assert invitation.accepted_at is not None
    assert "Guest" in text_of(gita.get(invitation.hotseat.get_absolute_url()))


def test_anonymous_visitors_following_the_link_are_sent_to_sign_in_first(client, invitation, mailoutbox):
    path = accept_path(mailoutbox[0])
    assert_sent_to_login(client.get(path), path)
    assert_sent_to_login(client.post(path), path)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_another_account_cannot_accept_the_invitation(invitation, as_outsider, mailoutbox):
    path = accept_path(mailoutbox[0])
    before = hotseat_rows()
    page = as_outsider.get(path)
    assert page.status_code == 410
    assert "This invitation was sent to gita@example.org; sign in with that address to accept it." in text_of(page)
    assert "Accept</button>" not in page.content.decode()
    response = as_outsider.post(path)
    assert response.status_code == 410
    assert hotseat_rows() == before


def test_an_accepted_invitation_cannot_be_used_again_by_anyone_else(invitation, guest, mailoutbox):
    path = accept_path(mailoutbox[0])
    login(guest).post(path)
    impostor = login(make_user(email="gita.other@example.org"))
    before = hotseat_rows()
    for response in (impostor.get(path), impostor.post(path)):
        assert response.status_code == 410
        assert "This expert invitation has already been used." in text_of(response)
    assert hotseat_rows() == before
    invitation.refresh_from_db()
    assert invitation.user == guest


def test_an_invitation_cannot_be_accepted_after_the_hot_seat_closed(invitation, guest, mailoutbox):
    path = accept_path(mailoutbox[0])
    with time_machine.travel(invitation.hotseat.closes_at + timedelta(minutes=1), tick=False):
        response = login(guest).post(path)
    assert response.status_code == 410
    assert "This hot seat has closed." in text_of(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# --- A guest expert in a private community -------------------------------------------------------------------


@pytest.fixture
def private(hotseat, guest):
    """A private community with a forum thread, a member directory, two hot seats, and Gita as guest expert in one."""
    community = make_community(name="Commercial Circle", slug="commercial", visibility=Community.Visibility.PRIVATE)
    insider = make_membership(community, make_user(first_name="Quentin", last_name=SECRET)).user
    asker = make_membership(community, make_user(first_name="Ana")).user
    category = Category.objects.create(community=community, name="Questions", slug="questions")
    forum_services.thread_create(
        category=category, author=insider, kind=Thread.Kind.DISCUSSION, title=f"Thread {SECRET}", body="Private."
    )
    seat = hotseat(community=community, title="Outcome-based contracts", guest_emails=[guest.email])
    seat_guest(seat, guest)
    elsewhere = hotseat(community=community, title=f"Insiders only {SECRET}", experts=[insider])
    question = services.question_ask(hotseat=seat, asker=asker, body="Do outcome payments survive audit?")
    return SimpleNamespace(community=community, hotseat=seat, elsewhere=elsewhere, question=question, asker=asker)


def hs_url(name: str, w, *args) -> str:
    return reverse(f"hotseats:{name}", args=[w.community.slug, w.hotseat.pk, *args])


def test_the_guest_expert_sees_their_private_hot_seat_and_answers_while_it_is_open(private, guest):
    gita = login(guest)
    assert not Membership.objects.filter(user=guest).exists()
    page = gita.get(private.hotseat.get_absolute_url())
    assert page.status_code == 200
    assert "Do outcome payments survive audit?" in text_of(page)
    assert "Answer this question" in text_of(page)

    response = gita.post(
        hs_url("answer_post", private, private.question.pk), {"body": "Yes, with **clear** metrics.", "next": "page"}
    )

    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.question, answer.expert) == (private.question, guest)
    assert "Yes, with clear metrics." in text_of(gita.get(private.hotseat.get_absolute_url()))
    assert gita.get(hs_url("expert_desk", private)).status_code == 200


def test_the_guest_expert_gets_nothing_else_of_the_private_community(private, guest):
    gita = login(guest)
    slug = private.community.slug
    for path in (
        reverse("forums:latest", args=[slug]),
        private.elsewhere.get_absolute_url(),
        reverse("hotseats:hotseat_list", args=[slug]),
    ):
        response = gita.get(path)
        assert_kept_out(response, private.community)
        assert SECRET not in gita.get(response.url).content.decode(), path
    # The directory of a private community keeps non-members out, as for any outsider.
    directory = gita.get(reverse("communities:member_directory", args=[slug]))
    assert_kept_out(directory, private.community)
    # Nor does the hot seat page itself leak the rest of the community.
    assert SECRET not in gita.get(private.hotseat.get_absolute_url()).content.decode()


def test_the_guest_expert_can_neither_ask_nor_vote(private, guest):
    gita = login(guest)
    before = hotseat_rows()
    ask = gita.post(hs_url("question_ask", private), {"body": "A question of my own?"})
    vote = gita.post(hs_url("question_vote", private, private.question.pk))
    assert (ask.status_code, vote.status_code) == (403, 403)
    assert hotseat_rows() == before
    page = gita.get(private.hotseat.get_absolute_url()).content.decode()
    assert hs_url("question_ask", private) not in page
    assert hs_url("question_vote", private, private.question.pk) not in page
    assert not Question.objects.filter(asker=guest).exists() and not Vote.objects.exists()


def test_the_guest_expert_loses_the_private_hot_seat_once_it_closes(private, guest):
    gita = login(guest)
    before = hotseat_rows()
    with time_machine.travel(private.hotseat.closes_at + timedelta(minutes=1), tick=False):
        page = gita.get(private.hotseat.get_absolute_url())
        answer = gita.post(hs_url("answer_post", private, private.question.pk), {"body": "Too late?"})
        desk = gita.get(hs_url("expert_desk", private))
        members_page = login(private.asker).get(private.hotseat.get_absolute_url())
    for response in (page, answer, desk):
        assert_kept_out(response, private.community)
    assert "Do outcome payments survive audit?" not in page.content.decode()
    assert hotseat_rows() == before
    assert members_page.status_code == 200  # members keep the transcript


def test_a_guest_who_has_not_accepted_sees_nothing_of_the_private_hot_seat(hotseat, mailoutbox):
    community = make_community(slug="quiet-circle", visibility=Community.Visibility.PRIVATE)
    seat = hotseat(community=community, guest_emails=["hal@example.org"])
    hal = login(make_user(email="hal@example.org"))
    response = hal.get(seat.get_absolute_url())
    assert_kept_out(response, community)
    assert seat.title not in text_of(hal.get(response.url))
