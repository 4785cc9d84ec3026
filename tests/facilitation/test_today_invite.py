"""Today's unanswered questions each offer "Invite someone to answer", addressed to the member the knowledge map
suggests; the conversations app provides the action through the registry and sends a real private message."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent, Membership
from conversations.models import Block, Conversation
from facilitation import rollups
from facilitation.models import Evidence
from forums import services as forum_services
from forums.models import Category, Thread
from newsletters.models import Alert
from tests.factories import make_membership, make_user
from tests.helpers import login, page_source, text_of

pytestmark = pytest.mark.django_db

COMPOSE = reverse("conversations:compose")


def today_url(community):
    return reverse("facilitation:today", args=[community.slug])


def ask(category, author, title, tags, days_ago=2):
    thread = forum_services.thread_create(
        category=category, author=author, kind=Thread.Kind.QUESTION, title=title, body="Any advice?", tags=tags
    )
    ActivityEvent.objects.filter(verb="thread_started", data__topic=f"forums.thread:{thread.pk}").update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return thread


def evidence(community, user, tag, days_ago=40, **counts):
    """A hand-built knowledge-map row, on a day the roll-up of recent days leaves alone."""
    Evidence.objects.create(
        community=community, user=user, tag=tag, day=timezone.localdate() - timedelta(days=days_ago), **counts
    )


def invite_links(html) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)">Invite someone to answer<', html)]


@pytest.fixture
def category(community):
    return Category.objects.create(community=community, name="Questions", slug="questions")


@pytest.fixture
def cast(community, member, facilitator, outsider):
    """Evidence on "risk" and "benefits": Eve scores 7, Ann 4; the asker, a former member, an outsider and the
    facilitator themself score more but must never be suggested."""
    eve = make_membership(community, make_user(first_name="Eve", email="eve@example.org")).user
    ann = make_membership(community, make_user(first_name="Ann", email="ann@example.org")).user
    gone = make_membership(community, make_user(first_name="Gus"), status=Membership.Status.LEFT).user
    evidence(community, eve, "risk", accepted=2)  # 6
    evidence(community, eve, "benefits", helpful=1)  # 1: Eve's tags add up to 7
    evidence(community, ann, "benefits", helpful=4)  # 4
    for someone in (member, gone, outsider, facilitator):
        evidence(community, someone, "risk", accepted=10)
    return {"eve": eve, "ann": ann, "gone": gone}


@pytest.fixture
def question(community, category, member, cast):
    thread = ask(category, member, "How do we baseline benefits?", ["risk", "benefits"])
    rollups.rollup_community(community)
    return thread


def test_each_question_suggests_the_member_with_most_evidence_for_its_tags(
    question, cast, community, facilitator, member, outsider
):
    response = login(facilitator).get(today_url(community))
    text = text_of(response)
    assert "Could answer: Eve" in text
    assert "Eve" in text and "(2 accepted answers, 1 helpful mark on " in text
    for never in ("Tom", "Gus", "Olly", "Priya"):  # the asker, a former member, an outsider, the facilitator
        assert f"Could answer: {never}" not in text
    [link] = invite_links(page_source(response))
    assert link.startswith(COMPOSE)
    assert f"to={cast['eve'].pk}" in link and f"about=forums.thread:{question.pk}" in link


def test_a_question_nobody_has_evidence_for_opens_the_invitation_without_a_recipient(
    community, category, member, facilitator, cast
):
    ask(category, member, "Who signs off procurement?", ["procurement"])
    rollups.rollup_community(community)
    client = login(facilitator)
    response = client.get(today_url(community))
    assert "Nobody has shown evidence for procurement yet" in text_of(response)
    [link] = invite_links(page_source(response))
    assert "to=" not in link
    form = client.get(link)
    assert form.status_code == 200
    assert "Who signs off procurement?" in text_of(form)
    assert "selected" not in re.search(r'<select name="recipients".*?</select>', page_source(form), re.S).group(0)


def test_following_the_action_and_sending_delivers_the_link_to_the_suggested_member(
    question, cast, community, facilitator, django_capture_on_commit_callbacks
):
    client = login(facilitator)
    [link] = invite_links(page_source(client.get(today_url(community))))
    form = client.get(link)
    html = page_source(form)
    eve = cast["eve"]
    assert re.search(rf'<option value="{eve.pk}" selected>', html)  # pre-filled, and still changeable
    body = unescape(re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1))
    assert body.startswith("Hello Eve,")
    assert f"[How do we baseline benefits?]({question.get_absolute_url()})" in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link, {"community": community.pk, "recipients": [eve.pk], "subject": "Could you answer?", "body": body}
        )
    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url()
    assert set(conversation.participants.values_list("user_id", flat=True)) == {facilitator.pk, eve.pk}
    assert f'href="{question.get_absolute_url()}"' in conversation.messages.get().body_html
    assert Alert.objects.filter(user=eve, alert_type="messages").count() == 1
    assert [m.to for m in mail.outbox] == [[eve.email]]
    message = login(eve).get(conversation.get_absolute_url())
    assert "How do we baseline benefits?" in text_of(message)


def test_a_member_who_is_not_a_facilitator_is_refused_the_invitation(question, cast, community, member):
    eve = cast["eve"]
    other = make_membership(community, make_user(first_name="Ola")).user
    link = f"{COMPOSE}?community={community.slug}&about=forums.thread:{question.pk}&to={eve.pk}"
    client = login(other)
    assert client.get(today_url(community)).status_code == 403
    assert client.get(link).status_code == 403
    response = client.post(link, {"community": community.pk, "recipients": [eve.pk], "body": "Answer this"})
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_the_invitation_cannot_be_addressed_to_someone_outside_the_community(
    question, community, facilitator, outsider
):
    link = f"{COMPOSE}?community={community.slug}&about=forums.thread:{question.pk}&to={outsider.pk}"
    assert login(facilitator).get(link).status_code == 403


def test_a_suggested_member_who_blocked_the_facilitator_is_out_of_reach(question, cast, community, facilitator):
    Block.objects.create(blocker=cast["eve"], blocked=facilitator)
    client = login(facilitator)
    [link] = invite_links(page_source(client.get(today_url(community))))  # a row asks nothing about blocks
    assert client.get(link).status_code == 403
    response = client.post(
        link.split("&to=")[0], {"community": community.pk, "recipients": [cast["eve"].pk], "body": "Answer?"}
    )
    assert response.status_code == 400  # not among the people they may choose
    assert not Conversation.objects.exists()


def test_the_link_goes_only_to_members_who_can_open_the_question(question, cast, community, facilitator):
    Thread.objects.filter(pk=question.pk).update(is_hidden=True)  # removed by a moderator: for moderators only
    client = login(facilitator)
    link = f"{COMPOSE}?community={community.slug}&about=forums.thread:{question.pk}&to={cast['ann'].pk}"
    form = client.get(link)
    assert form.status_code == 200
    assert re.search(rf'<option value="{cast["ann"].pk}" selected>', page_source(form)) is None
    response = client.post(link, {"community": community.pk, "recipients": [cast["ann"].pk], "body": "Look here"})
    assert response.status_code == 400
    assert "can't open this question" in text_of(response)
    assert "Look here" in page_source(response)
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("extra", [0, 15])
def test_today_with_suggestions_stays_within_its_query_budget(
    cast, community, category, member, facilitator, extra, django_assert_max_num_queries
):
    ask(category, member, "How do we baseline benefits?", ["risk", "benefits"])
    for i in range(extra):
        user = make_membership(community, make_user(first_name=f"N{i}")).user
        ask(category, user, f"Question {i}", [f"tag{i}", "risk"])
        evidence(community, user, f"tag{i}", accepted=1)
    rollups.rollup_community(community)
    client = login(facilitator)
    client.get(today_url(community))  # content types are cached per process after the first page
    with django_assert_max_num_queries(12):
        response = client.get(today_url(community))
    assert len(invite_links(page_source(response))) == min(1 + extra, 10)
