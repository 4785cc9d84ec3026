"""Facilitation benchmark: the Health page and the knowledge map on a community of 100,000 members and 1,000,000
posts, and one day's roll-up at that size.

The pages read roll-up rows only, so the data set is those rows, built in bulk by SQL (`generate_series`) to the
shape the beat task leaves after a year of 1,000,000 posts: a CommunityDay per day, a MemberDay per active member
per day (3% of members a day), a Topic per question (a fifth of the posts), LabelDay and Evidence rows; the spans
(distinct members per week and per period) are then computed by the real `store_span`. One day of raw events and
visits is added to time the task's work for a day (`compute_day` + `store_day`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench_facilitation .venv/bin/python bench/facilitation.py \
        [--members 100000] [--posts 1000000] [--requests 50] [--write]
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
START, END = "<!-- facilitation results start -->", "<!-- facilitation results end -->"
TAGS = 40
CATEGORIES = 10

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure_environment, database_config, ensure_database, log, masked, start_django  # noqa: E402


def build(members: int, posts: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from communities.models import Community, Membership
    from facilitation.rollups import (
        period_starts,
        store_knowledge,
        store_reply_hours,
        store_reply_span,
        store_span,
        week_of,
    )

    today = timezone.localdate()
    first_day = today - timedelta(days=365)
    active_per_day = max(members * 3 // 100, 10)
    questions = posts // 5
    with transaction.atomic():
        facilitator = User.objects.create_user(email="facilitator@bench.example", password="x", first_name="Fay")
        community = Community.objects.create(name="Bench community", slug="bench", description="Bench")
        other = Community.objects.create(name="Sister community", slug="sister", description="Shares tags")
        Membership.objects.create(
            community=community, user=facilitator, role="facilitator", joined_at=timezone.now() - timedelta(days=800)
        )
        c, o = community.pk, other.pk
        with connection.cursor() as cur:
            cur.execute(
                """INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff, is_active,
                       date_joined, email, time_zone, handle)
                   SELECT '!', false, 'Member', 'No ' || i, false, true, now(), 'm' || i || '@bench.example', '',
                          'bench-' || i
                   FROM generate_series(1, %s) i""",
                [members],
            )
            cur.execute("SELECT min(id), max(id) FROM accounts_user WHERE email LIKE 'm%%@bench.example'")
            low, high = cur.fetchone()
            cur.execute(
                """INSERT INTO communities_membership (role, status, request_message, decision_note, created_at,
                       joined_at, welcomed_at, welcome_method, welcome_html, community_id, user_id)
                   SELECT 'member', 'active', '', '', j, j, CASE WHEN u %% 10 < 6 THEN j + interval '5 hours' END,
                          CASE WHEN u %% 10 < 3 THEN 'personal' WHEN u %% 10 < 6 THEN 'automatic' ELSE '' END, '',
                          %s, u
                   FROM (SELECT id AS u, now() - ((id * 7919) %% 730) * interval '1 day' AS j
                         FROM accounts_user WHERE id BETWEEN %s AND %s) m""",
                [c, low, high],
            )
            log(f"{members:,} members")
            cur.execute(
                """INSERT INTO facilitation_communityday (community_id, day, members, new_members, visits,
                       active_members, contributors, posts, questions, answers, rungs, computed_at)
                   SELECT %s, %s::date + d, %s, %s / 730, %s * 9 / 10, %s, %s / 5,
                          %s / 365 * (8 + (d %% 7)) / 10, %s / 365, %s / 365 * 3, '{}', now()
                   FROM generate_series(0, 364) d""",
                [
                    c,
                    first_day,
                    members,
                    members,
                    active_per_day,
                    active_per_day,
                    active_per_day,
                    posts,
                    questions,
                    questions,
                ],
            )
            cur.execute(
                """INSERT INTO facilitation_memberday (community_id, day, user_id, rung, reactions)
                   SELECT %s, %s::date + d, %s + ((k::bigint * 7919 + d * 104729) %% %s),
                          CASE WHEN k %% 10 < 6 THEN 1 WHEN k %% 10 = 6 THEN 2 WHEN k %% 10 = 7 THEN 3
                               WHEN k %% 10 = 8 THEN 4 WHEN k %% 50 = 9 THEN 6 ELSE 5 END,
                          CASE WHEN k %% 10 = 6 THEN 1 ELSE 0 END
                   FROM generate_series(0, 364) d, generate_series(1, %s) k
                   ON CONFLICT DO NOTHING""",
                [c, first_day, low, members, active_per_day],
            )
            log(f"{active_per_day * 365:,} member-days")
            cur.execute(
                """INSERT INTO facilitation_topic (community_id, key, starter_id, started_at, is_question,
                       by_newcomer, first_of_starter, first_reply_at, tags, category)
                   SELECT %s, 'forums.thread:' || k, %s + (k * 13 %% %s), t, true, k %% 5 = 0, k %% 7 = 0,
                          CASE WHEN k %% 10 = 0 THEN NULL ELSE t + (k %% 72) * interval '1 hour' END,
                          jsonb_build_array('tag' || (k %% %s), 'tag' || ((k * 3) %% %s)), 'Category ' || (k %% %s)
                   FROM (SELECT k, now() - (k %% 365) * interval '1 day' - (k %% 24) * interval '1 hour' AS t
                         FROM generate_series(1, %s) k) q""",
                [c, low, members, TAGS, TAGS, CATEGORIES, questions],
            )
            log(f"{questions:,} questions")
            for community_id, share in ((c, 1), (o, 3)):
                cur.execute(
                    """INSERT INTO facilitation_labelday (community_id, day, kind, name, posts)
                       SELECT %s, %s::date + d, 'tag', 'tag' || t, %s / 365 / %s / %s FROM generate_series(0, 364) d,
                              generate_series(0, %s - 1) t
                       UNION ALL
                       SELECT %s, %s::date + d, 'category', 'Category ' || t, %s / 365 / %s
                       FROM generate_series(0, 364) d, generate_series(0, %s - 1) t""",
                    [
                        community_id,
                        first_day,
                        posts,
                        TAGS,
                        share,
                        TAGS,
                        community_id,
                        first_day,
                        posts,
                        CATEGORIES,
                        CATEGORIES,
                    ],
                )
            cur.execute(
                """INSERT INTO facilitation_evidence (community_id, day, user_id, tag, accepted, helpful, hosted,
                       library)
                   SELECT %s, %s::date + (k %% 365), %s + ((k::bigint * 104729) %% %s), 'tag' || (k %% %s),
                          (k %% 3 = 0)::int, 1 + k %% 2, (k %% 97 = 0)::int, (k %% 11 = 0)::int
                   FROM generate_series(1, %s) k ON CONFLICT DO NOTHING""",
                [c, first_day, low, members, TAGS, posts // 5],
            )
            cur.execute(
                """INSERT INTO facilitation_marker (community_id, day, at, kind, label)
                   SELECT %s, (%s::date + m * 30), (%s::date + m * 30)::timestamptz, 'newsletters.sent',
                          'Issue ' || m FROM generate_series(0, 11) m""",
                [c, first_day, first_day],
            )
            cur.execute("ANALYZE")
    started = time.perf_counter()
    week = week_of(first_day)
    while week <= today:
        store_span(c, week, 7)
        week += timedelta(days=7)
    for start, days in period_starts(today - timedelta(days=1)):
        store_span(c, start, days)
    log(f"spans computed by store_span in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    store_reply_hours(c, {first_day + timedelta(days=d) for d in range(366)})
    for start, days in period_starts(today - timedelta(days=1)):
        store_reply_span(c, start, days)
    log(f"reply-time histograms computed by store_reply_hours in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    store_knowledge(community, {f"tag{t}" for t in range(TAGS)})
    store_knowledge(other, set())
    log(f"tag totals and top members computed by store_knowledge in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {"community": community, "facilitator": facilitator, "low": low, "members": members}


def one_day(data: dict, posts: int) -> float:
    """Raw events and visits for today, rolled up by the real code: seconds for compute_day + store_day and the
    knowledge rows it changes (store_knowledge)."""
    from django.db import connection
    from django.utils import timezone

    from facilitation.rollups import compute_day, store_day, store_knowledge

    c, low, members = data["community"].pk, data["low"], data["members"]
    events = posts // 365
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO communities_activityevent (community_id, actor_id, verb, data, created_at)
               SELECT %s, %s + (k * 31 %% %s), CASE WHEN k %% 5 = 0 THEN 'thread_started' ELSE 'post_replied' END,
                      CASE WHEN k %% 5 = 0 THEN jsonb_build_object('topic', 'forums.thread:n' || k, 'question', true,
                               'tags', jsonb_build_array('tag' || (k %% 40)), 'category', 'Category 1')
                           ELSE jsonb_build_object('topic', 'forums.thread:' || (k * 17 %% 1000 + 1)) END,
                      date_trunc('day', now()) + (k %% 86000) * interval '1 second'
               FROM generate_series(1, %s) k""",
            [c, low, members, events],
        )
        cur.execute(
            """INSERT INTO communities_communityvisit (community_id, user_id, day)
               SELECT %s, %s + (k * 7 %% %s), current_date FROM generate_series(1, %s) k ON CONFLICT DO NOTHING""",
            [c, low, members, members * 3 // 100],
        )
    started = time.perf_counter()
    changed = store_day(compute_day(data["community"], timezone.localdate()))
    store_knowledge(data["community"], changed)
    return time.perf_counter() - started


def time_pages(data: dict, requests: int) -> list[tuple]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(data["facilitator"])
    slug = data["community"].slug
    pages = [
        ("Health, 30 days", reverse("facilitation:health", args=[slug]) + "?days=30"),
        ("Health, 90 days", reverse("facilitation:health", args=[slug]) + "?days=90"),
        ("Health, 365 days", reverse("facilitation:health", args=[slug]) + "?days=365"),
        ("Knowledge map", reverse("facilitation:knowledge_map", args=[slug])),
    ]
    results = []
    for label, path in pages:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        reset_queries()  # the log holds only 9,000 queries
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries.captured_queries)  # read now: the next request_started empties the log
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results.append((label, statistics.median(times), p95, count, sql_ms))
        log(f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, {count} queries")
    return results


def reused() -> dict:
    from accounts.models import User
    from communities.models import Community
    from facilitation.models import ReplyHours, TagTotal
    from facilitation.rollups import _backfill_reply_hours, period_starts, store_knowledge, store_reply_span

    community = Community.objects.get(slug="bench")
    # A data set built before the second-level roll-ups existed gets them from the real code, as the task would.
    if not ReplyHours.objects.filter(community=community).exists():
        from django.utils import timezone

        _backfill_reply_hours(community, timezone.localdate())
        for start, days in period_starts(timezone.localdate() - timedelta(days=1)):
            store_reply_span(community.pk, start, days)
    if not TagTotal.objects.filter(community=community).exists():
        for each in Community.objects.filter(slug__in=["bench", "sister"]):
            store_knowledge(each, set())
    return {"community": community, "facilitator": User.objects.get(email="facilitator@bench.example")}


def read_meta() -> dict:
    """What the run that built the data set noted (kept as the database's comment, with the data)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")
        note = cur.fetchone()[0]
    try:
        return json.loads(note or "{}")
    except ValueError:
        return {}


def write_meta(meta: dict) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cur.execute(f"COMMENT ON DATABASE {name} IS %s", [json.dumps(meta)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="update the facilitation block in bench/README.md")
    parser.add_argument("--reuse", action="store_true", help="time the data set the last run built")
    parser.add_argument("--profile", action="store_true", help="profile one request of each page instead")
    args = parser.parse_args(argv)
    configure_environment()
    url, cfg = database_config()
    if "bench" not in cfg.get("NAME", "") or "postgresql" not in cfg.get("ENGINE", ""):
        sys.exit("Refusing: DATABASE_URL must name a PostgreSQL database whose name contains 'bench'.")
    ensure_database(cfg, fresh=not args.reuse)
    start_django()
    if args.profile:
        import cProfile
        import pstats

        data = reused() if args.reuse else build(args.members, args.posts)
        from django.test import Client
        from django.urls import reverse

        client = Client()
        client.force_login(data["facilitator"])
        for name in ("health", "knowledge_map"):
            path = reverse(f"facilitation:{name}", args=["bench"])
            client.get(path)
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
            pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        return 0
    started = time.perf_counter()
    if args.reuse:  # the last run's data set; its build and one-day roll-up figures are the ones that run noted
        data = reused()
        meta = read_meta()
        args.members, args.posts = meta.get("members", args.members), meta.get("posts", args.posts)
        built, day, built_at = meta.get("built", float("nan")), meta.get("day", float("nan")), meta.get("at", "?")
    else:
        data = build(args.members, args.posts)
        built = time.perf_counter() - started
        log(f"data set built in {built:.0f} s")
        day = one_day(data, args.posts)
        built_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        write_meta({"members": args.members, "posts": args.posts, "built": built, "day": day, "at": built_at})
    log(f"one day's roll-up ({args.posts // 365:,} events, {args.members * 3 // 100:,} visits): {day:.2f} s")
    load_before = os.getloadavg()
    results = time_pages(data, args.requests)
    load_after = os.getloadavg()
    lines = [
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {masked(url)}: {args.members:,} members, "
        f"{args.posts:,} posts' worth of roll-ups (built in {built:.0f} s at {built_at}"
        f"{', reused' if args.reuse else ''}), {args.requests} timed requests per page "
        f"after 3 untimed. Load average {load_before[0]:.1f} before and {load_after[0]:.1f} after the timing "
        "(the machine is shared).",
        "",
        "| page | median | p95 | queries | SQL time of one request |",
        "|---|---|---|---|---|",
        *(
            f"| {label} | {median:.1f} ms | {p95:.1f} ms | {queries} | {sql:.1f} ms |"
            for label, median, p95, queries, sql in results
        ),
        "",
        f"One day's roll-up (`compute_day` + `store_day` + `store_knowledge`, {args.posts // 365:,} events and "
        f"{args.members * 3 // 100:,} visits): {day:.2f} s (when the data set was built).",
    ]
    block = "\n".join(lines)
    print(block)
    if args.write:
        text = README.read_text()
        if START not in text:
            text = text.rstrip("\n") + f"\n\n## Facilitation\n\n{START}\n{END}\n"
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        README.write_text(f"{head}{START}\n{block}\n{END}{tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
