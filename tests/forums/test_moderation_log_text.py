"""Issue 8, item 13: the moderation log shows a post as readable text (truncated), not raw Markdown."""

import pytest
from django.urls import reverse

from communities.models import ModerationAction
from forums import services

from ..helpers import login, text_of

pytestmark = pytest.mark.django_db

BODY = (
    "**Buy now**: the _cheapest_ [risk templates](https://spam.example/buy) you will ever see.\n\n> Trust me\n\n"
    + ("More words to make this long. " * 20)
)


def test_the_moderation_log_shows_a_hidden_post_as_readable_text(community, question, member, facilitator):
    reply = services.post_reply(thread=question, author=member, body=BODY)
    services.post_hide(post=reply, by=facilitator, reason="Spam")
    summary = ModerationAction.objects.get(action=ModerationAction.Action.HIDE).summary
    assert summary.startswith("Buy now: the cheapest risk templates")
    assert "**" not in summary and "_cheapest_" not in summary and "](" not in summary and "\n" not in summary
    assert len(summary) <= 300 and summary.endswith("…")

    page = text_of(login(facilitator).get(reverse("forums:moderation_log", args=[community.slug])))
    assert "Buy now: the cheapest risk" in page
    assert "**Buy now**" not in page
