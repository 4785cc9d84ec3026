"""A newsletter sent by real Celery workers over Redis to a real SMTP server, including a worker killed mid-send.

The workers are separate processes using this test's PostgreSQL database (hence transaction=True: they only see
committed rows) and a Redis queue of this test's own. The SMTP sink on loopback parks one chosen message so the
SIGKILL lands at an exact point: after the server has taken the message but before the sender could record it
(the one window where a duplicate is possible), or before the server has it. Skipped without PostgreSQL or Redis.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit
from uuid import uuid4

import kombu.pools
import pytest
import redis
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from communities.models import Membership
from cop_platform.celery import app
from newsletters import rendering, services, tokens
from newsletters.models import Delivery, Newsletter, Subscription
from newsletters.reports import newsletter_report
from newsletters.tasks import reap_stuck_deliveries

from ..factories import make_community
from .smtp_sink import SmtpSink, Stage

MEMBERS = 300
KILL_AT = 120  # in the second batch of 100: rows sent, one in flight, some claimed, some never claimed
STUCK_AFTER = 2  # seconds; the second worker's reaper treats older claims as abandoned
TIMEOUT = 120
REDIS_URL = os.environ.get("INTEGRATION_REDIS_URL", "redis://127.0.0.1:6379/13")  # a database of its own
REPO_ROOT = Path(__file__).resolve().parents[2]
SENT = Delivery.Status.SENT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker processes need a database they can share (PostgreSQL)"
    ),
    pytest.mark.usefixtures("redis_client"),  # skips before any data is made when Redis is not there
]


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: no shutdown handlers, no acks, no cleanup."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- worker {self.name} (exit {self.process.poll()}) ---\n" + "\n".join(text.splitlines()[-lines:])


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis at {REDIS_URL} for the Celery broker: {exc}")
    yield client
    client.close()


def _drop_broker_connections() -> None:
    # Celery caches the connection and producer pools of the broker it first used (and kombu keeps them in a
    # registry); close and forget them all, so the next publish connects to whatever broker_url says now.
    kombu.pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


def _purge(client: redis.Redis, queue: str) -> None:
    """Remove everything this run left in Redis: its queue, bindings, worker mailboxes and unacked messages."""
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


@pytest.fixture
def queue(redis_client):
    """This test's tasks go to a Redis queue of its own instead of running in-process."""
    name = f"it-{uuid4().hex[:8]}"
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    _drop_broker_connections()
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=name)
    yield name
    _drop_broker_connections()
    app.conf.update(saved)
    _purge(redis_client, name)


@pytest.fixture
def sink():
    with SmtpSink() as smtp:
        yield smtp


def _database_url() -> str:
    db = connection.settings_dict  # NAME is the test database here
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{quote(db['HOST'] or 'localhost', safe='')}:{db['PORT'] or 5432}"  # a socket path is %-encoded
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def start_worker(queue, sink, tmp_path):
    """Start `celery worker` processes on this test's queue, database and SMTP sink; all are killed at the end."""
    started: list[Worker] = []
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "SITE_URL": "http://testserver",
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)  # Celery lets it override the broker from settings

    def start(name: str, *, concurrency: int = 1, stuck_after: int | None = None) -> Worker:
        worker_env = {**env, **({"NEWSLETTER_STUCK_AFTER_SECONDS": str(stuck_after)} if stuck_after else {})}
        pool = ["--pool", "prefork", "-c", str(concurrency)] if concurrency > 1 else ["--pool", "solo"]
        log = tmp_path / f"worker-{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "cop_platform", "worker", *pool, "-Q", queue]
                + ["-n", f"{queue}-{name}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle"]
                + ["-l", "WARNING"],
                cwd=REPO_ROOT,
                env=worker_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so killpg reaches the pool children too
            )
        worker = Worker(name, process, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def crowd():
    """A community with 300 active members."""
    community = make_community(name="Integration CoP")
    run = uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(email=f"member{i:03d}-{run}@example.org", first_name="Member", last_name=f"{i:03d}", password="!")
        for i in range(MEMBERS)
    )
    Membership.objects.bulk_create(
        Membership(community=community, user=user, status=Membership.Status.ACTIVE, joined_at=timezone.now())
        for user in users
    )
    return community, users


