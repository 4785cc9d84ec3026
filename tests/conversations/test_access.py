"""Who reads and writes conversations, through the real views: only participants read one (404 for anyone else,
whatever id they guess); refusals change nothing."""

import pytest
from django.urls import reverse

from communities.models import Membership
from conversations.models import Conversation, Message, MessageReport, Participant

from ..helpers import assert_sent_to_login, login, text_of

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "member", "other", "facilitator", "owner", "banned", "departed", "staff"]


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, chat, community):
    message = chat.messages.get()
    for url in (
        reverse("conversations:conversation_list"),
        reverse("conversations:compose"),
        reverse("conversations:conversation_detail", args=[chat.pk]),
        reverse("conversations:message_report", args=[chat.pk, message.pk]),
        reverse("conversations:block_list"),
        reverse("conversations:report_list", args=[community.slug]),
    ):
        assert_sent_to_login(client.get(url), url)
    response = client.post(reverse("conversations:conversation_reply", args=[chat.pk]), {"body": "Hi"})
    assert response.status_code == 302
    assert Message.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_only_participants_read_a_conversation(persona, client_as, chat):
    response = client_as(persona).get(chat.get_absolute_url())
    if persona in ("member", "other"):
        assert response.status_code == 200
        assert "Hello there, could we talk about the risk register?" in text_of(response)
    else:
        # Facilitators, owners and site staff included: a private conversation is nobody else's business.
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "facilitator", "owner", "banned", "departed", "staff"])
def test_non_participants_cannot_write_leave_or_report_by_guessing_ids(persona, client_as, chat):
    client = client_as(persona)
    message = chat.messages.get()
    assert client.post(reverse("conversations:conversation_reply", args=[chat.pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("conversations:conversation_leave", args=[chat.pk])).status_code == 404
    report = reverse("conversations:message_report", args=[chat.pk, message.pk])
    assert client.post(report, {"note": "x"}).status_code == 404
    assert Message.objects.count() == 1
    assert not Participant.objects.filter(left_at__isnull=False).exists()
    assert not MessageReport.objects.exists()


def test_ids_nobody_has_are_404_too(as_member, chat):
    for pk in (chat.pk + 1000, 2**63, 2**70):
        assert as_member.get(f"/messages/{pk}/").status_code == 404


def test_the_conversation_list_shows_only_my_conversations(as_member, client_as, chat, start, facilitator, owner):
    start(facilitator, owner, subject="Facilitators only")
    page = text_of(as_member.get(reverse("conversations:conversation_list")))
    assert "Risk registers" in page
    assert "Facilitators only" not in page
    assert "Risk registers" not in text_of(client_as("outsider").get(reverse("conversations:conversation_list")))


def test_a_participant_who_left_no_longer_reads_or_receives(as_member, chat, other):
    response = as_member.post(reverse("conversations:conversation_leave", args=[chat.pk]))
    assert response.status_code == 302
    assert as_member.get(chat.get_absolute_url()).status_code == 404
    assert "Risk registers" not in text_of(as_member.get(reverse("conversations:conversation_list")))
    login(other).post(reverse("conversations:conversation_reply", args=[chat.pk]), {"body": "Still there?"})
    assert chat.messages.count() == 2
    assert as_member.get(chat.get_absolute_url()).status_code == 404


def test_a_participant_replies_and_reading_marks_it_read(as_member, chat, other):
    as_other = login(other)
    mine = Participant.objects.get(conversation=chat, user=other)
    assert mine.last_read_at is None
    assert "New" in text_of(as_other.get(reverse("conversations:conversation_list")))
    as_other.get(chat.get_absolute_url())
    mine.refresh_from_db()
    assert mine.last_read_at is not None
    response = as_other.post(reverse("conversations:conversation_reply", args=[chat.pk]), {"body": "Yes, *gladly*."})
    message = chat.messages.latest("pk")
    assert response.url == message.get_absolute_url()
    assert message.body_html.strip() == "<p>Yes, <em>gladly</em>.</p>"
    assert Conversation.objects.get(pk=chat.pk).message_count == 2


def test_a_member_who_left_the_community_can_read_but_not_write(as_member, chat, member, community):
    Membership.objects.filter(user=member, community=community).update(status=Membership.Status.LEFT)
    page = as_member.get(chat.get_absolute_url())
    assert page.status_code == 200
    assert "You can no longer write here" in text_of(page)
    response = as_member.post(reverse("conversations:conversation_reply", args=[chat.pk]), {"body": "Sneaky"})
    assert response.status_code == 400
    assert chat.messages.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "member", "facilitator", "banned", "departed", "staff"])
def test_reported_messages_page_is_for_that_communitys_facilitators(persona, client_as, community, chat, other):
    from conversations.services import message_report

    message_report(message=chat.messages.get(), reporter=other, note="Not appropriate")
    response = client_as(persona).get(reverse("conversations:report_list", args=[community.slug]))
    if persona == "facilitator" or persona == "staff":
        assert response.status_code == 200
        assert "Hello there, could we talk about the risk register?" in text_of(response)
    else:
        assert response.status_code in (403, 404)
        assert "risk register" not in text_of(response)


def test_facilitators_of_another_community_do_not_see_its_reports(chat, other, community):
    from conversations.services import message_report

    from ..factories import make_community, make_membership

    message_report(message=chat.messages.get(), reporter=other)
    another = make_community(name="Another")
    stranger = make_membership(another, role=Membership.Role.FACILITATOR).user
    client = login(stranger)
    assert client.get(reverse("conversations:report_list", args=[community.slug])).status_code in (403, 404)
    assert "risk register" not in text_of(client.get(reverse("conversations:report_list", args=[another.slug])))
