"""The optional virus-scanning hook: clamd's INSTREAM, configured by CLAMD_URL.

Without CLAMD_URL nothing is scanned and versions are available at once. With it, a version stays pending until
clamd answers; a scanner that cannot be reached leaves it pending (the task retries), never silently available.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings


class ScannerUnavailable(Exception):
    """clamd could not be asked; try again later."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""


def is_enabled() -> bool:
    return bool(settings.CLAMD_URL)


def _client():
    url = urlsplit(settings.CLAMD_URL)
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    if url.scheme == "unix":
        return ClamdUnixSocket(path=url.path, timeout=timeout)
    if url.scheme == "tcp":
        return ClamdNetworkSocket(host=url.hostname or "127.0.0.1", port=url.port or 3310, timeout=timeout)
    raise ScannerUnavailable(f"CLAMD_URL must start with tcp:// or unix://, not {url.scheme!r}")


def scan(stream) -> Verdict:
    """Stream the bytes to clamd and return its verdict."""
    try:
        answer = _client().instream(stream)
    except (ClamdError, OSError) as exc:
        raise ScannerUnavailable(str(exc)) from exc
    status, signature = answer.get("stream", ("ERROR", "no answer"))
    if status == "OK":
        return Verdict(clean=True)
    if status == "FOUND":
        return Verdict(clean=False, signature=signature or "unknown")
    raise ScannerUnavailable(f"clamd answered {status}: {signature}")
