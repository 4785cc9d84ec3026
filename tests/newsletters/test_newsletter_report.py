"""The facilitator's report on a sent issue, and the query counts of the busiest newsletter pages."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from communities.models import ActivityEvent, CommunityVisit, Membership, Segment
from newsletters.models import Click, Delivery, Newsletter

from ..factories import make_community
from ..helpers import text_of
from .helpers import item, local, make_newsletter, url

pytestmark = pytest.mark.django_db

S = Delivery.Status


# --- The report ------------------------------------------------------------------------------------------------


def bulk_users(n: int, prefix: str) -> list[User]:
    return User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.org", first_name=prefix, handle=f"{prefix}-{i}") for i in range(n)]
    )


def deliveries(newsletter, statuses: list[str], prefix="r") -> list[Delivery]:
    users = bulk_users(len(statuses), prefix)
    return Delivery.objects.bulk_create(
        [
            Delivery(newsletter=newsletter, recipient=u, email=u.email, status=status, error="550 No such user")
            for u, status in zip(users, statuses, strict=True)
        ]
    )


@pytest.fixture
def sent_day():
    return timezone.localdate() - timedelta(days=3)


@pytest.fixture
def sent(community, sent_day):
    return make_newsletter(
        community,
        status=Newsletter.Status.SENT,
        sent_at=local(sent_day, 10, 0),
        sections=[("threads", "Threads", [item("T", "/c/ppm/forums/t/1/"), item("A", "/c/ppm/forums/t/2/")])],
    )


def test_the_report_counts_deliveries_opens_clicks_and_unsubscribes_and_ranks_the_links(as_facilitator, sent):
    d = deliveries(sent, [S.SENT, S.SENT, S.SENT, S.SENT, S.FAILED, S.BOUNCED, S.PENDING])
    now = timezone.now()
    Delivery.objects.filter(pk__in=[d[0].pk, d[1].pk, d[2].pk]).update(opened_at=now)
    Delivery.objects.filter(pk__in=[d[0].pk, d[1].pk]).update(clicked_at=now)
    Delivery.objects.filter(pk=d[3].pk).update(unsubscribed_at=now)
    Click.objects.bulk_create(
        [
            Click(delivery=d[0], url="/c/ppm/forums/t/1/"),
            Click(delivery=d[0], url="/c/ppm/forums/t/1/"),
            Click(delivery=d[1], url="/c/ppm/forums/t/1/"),
            Click(delivery=d[1], url="/c/ppm/forums/t/2/"),
        ]
    )

    page = text_of(as_facilitator.get(url("report", sent)))

    assert "4 delivered of 7" in page
    assert "1 still sending" in page
    assert "2 failed (1 address refused)" in page
    assert "3 opened (75%)" in page
    assert "2 clicked (50%)" in page
    assert "1 unsubscribed" in page
    assert "Top links Link Clicks People /c/ppm/forums/t/1/ 3 2 /c/ppm/forums/t/2/ 1 1" in page
    assert "Failed deliveries" in page and "r5@example.org Address refused 550 No such user" in page


def test_the_report_shows_how_far_activity_rose_after_sending(as_facilitator, community, sent, sent_day):
    visitors = bulk_users(3, "v")
    before = [sent_day - timedelta(days=n) for n in range(1, 15)]
    CommunityVisit.objects.bulk_create([CommunityVisit(community=community, user=visitors[0], day=d) for d in before])
    after = {
        sent_day: ["post_replied", "thread_started", "hotseat_question_asked"],
        sent_day + timedelta(days=1): ["article_published"],
    }
    events = [
        ActivityEvent(community=community, verb=verb, created_at=local(day, 12))
        for day, verbs in after.items()
        for verb in verbs
    ]
    elsewhere = make_community(name="Elsewhere")
    events += [
        ActivityEvent(community=community, verb="joined", created_at=local(sent_day, 13)),  # not a contribution
        ActivityEvent(community=elsewhere, verb="post_replied", created_at=local(sent_day, 13)),
        ActivityEvent(community=community, verb="post_replied", created_at=local(sent_day - timedelta(days=20))),
    ]
    ActivityEvent.objects.bulk_create(events)
    CommunityVisit.objects.bulk_create(
        [
            CommunityVisit(community=community, user=visitors[1], day=sent_day + timedelta(days=1)),
            CommunityVisit(community=community, user=visitors[1], day=sent_day + timedelta(days=3)),
            CommunityVisit(community=community, user=visitors[2], day=sent_day + timedelta(days=3)),
            CommunityVisit(community=elsewhere, user=visitors[2], day=sent_day + timedelta(days=2)),
        ]
    )

    page = text_of(as_facilitator.get(url("report", sent)))

    # Before: 14 visits over 14 days. Since: 7 over 4 days (sending day to today) = 1.75 a day, 75% up.
    busiest = f"{sent_day.day} {sent_day:%b}"
    assert (
        "Daily activity since sending is 75% above the 14-day baseline (1.8 a day against 1.0); "
        f"the busiest day was {busiest} with 3." in page
    )


# --- Query counts ----------------------------------------------------------------------------------------------
# Measured on SQLite and PostgreSQL, for a facilitator, whatever the number of issues, members, segments or
# deliveries: the archive 5 (session, user, memberships, community, issues; it ran one more per issue until the
# issues came with their community), the edit page 10 and the report 10.

ARCHIVE_QUERIES, EDIT_QUERIES, REPORT_QUERIES = 5, 10, 10


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_archive_page_runs_the_same_queries_for_5_or_200_issues(
    as_facilitator, community, django_assert_max_num_queries
):
    def add_issues(start, n):
        Newsletter.objects.bulk_create(
            [
                Newsletter(
                    community=community,
                    period=datetime(2000 + i // 12, i % 12 + 1, 1).date(),
                    subject=f"Issue {i}",
                    status=Newsletter.Status.SENT if i % 2 else Newsletter.Status.DRAFT,
                    sent_at=timezone.now(),
                )
                for i in range(start, start + n)
            ]
        )

    path = reverse("newsletters:archive", args=["ppm"])
    add_issues(0, 5)
    small = count_queries(as_facilitator, path)
    add_issues(5, 195)
    with django_assert_max_num_queries(ARCHIVE_QUERIES):
        page = as_facilitator.get(path)

    assert page.content.decode().count("/newsletter/") >= 200
    assert count_queries(as_facilitator, path) == small


def test_the_edit_page_runs_the_same_queries_for_5_or_200_members_and_segments(
    as_facilitator, community, draft, django_assert_max_num_queries
):
    def grow(n, prefix):
        users = bulk_users(n, prefix)
        memberships = Membership.objects.bulk_create(
            [Membership(community=community, user=u, joined_at=timezone.now()) for u in users]
        )
        segments = Segment.objects.bulk_create([Segment(community=community, name=f"{prefix}{i}") for i in range(n)])
        Membership.segments.through.objects.bulk_create(
            [Membership.segments.through(membership=m, segment=s) for m, s in zip(memberships, segments, strict=True)]
        )
        draft.segments.add(*segments[:2])

    grow(5, "a")
    small = count_queries(as_facilitator, url("edit", draft))
    grow(195, "b")
    with django_assert_max_num_queries(EDIT_QUERIES):
        as_facilitator.get(url("edit", draft))

    assert count_queries(as_facilitator, url("edit", draft)) == small


def test_the_report_page_runs_the_same_queries_for_5_or_200_deliveries(
    as_facilitator, sent, django_assert_max_num_queries
):
    def grow(n, prefix):
        rows = deliveries(sent, [[S.SENT, S.FAILED, S.BOUNCED, S.PENDING][i % 4] for i in range(n)], prefix)
        Click.objects.bulk_create([Click(delivery=d, url=f"/c/ppm/forums/t/{i % 7}/") for i, d in enumerate(rows)])
        Delivery.objects.filter(pk__in=[d.pk for d in rows[::3]]).update(opened_at=timezone.now())

    grow(5, "a")
    small = count_queries(as_facilitator, url("report", sent))
    grow(195, "b")
    with django_assert_max_num_queries(REPORT_QUERIES):
        as_facilitator.get(url("report", sent))

    assert count_queries(as_facilitator, url("report", sent)) == small
