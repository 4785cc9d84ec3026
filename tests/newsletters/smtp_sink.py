"""A real SMTP server on loopback that keeps every message it accepts, for tests that send mail from another process.

`hold()` parks one SMTP transaction at a chosen stage so a test can kill the sender at an exact point: before the
server has the message (`Stage.RCPT`), or after the server has stored it but before the sender hears "250"
(`Stage.DATA`), the window in which no sender can know whether its message went out.
"""

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum

from aiosmtpd.controller import Controller

HOLD_LIMIT_SECONDS = 60  # a forgotten hold must not hang the test run

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


class Stage(StrEnum):
    RCPT = "rcpt"
    DATA = "data"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage


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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Usage: `with SmtpSink() as sink: ... sink.port ... sink.received()`."""

    def __init__(self):
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._hold: Hold | None = None
        self._controller: Controller | None = None
        self.port = 0

    def start(self) -> "SmtpSink":
        for _ in range(5):  # another process may take the free port between the probe and the bind
            controller = Controller(
                _Handler(self), hostname="127.0.0.1", port=free_port(), server_hostname="sink.test"
            )
            try:
                controller.start()
            except OSError:
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

    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def _store(self, envelope) -> None:
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._lock:
            self._received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))

    def _due(self, stage: Stage, waiting_for: int) -> Hold | None:
        """The hold, if this transaction is the one to park: `waiting_for` is 1 when its own message is stored."""
        with self._lock:
            hold = self._hold
            due = hold and hold.stage == stage and not hold.reached.is_set()
            return hold if due and len(self._received) >= hold.at - 1 + waiting_for else None
