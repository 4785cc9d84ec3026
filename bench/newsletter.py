#!/usr/bin/env python
"""Newsletter benchmark: build one issue for thousands of members and send it through real Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench_newsletter .venv/bin/python bench/newsletter.py \
        [--subscribers 10000] [--workers 1] [--concurrency 2] [--reuse] [--write]

Creates the database if it is missing, migrates it, builds one community with N subscribers (or, with --reuse,
keeps the one already there), then for each worker configuration: prepares a fresh issue
(`services.newsletter_prepare`), starts sending it (`services.newsletter_start_sending`, whose fan-out
`sending.create_deliveries` is timed on its own) and waits until `celery worker` processes on a Redis queue of
this run's own have handed every message to an SMTP sink on loopback. See bench/README.md.
"""

import argparse
import contextlib
import itertools
import os
import platform
import random
import re
import shlex
import smtplib
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    ORGANISATIONS,
    configure_environment,
    database_config,
    ensure_database,
    log,
    masked,
    prepare_data,
    start_django,
)
from tests.support.smtp_sink import SmtpSink  # noqa: E402  (the repository root must be on the path first)
from tests.support.workers import Worker, WorkerProblem  # noqa: E402
from tests.support.workers import start_worker as launch_worker  # noqa: E402
from tests.support.workers import wait_until_ready as wait_for_workers  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START, RESULTS_END = "<!-- newsletter-results -->", "<!-- /newsletter-results -->"
BATCH = 5_000
COMMUNITY_SLUG = "bench-newsletter"
DATASET_VERSION = 1  # bump when the data set changes, so --reuse rebuilds it
REDIS_URL = "redis://127.0.0.1:6379/11"  # a Redis database of the benchmark's own
SITE_URL = "https://cop.bench.example"
SECRET_KEY = "bench-only-key-not-a-secret"  # the workers sign the links; the checks read them back
READY_TIMEOUT = 60
SAMPLE_MESSAGES = 50  # messages kept whole by the sink, parsed after the run to check they are well formed
MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)


# --- The SMTP sink: tests/support/smtp_sink.py, keeping a sample of whole messages ---------------------------------


def blast(port: int, raw: bytes, start: int, count: int, per_connection: int) -> None:
    """Send `count` copies of one message to the sink, `per_connection` per SMTP session (as the senders do)."""
    sent = 0
    while sent < count:
        with smtplib.SMTP("127.0.0.1", port) as client:
            for _ in range(min(per_connection, count - sent)):
                client.sendmail("community@example.org", [f"blast-{start + sent}@bench.example"], raw)
                sent += 1


