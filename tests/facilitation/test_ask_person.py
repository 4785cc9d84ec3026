"""The ask-who-knows page offers "Ask <name>" beside each member it lists: the conversations app provides the action
through the registry (slot "facilitation.person"), opening its compose page with that member and the topic."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations.models import Block, Conversation
from facilitation import rollups
from facilitation.models import Evidence
from newsletters.models import Alert
from tests.factories import make_membership, make_user
from tests.helpers import assert_sent_to_login, login, page_source, text_of

pytestmark = pytest.mark.django_db

COMPOSE = reverse("conversations:compose")


def ask_url(community):
    return reverse("facilitation:ask_who_knows", args=[community.slug])


def roll_up(community):
    """The roll-up's knowledge step (a community created today has no past day for `rollup_community` to store)."""
    rollups.store_knowledge(community, set(Evidence.objects.values_list("tag", flat=True)))


def evidence(community, user, tag, **counts):
    """A knowledge-map row on a day the roll-up of recent days leaves alone."""
    Evidence.objects.create(
        community=community, user=user, tag=tag, day=timezone.localdate() - timedelta(days=40), **counts
    )


def ask_links(html) -> dict[str, list[str]]:
    """Each "Ask <name>" button's target, by name, in page order."""
    found: dict[str, list[str]] = {}
    for href, name in re.findall(r'<a role="button"[^>]*href="([^"]*)">Ask ([^<]*)</a>', html):
        found.setdefault(unescape(name), []).append(unescape(href))
    return found


@pytest.fixture
def cast(community, member):
    """Eve knows risk and benefits, Ann benefits; the viewing member is listed for risk too."""
    eve = make_membership(community, make_user(first_name="Eve", last_name="", email="eve@example.org")).user
    ann = make_membership(community, make_user(first_name="Ann", last_name="", email="ann@example.org")).user
    evidence(community, eve, "risk", accepted=2)
    evidence(community, eve, "benefits", helpful=1)
    evidence(community, ann, "benefits", helpful=4)
    evidence(community, member, "risk", accepted=1)
    roll_up(community)
    return {"eve": eve, "ann": ann}


def test_each_listed_person_offers_ask_with_the_compose_page_for_them_and_the_topic(cast, community, member):
    response = login(member).get(ask_url(community))
    links = ask_links(page_source(response))
    assert set(links) == {"Eve", "Ann"}  # not the viewer, although they are listed for risk
    assert member.display_name in text_of(response)
    eve, ann = cast["eve"], cast["ann"]
    expected = {
        "Eve": [(eve.pk, "benefits"), (eve.pk, "risk")],  # topics in the page's order
        "Ann": [(ann.pk, "benefits")],
    }
    for name, hrefs in links.items():
        got = []
        for href in hrefs:
            parts = urlsplit(href)
            assert parts.path == COMPOSE
            query = parse_qs(parts.query)
            assert query["in"] == [str(community.pk)]
            got.append((int(query["to"][0]), query["subject"][0].removeprefix("A question about ")))
        assert got == expected[name]


def test_following_ask_and_sending_delivers_a_private_message(
    cast, community, member, django_capture_on_commit_callbacks
):
    client = login(member)
    [link, _] = ask_links(page_source(client.get(ask_url(community))))["Eve"]
    form = client.get(link)
    html = page_source(form)
    eve = cast["eve"]
    assert form.status_code == 200
    assert re.search(rf'<input type="hidden" name="recipients" value="{eve.pk}"', html)
    assert re.search(r'<input type="text" name="subject" value="A question about benefits"', html)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link,
            {"community": community.pk, "recipients": [eve.pk], "subject": "A question about benefits", "body": "Hi!"},
        )
    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url()
    assert conversation.subject == "A question about benefits"
    assert set(conversation.participants.values_list("user_id", flat=True)) == {member.pk, eve.pk}
    assert Alert.objects.filter(user=eve, alert_type="messages").count() == 1
    assert [m.to for m in mail.outbox] == [[eve.email]]
    assert "Hi!" in text_of(login(eve).get(conversation.get_absolute_url()))


def test_outsiders_and_anonymous_visitors_are_still_refused(cast, community, outsider, client):
    assert login(outsider).get(ask_url(community)).status_code == 403
    assert_sent_to_login(client.get(ask_url(community)), ask_url(community))
    # The compose link itself refuses someone who shares no community with Eve.
    link = f"{COMPOSE}?to={cast['eve'].pk}&in={community.pk}&subject=A+question+about+risk"
    assert login(outsider).get(link).status_code == 403
    assert not Conversation.objects.exists()


def test_a_member_who_blocked_the_viewer_is_out_of_reach_without_the_page_telling(cast, community, member):
    Block.objects.create(blocker=cast["eve"], blocked=member)
    client = login(member)
    [link, _] = ask_links(page_source(client.get(ask_url(community))))["Eve"]  # the rows ask nothing about blocks
    assert client.get(link).status_code == 403
    response = client.post(link, {"community": community.pk, "recipients": [cast["eve"].pk], "body": "Hi?"})
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_an_archived_community_offers_no_ask(cast, community, member):
    community.stage = community.Stage.ARCHIVED
    community.save(update_fields=["stage"])
    response = login(member).get(ask_url(community))
    assert response.status_code == 200 and "Eve" in text_of(response)
    assert ask_links(page_source(response)) == {}


@pytest.mark.parametrize("extra", [0, 30])
def test_the_ask_page_stays_within_its_query_budget(cast, community, member, extra, django_assert_max_num_queries):
    for i in range(extra):
        user = make_membership(community, make_user(first_name=f"N{i:02}", last_name="")).user
        evidence(community, user, f"topic{i % 6}", accepted=1 + i % 3)
        if i % 2:
            user.profile.expertise.add(f"topic{i % 6}")
    roll_up(community)
    client = login(member)
    client.get(ask_url(community))  # content types are cached per process after the first page
    with django_assert_max_num_queries(8):  # as before the buttons: their rule asks the cached memberships
        response = client.get(ask_url(community))
    assert len(sum(ask_links(page_source(response)).values(), [])) == 3 + min(extra, 30)
