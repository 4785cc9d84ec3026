"""Long threads cost what short ones cost: page 1, page 250 and the last page of a 10,000-reply thread against
page 1 of a 100-post thread, and a reply POST into each, through the whole Django stack in this process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench_long .venv/bin/python bench/long_thread.py \\
        [--replies 10000] [--requests 100] [--write]

The two threads are built in bulk (9 in 10 replies top level, the rest one level below, as a busy thread
branches), numbered with `forums.services.number_branches` as `post_reply` would have numbered them. Pages are
requested anonymously and as a member (whose read marker is current, as for a returning reader), round-robin
so load from elsewhere hits every row alike. Goal (issue 11): every row within 1.25x of the short thread's and
the same query count.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import configure_environment, database_config, ensure_database, log, start_django  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START, RESULTS_END = "<!-- long-thread-results -->", "<!-- /long-thread-results -->"
SLUG = "bench-long"


def build(replies: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from communities.models import Community, Membership
    from forums.models import Category, Post, Thread, ThreadRead
    from forums.services import number_branches

    Community.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__endswith="@long.bench").delete()
    start = timezone.now() - timedelta(days=60)
    with transaction.atomic():
        community = Community.objects.create(name="Long threads", slug=SLUG, visibility="public")
        users = [
            User.objects.create_user(email=f"user{i}@long.bench", first_name="User", last_name=str(i))
            for i in range(20)
        ]
        Membership.objects.bulk_create(
            Membership(community=community, user=u, status="active", role="member", joined_at=start) for u in users
        )
        category = Category.objects.create(community=community, name="General", slug="general")
        body = "<p>" + "A reply about the risk register and the gateway review, with some detail. " * 6 + "</p>"
        for title, n in (("Long thread", replies), ("Short thread", 99)):
            thread = Thread.objects.create(
                community=community, category=category, title=title, author=users[0], created_at=start
            )
            Post.objects.create(thread=thread, author=users[0], body="Opening", body_html=body, is_opening=True)
            top = n - n // 10
            roots = Post.objects.bulk_create(
                (
                    Post(
                        thread=thread,
                        author=users[i % 20],
                        depth=1,
                        body="Reply",
                        body_html=body,
                        created_at=start + timedelta(seconds=10 * i),
                    )
                    for i in range(top)
                ),
                batch_size=5000,
            )
            Post.objects.bulk_create(
                (
                    Post(
                        thread=thread,
                        author=users[(i + 3) % 20],
                        parent=roots[i * 9 % top],
                        root_id=roots[i * 9 % top].pk,
                        depth=2,
                        body="Nested",
                        body_html=body,
                        created_at=roots[i * 9 % top].created_at + timedelta(seconds=5),
                    )
                    for i in range(n - top)
                ),
                batch_size=5000,
            )
            Thread.objects.filter(pk=thread.pk).update(reply_count=n, last_activity_at=start + timedelta(days=1))
            ThreadRead.objects.create(thread=thread, user=users[1], read_at=start + timedelta(days=2))
        number_branches(Thread.objects.filter(community=community))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure(requests: int) -> list[tuple[str, list[float], list[int]]]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from forums.models import Thread

    long = Thread.objects.get(community__slug=SLUG, title="Long thread")
    short = Thread.objects.get(community__slug=SLUG, title="Short thread")
    last = max(1, -(-long.root_count // settings.FORUM_REPLIES_PER_PAGE))
    anonymous, member = Client(), Client()
    member.force_login(User.objects.get(email="user1@long.bench"))
    rows = []
    for who, client in (("anonymous", anonymous), ("member", member)):
        rows += [
            (f"Short thread (99 replies), page 1, {who}", client, short.get_absolute_url()),
            (f"Long thread ({long.reply_count:,} replies), page 1, {who}", client, long.get_absolute_url()),
            (f"Long thread, page 250, {who}", client, f"{long.get_absolute_url()}?page=250"),
            (f"Long thread, last page ({last}), {who}", client, f"{long.get_absolute_url()}?page={last}"),
        ]
    times = {label: [] for label, _, _ in rows}
    queries = {label: [] for label, _, _ in rows}
    for _ in range(3):
        for _, client, url in rows:
            client.get(url)
    for _ in range(requests):
        for label, client, url in rows:
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(url)
                times[label].append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (label, response.status_code)
            queries[label].append(len(captured.captured_queries))
    # Reply POSTs: into the long thread and into a new thread each time (the same member, no rate limit here).
    posts = {"Reply POST into a new thread": [], "Reply POST into the long thread": []}
    post_queries = {k: [] for k in posts}
    poster = Client()
    poster.force_login(User.objects.get(email="user2@long.bench"))
    for i in range(min(requests, 50)):
        fresh = Thread.objects.create(
            community=long.community, category=long.category, title=f"New {i}", author=long.author
        )
        for label, thread in (("Reply POST into the long thread", long), ("Reply POST into a new thread", fresh)):
            url = reverse("forums:thread_reply", args=[SLUG, thread.pk])
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = poster.post(url, {"body": f"A reply number {i}, about the gateway review."})
                posts[label].append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 302, (label, response.status_code)
            post_queries[label].append(len(captured.captured_queries))
    return [(label, times[label], queries[label]) for label in times] + [
        (label, posts[label], post_queries[label]) for label in posts
    ]


def table(results) -> str:
    def p(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

    base = {}
    lines = ["| Page | Median ms | p95 ms | × short thread's | Queries |", "|---|---:|---:|---:|---:|"]
    for label, times, queries in results:
        median = statistics.median(times)
        key = "post" if label.startswith("Reply POST") else label.rsplit(", ", 1)[-1]
        base.setdefault(key, median)
        qs = sorted(set(queries))
        lines.append(
            f"| {label} | {median:.1f} | {p(times, 0.95):.1f} | {median / base[key]:.2f} | "
            f"{'/'.join(str(q) for q in qs)} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep the threads if they are there")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("FORUM_POSTS_PER_HOUR", "1000000")
    configure_environment()
    url, cfg = database_config()
    if "bench" not in str(cfg.get("NAME", "")) or "postgresql" not in cfg["ENGINE"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    ensure_database(cfg)
    start_django()
    from forums.models import Thread

    loads = [os.getloadavg()[0]]
    if not (args.reuse and Thread.objects.filter(community__slug=SLUG, reply_count=args.replies).exists()):
        log(f"building a {args.replies:,}-reply thread and a 99-reply one")
        build(args.replies)
    log(f"measuring: {args.requests} requests per page")
    results = measure(args.requests)
    loads.append(os.getloadavg()[0])
    block = "\n".join(
        [
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; 1-minute load average "
            f"{' → '.join(f'{x:.1f}' for x in loads)}; `bench/long_thread.py --replies {args.replies} "
            f"--requests {args.requests}`",
            "",
            table(results),
        ]
    )
    print(f"\n{block}\n")
    if args.write:
        text = README.read_text()
        if RESULTS_START not in text:
            text = text.rstrip("\n") + f"\n\n{RESULTS_START}\n{RESULTS_END}\n"
        head, rest = text.split(RESULTS_START, 1)
        README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{rest.split(RESULTS_END, 1)[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
