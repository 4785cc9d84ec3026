from datetime import timedelta

import pytest
from django.utils import timezone

from facilitation import rollups, tasks
from facilitation.models import (
    CommunityDay,
    CommunitySpan,
    Evidence,
    LabelDay,
    Marker,
    MemberDay,
    ReplyHours,
    TagExpert,
    TagTotal,
    Topic,
)
from forums import services as forum_services
from forums.models import Category, Thread

from .dataset import at, build

pytestmark = pytest.mark.django_db

EXPECTED = {
    3: {
        "visits": 2,
        "active_members": 4,
        "contributors": 2,
        "posts": 2,
        "questions": 1,
        "answers": 1,
        "rungs": {"1": 1, "2": 1, "4": 1, "5": 1},
    },
    2: {
        "visits": 2,
        "active_members": 3,
        "contributors": 2,
        "posts": 3,
        "questions": 3,
        "answers": 0,
        "rungs": {"1": 1, "4": 2},
    },
    1: {
        "visits": 1,
        "active_members": 2,
        "contributors": 2,
        "posts": 1,
        "questions": 0,
        "answers": 1,
        "rungs": {"3": 1, "6": 1},
    },
}


def snapshot(community):
    def rows(model, *order):
        return list(model.objects.filter(community=community).order_by(*order).values(*FIELDS[model]))

    return {model.__name__: rows(model, *order) for model, order in ORDER.items()}


FIELDS = {
    CommunityDay: (
        "day",
        "members",
        "new_members",
        "visits",
        "active_members",
        "contributors",
        "posts",
        "questions",
        "answers",
        "rungs",
    ),
    CommunitySpan: ("start", "days", "active_members", "contributors"),
    Marker: ("day", "at", "kind", "label"),
    MemberDay: ("day", "user_id", "rung"),
    Topic: (
        "key",
        "starter_id",
        "started_at",
        "is_question",
        "by_newcomer",
        "first_of_starter",
        "first_reply_at",
        "tags",
        "category",
    ),
    LabelDay: ("day", "kind", "name", "posts"),
    Evidence: ("day", "user_id", "tag", "accepted", "helpful", "hosted", "library"),
    ReplyHours: ("day", "days", "by_newcomer", "hour", "questions", "seconds"),
    TagTotal: ("tag", "posts", "unanswered", "people"),
    TagExpert: ("tag", "user_id", "accepted", "helpful", "hosted", "library"),
}
ORDER = {
    CommunityDay: ("day",),
    CommunitySpan: ("start", "days"),
    Marker: ("at", "label"),
    MemberDay: ("day", "user_id"),
    Topic: ("key",),
    LabelDay: ("day", "kind", "name"),
    Evidence: ("day", "user_id", "tag"),
    ReplyHours: ("days", "day", "by_newcomer", "hour"),
    TagTotal: ("tag",),
    TagExpert: ("tag", "user_id"),
}


def test_each_day_adds_up_to_the_hand_counted_figures():
    hand = build()
    rollups.rollup_community(hand.community)
    today = timezone.localdate()
    for days_ago, expected in EXPECTED.items():
        row = CommunityDay.objects.get(community=hand.community, day=today - timedelta(days=days_ago))
        assert {k: getattr(row, k) for k in expected} == expected, days_ago
    yesterday = CommunityDay.objects.get(community=hand.community, day=today - timedelta(days=1))
    assert yesterday.members == 6
    joined_day = CommunityDay.objects.get(community=hand.community, day=today - timedelta(days=5))
    assert joined_day.new_members == 1  # Cat


def test_topics_know_their_first_reply_and_their_newcomers():
    hand = build()
    rollups.rollup_community(hand.community)
    topics = {t.key: t for t in Topic.objects.filter(community=hand.community)}
    assert topics["t:1"].first_reply_at == at(3, 11) and topics["t:1"].by_newcomer and topics["t:1"].first_of_starter
    assert topics["t:2"].first_reply_at == at(1, 14) and not topics["t:2"].by_newcomer
    assert topics["t:3"].first_reply_at is None and topics["t:3"].by_newcomer and topics["t:3"].first_of_starter
    assert topics["t:4"].by_newcomer and not topics["t:4"].first_of_starter
    assert topics["t:2"].tags == ["benefits", "risk"] and topics["t:2"].category == "Questions"
    evidence = sorted(
        (e.day, e.user_id, e.tag, e.accepted, e.helpful) for e in Evidence.objects.filter(community=hand.community)
    )
    today = timezone.localdate()
    # Eve: marked helpful on T1 [risk] (D-3); her answer to T2 [benefits, risk] accepted (D-1)
    assert evidence == [
        (today - timedelta(days=3), hand.eve.pk, "risk", 0, 1),
        (today - timedelta(days=1), hand.eve.pk, "benefits", 1, 0),
        (today - timedelta(days=1), hand.eve.pk, "risk", 1, 0),
    ]


