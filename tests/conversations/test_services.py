"""The rules of messaging, through the services and the alert machinery: who can be reached, the new-account
limit, blocks, leaving a community, reports reaching only that community's facilitators, email per preference."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from conversations import services
from conversations.models import Conversation, Message, MessageReport
from newsletters.models import Alert, Subscription

from ..factories import make_community, make_membership, make_user
from ..helpers import login, text_of

pytestmark = pytest.mark.django_db

Refused = services.ConversationRefused


def _age(user, days: int):
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    user.refresh_from_db()


def test_start_conversation_is_the_api_other_apps_call(member, other, community):
    conversation = services.start_conversation(
        sender=member, recipients=[other], community=community, body="Hi", subject="A question"
    )
    assert set(conversation.participants.values_list("user_id", flat=True)) == {member.pk, other.pk}
    assert conversation.message_count == 1
    assert conversation.community == community


@pytest.mark.parametrize("persona", ["outsider", "banned", "departed", "elsewhere"])
def test_only_active_members_of_the_community_can_be_messaged(persona, request, member, community):
    target = request.getfixturevalue(persona)
    with pytest.raises(Refused):
        services.start_conversation(sender=member, recipients=[target], community=community, body="Hi")
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "banned", "departed"])
def test_only_active_members_can_start_through_a_community(persona, request, member, community):
    sender = request.getfixturevalue(persona)
    with pytest.raises(Refused):
        services.start_conversation(sender=sender, recipients=[member], community=community, body="Hi")
    assert not Conversation.objects.exists()


def test_a_member_who_left_can_no_longer_start_conversations_through_it(member, other, community):
    services.start_conversation(sender=member, recipients=[other], community=community, body="Before")
    Membership.objects.filter(user=member, community=community).update(status=Membership.Status.LEFT)
    member = type(member).objects.get(pk=member.pk)  # a fresh request: memberships are read again
    with pytest.raises(Refused):
        services.start_conversation(sender=member, recipients=[other], community=community, body="After")
    assert Conversation.objects.count() == 1
    # Through the page too: the profile offers no "Send a message", and posting the form is refused.
    client = login(member)
    assert "Send a message" not in text_of(client.get(other.get_absolute_url()))
    response = client.post(
        f"{reverse('conversations:compose')}?to={other.pk}",
        {"community": community.pk, "recipients": [other.pk], "body": "After"},
    )
    assert response.status_code == 403
    assert Conversation.objects.count() == 1


def test_archived_communities_take_no_new_conversations(member, other, community):
    Community.objects.filter(pk=community.pk).update(stage=Community.Stage.ARCHIVED)
    community.refresh_from_db()
    with pytest.raises(Refused):
        services.start_conversation(sender=member, recipients=[other], community=community, body="Hi")


def test_a_blocked_member_cannot_message_and_is_not_told(
    member, other, community, chat, django_capture_on_commit_callbacks
):
    services.member_block(blocker=other, blocked=member)
    member = type(member).objects.get(pk=member.pk)
    with pytest.raises(Refused) as refusal:
        services.start_conversation(sender=member, recipients=[other], community=community, body="Again")
    # The refusal reads like any other: nothing says "blocked".
    assert "block" not in str(refusal.value).lower()
    client = login(member)
    # The profile still offers the button (a missing one would tell); the form refuses like for anyone unreachable.
    assert "Send a message" in text_of(client.get(other.get_absolute_url()))
    refused = client.get(f"{reverse('conversations:compose')}?to={other.pk}")
    assert refused.status_code == 403
    assert "block" not in text_of(refused).lower()
    # In the conversation they share, their new messages neither show nor alert the member who blocked them.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(conversation=chat, author=member, body="Are you ignoring me?")
    assert not mail.outbox
    assert not Alert.objects.filter(user=other, excerpt__contains="ignoring").exists()
    page = text_of(login(other).get(chat.get_absolute_url()))
    assert "Are you ignoring me?" not in page
    assert "Are you ignoring me?" in text_of(client.get(chat.get_absolute_url()))


def test_unblocking_lets_them_write_again(member, other, community):
    services.member_block(blocker=other, blocked=member)
    services.member_unblock(blocker=other, blocked=member)
    member = type(member).objects.get(pk=member.pk)
    services.start_conversation(sender=member, recipients=[other], community=community, body="Hello again")


def test_new_accounts_may_message_only_a_few_people_a_day(settings, member, community):
    settings.CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS = 3
    people = [make_membership(community).user for _ in range(4)]
    services.start_conversation(sender=member, recipients=people[:2], community=community, body="Hi both")
    services.start_conversation(sender=member, recipients=people[:1], community=community, body="Again, you")
    services.start_conversation(sender=member, recipients=people[2:3], community=community, body="Hi three")
    with pytest.raises(Refused) as refusal:
        services.start_conversation(sender=member, recipients=people[3:], community=community, body="Hi four")
    assert "3 people a day" in str(refusal.value)
    assert Conversation.objects.count() == 3
    # Replies are not limited, and neither are older accounts or facilitators.
    services.message_post(conversation=Conversation.objects.first(), author=member, body="A reply is fine")
    _age(member, 30)
    services.start_conversation(sender=member, recipients=people[3:], community=community, body="Hi four")


def test_facilitators_are_not_limited(settings, facilitator, community):
    settings.CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS = 1
    people = [make_membership(community).user for _ in range(3)]
    for person in people:
        services.start_conversation(sender=facilitator, recipients=[person], community=community, body="Welcome!")
    assert Conversation.objects.count() == 3


def test_the_limit_shows_on_the_form_and_keeps_what_was_typed(settings, member, community):
    settings.CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS = 1
    first, second = make_membership(community).user, make_membership(community).user
    services.start_conversation(sender=member, recipients=[first], community=community, body="Hi")
    response = login(member).post(
        f"{reverse('conversations:compose')}?to={second.pk}",
        {"community": community.pk, "recipients": [second.pk], "body": "My carefully typed words"},
    )
    assert response.status_code == 400
    assert "1 people a day" in text_of(response)
    assert "My carefully typed words" in response.content.decode()


def test_too_many_participants_are_refused(facilitator, community):
    people = [make_membership(community).user for _ in range(6)]
    with pytest.raises(Refused):
        services.start_conversation(sender=facilitator, recipients=people, community=community, body="All of you")


def test_messages_are_emailed_at_once_by_default_through_the_alerts(
    member, other, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.start_conversation(sender=member, recipients=[other], community=community, body="**Hello**")
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert "sent you a message" in mail.outbox[0].subject
    assert Alert.objects.filter(user=other, alert_type="messages").count() == 1
    assert not Alert.objects.filter(user=member).exists()


def test_a_member_who_chose_off_gets_no_email(member, other, community, django_capture_on_commit_callbacks):
    Subscription.objects.create(user=other, community=community, alerts={"messages": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        services.start_conversation(sender=member, recipients=[other], community=community, body="Hello")
    assert not mail.outbox


def test_daily_means_the_digest(member, other, community, django_capture_on_commit_callbacks):
    from newsletters.alerts import send_daily_digests

    Subscription.objects.create(user=other, community=community, alerts={"messages": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        services.start_conversation(sender=member, recipients=[other], community=community, body="Hello")
    assert not mail.outbox
    assert send_daily_digests() == 1
    assert "sent you a message" in mail.outbox[0].body


def test_a_participant_who_left_before_the_digest_gets_no_line(member, other, community, chat):
    from newsletters.alerts import send_daily_digests

    Subscription.objects.create(user=other, community=community, alerts={"messages": "daily"})
    services.message_post(conversation=chat, author=member, body="Another thought")
    services.conversation_leave(conversation=chat, user=other)
    mail.outbox.clear()
    send_daily_digests()
    assert not any("Another thought" in m.body for m in mail.outbox)


def test_reports_reach_only_that_communitys_facilitators(
    member, other, facilitator, owner, community, chat, django_capture_on_commit_callbacks
):
    another = make_community(name="Another")
    make_membership(another, facilitator, role=Membership.Role.MEMBER)
    stranger = make_membership(another, role=Membership.Role.FACILITATOR).user
    Subscription.objects.create(user=facilitator, community=community, alerts={"moderation": "immediate"})
    message = chat.messages.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.message_report(message=message, reporter=other, note="Feels like spam")
    assert report.community == community
    alerted = set(Alert.objects.filter(alert_type="moderation").values_list("user_id", flat=True))
    assert alerted == {facilitator.pk, owner.pk}
    assert stranger.pk not in alerted and member.pk not in alerted
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    # The email names the report, not the conversation.
    assert chat.get_absolute_url() not in mail.outbox[0].body
    # Reporting twice changes nothing; you cannot report your own message.
    assert services.message_report(message=message, reporter=other) == report
    with pytest.raises(Refused):
        services.message_report(message=message, reporter=member)
    assert MessageReport.objects.count() == 1


def test_facilitators_see_only_the_reported_message(as_facilitator, member, other, community, chat):
    services.message_post(conversation=chat, author=other, body="A private reply that was not reported")
    services.message_report(message=chat.messages.earliest("pk"), reporter=other)
    page = text_of(as_facilitator.get(reverse("conversations:report_list", args=[community.slug])))
    assert "Hello there, could we talk about the risk register?" in page
    assert "A private reply that was not reported" not in page
    assert as_facilitator.get(chat.get_absolute_url()).status_code == 404
    report = MessageReport.objects.get()
    as_facilitator.post(reverse("conversations:report_close", args=[community.slug, report.pk]))
    report.refresh_from_db()
    assert report.status == MessageReport.Status.CLOSED
    community.refresh_from_db()
    assert community.waiting.get("message_reports") == 0


def test_a_report_counts_on_the_facilitators_tab(member, other, community, chat, as_facilitator):
    services.message_report(message=chat.messages.get(), reporter=other)
    community.refresh_from_db()
    assert community.waiting["message_reports"] == 1
    assert "Reported messages 1" in text_of(as_facilitator.get(community.get_absolute_url()))


def test_reporting_through_the_page(other, chat):
    client = login(other)
    message = chat.messages.get()
    url = reverse("conversations:message_report", args=[chat.pk, message.pk])
    assert "only this message" in text_of(client.get(url))
    response = client.post(url, {"note": "Not OK"})
    assert response.status_code == 302
    assert MessageReport.objects.get().note == "Not OK"


def test_body_is_required(member, other, community):
    with pytest.raises(Refused):
        services.start_conversation(sender=member, recipients=[other], community=community, body="   \x00 ")
    assert not Message.objects.exists()


def test_new_user_fixture_defaults_are_new_accounts(member):
    from conversations.permissions import is_new_account

    assert is_new_account(member)
    _age(member, 8)
    assert not is_new_account(member)


def test_the_directory_profile_and_welcome_queue_offer_a_message(as_facilitator, community, member, facilitator):
    newcomer = make_membership(community, make_user(first_name="Nina"), welcomed_at=None).user
    directory = as_facilitator.get(reverse("communities:member_directory", args=[community.slug])).content.decode()
    assert f"/messages/new/?to={member.pk}&amp;in={community.pk}" in directory
    assert f"/messages/new/?to={facilitator.pk}" not in directory  # not to yourself
    profile = as_facilitator.get(member.get_absolute_url()).content.decode()
    assert f"/messages/new/?to={member.pk}" in profile
    queue = as_facilitator.get(reverse("communities:welcome_queue", args=[community.slug])).content.decode()
    assert f"/messages/new/?to={newcomer.pk}&amp;in={community.pk}" in queue
    compose = as_facilitator.get(f"/messages/new/?to={member.pk}&in={community.pk}")
    assert compose.status_code == 200
    response = as_facilitator.post(
        f"/messages/new/?to={member.pk}&in={community.pk}",
        {"community": community.pk, "recipients": [member.pk], "subject": "Hi", "body": "Welcome aboard"},
    )
    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url()


def test_compose_for_someone_you_share_nothing_with_is_refused(as_member, elsewhere):
    assert as_member.get(f"/messages/new/?to={elsewhere.pk}").status_code == 403
    assert as_member.get("/messages/new/?to=abc").status_code == 200  # the help page
