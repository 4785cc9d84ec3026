""" "Invite to answer": facilitators see the action on a question (through the registry: forums never imports
conversations), and the message carries the question's link and their note."""

import pytest
from django.urls import reverse

from conversations.models import Conversation
from forums import services as forum_services
from forums.models import Category

from ..helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(community, member):
    category = Category.objects.create(community=community, name="Questions", slug="questions")
    return forum_services.thread_create(
        category=category, author=member, kind="question", title="How do we baseline benefits?", body="Any tips?"
    )


def test_facilitators_invite_a_member_to_answer_a_question(as_facilitator, as_member, question, community):
    from ..factories import make_membership, make_user

    expert = make_membership(community, make_user(first_name="Eve")).user
    page = as_facilitator.get(question.get_absolute_url()).content.decode()
    assert "Invite someone to answer" in page
    assert "Invite someone to answer" not in as_member.get(question.get_absolute_url()).content.decode()

    url = f"{reverse('conversations:compose')}?community={community.slug}&about=forums.thread:{question.pk}"
    form = as_facilitator.get(url)
    assert form.status_code == 200
    assert question.get_absolute_url() in form.content.decode()
    assert "How do we baseline benefits?" in text_of(form)
    link = f"[How do we baseline benefits?]({question.get_absolute_url()})"
    body = f"I think you could help: {link}\n\nYou did this at the council."
    response = as_facilitator.post(
        url,
        {"community": community.pk, "recipients": [expert.pk], "subject": "Could you answer?", "body": body},
    )
    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url()
    assert f'href="{question.get_absolute_url()}"' in conversation.messages.get().body_html
    assert set(conversation.participants.values_list("user_id", flat=True)) >= {expert.pk}


def test_members_cannot_use_the_invite_form_for_another_community(as_member, question):
    from ..factories import make_community

    other = make_community(name="Other")
    url = f"{reverse('conversations:compose')}?community={other.slug}&about=forums.thread:{question.pk}"
    assert as_member.get(url).status_code == 200  # the help page: not a member there
    assert "How do we baseline benefits?" not in text_of(as_member.get(url))
