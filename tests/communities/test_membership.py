import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import User
from communities import permissions
from communities.models import ActivityEvent, Community, Membership, ModerationAction

from ..factories import make_membership, make_user
from ..helpers import assert_kept_out, assert_sent_to_login, login, page_source

pytestmark = pytest.mark.django_db

Role = Membership.Role
Status = Membership.Status
Verb = ActivityEvent.Verb


def url(name: str, community: Community, *args) -> str:
    return reverse(f"communities:{name}", args=[community.slug, *args])


def set_policy(community: Community, join_policy: str, **fields) -> None:
    community.join_policy = join_policy
    for name, value in fields.items():
        setattr(community, name, value)
    community.save()


def row(user, community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def fresh(user) -> User:
    """The user as the next request will load them, without the memberships cached on this object."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def pending(community):
    return make_membership(
        community,
        make_user(first_name="Rita", email="rita@example.org"),
        status=Status.PENDING,
        request_message="I run the PMO at a hospital trust.",
    )


# --- Open communities ----------------------------------------------------------------------------------------


def test_outsider_joins_an_open_community_at_once(community, outsider, as_outsider):
    set_policy(community, Community.JoinPolicy.OPEN)

    response = as_outsider.post(url("join", community), follow=True)

    assert "Welcome to PPM Community! You are now a member." in page_source(response)
    assert "You are a member here." in page_source(response)
    membership = row(outsider, community)
    assert (membership.status, membership.role) == (Status.ACTIVE, Role.MEMBER)
    assert membership.joined_at is not None
    event = ActivityEvent.objects.get(verb=Verb.JOINED)
    assert (event.community, event.actor, event.target) == (community, outsider, membership)


def test_anonymous_visitor_is_sent_to_log_in_instead_of_joining(client, community):
    set_policy(community, Community.JoinPolicy.OPEN)

    assert_sent_to_login(client.post(url("join", community)))
    assert not community.memberships.exists()


def test_member_who_left_an_open_community_can_join_again(community, member, as_member):
    set_policy(community, Community.JoinPolicy.OPEN)
    as_member.post(url("leave", community))

    as_member.post(url("join", community))

    assert row(member, community).status == Status.ACTIVE


# --- Approval communities ------------------------------------------------------------------------------------


def test_outsider_asks_to_join_with_a_message_and_waits_for_the_facilitators(community, outsider, as_outsider):
    form_page = as_outsider.get(url("join_request", community))
    assert "Why would you like to join?" in page_source(form_page)

    response = as_outsider.post(
        url("join_request", community), {"message": "I manage a portfolio of 40 projects."}, follow=True
    )

    assert "Your request is with the facilitators." in page_source(response)
    membership = row(outsider, community)
    assert membership.status == Status.PENDING
    assert membership.request_message == "I manage a portfolio of 40 projects."
    assert ActivityEvent.objects.filter(verb=Verb.REQUESTED, actor=outsider).exists()
    assert not permissions.can_view_directory(fresh(outsider), community)


def test_outsider_cannot_skip_the_queue_of_an_approval_community(community, outsider, as_outsider):
    response = as_outsider.post(url("join", community), follow=True)

    assert "You cannot join this community." in page_source(response)
    assert not Membership.objects.filter(user=outsider).exists()


def test_pending_requester_cannot_ask_twice(community, pending):
    as_requester = login(pending.user)

    response = as_requester.post(url("join_request", community), {"message": "Again!"}, follow=True)

    assert "You cannot ask to join this community right now." in page_source(response)
    pending.refresh_from_db()
    assert pending.request_message == "I run the PMO at a hospital trust."


def test_too_long_join_request_keeps_the_typed_message(community, outsider, as_outsider):
    message = "I coordinate change programmes across three regions. " * 40  # over 2,000 characters

    response = as_outsider.post(url("join_request", community), {"message": message})

    assert response.status_code == 200
    page = page_source(response)
    assert message in page
    assert "Ensure this value has at most 2000 characters" in page
    assert not Membership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("persona", ["facilitator", "owner", "staff"])
def test_managers_approve_requests_and_the_requester_is_emailed(
    request, persona, community, pending, mailoutbox, django_capture_on_commit_callbacks
):
    manager = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager).post(
            url("request_approve", community, pending.pk), {"note": "Glad to have you, see the intro thread."}
        )

    assert response.url == url("requests_queue", community)
    pending.refresh_from_db()
    assert (pending.status, pending.role) == (Status.ACTIVE, Role.MEMBER)
    assert (pending.decided_by, pending.decision_note) == (manager, "Glad to have you, see the intro thread.")
    assert ActivityEvent.objects.filter(verb=Verb.APPROVED, actor=manager, community=community).exists()
    assert permissions.can_view_directory(fresh(pending.user), community)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert isinstance(email, EmailMultiAlternatives)
    assert email.to == ["rita@example.org"]
    assert email.subject == "Your request to join PPM Community was approved"
    assert "was approved. You are now a member." in email.body
    assert "Glad to have you, see the intro thread." in email.body
    [(html_body, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Glad to have you, see the intro thread." in html_body
    assert "<strong>PPM Community</strong>" in html_body


def test_facilitator_declines_a_request_and_the_note_reaches_the_requester(
    community, facilitator, as_facilitator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_facilitator.post(
            url("request_decline", community, pending.pk),
            {"note": "This group is for practitioners in the public sector."},
            follow=True,
        )

    assert "Rita" in page_source(response) and "request was declined; they have been emailed." in page_source(response)
    pending.refresh_from_db()
    assert pending.status == Status.DECLINED
    assert pending.decided_by == facilitator
    assert not permissions.is_active_member(fresh(pending.user), community)

    [email] = mailoutbox
    assert email.to == ["rita@example.org"]
    assert email.subject == "Your request to join PPM Community"
    assert "were not able to accept your request" in email.body
    assert "This group is for practitioners in the public sector." in email.body
    [(html_body, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "This group is for practitioners in the public sector." in html_body


def test_decline_without_a_note_sends_no_empty_note_section(
    community, as_facilitator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_facilitator.post(url("request_decline", community, pending.pk), {"note": ""})

    [email] = mailoutbox
    assert "Their note" not in email.body
    assert "Their note" not in email.alternatives[0][0]


def test_declined_requester_may_ask_again(community, pending, as_facilitator):
    as_facilitator.post(url("request_decline", community, pending.pk))

    login(pending.user).post(url("join_request", community), {"message": "I now work in the public sector."})

    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert pending.request_message == "I now work in the public sector."
    assert pending.decision_note == "" and pending.decided_by is None


def test_a_decided_request_cannot_be_decided_again(
    community, as_facilitator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_facilitator.post(url("request_approve", community, pending.pk))
        response = as_facilitator.post(url("request_decline", community, pending.pk), follow=True)

    assert "That request has already been decided." in page_source(response)
    pending.refresh_from_db()
    assert pending.status == Status.ACTIVE
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("persona", ["member", "outsider"])
@pytest.mark.parametrize("decision", ["request_approve", "request_decline"])
def test_members_and_outsiders_cannot_decide_requests(
    request, persona, decision, community, pending, mailoutbox, django_capture_on_commit_callbacks
):
    as_persona = request.getfixturevalue(f"as_{persona}")
    assert as_persona.get(url("requests_queue", community)).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = as_persona.post(url(decision, community, pending.pk), {"note": "sneaky"})

    assert response.status_code == 403
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.decision_note) == (Status.PENDING, None, "")
    assert mailoutbox == []


@pytest.mark.parametrize("decision", ["request_approve", "request_decline"])
def test_anonymous_is_sent_to_log_in_instead_of_deciding_requests(client, decision, community, pending):
    assert_sent_to_login(client.get(url("requests_queue", community)))
    assert_sent_to_login(client.post(url(decision, community, pending.pk)))
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


# --- Invite-only and archived communities --------------------------------------------------------------------


def test_invite_only_community_refuses_joining_and_asking(community, outsider, as_outsider):
    set_policy(community, Community.JoinPolicy.INVITE)

    joined = as_outsider.post(url("join", community), follow=True)
    asked_page = as_outsider.get(url("join_request", community), follow=True)
    asked = as_outsider.post(url("join_request", community), {"message": "Please?"}, follow=True)

    assert "You cannot join this community." in page_source(joined)
    assert "You cannot ask to join this community right now." in page_source(asked_page)
    assert "You cannot ask to join this community right now." in page_source(asked)
    assert "Membership is by invitation" in page_source(asked)
    assert not Membership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("policy", [Community.JoinPolicy.OPEN, Community.JoinPolicy.APPROVAL])
def test_archived_community_takes_no_new_members(policy, community, outsider, as_outsider):
    set_policy(community, policy, stage=Community.Stage.ARCHIVED)

    joined = as_outsider.post(url("join", community), follow=True)
    as_outsider.post(url("join_request", community), {"message": "Let me in"})

    assert "You cannot join this community." in page_source(joined)
    assert not Membership.objects.filter(user=outsider).exists()


# --- Banning -------------------------------------------------------------------------------------------------


def ban(client, membership: Membership, reason: str = "Spam in three threads."):
    return client.post(url("member_manage", membership.community, membership.pk), {"action": "ban", "reason": reason})


def test_facilitator_bans_a_member_who_loses_access(community, facilitator, as_facilitator, member, as_member):
    set_policy(community, Community.JoinPolicy.APPROVAL, visibility=Community.Visibility.PRIVATE)
    assert as_member.get(url("member_directory", community)).status_code == 200

    response = ban(as_facilitator, row(member, community), reason="Spam in three threads.")

    assert response.status_code == 302
    membership = row(member, community)
    assert (membership.status, membership.decision_note, membership.decided_by) == (
        Status.BANNED,
        "Spam in three threads.",
        facilitator,
    )
    event = ActivityEvent.objects.get(verb=Verb.BANNED)
    assert (event.actor, event.data) == (facilitator, {"reason": "Spam in three threads."})
    assert not permissions.can_view_community(fresh(member), community)
    assert_kept_out(as_member.get(url("member_directory", community)), community)
    landing = page_source(as_member.get(community.get_absolute_url()))
    assert "You cannot take part in this community." in landing
    assert "Recent activity" not in landing


@pytest.mark.parametrize("page", ["member page", "moderation queue"])
def test_a_ban_writes_exactly_one_moderation_log_entry_whichever_page_it_came_from(
    community, facilitator, as_facilitator, member, page
):
    membership = row(member, community)
    if page == "member page":
        response = ban(as_facilitator, membership, reason="Spam in three threads.")
    else:
        sanction = reverse("forums:member_sanction", args=[community.slug, member.pk])
        response = as_facilitator.post(sanction, {"action": "ban", "reason": "Spam in three threads."})

    assert response.status_code == 302
    [entry] = ModerationAction.objects.all()
    assert (entry.action, entry.moderator, entry.target_user, entry.reason) == (
        ModerationAction.Action.BAN,
        facilitator,
        member,
        "Spam in three threads.",
    )
    assert row(member, community).status == Status.BANNED


def test_banned_member_cannot_rejoin_an_open_community(community, as_facilitator, member, as_member):
    set_policy(community, Community.JoinPolicy.OPEN)
    ban(as_facilitator, row(member, community))

    response = as_member.post(url("join", community), follow=True)

    assert "You cannot join this community." in page_source(response)
    assert row(member, community).status == Status.BANNED


def test_banned_member_cannot_ask_to_join_again(community, as_facilitator, member, as_member):
    ban(as_facilitator, row(member, community))

    as_member.post(url("join_request", community), {"message": "Sorry!"})

    assert row(member, community).status == Status.BANNED


def test_owner_bans_a_facilitator(community, as_owner, facilitator):
    ban(as_owner, row(facilitator, community))

    membership = row(facilitator, community)
    assert (membership.status, membership.role) == (Status.BANNED, Role.MEMBER)
    assert not permissions.can_manage_members(fresh(facilitator), community)


def test_facilitator_cannot_ban_another_facilitator(community, as_facilitator):
    colleague = make_membership(community, role=Role.FACILITATOR)

    response = ban(as_facilitator, colleague)

    assert "You cannot ban this member." in page_source(response)
    colleague.refresh_from_db()
    assert (colleague.status, colleague.role) == (Status.ACTIVE, Role.FACILITATOR)


@pytest.mark.parametrize("persona", ["facilitator", "staff"])
def test_nobody_can_ban_an_owner(request, persona, community, owner):
    response = ban(login(request.getfixturevalue(persona)), row(owner, community))

    assert "You cannot ban this member." in page_source(response)
    assert row(owner, community).status == Status.ACTIVE


@pytest.mark.parametrize("persona", ["facilitator", "owner"])
def test_nobody_can_ban_themselves(request, persona, community):
    user = request.getfixturevalue(persona)

    response = ban(login(user), row(user, community))

    assert "You cannot ban this member." in page_source(response)
    assert row(user, community).status == Status.ACTIVE


def test_too_long_ban_reason_keeps_the_typed_reason(community, as_facilitator, member):
    reason = "Repeatedly posted advertising for a training company. " * 40  # over 2,000 characters

    response = ban(as_facilitator, row(member, community), reason=reason)

    assert response.status_code == 200
    page = page_source(response)
    assert reason in page
    assert "Ensure this value has at most 2000 characters" in page
    assert row(member, community).status == Status.ACTIVE


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_ban(request, persona, community, facilitator):
    target = make_membership(community)
    as_persona = request.getfixturevalue(f"as_{persona}")

    assert as_persona.get(url("member_manage", community, target.pk)).status_code == 403
    assert ban(as_persona, target).status_code == 403
    target.refresh_from_db()
    assert target.status == Status.ACTIVE


def test_anonymous_is_sent_to_log_in_instead_of_banning(client, community, member):
    target = row(member, community)

    assert_sent_to_login(ban(client, target))
    assert row(member, community).status == Status.ACTIVE


def unban(client, membership: Membership):
    return client.post(url("member_manage", membership.community, membership.pk), {"action": "unban"}, follow=True)


def test_facilitator_lifts_a_ban_and_the_person_may_join_again(community, facilitator, as_facilitator):
    set_policy(community, Community.JoinPolicy.OPEN)
    banned = make_membership(community, status=Status.BANNED, decision_note="Spam")

    response = unban(as_facilitator, banned)

    assert "The ban is lifted. They may join again." in page_source(response)
    banned.refresh_from_db()
    assert (banned.status, banned.decided_by) == (Status.LEFT, facilitator)
    assert ActivityEvent.objects.filter(verb=Verb.UNBANNED, actor=facilitator).exists()
    login(banned.user).post(url("join", community))
    banned.refresh_from_db()
    assert banned.status == Status.ACTIVE


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_lift_a_ban(request, persona, community, facilitator):
    banned = make_membership(community, status=Status.BANNED)

    response = unban(request.getfixturevalue(f"as_{persona}"), banned)

    assert response.status_code == 403
    banned.refresh_from_db()
    assert banned.status == Status.BANNED


def test_anonymous_is_sent_to_log_in_instead_of_lifting_a_ban(client, community):
    banned = make_membership(community, status=Status.BANNED)

    assert_sent_to_login(client.post(url("member_manage", community, banned.pk), {"action": "unban"}))
    banned.refresh_from_db()
    assert banned.status == Status.BANNED


# --- Roles ---------------------------------------------------------------------------------------------------


def change_role(client, membership: Membership, role: str):
    return client.post(url("member_manage", membership.community, membership.pk), {"action": "role", "role": role})


def test_owner_promotes_a_member_to_facilitator(community, owner, as_owner, member, as_member):
    assert as_member.get(url("requests_queue", community)).status_code == 403

    response = change_role(as_owner, row(member, community), Role.FACILITATOR)

    assert response.status_code == 302
    assert row(member, community).role == Role.FACILITATOR
    event = ActivityEvent.objects.get(verb=Verb.ROLE_CHANGED)
    assert (event.actor, event.data) == (owner, {"old_role": "member", "new_role": "facilitator"})
    assert as_member.get(url("requests_queue", community)).status_code == 200


def test_staff_changes_roles(community, as_staff, facilitator):
    change_role(as_staff, row(facilitator, community), Role.MEMBER)

    assert row(facilitator, community).role == Role.MEMBER


def test_facilitator_cannot_change_roles(community, facilitator, as_facilitator, member):
    response = change_role(as_facilitator, row(member, community), Role.FACILITATOR)
    promote_self = change_role(as_facilitator, row(facilitator, community), Role.OWNER)

    assert "You cannot change this member's role." in page_source(response)
    assert "You cannot change this member's role." in page_source(promote_self)
    assert row(member, community).role == Role.MEMBER
    assert row(facilitator, community).role == Role.FACILITATOR
    assert not ActivityEvent.objects.filter(verb=Verb.ROLE_CHANGED).exists()


def test_owner_cannot_change_their_own_role(community, owner, as_owner):
    response = change_role(as_owner, row(owner, community), Role.MEMBER)

    assert "You cannot change this member's role." in page_source(response)
    assert row(owner, community).role == Role.OWNER


def test_the_only_owner_cannot_be_demoted(community, owner, as_staff):
    response = change_role(as_staff, row(owner, community), Role.FACILITATOR)

    assert "A community needs at least one owner." in page_source(response)
    assert row(owner, community).role == Role.OWNER


def test_one_of_two_owners_may_demote_the_other(community, owner, as_owner):
    co_owner = make_membership(community, role=Role.OWNER)

    change_role(as_owner, co_owner, Role.FACILITATOR)

    co_owner.refresh_from_db()
    assert co_owner.role == Role.FACILITATOR
    assert community.memberships.active().filter(role=Role.OWNER).get().user == owner


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_change_roles(request, persona, community, member):
    target = make_membership(community)

    response = change_role(request.getfixturevalue(f"as_{persona}"), target, Role.OWNER)

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.MEMBER


def test_anonymous_is_sent_to_log_in_instead_of_changing_roles(client, community, member):
    assert_sent_to_login(change_role(client, row(member, community), Role.OWNER))
    assert row(member, community).role == Role.MEMBER


# --- Leaving -------------------------------------------------------------------------------------------------


def test_member_leaves_and_loses_access_to_a_private_community(community, member, as_member):
    set_policy(community, Community.JoinPolicy.APPROVAL, visibility=Community.Visibility.PRIVATE)

    response = as_member.post(url("leave", community), follow=True)

    assert "You have left PPM Community." in page_source(response)
    assert row(member, community).status == Status.LEFT
    assert ActivityEvent.objects.filter(verb=Verb.LEFT, actor=member).exists()
    assert not permissions.can_view_community(fresh(member), community)
    assert_kept_out(as_member.get(url("member_directory", community)), community)


def test_facilitator_who_leaves_gives_up_the_role(community, facilitator, as_facilitator):
    as_facilitator.post(url("leave", community))

    membership = row(facilitator, community)
    assert (membership.status, membership.role) == (Status.LEFT, Role.MEMBER)
    assert as_facilitator.get(url("requests_queue", community)).status_code == 403


def test_the_only_owner_cannot_leave(community, owner, as_owner):
    response = as_owner.post(url("leave", community), follow=True)

    assert "Owners hand over ownership before leaving." in page_source(response)
    membership = row(owner, community)
    assert (membership.status, membership.role) == (Status.ACTIVE, Role.OWNER)


def test_outsider_cannot_leave_a_community_they_are_not_in(community, outsider, as_outsider):
    as_outsider.post(url("leave", community))

    assert not Membership.objects.filter(user=outsider).exists()


def test_anonymous_is_sent_to_log_in_instead_of_leaving(client, community):
    assert_sent_to_login(client.post(url("leave", community)))
