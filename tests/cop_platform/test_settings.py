"""The suite really runs on the database it was asked for (CI runs it on PostgreSQL and on SQLite)."""

import os

from django.conf import settings
from django.db import connection


def test_the_database_in_use_is_the_one_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected, f"DATABASE_URL={url!r} but the tests run on {connection.vendor}"


def test_celery_uses_redis_exactly_when_redis_url_is_set():
    url = os.environ.get("REDIS_URL", "")
    assert (url or "memory://") == settings.CELERY_BROKER_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not url)
