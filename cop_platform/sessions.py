"""Database sessions, read with SQL the ORM writes once per process (every signed-in request reads one)."""

from datetime import datetime

from django.contrib.sessions.backends import db
from django.utils import timezone

from .compiled import CompiledQuery


@CompiledQuery
def _live_session(*, session_key: str, now: datetime):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:1]


class SessionStore(db.SessionStore):
    """Django's database store; only the read of the session row is precompiled (same query, same result).

    Not `cached_db`: with Redis down our cache falls back to each process's own memory, where a session logged out
    through one worker would live on in another."""

    def _get_session_from_db(self):
        rows = _live_session(session_key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        return rows[0]
