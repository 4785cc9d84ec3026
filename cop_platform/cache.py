"""The cache: Redis when it answers, this process's memory while it does not.

The cache holds nothing that must survive (allauth's rate-limit counters, short-lived keys), so an unreachable Redis
must not turn logging in, signing up or resetting a password into a 500. While Redis is down each process counts
in its own memory (rate limits still apply, per process), logs a warning, and tries Redis again after a pause.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FallbackRedisCache(RedisCache):
    retry_after = 30  # seconds without trying Redis once it failed: a dead host costs one timeout, not one a request

    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(f"fallback-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0
        self._errors = _redis_errors()

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def check(self) -> None:
        """A round trip to Redis itself, raising when it fails (for the health probe)."""
        super().set("healthz", "ok", 5)
        if super().get("healthz") != "ok":
            raise ConnectionError("no round trip")

    def _call(self, name, *args, **kwargs):
        if not self.degraded:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except self._errors as exc:
                self._down_until = time.monotonic() + self.retry_after
                logger.warning(
                    "The Redis cache does not answer (%s: %s); this process uses its own memory for %s s.",
                    type(exc).__name__,
                    exc,
                    self.retry_after,
                )
        return getattr(self._local, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")


def cache_settings(redis_url: str) -> dict:
    """CACHES for a Redis URL (empty: local memory). Short socket timeouts: a Redis that hangs costs a second."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "cop_platform.cache.FallbackRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
