import pytest
from django.core.management import call_command

from conversations.models import Conversation, Message

pytestmark = pytest.mark.django_db


def test_the_demo_holds_conversations_and_seeding_twice_adds_nothing():
    call_command("seed_demo", verbosity=0)
    assert Conversation.objects.count() == 2
    count = Message.objects.count()
    assert count >= 5
    call_command("seed_demo", verbosity=0)
    assert Message.objects.count() == count
