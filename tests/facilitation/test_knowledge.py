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


def reference_people(community) -> dict[str, list[int]]:
    """Each tag's ten, counted straight from every Evidence row and every declaration (what the map showed
    before the roll-up of the roll-ups)."""
    from collections import Counter, defaultdict

    from communities.models import Membership
    from facilitation.models import Evidence

    active = {m.user_id: m.user for m in Membership.objects.filter(community=community, status="active")}
    sums: dict = defaultdict(Counter)
    for e in Evidence.objects.filter(community=community, user_id__in=active):
        sums[(e.tag, e.user_id)].update(accepted=e.accepted, helpful=e.helpful, hosted=e.hosted, library=e.library)
    for user_id, user in active.items():
        for tag in user.profile.expertise.names():
            sums[(tag.lower(), user_id)]["declared"] = 1
    ranked: dict = defaultdict(list)
    for (tag, user_id), counts in sums.items():
        score = sum(counts[kind] * weight for kind, weight in knowledge.WEIGHTS.items())
        name = f"{active[user_id].first_name} {active[user_id].last_name}".strip()
        ranked[tag].append((-score, name, user_id))
    return {tag: [user_id for *_, user_id in sorted(rows)[:10]] for tag, rows in ranked.items()}


def crowd(community):
    """Fourteen members answer the same [risk] question, accepted: P00-P04 also get helpful marks (score 4), the
    other nine tie on 3 and the names decide, so P10-P13 fall outside the ten."""
    from communities import activity
    from communities.models import ActivityEvent

    asker = make_membership(community, make_user(first_name="Asker", last_name="")).user
    people = [make_membership(community, make_user(first_name=f"P{i:02}", last_name="")).user for i in range(14)]

    def event(actor, verb, hour, **data):
        e = activity.record(community=community, actor=actor, verb=verb, topic="k:1", **data)
        ActivityEvent.objects.filter(pk=e.pk).update(created_at=at(2, hour))

    event(asker, "thread_started", 8, tags=["risk"], question=True)
    for i, person in enumerate(people):
        event(person, "answer_accepted", 9)
        if i < 5:
            event(asker, "post_reacted", 10, credit="helpful", credit_to=person.pk)
    return people


def test_the_ten_per_tag_equal_a_count_over_all_evidence(community, facilitator):
    from facilitation.models import TagExpert

    people = crowd(community)
    rollups.rollup_community(community)
    assert TagExpert.objects.filter(community=community, tag="risk").count() == 10
    shown = {t.tag: [p.user_id for p in t.people] for t in knowledge.knowledge_map(community, facilitator)}
    assert shown["risk"] == reference_people(community)["risk"] == [p.pk for p in people[:10]]
    # P13 is eleventh-to-fourteenth by evidence; declaring the tag lifts them above the nine on 3.
    people[13].profile.expertise.add("Risk")
    shown = {t.tag: [p.user_id for p in t.people] for t in knowledge.knowledge_map(community, facilitator)}
    assert shown["risk"] == reference_people(community)["risk"]
    assert shown["risk"][5] == people[13].pk and people[9].pk not in shown["risk"]


def test_an_expert_who_leaves_drops_out_and_the_next_run_refills_the_ten(community, facilitator):
    from communities.models import Membership

    people = crowd(community)
    rollups.rollup_community(community)
    Membership.objects.filter(community=community, user=people[0]).update(status=Membership.Status.BANNED)
    shown = [p.user_id for p in knowledge.knowledge_map(community, facilitator)[0].people]
    assert people[0].pk not in shown and len(shown) == 9
    rollups.rollup_community(community)
    shown = {t.tag: [p.user_id for p in t.people] for t in knowledge.knowledge_map(community, facilitator)}
    assert shown["risk"] == reference_people(community)["risk"] == [p.pk for p in people[1:11]]