def wait_for(condition, *, what: str, workers: list[Worker], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        dead = [w for w in workers if w.process.poll() is not None]
        if dead or time.monotonic() > deadline:
            problem = f"worker {dead[0].name} died" if dead else f"timed out after {timeout}s"
            pytest.fail(f"{problem} waiting for {what}\n" + "\n".join(w.tail() for w in workers))
        time.sleep(0.1)


def newsletter_status(newsletter: Newsletter) -> str:
    return Newsletter.objects.values_list("status", flat=True).get(pk=newsletter.pk)


def statuses(newsletter: Newsletter) -> Counter:
    return Counter(Delivery.objects.filter(newsletter=newsletter).values_list("status", flat=True))


def start(community) -> Newsletter:
    newsletter, _ = services.newsletter_prepare(community=community)
    assert services.newsletter_start_sending(newsletter_id=newsletter.pk) == MEMBERS
    return newsletter


UNSUBSCRIBE_LINK = re.compile(r"https?://[^\s<>\"]+/n/u/([^/\s<>\"]+)/")


def check_well_formed(message, delivery: Delivery) -> str:
    """Assert the headers and both parts are right for this delivery; return its one-click unsubscribe URL."""
    assert message.defects == []
    assert message["To"] == delivery.email
    assert message["Subject"] == delivery.newsletter.subject
    assert message["Message-ID"] == rendering.message_id(delivery.newsletter_id, delivery.recipient_id)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The header is long enough to be folded onto a continuation line; unfolding leaves leading whitespace.
    header = re.fullmatch(rf"<({UNSUBSCRIBE_LINK.pattern})>", message["List-Unsubscribe"].strip())
    assert header, message["List-Unsubscribe"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert "</html>" in html.get_content()
    # Tokens carry a timestamp, so the footer's link may differ from the header's; both must name this delivery.
    in_text, in_html = UNSUBSCRIBE_LINK.findall(text.get_content()), UNSUBSCRIBE_LINK.findall(html.get_content())
    assert in_text and in_html
    for token in [header[2], *in_text, *in_html]:
        assert tokens.read(token, tokens.UNSUBSCRIBE) == delivery.pk
    return header[1]


def test_a_worker_sends_each_of_300_members_exactly_one_well_formed_message(crowd, sink, start_worker, settings):
    settings.SITE_URL = "http://testserver"  # as the worker has it, so Message-IDs can be recomputed here
    community, members = crowd
    newsletter = start(community)
    worker = start_worker("a", concurrency=2)  # two pool processes take the two sender tasks at once

    wait_for(lambda: newsletter_status(newsletter) == Newsletter.Status.SENT, what="the send", workers=[worker])

    assert statuses(newsletter) == {SENT: MEMBERS}
    received = sink.received()
    assert Counter(r.rcpt_tos for r in received) == Counter((user.email,) for user in members)
    by_address = {r.rcpt_tos[0]: r.message for r in received}
    deliveries = Delivery.objects.filter(newsletter=newsletter).select_related("newsletter")
    links = {d.recipient_id: check_well_formed(by_address[d.email], d) for d in deliveries}

    leaver = members[7]
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(links[leaver.pk]).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Subscription.objects.get(user=leaver, community=community).newsletter is False
    assert Delivery.objects.get(newsletter=newsletter, recipient=leaver).unsubscribed_at is not None
    assert Subscription.objects.filter(newsletter=False).count() == 1


@pytest.mark.parametrize(
    ("stage", "duplicates"),
    [
        pytest.param(Stage.DATA, 1, id="killed-after-the-server-took-the-message"),
        pytest.param(Stage.RCPT, 0, id="killed-before-the-server-took-the-message"),
    ],
)
def test_a_worker_killed_mid_send_leaves_nobody_missing_and_flags_the_message_in_flight(
    crowd, sink, start_worker, queue, stage, duplicates
):
    community, members = crowd
    hold = sink.hold(stage, at=KILL_AT)
    newsletter = start(community)
    first = start_worker("a")

    wait_for(hold.reached.is_set, what=f"message {KILL_AT} to reach the sink", workers=[first])
    in_flight = Delivery.objects.get(newsletter=newsletter, email=hold.address)
    assert in_flight.status == Delivery.Status.SENDING
    assert statuses(newsletter)[SENT] == KILL_AT - 1
    first.kill()
    killed_at = time.monotonic()
    hold.released.set()
    assert len(sink.received()) == KILL_AT - 1 + duplicates

    second = start_worker("b", stuck_after=STUCK_AFTER)
    next_reap = killed_at + STUCK_AFTER + 0.5  # a claim younger than STUCK_AFTER may still have a live sender

    def finished() -> bool:
        nonlocal next_reap
        if time.monotonic() >= next_reap:  # the periodic reaper, sped up
            reap_stuck_deliveries.apply_async(queue=queue)
            next_reap += 3
        return newsletter_status(newsletter) == Newsletter.Status.SENT

    wait_for(finished, what="the second worker to finish the send", workers=[second])

    assert statuses(newsletter) == {SENT: MEMBERS}
    copies = Counter(r.rcpt_tos[0] for r in sink.received())
    assert set(copies) == {user.email for user in members}, "someone was never served"
    twice = {address for address, n in copies.items() if n > 1}
    flagged = set(
        Delivery.objects.filter(newsletter=newsletter, possible_duplicate=True).values_list("email", flat=True)
    )
    assert flagged == {hold.address}
    assert twice == ({hold.address} if duplicates else set())
    assert max(copies.values()) <= 2
    assert newsletter_report(newsletter).possible_duplicates == len(flagged) == 1
    if duplicates:  # the second copy is recognisably the same message
        assert len({r.message["Message-ID"] for r in sink.received() if r.rcpt_tos[0] == hold.address}) == 1