# --- Processes and CPU time ----------------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> list[tuple[int, int, str, int, float, float]]:
    """(pid, ppid, comm, pgid, own CPU s, reaped children's CPU s) of every process we can read."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        ppid, pgid = int(fields[1]), int(fields[2])
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        out.append((int(entry.name), ppid, comm, pgid, (utime + stime) / CLOCK_TICKS, (cutime + cstime) / CLOCK_TICKS))
    return out


def cpu_snapshot(worker_groups: list[int]) -> dict[str, float]:
    """Cumulative CPU seconds of the worker process groups, PostgreSQL, Redis and this process (the sink)."""
    stats = _proc_stats()
    out = {"bench": sum(os.times()[:2])}  # this process: the SMTP sink's thread and the waiting loop
    for pgid in worker_groups:
        out[f"worker {pgid}"] = sum(own for _, _, _, g, own, _ in stats if g == pgid)
    postgres = {pid: (ppid, own, reaped) for pid, ppid, comm, _, own, reaped in stats if comm == "postgres"}
    # Backends that exited are counted in the postmaster's reaped-children time.
    out["postgres"] = sum(own + (reaped if ppid not in postgres else 0) for ppid, own, reaped in postgres.values())
    out["redis"] = sum(own for _, _, comm, _, own, _ in stats if comm == "redis-server")
    return out


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {key: after[key] - before.get(key, 0.0) for key in after}


def start_worker(name: str, *, queue: str, concurrency: int, database_url: str, smtp_port: int, logs: Path):
    """A `celery worker` on this run's queue, database and SMTP sink, as the integration tests start them, but with
    DEBUG off (no query log) and persistent database connections, as in production."""
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": SITE_URL,
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
    }
    return launch_worker(name, queue=queue, env=env, logs=logs, concurrency=concurrency)


def wait_until_ready(workers, queue: str) -> None:
    """Every worker answers a remote-control ping, so worker start-up is not part of the measured send."""
    try:
        wait_for_workers(workers, queue, timeout=READY_TIMEOUT)
    except WorkerProblem as exc:
        sys.exit(str(exc))


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError as exc:
        sys.exit(f"needs Redis at {REDIS_URL} for the Celery broker: {exc}")
    return client


def purge_redis(client, queue: str, keys_before: set[bytes]) -> int:
    """Remove what this run left in its Redis database: its queue, bindings, mailboxes, unacked messages and any
    key that was not there before it started. Returns the number of keys left that this run did not create."""
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    for key in client.scan_iter(match="_kombu.binding.*"):
        stale = [member for member in client.smembers(key) if queue.encode() in member]
        if stale:
            client.srem(key, *stale)
    for tag, payload in client.hscan_iter("unacked"):
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    for key in client.scan_iter():
        if key not in keys_before:
            client.delete(key)
    return client.dbsize()


# --- The data set --------------------------------------------------------------------------------------------------


@dataclass
class Excluded:
    """People who are in the data set but must not get the newsletter, by reason."""

    opted_out: int  # a Subscription row with newsletter=False
    no_email: int  # MailSettings.no_email
    bounced: int  # MailSettings.bounced_at
    inactive_account: int  # User.is_active=False, membership still active
    left: int  # membership status "left"
    pending: int  # asked to join, not approved yet

    @classmethod
    def for_subscribers(cls, n: int) -> "Excluded":
        return cls(
            opted_out=n // 50,
            no_email=n // 100,
            bounced=n // 200,
            inactive_account=n // 500,
            left=n // 100,
            pending=n // 200,
        )

    @property
    def total(self) -> int:
        return sum(vars(self).values())


def dataset_tag(n: int) -> str:
    return f"bench-newsletter v{DATASET_VERSION}: {n} subscribers"


def data_matches(args) -> bool:
    from communities.models import Community

    return Community.objects.filter(slug=COMMUNITY_SLUG, tagline=dataset_tag(args.subscribers)).exists()


def has_data() -> bool:
    from accounts.models import User
    from communities.models import Community

    return User.objects.exists() or Community.objects.exists()


def bulk(model, objects: list, label: str) -> list:
    started = time.perf_counter()
    created = model.objects.bulk_create(objects, batch_size=BATCH)
    log(f"  {len(objects):>7,} {label} ({time.perf_counter() - started:.1f}s)")
    return created


def build(args) -> float:
    """One community: N subscribers, a few percent of people who must not get the issue, and a month of forum and
    hot-seat activity so that every newsletter section has items. Bulk-inserted in one transaction."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import Profile, User
    from communities.models import Community, Membership, Theme
    from cop_platform.markup import render_markdown_safe
    from forums.models import Category, Post, Thread
    from hotseats.models import HotSeat
    from newsletters.models import MailSettings, Subscription

    started = time.perf_counter()
    rng = random.Random(args.seed)
    now = timezone.now().replace(microsecond=0)
    n = args.subscribers
    excluded = Excluded.for_subscribers(n)
    log(f"building {n:,} subscribers and {excluded.total:,} people who must not get the newsletter")
    password = make_password("bench-password-not-secret")  # one hash for everyone: hashing each takes minutes

    kinds = ["subscriber"] * n + list(
        itertools.chain.from_iterable([reason] * count for reason, count in vars(excluded).items())
    )
    users, profiles = [], []
    for i, kind in enumerate(kinds):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        # Only subscribers' addresses end in "@bench.example": see expected_recipients().
        email = (
            f"{first}.{last}.{i}@bench.example".lower()
            if kind == "subscriber"
            else f"{kind.replace('_', '-')}.{i}@excluded.bench.example"
        )
        users.append(
            User(
                email=email,
                handle=f"{slugify(first)}-{slugify(last)}-{i}",
                first_name=first,
                last_name=last,
                password=password,
                is_active=kind != "inactive_account",
                date_joined=now - timedelta(days=rng.uniform(1, 1100)),
            )
        )
    with transaction.atomic():
        users = bulk(User, users, "users")
        for user in users:
            profiles.append(
                Profile(user=user, organisation=rng.choice(ORGANISATIONS), job_title=rng.choice(JOB_TITLES))
            )
        bulk(Profile, profiles, "profiles")
        community = Community.objects.create(
            name="Bench Newsletter Community",
            slug=COMMUNITY_SLUG,
            tagline=dataset_tag(n),
            description="A large **benchmark** community for newsletter sending.",
            visibility=Community.Visibility.PUBLIC,
            stage=Community.Stage.MATURING,
            created_at=now - timedelta(days=1200),
            created_by=users[0],
        )
        statuses = {"left": Membership.Status.LEFT, "pending": Membership.Status.PENDING}
        roles = {0: Membership.Role.OWNER, **dict.fromkeys(range(1, 10), Membership.Role.FACILITATOR)}
        memberships = []
        for i, (user, kind) in enumerate(zip(users, kinds, strict=True)):
            # About 1% joined in the last month: the "new members" section.
            joined = now - timedelta(days=rng.uniform(1, 29) if rng.random() < 0.01 else rng.uniform(31, 1100))
            status = statuses.get(kind, Membership.Status.ACTIVE)
            memberships.append(
                Membership(
                    user=user,
                    community=community,
                    role=roles.get(i, Membership.Role.MEMBER),
                    status=status,
                    created_at=joined,
                    joined_at=joined if status != Membership.Status.PENDING else None,
                    welcomed_at=joined + timedelta(hours=3) if status == Membership.Status.ACTIVE else None,
                    welcome_method=Membership.WelcomeMethod.PERSONAL,
                )
            )
        bulk(Membership, memberships, "memberships")
        # Preferences: the excluded ones, plus one subscriber in ten with explicit rows that still allow the issue.
        subscriptions, mail_settings = [], []
        for user, kind in zip(users, kinds, strict=True):
            if kind == "opted_out" or (kind == "subscriber" and rng.random() < 0.1):
                subscriptions.append(Subscription(user=user, community=community, newsletter=kind != "opted_out"))
            if kind in ("no_email", "bounced") or (kind == "subscriber" and rng.random() < 0.05):
                mail_settings.append(
                    MailSettings(
                        user=user,
                        no_email=kind == "no_email",
                        bounced_at=now - timedelta(days=3) if kind == "bounced" else None,
                    )
                )
        bulk(Subscription, subscriptions, "subscriptions")
        bulk(MailSettings, mail_settings, "mail settings")

        # A month of activity for the sections, written by the first 500 subscribers.
        authors = users[: min(n, 500)]
        texts = [
            render_markdown_safe(f"Our **{topic}** has worked well. " + body)
            for topic, body in [
                ("risk register", "We review it weekly with the board and keep it to one page."),
                ("benefits map", "Start from the outcomes and work back to the enablers; keep owners named."),
                ("gateway review", "Prepare the evidence pack early and brief the review team in advance."),
                ("lessons log", "We read the last three projects' lessons before planning anything new."),
            ]
        ]
        categories = bulk(
            Category,
            [
                Category(community=community, name=name, slug=slugify(name), position=i)
                for i, name in enumerate(["Questions", "Discussions", "Articles"])
            ],
            "categories",
        )
        kinds_and_categories = (
            [(Thread.Kind.QUESTION, 0)] * 30 + [(Thread.Kind.DISCUSSION, 1)] * 30 + [(Thread.Kind.ARTICLE, 2)] * 8
        )
        threads = []
        for i, (kind, category) in enumerate(kinds_and_categories):
            created = now - timedelta(days=rng.uniform(2, 60))
            subject = rng.choice(["risk register", "benefits map", "lessons log", "business case"])
            threads.append(
                Thread(
                    community=community,
                    category=categories[category],
                    kind=kind,
                    title=f"{kind.label} {i + 1}: how do you keep the {subject} alive?",
                    author=rng.choice(authors),
                    created_at=created,
                    last_activity_at=created,
                )
            )
        threads = bulk(Thread, threads, "threads")
        posts = [
            Post(
                thread=t,
                is_opening=True,
                author=t.author,
                body="Opening post.",
                body_html=rng.choice(texts),
                created_at=t.created_at,
                published_at=t.created_at,
            )
            for t in threads
        ]
        replies_by_thread: dict[int, list[Post]] = {}
        for t in threads:
            unanswered = t.kind == Thread.Kind.QUESTION and rng.random() < 0.3
            for _ in range(0 if unanswered else rng.randint(1, 12)):
                at = t.created_at + (now - t.created_at) * rng.random()
                reply = Post(
                    thread=t,
                    depth=1,
                    author=rng.choice(authors),
                    body="A reply.",
                    body_html=rng.choice(texts),
                    created_at=at,
                    published_at=at,
                    thanks_count=rng.choice([0, 0, 1, 2, 5]),
                    helpful_count=rng.choice([0, 0, 0, 1, 3]),
                )
                posts.append(reply)
                replies_by_thread.setdefault(t.pk, []).append(reply)
        bulk(Post, posts, "posts")
        for t in threads:
            replies = replies_by_thread.get(t.pk, [])
            t.reply_count = len(replies)
            if replies:
                last = max(replies, key=lambda p: p.created_at)
                t.last_activity_at, t.last_post_author = last.created_at, last.author
                if t.kind == Thread.Kind.QUESTION and rng.random() < 0.5:
                    t.accepted_post = rng.choice(replies)
        Thread.objects.bulk_update(
            threads, ["reply_count", "last_activity_at", "last_post_author", "accepted_post"], batch_size=BATCH
        )
        for category in categories:
            category.thread_count = sum(1 for t in threads if t.category_id == category.pk)
        Category.objects.bulk_update(categories, ["thread_count"])

        today = timezone.localdate()
        Theme.objects.create(
            community=community,
            title="Benefits realisation",
            slug="benefits-realisation",
            description="A month on **benefits**: maps, profiles and owners.",
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=20),
            tags="benefits realisation, benefits",
            created_by=users[1],
        )
        topic_html = render_markdown_safe("Ask our experts anything about **assurance** and gateway reviews.")
        bulk(
            HotSeat,
            [
                HotSeat(
                    community=community,
                    title=title,
                    topic="Ask our experts anything about **assurance** and gateway reviews.",
                    topic_html=topic_html,
                    opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=opens + 5),
                    summary="The experts answered **40** questions." if opens < 0 else "",
                    summary_html=render_markdown_safe("The experts answered **40** questions.") if opens < 0 else "",
                    created_by=users[1],
                )
                for title, opens in [
                    ("Assurance with the IPA", -12),
                    ("Benefits with a Treasury economist", 5),
                    ("Agile in government", 19),
                ]
            ],
            "hot seats",
        )

    step = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    log(f"  VACUUM ANALYZE ({time.perf_counter() - step:.1f}s)")
    elapsed = time.perf_counter() - started
    log(f"data set built in {elapsed:.0f}s")
    return elapsed


