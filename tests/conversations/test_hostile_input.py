"""XSS payloads and naughty strings in subjects and bodies: stored as typed, shown inert, never a server error; a
refused form keeps what the member typed (escaped)."""

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from conversations import services
from conversations.models import Conversation

from ..factories import make_membership
from ..helpers import login

pytestmark = pytest.mark.django_db

CORPORA = Path("/work/shared/corpora")
if not CORPORA.exists():
    CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


def _lines(name: str) -> list[str]:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"the shared corpora are not beside the repository ({CORPORA})")
    return [
        line for line in path.read_text(errors="replace").splitlines() if line.strip() and not line.startswith("#")
    ]


class _Dangers(HTMLParser):
    """What a browser would run: script-like elements, event-handler attributes, javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "base"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and re.sub(r"\s", "", value or "").lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag}[{name}={value}]")


def _assert_inert(html: str) -> None:
    parser = _Dangers()
    parser.feed(html.split('<main id="main"', 1)[1])
    assert not parser.found, parser.found


def test_xss_payloads_in_messages_are_inert(member, other, community):
    payloads = _lines("xss/xss_payloads_quick.txt") + _lines("xss/XSS_Polyglots.txt")[:40]
    conversation = services.start_conversation(
        sender=member, recipients=[other], community=community, body=payloads[0], subject=payloads[1][:200]
    )
    for payload in payloads[1:]:
        services.message_post(conversation=conversation, author=other, body=payload)
    client = login(member)
    pages = (len(payloads) + 19) // 20
    for number in range(1, pages + 1):
        response = client.get(f"{conversation.get_absolute_url()}?page={number}")
        assert response.status_code == 200
        _assert_inert(response.content.decode())
    _assert_inert(client.get(reverse("conversations:conversation_list")).content.decode())
    services.message_report(message=conversation.messages.latest("pk"), reporter=member, note=payloads[2])
    facilitator = make_membership(community, role="facilitator").user
    report_page = login(facilitator).get(reverse("conversations:report_list", args=[community.slug]))
    _assert_inert(report_page.content.decode())


@pytest.mark.parametrize("chunk", range(4))
def test_naughty_strings_never_break_a_page(chunk, facilitator, member, community, settings):
    settings.CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS = 1000
    strings = _lines("blns.txt")
    size = len(strings) // 4 + 1
    client = login(facilitator)
    url = f"{reverse('conversations:compose')}?to={member.pk}"
    for text in strings[chunk * size : (chunk + 1) * size : 7]:
        response = client.post(
            url, {"community": community.pk, "recipients": [member.pk], "subject": text[:200], "body": text}
        )
        assert response.status_code in (302, 400), text
        if response.status_code == 302:
            assert client.get(response.url).status_code == 200


def test_a_refused_message_keeps_what_was_typed_escaped(settings, member, community):
    settings.CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS = 0
    other = make_membership(community).user
    payload = '<img src=x onerror=prompt(1)>//INJECTX "quoted" & more'
    response = login(member).post(
        f"{reverse('conversations:compose')}?to={other.pk}",
        {"community": community.pk, "recipients": [other.pk], "subject": payload, "body": payload},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(payload, quote=False) in html or escape(payload) in html
    _assert_inert(html)
    assert not Conversation.objects.exists()


def test_a_refused_reply_keeps_the_text(member, other, community, chat):
    from communities.models import Membership

    Membership.objects.filter(user=member, community=community).update(status=Membership.Status.LEFT)
    response = login(member).post(
        reverse("conversations:conversation_reply", args=[chat.pk]), {"body": "My <b>unsent</b> words"}
    )
    assert response.status_code == 400
    assert "My &lt;b&gt;unsent&lt;/b&gt; words" in response.content.decode()
