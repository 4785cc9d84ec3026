from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from facilitation import figures, rollups
from facilitation.models import Marker
from newsletters.models import Newsletter
from tests.factories import make_membership, make_user
from tests.helpers import assert_sent_to_login, login, page_source, text_of

from .conftest import PERSONA_STATUS
from .dataset import at, build

pytestmark = pytest.mark.django_db


def url(community, name="health", **kw):
    return reverse(f"facilitation:{name}", args=[community.slug], kwargs=kw or None)


@pytest.mark.parametrize("persona", list(PERSONA_STATUS))
def test_only_facilitators_and_owners_see_health(client_as, community, persona):
    for path in (url(community), reverse("facilitation:health_csv", args=[community.slug, "summary"])):
        assert client_as(persona).get(path).status_code == PERSONA_STATUS[persona], (persona, path)


def test_anonymous_visitors_are_sent_to_log_in(client, community):
    path = url(community)
    assert_sent_to_login(client.get(path), path)


def test_a_hidden_community_does_not_exist_for_outsiders(client_as, community):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.HIDDEN)
    assert client_as("outsider").get(url(community)).status_code == 404
    assert client_as("facilitator").get(url(community)).status_code == 200


def test_health_figures_match_the_hand_built_data_set(hand):
    report = figures.health(hand.community, 7)
    now, before = report.current, report.previous
    assert (now.members, now.active_members, now.contributors, now.new_members) == (6, 5, 5, 1)
    assert (now.questions, now.replies.answered, now.posts, now.visits) == (4, 2, 6, 5)
    assert now.replies.median == 16.0 and now.replies.p90 == pytest.approx(27.2)
    assert now.newcomer_replies.asked == 3 and now.newcomer_replies.median == 2.0
    assert now.replies.within_day_share == 25
    assert (before.new_members, before.members, before.posts, before.questions) == (1, 5, 0, 0)
    tags = {row["name"]: row["current"] for row in report.tags}
    assert tags == {"risk": 4, "benefits": 3, "procurement": 1}
    assert [(row["name"], row["current"]) for row in report.categories] == [("Questions", 6)]
    assert sum(w.posts for w in report.weeks) == 6 and sum(w.visits for w in report.weeks) == 5


def test_rolled_up_periods_equal_counting_the_events_directly(hand):
    """The period's distinct members, counted straight from each day's live computation."""
    today = timezone.localdate()
    active, contributors = set(), set()
    for days_ago in range(1, 8):
        live = rollups.compute_day(hand.community, today - timedelta(days=days_ago))
        active |= set(live.member_rungs)
        contributors |= {u for u, r in live.member_rungs.items() if r >= 3}
    report = figures.health(hand.community, 7)
    assert (report.current.active_members, report.current.contributors) == (len(active), len(contributors))


def test_todays_live_counts_equal_the_day_computation(community, member, facilitator):
    data = build(community)
    from communities import activity

    activity.record(community=community, actor=data.ann, verb="thread_started", topic="t:9", tags=[], question=True)
    activity.record(community=community, actor=data.eve, verb="post_replied", topic="t:9")
    live = rollups.compute_day(community, timezone.localdate())
    so_far = figures.today_so_far(community)
    assert so_far == {k: live.stats[k] for k in so_far}
    assert so_far["questions"] == 1 and so_far["posts"] == 2


def test_newsletter_sends_are_marked_on_the_charts_and_the_spike_shows(community, facilitator):
    build(community)
    Newsletter.objects.create(
        community=community,
        period=timezone.localdate().replace(day=1),
        subject="March issue",
        status="sent",
        sent_at=at(3, 7),
    )
    rollups.rollup_community(community)
    assert Marker.objects.filter(community=community, label="March issue").count() == 1
    response = login(facilitator).get(url(community))
    html = page_source(response)
    assert "<title>March issue</title>" in html
    report = figures.health(community, 7)
    marked = [w for w in report.weeks if w.markers]
    assert len(marked) == 1 and marked[0].markers[0][2] == "March issue"
    # The spike: nothing was posted in the weeks before the send, and the send's week carries posts.
    index = report.weeks.index(marked[0])
    assert all(w.posts == 0 for w in report.weeks[:index]) and marked[0].posts > 0


def test_the_page_shows_both_periods_charts_and_tables(hand, client_as):
    response = client_as("facilitator").get(url(hand.community) + "?days=7")
    assert response.status_code == 200
    text = text_of(response)
    assert "Questions asked 4 0" in text
    assert "Median time to first reply (hours) 16.0 —" in text
    assert "a median or 90th percentile is within an hour of the exact figure" in text
    html = page_source(response)
    assert html.count("<svg") == 4 and "Weekly figures" in html
    assert "script" not in html.split("<main", 1)[1].split("</main>", 1)[0].lower()


def test_csv_exports_carry_the_figures(hand, client_as):
    client = client_as("owner")
    summary = client.get(reverse("facilitation:health_csv", args=[hand.community.slug, "summary"]) + "?days=7")
    assert summary["Content-Type"].startswith("text/csv")
    assert "Questions asked,4,0" in summary.content.decode()
    tags = client.get(reverse("facilitation:health_csv", args=[hand.community.slug, "tags"]) + "?days=7")
    assert "risk,4,0" in tags.content.decode()
    weekly = client.get(reverse("facilitation:health_csv", args=[hand.community.slug, "weekly"]))
    assert len(weekly.content.decode().strip().splitlines()) == 53
    assert client.get(reverse("facilitation:health_csv", args=[hand.community.slug, "nope"])).status_code == 404


