"""A real SMTP server on loopback that keeps what it accepts: for tests and benchmarks whose mail is sent by
another process (a Celery worker) or over real SMTP. One sink for both (tests/ and bench/).

`hold()` parks one SMTP transaction at a chosen stage so a test can kill the sender at an exact point: before the
server has the message (`Stage.RCPT`), or after the server has stored it but before the sender hears "250"
(`Stage.DATA`), the window in which no sender can know whether its message went out. `latency` answers each
message that much later, like a relay across a network. `keep` bounds how many whole messages are kept (a
benchmark sending 10,000 keeps a sample; every message's envelope, Message-ID and arrival time is always noted).
"""

import asyncio
import email
import email.policy
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum

from aiosmtpd.controller import Controller

HOLD_LIMIT_SECONDS = 60  # a forgotten hold must not hang the run
MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


class Stage(StrEnum):
    RCPT = "rcpt"
    DATA = "data"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message_id: str
    size: int
    at: float  # time.time() when the server accepted it
    raw: bytes = b""  # empty once the sink has kept `keep` whole messages

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class Hold:
    stage: Stage
    at: int  # the at-th message (1-based) is parked
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    address: str = ""


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        await self._park_if_due(Stage.RCPT, address, waiting_for=0)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.sink._store(envelope)
        if self.sink.latency:  # other sessions go on meanwhile
            await asyncio.sleep(self.sink.latency)
        await self._park_if_due(Stage.DATA, envelope.rcpt_tos[0], waiting_for=1)
        return "250 Message accepted for delivery"

    async def _park_if_due(self, stage: Stage, address: str, *, waiting_for: int) -> None:
        hold = self.sink._due(stage, waiting_for)
        if hold is None:
            return
        hold.address = address
        hold.reached.set()
        deadline = time.monotonic() + HOLD_LIMIT_SECONDS
        while not hold.released.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)


def free_port() -> int:
    """A loopback port nothing listens on right now (a mail server that refuses connections)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Usage: `with SmtpSink() as sink: ... sink.port ... sink.received()`; `port=` binds a chosen port."""

    def __init__(self, *, port: int | None = None, latency: float = 0.0, keep: int | None = None):
        self.latency = latency
        self.keep = keep
        self.samples: list[bytes] = []  # the whole messages kept, in arrival order
        self._wanted_port = port
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._hold: Hold | None = None
        self._controller: Controller | None = None
        self.port = 0

    def start(self) -> "SmtpSink":
        for _ in range(5):  # another process may take the free port between the probe and the bind
            port = self._wanted_port or free_port()
            controller = Controller(_Handler(self), hostname="127.0.0.1", port=port, server_hostname="sink.test")
            try:
                controller.start()
            except OSError:
                if self._wanted_port:
                    raise
                continue
            self._controller, self.port = controller, controller.port
            return self
        raise RuntimeError("no free loopback port for the SMTP sink")

    def stop(self) -> None:
        if self._hold:
            self._hold.released.set()
        if self._controller:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def hold(self, stage: Stage, *, at: int) -> Hold:
        """Park the at-th message at `stage` until the returned hold is released."""
        with self._lock:
            self._hold = Hold(Stage(stage), at)
            return self._hold

    def count(self) -> int:
        return len(self._received)  # a list's length is read atomically

    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def _store(self, envelope) -> None:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        found = MESSAGE_ID.search(raw)
        with self._lock:
            kept = self.keep is None or len(self.samples) < self.keep
            if kept:
                self.samples.append(raw)
            self._received.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    message_id=found[1].decode() if found else "",
                    size=len(raw),
                    at=time.time(),
                    raw=raw if kept else b"",
                )
            )

    def _due(self, stage: Stage, waiting_for: int) -> Hold | None:
        """The hold, if this transaction is the one to park: `waiting_for` is 1 when its own message is stored."""
        with self._lock:
            hold = self._hold
            due = hold and hold.stage == stage and not hold.reached.is_set()
            return hold if due and len(self._received) >= hold.at - 1 + waiting_for else None
