"""`celery worker` processes on a queue of their own, for tests and benchmarks (tests/ and bench/ share this).

Each worker is started in a session of its own, so killing its process group reaches its pool children too. The
caller passes the environment the worker differs by (database, Redis, SMTP sink...); tasks never run eagerly there.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path

    @property
    def pgid(self) -> int:
        return self.process.pid  # its own session: the pool children share its group

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: no shutdown handlers, no acks, no cleanup."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.pgid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown first, then SIGKILL whatever is left."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # pool children outliving their parent, if any
            os.killpg(self.pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- worker {self.name} (exit {self.process.poll()}) ---\n" + "\n".join(text.splitlines()[-lines:])


def node_name(queue: str, name: str) -> str:
    return f"{queue}-{name}@{socket.gethostname()}"


def start_worker(name: str, *, queue: str, env: dict[str, str], logs: Path, concurrency: int = 1) -> Worker:
    """A `celery worker` consuming `queue` only, with `env` over this process's environment; log in `logs`."""
    worker_env = {
        **os.environ,
        **env,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
    }
    worker_env.pop("CELERY_BROKER_URL", None)  # Celery lets it override the broker from settings
    pool = ["--pool", "prefork", "-c", str(concurrency)] if concurrency > 1 else ["--pool", "solo"]
    log_path = logs / f"worker-{name}.log"
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cop_platform", "worker", *pool, "-Q", queue]
            + ["-n", f"{queue}-{name}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle"]
            + ["-l", env.get("LOG_LEVEL", "WARNING")],
            cwd=REPO_ROOT,
            env=worker_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Worker(name, process, log_path)


class WorkerProblem(RuntimeError):
    """A worker died, or did not answer in time; the message carries the workers' logs."""


def wait_until_ready(workers: list[Worker], queue: str, *, timeout: float = 60) -> None:
    """Every worker answers a remote-control ping (start-up is then out of anything the caller measures)."""
    from cop_platform.celery import app

    names = {node_name(queue, w.name) for w in workers}
    deadline = time.monotonic() + timeout
    answered: set[str] = set()
    while answered != names:
        dead = [w for w in workers if not w.alive]
        if dead or time.monotonic() > deadline:
            problem = f"worker {dead[0].name} died" if dead else f"workers not ready after {timeout:.0f}s"
            raise WorkerProblem(f"{problem}\n" + "\n".join(w.tail() for w in workers))
        for reply in app.control.ping(destination=sorted(names - answered), timeout=0.5) or []:
            answered.update(reply)


def wait_for(condition, *, what: str, workers: list[Worker], timeout: float = 120) -> None:
    """Poll `condition` until true; a dead worker or the timeout raises WorkerProblem with the logs."""
    deadline = time.monotonic() + timeout
    while not condition():
        dead = [w for w in workers if not w.alive]
        if dead or time.monotonic() > deadline:
            problem = f"worker {dead[0].name} died" if dead else f"timed out after {timeout:.0f}s"
            raise WorkerProblem(f"{problem} waiting for {what}\n" + "\n".join(w.tail() for w in workers))
        time.sleep(0.1)