def expected_recipients() -> set[str]:
    """Subscribers' addresses, read straight from the data set (not through `sending.recipients`)."""
    from accounts.models import User

    return set(User.objects.filter(email__endswith="@bench.example").values_list("email", flat=True))


# --- One send ------------------------------------------------------------------------------------------------------


@dataclass
class Run:
    workers: int
    concurrency: int
    prepare_s: float = 0.0
    prepare_queries: int = 0
    sections: int = 0
    items: int = 0
    fanout_s: float = 0.0
    fanout_sql: dict[str, float] = field(default_factory=dict)
    start_s: float = 0.0  # the whole newsletter_start_sending call (fan-out, commit, queueing)
    deliveries: int = 0
    first_s: float = 0.0  # from the start call to the first message in the sink
    send_s: float = 0.0  # from the start call to the last delivery marked sent
    steady_rate: float = 0.0
    finished: bool = False
    cpu: dict[str, float] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.workers} × {self.concurrency}"

    @property
    def rate(self) -> float:
        return self.deliveries / self.send_s if self.send_s else 0.0

    @property
    def ok(self) -> bool:
        return self.finished and not self.problems

    def cpu_cells(self) -> tuple[str, str, str, str]:
        workers = sum(v for k, v in self.cpu.items() if k.startswith("worker"))
        per_worker = " + ".join(f"{v:.1f}" for k, v in self.cpu.items() if k.startswith("worker"))
        total = workers + self.cpu["postgres"] + self.cpu["redis"] + self.cpu["bench"]
        return (
            f"{workers:.1f}" + (f" ({per_worker})" if self.workers > 1 else ""),
            f"{self.cpu['postgres']:.1f}",
            f"{self.cpu['bench']:.1f}",
            f"{total / self.send_s:.2f}" if self.send_s else "–",
        )

    def row(self) -> str:
        workers, postgres, sink, busy = self.cpu_cells()
        checks = "✓ " + ", ".join(self.checks) if self.ok else "✗ " + "; ".join(self.problems or ["unfinished"])
        return (
            f"| {self.label} | {self.prepare_s * 1000:.0f} ms | {self.fanout_s:.2f} s | {self.send_s:.1f} s "
            f"| **{self.rate:.0f}** | {self.first_s:.2f} s | {self.steady_rate:.0f} | {workers} | {postgres} "
            f"| {sink} | {busy} | {checks} |"
        )


