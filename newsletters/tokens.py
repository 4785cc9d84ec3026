"""Signed tokens for links in emails: they need no login and cannot be forged or pointed at someone else."""

from django.core import signing

UNSUBSCRIBE = "newsletters.unsubscribe"
TRACK = "newsletters.track"
PREFERENCES = "newsletters.preferences"


def make(value: int, salt: str) -> str:
    return signing.dumps(value, salt=salt, compress=True)


def read(token: str, salt: str) -> int | None:
    """The signed value, or None for a tampered or malformed token."""
    try:
        value = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