def test_hostile_tag_and_category_names_are_escaped(community, facilitator):
    from communities import activity

    data = build(community)
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    yesterday = at(1, 10)
    event = activity.record(
        community=community,
        actor=data.ann,
        verb="thread_started",
        topic="t:x",
        tags=[payload, "=HYPERLINK(1)"],
        category=payload,
        question=True,
    )
    type(event).objects.filter(pk=event.pk).update(created_at=yesterday)
    rollups.rollup_community(community)
    client = login(facilitator)
    html = client.get(url(community)).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    csv_text = client.get(reverse("facilitation:health_csv", args=[community.slug, "tags"])).content.decode()
    assert "'=HYPERLINK(1)" in csv_text


def _grow(community, members: int):
    """More members and a few weeks of events, so the second size differs from the first."""
    from communities import activity
    from communities.models import ActivityEvent

    for i in range(members):
        user = make_user(first_name=f"Extra{i}")
        make_membership(community, user, joined_at=at(20 + i, 8))
        event = activity.record(
            community=community,
            actor=user,
            verb="thread_started",
            topic=f"g:{i}",
            tags=[f"tag{i % 7}"],
            category=f"Cat {i % 3}",
            question=True,
        )
        ActivityEvent.objects.filter(pk=event.pk).update(created_at=at(1 + i % 60, 9))


@pytest.mark.parametrize("extra", [0, 40])
def test_health_stays_within_its_query_budget(community, facilitator, extra, django_assert_max_num_queries):
    build(community)
    _grow(community, extra)
    rollups.rollup_community(community)
    client = login(facilitator)
    with django_assert_max_num_queries(10):
        assert client.get(url(community) + "?days=90").status_code == 200


WAITS = [0.1, 0.4, 0.9, 5.25, 5.5, 5.75, 24.0, 24.5, 50.0]  # hours, one question each; one more is not answered


def test_reply_times_from_hour_buckets_are_within_an_hour_of_the_exact_figures(community, facilitator):
    """Reply times are summed in whole-hour buckets (each wait taken as its bucket's mean), so the median and
    90th percentile are less than an hour from percentile_cont over every wait; the counts are exact."""
    from communities import activity
    from communities.models import ActivityEvent

    asker = make_membership(community, make_user(), joined_at=at(100, 8)).user
    helper = make_membership(community, make_user()).user
    for i, wait in enumerate([*WAITS, None]):
        asked = at(3, 6)
        for actor, verb, when in ((asker, "thread_started", asked), (helper, "post_replied", None)):
            if verb == "post_replied" and wait is None:
                continue
            data = {"tags": ["risk"], "question": True} if verb == "thread_started" else {}
            event = activity.record(community=community, actor=actor, verb=verb, topic=f"w:{i}", **data)
            ActivityEvent.objects.filter(pk=event.pk).update(created_at=when or asked + timedelta(hours=wait))
    rollups.rollup_community(community)
    replies = figures.health(community, 7).current.replies
    assert (replies.asked, replies.answered, replies.within_day) == (10, 9, 7)  # 24.0 h is within a day
    assert abs(replies.median - figures.percentile(WAITS, 0.5)) < 1 and replies.median == pytest.approx(5.5)
    assert abs(replies.p90 - figures.percentile(WAITS, 0.9)) < 1
    # Bucket 0 holds 0.1, 0.4 and 0.9 (mean 0.467): the lowest figures are approximate, not exact.
    assert figures.percentile(WAITS, 0.1) == pytest.approx(0.34)
    assert figures.bucket_percentile([(1.4 / 3, 3), (5.5, 3), (24.0, 1), (24.5, 1), (50.0, 1)], 0.1) == pytest.approx(
        1.4 / 3
    )


def test_period_reply_figures_equal_those_counted_from_every_question(hand):
    """The summed ReplyHours equal the period's Topic rows bucketed directly."""
    from collections import Counter

    from facilitation.models import ReplyHours, Topic

    topics = Topic.objects.filter(community=hand.community, is_question=True)
    direct = Counter(
        (t.by_newcomer, None if t.first_reply_at is None else rollups.reply_hour(t.started_at, t.first_reply_at))
        for t in topics
    )
    stored = Counter()
    for row in ReplyHours.objects.filter(community=hand.community, days=1):
        stored[(row.by_newcomer, row.hour)] += row.questions
    assert stored == direct and sum(direct.values()) == 4


def test_health_periods_summed_by_the_task_equal_the_sums_of_their_days(hand):
    """The period rows (read when the task has stored yesterday) against the day rows summed on the page (read
    when it has not: a period ending today, rolled up to yesterday, holds the same questions)."""
    from collections import Counter

    from facilitation.models import ReplyHours

    yesterday = timezone.localdate() - timedelta(days=1)
    for start, days in rollups.period_starts(yesterday):
        summed, stored = Counter(), Counter()
        for row in ReplyHours.objects.filter(community=hand.community, days=1, day__gte=start):
            if row.day < start + timedelta(days=days):
                summed[(row.by_newcomer, row.hour)] += row.questions
        for row in ReplyHours.objects.filter(community=hand.community, days=days, day=start):
            stored[(row.by_newcomer, row.hour)] += row.questions
        assert stored == summed, (start, days)
    from_periods = figures.health(hand.community, 7).current
    from_days = figures.health(hand.community, 7, today=timezone.localdate() + timedelta(days=1)).current
    assert from_periods.replies == from_days.replies and from_periods.replies.median == 16.0
    assert from_periods.newcomer_replies == from_days.newcomer_replies
