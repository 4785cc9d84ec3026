"""Fixtures for tests that send work to real Celery workers over Redis (a pytest plugin, loaded by conftest.py).

The workers are separate processes using the test's PostgreSQL database (such tests use transaction=True: workers
only see committed rows) and a Redis queue of the test's own, mailing an SMTP sink on loopback. Tests using them
skip without PostgreSQL or Redis.
"""

import os
from urllib.parse import quote
from uuid import uuid4

import kombu.pools
import pytest
import redis
from django.db import connection

from cop_platform.celery import app

from .smtp_sink import SmtpSink
from .workers import Worker, WorkerProblem
from .workers import start_worker as launch
from .workers import wait_for as wait_for_workers

REDIS_URL = os.environ.get("INTEGRATION_REDIS_URL", "redis://127.0.0.1:6379/13")  # a database of its own

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker processes need a database they can share (PostgreSQL)"
)


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


def shared_database_url() -> str:
    db = connection.settings_dict  # NAME is the test database here
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{quote(db['HOST'] or 'localhost', safe='')}:{db['PORT'] or 5432}"  # a socket path is %-encoded
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def start_worker(queue, tmp_path):
    """Start workers on this test's queue and database, mailing `smtp_port` (default: the `sink`); all are
    killed at the end of the test."""
    started: list[Worker] = []

    def start(name: str, *, smtp_port: int, concurrency: int = 1, **env) -> Worker:
        base = {
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": "http://testserver",
            "DEBUG": "true",
        }
        worker = launch(name, queue=queue, env={**base, **env}, logs=tmp_path, concurrency=concurrency)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def wait_for(condition, *, what: str, workers: list[Worker], timeout: float = 120) -> None:
    """wait_for_workers, failing the test (with the workers' logs) instead of raising."""
    try:
        wait_for_workers(condition, what=what, workers=workers, timeout=timeout)
    except WorkerProblem as exc:
        pytest.fail(str(exc))
