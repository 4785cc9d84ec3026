"""Plain-text email parts read as text: Markdown rendered, entities decoded, links spelled out."""

import pytest

from communities import services as community_services
from communities.models import Membership
from cop_platform.markup import html_to_text, markdown_to_text
from newsletters.rendering import render

from ..factories import make_membership, make_user
from ..newsletters.helpers import make_newsletter

MARKDOWN = """Hello **everyone** & welcome to *PPM*.

Read [the guide](https://example.org/guide) or https://example.org/faq.

- first
- second
  1. nested

> quoted **words**"""


def test_markdown_becomes_readable_text():
    assert markdown_to_text(MARKDOWN) == (
        "Hello everyone & welcome to PPM.\n\n"
        "Read the guide (https://example.org/guide) or https://example.org/faq.\n\n"
        "- first\n- second\n  1. nested\n\n"
        "> quoted words"
    )


def test_entities_are_decoded():
    assert html_to_text("<p>Tom&#x27;s &quot;plan&quot; &amp; more</p>") == 'Tom\'s "plan" & more'


@pytest.mark.django_db
def test_the_welcome_email_text_part_has_no_markdown_syntax(
    community, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = make_membership(community, make_user(first_name="Ada", email="ada@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        community_services.welcome_send(
            membership=Membership.objects.get(pk=newcomer.pk),
            by=facilitator,
            body="Hi **Ada**, see [the guide](https://example.org/g).",
        )

    (message,) = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    assert "Hi Ada, see the guide (https://example.org/g)." in message.body
    assert "**" not in message.body and "](" not in message.body


@pytest.mark.django_db
def test_the_newsletter_text_part_renders_the_introduction(community):
    newsletter = make_newsletter(community, intro="Hello **all**", intro_html="<p>Hello <strong>all</strong></p>")

    _, text = render(newsletter)

    assert "Hello all" in text and "**" not in text