TABLE_HEADER = (
    "| Workers × processes | Build (prepare) | Fan-out | Send: start → all sent | Messages/s | First message "
    "after | Steady msg/s | CPU s: workers | CPU s: PostgreSQL | CPU s: sink | Cores busy | Checks |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def next_period(community) -> date:
    """A month no issue of this community has yet: the current one, or the one after the latest issue."""
    from django.utils import timezone

    from newsletters.models import Newsletter

    latest = Newsletter.objects.filter(community=community).order_by("-period").values_list("period", flat=True)
    current = timezone.localdate().replace(day=1)
    if not latest or latest[0] < current:
        return current
    last = latest[0]
    return date(last.year + last.month // 12, last.month % 12 + 1, 1)


class SqlTimer:
    """An execute_wrapper that adds up time per kind of statement (first word of the SQL)."""

    def __init__(self):
        self.seconds: Counter = Counter()
        self.count: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = sql.split(None, 1)[0].upper() if sql else "?"
            self.seconds[kind] += time.perf_counter() - begin
            self.count[kind] += 1


def prepare_issue(community, run: Run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsletters import services

    period = next_period(community)
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        newsletter, created = services.newsletter_prepare(community=community, today=period)
        run.prepare_s = time.perf_counter() - begin
    if not created:
        sys.exit(f"newsletter_prepare returned an existing issue for {period}")
    run.prepare_queries = len(queries.captured_queries)
    run.sections = len(newsletter.sections)
    run.items = sum(len(s["items"]) for s in newsletter.sections)
    return newsletter


def start_sending(newsletter, run: Run) -> float:
    """Call newsletter_start_sending with its fan-out timed; returns the wall-clock time (time.time()) it began."""
    from django.db import connection

    from newsletters import sending, services

    create_deliveries = sending.create_deliveries
    timer = SqlTimer()

    def timed_create_deliveries(nl):
        begin = time.perf_counter()
        with connection.execute_wrapper(timer):
            total = create_deliveries(nl)
        run.fanout_s = time.perf_counter() - begin
        return total

    sending.create_deliveries = timed_create_deliveries  # newsletter_start_sending looks it up on the module
    try:
        began = time.time()
        begin = time.perf_counter()
        run.deliveries = services.newsletter_start_sending(newsletter_id=newsletter.pk)
        run.start_s = time.perf_counter() - begin
    finally:
        sending.create_deliveries = create_deliveries
    run.fanout_sql = {k: timer.seconds[k] for k in timer.seconds} | {f"{k} count": timer.count[k] for k in timer.count}
    return began


def wait_for_send(newsletter, sink: SmtpSink, workers: list[Worker], expected: int, timeout: float) -> bool:
    from newsletters.models import Delivery, Newsletter

    deadline = time.monotonic() + timeout
    next_report = time.monotonic() + 15
    while True:
        dead = [w for w in workers if w.process.poll() is not None]
        if dead:
            log(f"worker {dead[0].name} died\n" + "\n".join(w.tail() for w in workers))
            return False
        if time.monotonic() > deadline:
            log(f"timed out after {timeout:.0f}s with {sink.count():,} messages in the sink")
            return False
        if sink.count() >= expected:
            # The sink has them all; the last senders may still be recording "sent" and closing the issue.
            open_rows = Delivery.objects.filter(newsletter=newsletter).exclude(status=Delivery.Status.SENT)
            status = Newsletter.objects.values_list("status", flat=True).get(pk=newsletter.pk)
            if not open_rows.exists() and status == Newsletter.Status.SENT:
                return True
        if time.monotonic() >= next_report:
            log(f"    {sink.count():,} of {expected:,} messages in the sink")
            next_report += 15
        time.sleep(0.1)


def check(newsletter, sink: SmtpSink, expected: set[str], run: Run) -> None:
    """Everyone expected got exactly one well-formed message, nobody else got one, and no row is left open."""
    import email
    import email.policy

    from newsletters import tokens
    from newsletters.models import Delivery, Newsletter

    received = sink.received()
    copies = Counter(address for r in received for address in r.rcpt_tos)
    duplicates = sum(n - 1 for n in copies.values() if n > 1)
    statuses = Counter(Delivery.objects.filter(newsletter=newsletter).values_list("status", flat=True))
    unsent = sum(n for s, n in statuses.items() if s != Delivery.Status.SENT)
    flagged = Delivery.objects.filter(newsletter=newsletter, possible_duplicate=True).count()
    message_ids = {r.message_id for r in received}
    status = Newsletter.objects.values_list("status", flat=True).get(pk=newsletter.pk)
    n = len(expected)
    run.checks = [f"{len(copies):,} distinct recipients", f"{duplicates} duplicates", f"{unsent} unsent"]
    if run.deliveries != n:
        run.problems.append(f"{run.deliveries:,} deliveries created for {n:,} subscribers")
    if len(received) != n:
        run.problems.append(f"{len(received):,} messages in the sink")
    if set(copies) != expected:
        missing, extra = len(expected - set(copies)), len(set(copies) - expected)
        run.problems.append(f"{missing} subscribers missing, {extra} people mailed who should not be")
    if duplicates:
        run.problems.append(f"{duplicates} duplicates")
    if unsent or flagged:
        run.problems.append(f"deliveries not sent: {dict(statuses)}, {flagged} flagged as possible duplicates")
    if status != Newsletter.Status.SENT:
        run.problems.append(f"newsletter left {status}")
    if len(message_ids) != n or "" in message_ids:
        run.problems.append(f"{len(message_ids):,} distinct Message-IDs")
    # A sample parsed in full: headers, both parts and a working one-click unsubscribe token.
    by_email = dict(Delivery.objects.filter(newsletter=newsletter).values_list("email", "pk"))
    for raw in sink.samples:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        match = re.search(r"/n/u/([^/\s<>\"]+)/", message["List-Unsubscribe"] or "")
        well_formed = (
            not message.defects
            and message.get_content_type() == "multipart/alternative"
            and message["Subject"] == newsletter.subject
            and match
            and tokens.read(match[1], tokens.UNSUBSCRIBE) == by_email.get(message["To"])
        )
        if not well_formed:
            run.problems.append(f"malformed message to {message['To']}")
            break


def run_once(args, community, expected: set[str], workers: int, concurrency: int, env: dict) -> tuple[Run, bytes]:
    from django.db import connection

    run = Run(workers, concurrency)
    log(f"{workers} worker(s) × {concurrency} process(es): preparing and sending to {len(expected):,} subscribers")
    with connection.cursor() as cursor:  # every configuration starts from a vacuumed delivery table
        cursor.execute("VACUUM ANALYZE newsletters_delivery")
    with SmtpSink(latency=args.smtp_latency / 1000, keep=SAMPLE_MESSAGES) as sink:
        started = [
            start_worker(
                f"w{i + 1}",
                queue=env["queue"],
                concurrency=concurrency,
                database_url=env["database_url"],
                smtp_port=sink.port,
                logs=env["logs"],
            )
            for i in range(workers)
        ]
        try:
            wait_until_ready(started, env["queue"])
            newsletter = prepare_issue(community, run)
            cpu_before = cpu_snapshot([w.pgid for w in started])
            began = start_sending(newsletter, run)
            run.finished = wait_for_send(newsletter, sink, started, run.deliveries, args.timeout)
            cpu_after = cpu_snapshot([w.pgid for w in started])
        finally:
            for worker in started:
                worker.stop()
        received = sink.received()
        sample = sink.samples[0] if sink.samples else b""
    run.cpu = cpu_delta(cpu_before, cpu_after)
    run.cpu = {
        **{f"worker {i + 1}": run.cpu[f"worker {w.pgid}"] for i, w in enumerate(started)},
        **{k: v for k, v in run.cpu.items() if not k.startswith("worker")},
    }
    if received:
        from django.db.models import Max

        from newsletters.models import Delivery

        last_sent = Delivery.objects.filter(newsletter=newsletter).aggregate(last=Max("sent_at"))["last"]
        end = max(received[-1].at, last_sent.timestamp() if last_sent else 0.0)
        times = sorted(r.at for r in received)
        run.first_s = times[0] - began
        run.send_s = end - began
        if len(times) > 1 and times[-1] > times[0]:
            run.steady_rate = (len(times) - 1) / (times[-1] - times[0])
    check(newsletter, sink, expected, run)
    log(
        f"  prepare {run.prepare_s * 1000:.0f} ms, fan-out {run.fanout_s:.2f} s, sent {len(received):,} in "
        f"{run.send_s:.1f} s ({run.rate:.0f}/s); CPU s: "
        + ", ".join(f"{k} {v:.1f}" for k, v in run.cpu.items())
        + ("" if run.ok else f"; PROBLEMS: {'; '.join(run.problems or ['unfinished'])}")
    )
    return run, sample


# --- Where a sender's time goes, and what the sink can take ---------------------------------------------------------


@dataclass
class Profile:
    messages: int = 0
    seconds: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def profile_sender(community, messages: int) -> Profile:
    """Run the senders' own code (claim_batch + send_claimed) in this process on a throwaway issue, with timers
    around its parts; the issue is deleted afterwards."""
    import django.core.mail.backends.smtp as smtp_backend
    from django.core.mail import EmailMessage
    from django.core.mail.message import MIMEMixin
    from django.db import connection
    from django.test.utils import override_settings

    from newsletters import rendering, sending, services, tokens
    from newsletters.models import Newsletter
    from newsletters.tasks import BATCH_SIZE

    profile = Profile()
    spent: Counter = Counter()
    calls: Counter = Counter()

    def timed(name, func):
        def wrapper(*a, **kw):
            begin = time.perf_counter()
            try:
                return func(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - begin
                calls[name] += 1

        return wrapper

    patches = [
        (rendering, "render", "templates (render_to_string ×2, tokens inside)"),
        (tokens, "make", "signed tokens (5 a message)"),
        (EmailMessage, "message", "MIME message built"),
        (MIMEMixin, "as_bytes", "MIME message serialised"),
        (smtplib.SMTP, "sendmail", "SMTP transaction (MAIL, RCPT, DATA) incl. the sink"),
        (smtp_backend.EmailBackend, "open", "SMTP connect + EHLO"),
        (smtp_backend.EmailBackend, "close", "SMTP QUIT"),
    ]
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr, _ in patches]
    sql = SqlTimer()
    newsletter = None
    with SmtpSink(keep=SAMPLE_MESSAGES) as sink:
        email_settings = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": sink.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "SITE_URL": SITE_URL,
        }
        try:
            newsletter, _ = services.newsletter_prepare(community=community, today=next_period(community))
            Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
            sending.create_deliveries(newsletter)
            for obj, attr, name in patches:
                setattr(obj, attr, timed(name, getattr(obj, attr)))
            with override_settings(**email_settings), connection.execute_wrapper(sql):
                begin = time.perf_counter()
                while profile.messages < messages:
                    ids = sending.claim_batch(newsletter.pk, min(BATCH_SIZE, messages - profile.messages))
                    if not ids:
                        break
                    profile.messages += sending.send_claimed(ids).sent
                profile.seconds = time.perf_counter() - begin
        finally:
            for obj, attr, original in saved:
                setattr(obj, attr, original)
            if newsletter is not None:
                newsletter.delete()
    parts = dict(spent)
    parts["templates only (tokens excluded)"] = parts.pop(patches[0][2]) - parts.get(patches[1][2], 0.0)
    parts["SQL (claim, fetch, 2 UPDATEs a message)"] = sum(sql.seconds.values())
    parts["other Python (ORM, Django mail, loop)"] = profile.seconds - sum(parts.values())
    profile.parts = dict(sorted(parts.items(), key=lambda kv: -kv[1]))
    profile.counts = {"SQL statements": sum(sql.count.values())}
    return profile


def sink_capacity(raw: bytes, messages: int, clients: int) -> tuple[float, float, int]:
    """Messages per second the sink takes from `clients` processes sending a real newsletter message over
    loopback (100 per connection, as the senders do), and the sink's CPU seconds per 1,000 messages."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    share = messages // clients
    with SmtpSink(keep=SAMPLE_MESSAGES) as sink:
        processes = [
            context.Process(target=blast, args=(sink.port, raw, i * share, share, 100)) for i in range(clients)
        ]
        cpu_before = sum(os.times()[:2])
        begin = time.perf_counter()
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - begin
        cpu = sum(os.times()[:2]) - cpu_before
        got = sink.count()
    if got != share * clients:
        sys.exit(f"sink capacity test: {got} of {share * clients} messages arrived")
    # The elapsed time includes the client processes' start-up (a fraction of a second).
    return got / elapsed, cpu / got * 1000, len(raw)


# --- Report --------------------------------------------------------------------------------------------------------


def environment_report(
    args, url: str, build_seconds: float | None, loads: list[float], excluded: Excluded, runs: list[Run]
) -> str:
    import celery
    import django
    from django.db import connection

    from communities.extensions import NewsletterSection, registered

    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SHOW synchronous_commit")
        database += f" (synchronous_commit {cursor.fetchone()[0]})"
    redis_version = redis_client().info("server").get("redis_version", "?")
    command = f"DATABASE_URL={masked(url)} .venv/bin/python bench/newsletter.py {shlex.join(sys.argv[1:])}".strip()
    built = f"built in {build_seconds:.0f} s" if build_seconds is not None else "reused from an earlier run"
    return "\n".join(
        [
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {os.cpu_count()} CPUs ({cpu or platform.machine()}), {database}, Redis {redis_version}, "
            f"Python {platform.python_version()}, Django {django.get_version()}, Celery {celery.__version__}",
            f"- Data set ({built}): {args.subscribers:,} subscribers (active members who get the issue) and "
            f"{excluded.total:,} people who must not (opted out, no email, bounced, inactive account, left, "
            f"pending); the issue has {runs[0].sections if runs else 0} of {len(registered(NewsletterSection))} "
            f"possible sections, {runs[0].items if runs else 0} items",
            "- SMTP: the sink on loopback, "
            + (f"answering each message {args.smtp_latency:g} ms late" if args.smtp_latency else "no added latency")
            + f"; 1-minute load average {' → '.join(f'{load:.1f}' for load in loads)}",
            f"- Command: `{command}`",
        ]
    )


def details(runs: list[Run], profile: Profile | None, capacity: tuple | None, clients: int) -> str:
    first = runs[0]
    lines = [
        f"- Build: `newsletter_prepare` ran {first.prepare_queries} queries (the first row's is the cold one: a "
        "fresh database connection's first use of those tables). Fan-out (first row): `create_deliveries` ran "
        + ", ".join(
            f"{first.fanout_sql.get(f'{k} count', 0)} {k} {first.fanout_sql.get(k, 0) * 1000:.0f} ms"
            for k in ("SELECT", "INSERT")
        )
        + f"; the whole `newsletter_start_sending` call (fan-out, commit, queueing) took {first.start_s:.2f} s.",
    ]
    if profile:
        per = profile.seconds / profile.messages * 1000
        parts = ", ".join(
            f"{name} {seconds / profile.messages * 1000:.2f} ms ({seconds / profile.seconds:.0%})"
            for name, seconds in profile.parts.items()
        )
        lines.append(
            f"- One sender, in this process, {profile.messages:,} messages: {per:.2f} ms a message "
            f"({1000 / per:.0f}/s for one sender; the sink runs in the same process): {parts}; "
            f"{profile.counts['SQL statements']:,} SQL statements."
        )
    if capacity:
        lines.append(
            f"- The sink alone, fed a real newsletter message ({capacity[2] / 1024:.0f} KiB) by {clients} client "
            "processes, 100 messages a connection: "
            f"{capacity[0]:.0f} messages/s, {capacity[1]:.2f} CPU s per 1,000 messages."
        )
    return "\n".join(lines)


def write_readme(block: str) -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip("\n") + f"\n\n## Newsletter sending: latest results\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")
    log(f"results written to {README.relative_to(ROOT)}")


# --- Main ----------------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000, help="members who get the issue (10,000)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1], help="worker processes; several values are each run (1)"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[2],
        help="pool processes per worker (1 = solo pool); several values are each run, crossed with --workers (2)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the data set if one of this size is there")
    parser.add_argument("--write", action="store_true", help="update the newsletter block in bench/README.md")
    parser.add_argument(
        "--smtp-latency",
        type=float,
        default=0,
        metavar="MS",
        help="the sink answers each message this many milliseconds late, like a remote relay (default 0)",
    )
    parser.add_argument("--timeout", type=float, default=600, help="give up on a send after this many seconds")
    parser.add_argument(
        "--profile", type=int, default=1000, metavar="N", help="messages sent in-process with timers (0: skip)"
    )
    parser.add_argument(
        "--sink-test", type=int, default=5000, metavar="N", help="messages blasted at the sink alone (0: skip)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the data set")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment()
    url, cfg = database_config()
    if cfg["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        sys.exit("Set DATABASE_URL to PostgreSQL: the worker processes need a database they can share.")
    if "bench" not in str(cfg["NAME"]):
        sys.exit(
            f"Refusing to use database {cfg['NAME']!r}: the benchmark wipes it, so its name must contain 'bench'."
        )
    queue = f"bench-nl-{uuid4().hex[:8]}"
    # Set before Django reads its settings: this process publishes the send tasks to this run's queue.
    os.environ.update(
        REDIS_URL=REDIS_URL,
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="false",
        SITE_URL=SITE_URL,
        SECRET_KEY=SECRET_KEY,
        DEBUG="false",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    redis = redis_client()
    keys_before = set(redis.scan_iter())
    if keys_before:
        log(f"note: Redis database {REDIS_URL.rsplit('/', 1)[1]} already holds {len(keys_before)} keys; kept")
    ensure_database(cfg)

    start_django()
    build_seconds = prepare_data(args, cfg, matches=data_matches, present=has_data, build=build)

    from communities.models import Community

    community = Community.objects.get(slug=COMMUNITY_SLUG)
    expected = expected_recipients()
    if len(expected) != args.subscribers:
        sys.exit(f"the data set has {len(expected):,} subscribers, not {args.subscribers:,}")
    env = {"queue": queue, "database_url": url}
    runs: list[Run] = []
    sample = b""
    loads = [os.getloadavg()[0]]
    profile = capacity = None
    clients = 2
    try:
        with tempfile.TemporaryDirectory(prefix="bench-newsletter-") as logs:
            env["logs"] = Path(logs)
            for workers, concurrency in itertools.product(args.workers, args.concurrency):
                run, run_sample = run_once(args, community, expected, workers, concurrency, env)
                runs.append(run)
                sample = sample or run_sample
                purge_redis(redis, queue, keys_before)  # nothing should be left; make sure
        if args.profile:
            log(f"one sender in this process, {args.profile:,} messages, with timers")
            profile = profile_sender(community, args.profile)
        if args.sink_test and sample:
            log(f"the sink alone: {args.sink_test:,} messages from {clients} client processes")
            capacity = sink_capacity(sample, args.sink_test, clients)
    finally:
        from cop_platform.celery import app

        with contextlib.suppress(Exception):
            app.pool.force_close_all()
        left = purge_redis(redis, queue, keys_before)
        log(f"Redis cleaned up ({left} keys left in the database, {len(keys_before)} before the run)")
    loads.append(os.getloadavg()[0])

    table = "\n".join([TABLE_HEADER, *(r.row() for r in runs)])
    report = environment_report(args, url, build_seconds, loads, Excluded.for_subscribers(args.subscribers), runs)
    notes = details(runs, profile, capacity, clients)
    print(f"\n{report}\n\n{table}\n\n{notes}\n")
    if args.write:
        write_readme(f"{report}\n\n{table}\n\n{notes}")
    failed = [r.label for r in runs if not r.ok]
    if failed:
        print(f"Failed checks: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