def test_stored_days_equal_the_live_computation_of_the_same_day():
    hand = build()
    rollups.rollup_community(hand.community)
    for row in CommunityDay.objects.filter(community=hand.community):
        live = rollups.compute_day(hand.community, row.day)
        assert {k: getattr(row, k) for k in live.stats} == live.stats, row.day
        stored = dict(MemberDay.objects.filter(community=hand.community, day=row.day).values_list("user_id", "rung"))
        assert stored == live.member_rungs


def test_the_task_twice_in_a_row_changes_nothing():
    hand = build()
    tasks.rollup_all.delay()
    first = snapshot(hand.community)
    assert all(first[name] for name in ("CommunityDay", "Topic", "MemberDay", "ReplyHours", "TagTotal", "TagExpert"))
    tasks.rollup_all.delay()
    assert snapshot(hand.community) == first


def test_the_task_catches_up_after_downtime():
    hand = build()
    today = timezone.localdate()
    rollups.rollup_community(hand.community, until=today - timedelta(days=3))
    assert not CommunityDay.objects.filter(community=hand.community, day__gt=today - timedelta(days=3)).exists()
    rolled = rollups.rollup_community(hand.community)
    assert rolled == 3  # the last stored day again, then the two it missed
    once = snapshot(hand.community)
    CommunityDay.objects.filter(community=hand.community).delete()
    MemberDay.objects.filter(community=hand.community).delete()
    Topic.objects.filter(community=hand.community).delete()
    rollups.rollup_community(hand.community)
    assert snapshot(hand.community) == once  # days rolled one run at a time equal days rolled at once


def test_forum_events_carry_what_the_roll_up_reads(community, member, facilitator):
    category = Category.objects.create(community=community, name="Questions", slug="questions")
    thread = forum_services.thread_create(
        category=category,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="Gateway reviews?",
        body="Tips?",
        tags=["assurance"],
    )
    reply = forum_services.post_reply(thread=thread, author=facilitator, body="Start early.")
    forum_services.reaction_toggle(post=reply, user=member, kind="helpful")
    today = rollups.compute_day(community, timezone.localdate())
    assert today.stats["questions"] == 1 and today.stats["answers"] == 1 and today.stats["posts"] == 2
    topic = today.new_topics[f"forums.thread:{thread.pk}"]
    assert topic["tags"] == ["assurance"] and topic["category"] == "Questions"
    assert topic["first_reply_at"] is not None
    assert today.evidence[(facilitator.pk, "assurance")]["helpful"] == 1
    assert today.member_rungs[member.pk] == 4 and today.member_rungs[facilitator.pk] == 5


def test_reply_hours_hold_each_days_questions_by_the_hour_of_their_first_reply():
    """T1 (D-3, Ben, a newcomer) answered after 2 h; T2 (D-2, Ann) after 30 h, the next day; T3, T4 (D-2, Cat, a
    newcomer) not answered."""
    hand = build()
    today = timezone.localdate()
    rollups.rollup_community(hand.community, until=today - timedelta(days=2))
    d2 = today - timedelta(days=2)

    def rows(day):
        return list(
            ReplyHours.objects.filter(community=hand.community, days=1, day=day)
            .order_by("by_newcomer", "hour")
            .values_list("by_newcomer", "hour", "questions", "seconds")
        )

    assert rows(d2) == [(False, None, 1, 0.0), (True, None, 2, 0.0)]  # T2 is not answered yet
    assert rows(today - timedelta(days=3)) == [(True, 1, 1, 7200.0)]  # more than 1 h, at most 2 h
    rollups.rollup_community(hand.community)  # the reply on D-1 moves T2 in D-2's rows
    assert rows(d2) == [(False, 29, 1, 30 * 3600.0), (True, None, 2, 0.0)]


def test_reply_hours_missing_for_earlier_questions_are_filled_in():
    hand = build()
    rollups.rollup_community(hand.community)
    once = snapshot(hand.community)["ReplyHours"]
    ReplyHours.objects.filter(community=hand.community).delete()
    rollups.rollup_community(hand.community)
    assert snapshot(hand.community)["ReplyHours"] == once


def test_tag_totals_count_posts_unanswered_questions_and_people():
    hand = build()
    rollups.rollup_community(hand.community)
    totals = {t.tag: (t.posts, t.unanswered, t.people) for t in TagTotal.objects.filter(community=hand.community)}
    # risk: T1 asked and answered (2 posts), T2 asked and answered (2); Eve has evidence on risk and benefits.
    assert totals == {"risk": (4, 0, 1), "benefits": (3, 1, 1), "procurement": (1, 1, 0)}
