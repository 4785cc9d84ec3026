"""Query budgets, pinned at two data sizes: the conversation list costs 6 queries and a conversation page 7,
whether there are 5 messages or 500 (and 5 or 500 conversations)."""

import pytest
from django.utils import timezone

from conversations.models import Conversation, Message, Participant

from ..factories import make_membership
from ..helpers import login

pytestmark = pytest.mark.django_db


def _conversations(community, member, count: int, messages_each: int = 1):
    now = timezone.now()
    people = [make_membership(community).user for _ in range(3)]
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(community=community, started_by=member, subject=f"Topic {i}", message_count=messages_each)
            for i in range(count)
        ]
    )
    Participant.objects.bulk_create(
        [Participant(conversation=c, user=member) for c in conversations]
        + [Participant(conversation=c, user=people[i % 3]) for i, c in enumerate(conversations)]
        + [Participant(conversation=c, user=people[(i + 1) % 3]) for i, c in enumerate(conversations)]
    )
    Message.objects.bulk_create(
        [
            Message(conversation=c, author=people[n % 3] if n % 2 else member, body=f"m{n}", body_html=f"<p>m{n}</p>")
            for c in conversations
            for n in range(messages_each)
        ]
    )
    return conversations, now


@pytest.mark.parametrize("count", [5, 500])
def test_conversation_list_costs_six_queries(count, community, member, django_assert_max_num_queries):
    _conversations(community, member, count)
    client = login(member)
    with django_assert_max_num_queries(6):
        response = client.get("/messages/")
    assert response.status_code == 200
    assert response.content.decode().count('class="conversation-row') == min(count, 20)


@pytest.mark.parametrize("count", [5, 500])
def test_conversation_page_costs_seven_queries(count, community, member, django_assert_max_num_queries):
    (conversation,), _ = _conversations(community, member, 1, messages_each=count)
    client = login(member)
    with django_assert_max_num_queries(7):
        response = client.get(conversation.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="message') >= min(count, 20)
    with django_assert_max_num_queries(7):
        client.get(conversation.get_absolute_url() + "?page=3")
