import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from communities import permissions
from communities.models import ActivityEvent, Community, Invitation, Membership

from ..factories import make_invitation, make_membership, make_user
from ..helpers import assert_sent_to_login, login, page_source

pytestmark = pytest.mark.django_db

Status = Membership.Status


def url(name: str, community: Community, *args) -> str:
    return reverse(f"communities:{name}", args=[community.slug, *args])


def accept_link(email) -> str:
    """The path of the accept link in the plain-text part of an invitation email."""
    [link] = re.findall(r"https?://\S+/invitations/\S+/", email.body)
    return urlsplit(link).path


def invite(client, community, email="invitee@example.org", message=""):
    return client.post(url("invitation_list", community), {"email": email, "message": message})


@pytest.fixture
def invitee(db):
    return make_user(first_name="Ines", email="invitee@example.org")


@pytest.fixture
def as_invitee(invitee):
    return login(invitee)


@pytest.fixture
def invitation(community, facilitator):
    return make_invitation(community, email="invitee@example.org", invited_by=facilitator)


# --- The happy path ------------------------------------------------------------------------------------------


def test_facilitator_invites_by_email_and_the_invitee_joins_through_the_emailed_link(
    community, facilitator, as_facilitator, invitee, as_invitee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_facilitator, community, "Invitee@Example.org", "We would love your risk expertise.")

    assert response.url == url("invitation_list", community)
    sent = Invitation.objects.get()
    assert (sent.community, sent.email, sent.invited_by) == (community, "invitee@example.org", facilitator)
    assert sent.expires_at > timezone.now() + timedelta(days=13)
    assert ActivityEvent.objects.filter(verb=ActivityEvent.Verb.INVITED, actor=facilitator).exists()
    assert "invitee@example.org" in page_source(as_facilitator.get(url("invitation_list", community)))

    [email] = mailoutbox
    assert isinstance(email, EmailMultiAlternatives)
    assert email.to == ["invitee@example.org"]
    assert email.subject == f"{facilitator.display_name} invited you to join PPM Community"
    assert "We would love your risk expertise." in email.body
    [(html_body, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "We would love your risk expertise." in html_body
    link = accept_link(email)
    assert link in html_body

    landing = as_invitee.get(link)
    assert landing.status_code == 200
    assert "Accept and join" in page_source(landing)
    joined = as_invitee.post(link, follow=True)

    assert "Welcome to PPM Community! You are now a member." in page_source(joined)
    membership = Membership.objects.get(user=invitee, community=community)
    assert (membership.status, membership.role) == (Status.ACTIVE, Membership.Role.MEMBER)
    assert membership.joined_at is not None  # starts the clock for the automatic welcome
    sent.refresh_from_db()
    assert sent.accepted_by == invitee and sent.accepted_at is not None
    assert ActivityEvent.objects.get(verb=ActivityEvent.Verb.JOINED).data == {"via": "invitation"}
    community_page = page_source(as_facilitator.get(community.get_absolute_url()))
    assert f"{invitee.display_name}</strong> joined the community" in community_page


@pytest.mark.parametrize("persona", ["owner", "staff"])
def test_owners_and_staff_may_invite_too(request, persona, community, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(login(request.getfixturevalue(persona)), community)

    assert Invitation.objects.get().email == "invitee@example.org"
    assert [m.to for m in mailoutbox] == [["invitee@example.org"]]


def test_invitation_works_for_an_invite_only_community(community, invitation, invitee, as_invitee):
    community.join_policy = Community.JoinPolicy.INVITE
    community.save()

    as_invitee.post(invitation.get_absolute_url())

    assert permissions.is_active_member(invitee, community)


# --- Misuse --------------------------------------------------------------------------------------------------


def test_expired_invitation_is_gone(community, invitation, invitee, as_invitee):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    shown = as_invitee.get(invitation.get_absolute_url())
    posted = as_invitee.post(invitation.get_absolute_url())

    assert (shown.status_code, posted.status_code) == (410, 410)
    assert "This invitation has expired." in page_source(posted)
    assert "Accept and join" not in page_source(shown)
    assert not Membership.objects.filter(user=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_used_invitation_cannot_be_used_again_by_a_second_account(community, invitation, as_invitee):
    as_invitee.post(invitation.get_absolute_url())
    second = make_user(email="second@example.org")

    response = login(second).post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation has already been used." in page_source(response)
    assert not Membership.objects.filter(user=second).exists()


def test_invitation_for_another_address_is_refused_and_says_why(community, invitation, outsider, as_outsider):
    shown = as_outsider.get(invitation.get_absolute_url())
    posted = as_outsider.post(invitation.get_absolute_url())

    assert (shown.status_code, posted.status_code) == (410, 410)
    assert (
        "This invitation was sent to invitee@example.org, but you are signed in as outsider@example.org."
        in page_source(shown)
    )
    assert not Membership.objects.filter(user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_withdrawn_invitation_no_longer_works(community, invitation, as_facilitator, invitee, as_invitee):
    response = as_facilitator.post(url("invitation_revoke", community, invitation.pk), follow=True)
    assert "The invitation to invitee@example.org was withdrawn." in page_source(response)
    assert "No invitations are waiting." in page_source(response)

    posted = as_invitee.post(invitation.get_absolute_url())

    assert posted.status_code == 410
    assert "This invitation was withdrawn." in page_source(posted)
    assert not Membership.objects.filter(user=invitee).exists()


def test_inviting_again_withdraws_the_earlier_link(
    community, as_facilitator, as_invitee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_facilitator, community)
        invite(as_facilitator, community)
    first_link, second_link = (accept_link(email) for email in mailoutbox)

    assert as_invitee.post(first_link).status_code == 410
    assert as_invitee.post(second_link).status_code == 302
    assert Invitation.objects.outstanding().count() == 0


def test_inviting_an_existing_member_is_refused_on_the_form(
    community, as_facilitator, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_facilitator, community, "Member@Example.org", "Come along")

    assert response.status_code == 200
    page = page_source(response)
    assert "member@example.org is already a member of PPM Community." in page
    assert 'value="Member@Example.org"' in page
    assert "Come along" in page
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_invalid_email_keeps_what_was_typed(community, as_facilitator):
    response = invite(as_facilitator, community, "invitee-at-example.org", "Join our risk circle")

    assert response.status_code == 200
    page = page_source(response)
    assert "Enter a valid email address." in page
    assert 'value="invitee-at-example.org"' in page
    assert "Join our risk circle" in page
    assert not Invitation.objects.exists()


def test_accepting_when_already_a_member_says_so(community, member, as_member):
    invitation = make_invitation(community, email="member@example.org")

    response = as_member.post(invitation.get_absolute_url(), follow=True)

    assert "You are already a member of PPM Community." in page_source(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_opening_the_link_again_after_joining_says_already_a_member(community, invitation, as_invitee):
    as_invitee.post(invitation.get_absolute_url())

    response = as_invitee.get(invitation.get_absolute_url(), follow=True)

    assert "You are already a member of PPM Community." in page_source(response)


def test_banned_person_cannot_join_through_an_invitation(community, invitation, invitee, as_invitee):
    make_membership(community, invitee, status=Status.BANNED)

    response = as_invitee.post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "You cannot join this community." in page_source(response)
    assert Membership.objects.get(user=invitee).status == Status.BANNED


def test_banned_member_cannot_rejoin_through_the_invitation_they_once_accepted(
    community, invitation, invitee, as_invitee, as_facilitator
):
    as_invitee.post(invitation.get_absolute_url())
    membership = Membership.objects.get(user=invitee, community=community)
    as_facilitator.post(url("member_manage", community, membership.pk), {"action": "ban", "reason": "Spam"})

    response = as_invitee.post(invitation.get_absolute_url())

    assert response.status_code == 410
    membership.refresh_from_db()
    assert membership.status == Status.BANNED


def test_member_who_left_cannot_reuse_the_single_use_link(community, invitation, invitee, as_invitee):
    as_invitee.post(invitation.get_absolute_url())
    as_invitee.post(url("leave", community))

    response = as_invitee.post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation has already been used." in page_source(response)
    assert Membership.objects.get(user=invitee).status == Status.LEFT


def test_archived_community_takes_no_invitations(community, invitation, as_facilitator, invitee, as_invitee):
    community.stage = Community.Stage.ARCHIVED
    community.save()

    assert "Archived communities do not take new members." in page_source(
        as_facilitator.get(url("invitation_list", community))
    )
    assert invite(as_facilitator, community, "someone@example.org").status_code == 403
    response = as_invitee.post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This community is archived" in page_source(response)
    assert not Membership.objects.filter(user=invitee).exists()
    assert not Invitation.objects.filter(email="someone@example.org").exists()


# --- Who may invite ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_invite(
    request, persona, community, mailoutbox, django_capture_on_commit_callbacks
):
    as_persona = request.getfixturevalue(f"as_{persona}")

    with django_capture_on_commit_callbacks(execute=True):
        listed = as_persona.get(url("invitation_list", community))
        posted = invite(as_persona, community)

    assert (listed.status_code, posted.status_code) == (403, 403)
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_withdraw_invitations(request, persona, community, invitation):
    response = request.getfixturevalue(f"as_{persona}").post(url("invitation_revoke", community, invitation.pk))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_anonymous_is_sent_to_log_in(client, community, invitation):
    assert_sent_to_login(client.get(url("invitation_list", community)))
    assert_sent_to_login(invite(client, community, "someone@example.org"))
    assert_sent_to_login(client.post(url("invitation_revoke", community, invitation.pk)))
    response = client.get(invitation.get_absolute_url())
    assert_sent_to_login(response)
    assert invitation.get_absolute_url() in response.url
    assert Invitation.objects.get() == invitation
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
