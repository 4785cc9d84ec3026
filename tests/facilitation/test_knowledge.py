import pytest
from django.urls import reverse

from facilitation import knowledge, rollups
from tests.factories import make_community, make_membership, make_user
from tests.helpers import assert_sent_to_login, login, text_of

from .conftest import PERSONA_STATUS
from .dataset import at, build

pytestmark = pytest.mark.django_db

ASK_STATUS = {**PERSONA_STATUS, "member": 200}


def url(community, name="knowledge_map"):
    return reverse(f"facilitation:{name}", args=[community.slug])


@pytest.mark.parametrize("persona", list(PERSONA_STATUS))
def test_only_facilitators_and_owners_see_the_map(client_as, community, persona):
    assert client_as(persona).get(url(community)).status_code == PERSONA_STATUS[persona]


@pytest.mark.parametrize("persona", list(ASK_STATUS))
def test_members_ask_someone_who_knows(client_as, community, persona):
    expected = 403 if persona == "staff" else ASK_STATUS[persona]  # staff are not members
    assert client_as(persona).get(url(community, "ask_who_knows")).status_code == expected


def test_anonymous_visitors_are_sent_to_log_in(client, community):
    for name in ("knowledge_map", "ask_who_knows"):
        assert_sent_to_login(client.get(url(community, name)), url(community, name))


def other_community_on(tag, **kw):
    from communities import activity
    from communities.models import ActivityEvent

    other = make_community(name="Procurement Circle", slug="procure", **kw)
    asker = make_membership(other, make_user()).user
    event = activity.record(
        community=other, actor=asker, verb="thread_started", topic="o:1", tags=[tag], question=True
    )
    ActivityEvent.objects.filter(pk=event.pk).update(created_at=at(2, 9))
    rollups.rollup_community(other)
    return other


def test_evidence_is_counted_per_tag_and_gaps_found(hand, facilitator):
    other_community_on("procurement")
    by_tag = {t.tag: t for t in knowledge.knowledge_map(hand.community, facilitator)}
    eve = by_tag["risk"].people[0]
    assert (eve.user_id, eve.accepted, eve.helpful, eve.score) == (hand.eve.pk, 1, 1, 4)
    assert [(p.user_id, p.accepted, p.helpful) for p in by_tag["benefits"].people] == [(hand.eve.pk, 1, 0)]
    assert by_tag["benefits"].unanswered == 1 and not by_tag["benefits"].is_gap
    assert by_tag["procurement"].is_gap and by_tag["procurement"].unanswered == 1
    assert [c["name"] for c in by_tag["procurement"].elsewhere] == ["Procurement Circle"]


def test_declared_expertise_counts_and_closes_a_gap(hand, facilitator):
    hand.dan.profile.expertise.add("procurement")
    by_tag = {t.tag: t for t in knowledge.knowledge_map(hand.community, facilitator)}
    assert not by_tag["procurement"].is_gap
    assert [(p.user_id, p.declared) for p in by_tag["procurement"].people] == [(hand.dan.pk, 1)]


def test_private_communities_do_not_leak_through_shared_tags(hand, facilitator):
    other_community_on("procurement", visibility="private")
    by_tag = {t.tag: t for t in knowledge.knowledge_map(hand.community, facilitator)}
    assert by_tag["procurement"].elsewhere == []
    assert "Procurement Circle" not in text_of(login(facilitator).get(url(hand.community)))


def test_the_pages_show_people_counts_and_gaps(hand, facilitator, member):
    text = text_of(login(facilitator).get(url(hand.community)))
    assert "procurement 1 unanswered question" in text
    assert "1 accepted answer, 1 helpful mark" in text
    text = text_of(login(member).get(url(hand.community, "ask_who_knows")))
    assert "risk" in text and hand.eve.display_name in text and "procurement" not in text


def test_hostile_tags_are_escaped(community, facilitator):
    from communities import activity
    from communities.models import ActivityEvent

    build(community)
    event = activity.record(
        community=community,
        actor=None,
        verb="thread_started",
        topic="x:1",
        tags=["<script>alert(1)</script>"],
        question=True,
    )
    ActivityEvent.objects.filter(pk=event.pk).update(created_at=at(2, 9))
    rollups.rollup_community(community)
    html = login(facilitator).get(url(community)).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("extra", [0, 30])
def test_the_map_stays_within_its_query_budget(community, facilitator, extra, django_assert_max_num_queries):
    from communities import activity
    from communities.models import ActivityEvent

    hand = build(community)
    for i in range(extra):
        user = make_membership(community, make_user()).user
        user.profile.expertise.add(f"topic{i % 5}")
        event = activity.record(
            community=community, actor=user, verb="post_reacted", topic="t:1", credit="helpful", credit_to=hand.ann.pk
        )
        ActivityEvent.objects.filter(pk=event.pk).update(created_at=at(1 + i % 3, 10))
    other_community_on("risk")
    rollups.rollup_community(community)
    client = login(facilitator)
    with django_assert_max_num_queries(8):
        assert client.get(url(community)).status_code == 200
