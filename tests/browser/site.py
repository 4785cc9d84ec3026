"""A real server for the browser suite: its own database, the demo data, `runserver` in a subprocess.

The server runs in another process, so the browser tests never touch the ORM while Playwright's event loop runs
(no SynchronousOnlyOperation, no DJANGO_ALLOW_ASYNC_UNSAFE). Without DATABASE_URL it uses a SQLite file in a
temporary folder; with a PostgreSQL DATABASE_URL it uses `<that database>_browser` (dropped and created anew).
Tasks run in-process (no REDIS_URL), and mail is written as .eml files into `mail_dir`.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
LOOKUP = Path(__file__).with_name("lookup.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(workdir: Path, suffix: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'browser.sqlite3'}"
    import psycopg2

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'cop'}_browser{suffix}"
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return parts._replace(path=f"/{name}").geturl()


@dataclass
class LiveSite:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    ids: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def env(self) -> dict:
        return self._env

    def prepare(self, suffix: str = "") -> None:
        """Create the database, migrate, load the demo data and read the ids the page list needs."""
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(
            DATABASE_URL=_database_url(self.workdir, suffix),
            SITE_URL=self.base_url,
            DEBUG="true",
            EMAIL_FILE_PATH=str(self.mail_dir),
            MEDIA_ROOT=str(self.workdir / "media"),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.pop("EMAIL_URL", None)
        self._env = env
        self.manage("migrate", "--noinput", "-v0")
        self.manage("seed_demo")
        self.ids = json.loads(self.run_python(LOOKUP))

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self._env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def run_python(self, script: Path) -> str:
        """Run a script with Django set up against this site's database; returns what it prints."""
        result = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=self._env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise RuntimeError(f"{script.name} failed:\n{result.stderr}")
        return result.stdout

    def start(self) -> None:
        log = (self.workdir / "server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server stopped:\n{(self.workdir / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError("The server did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    # --- Mail ----------------------------------------------------------------------------------------------------

    def messages(self) -> list[EmailMessage]:
        """Every message the site has written so far, oldest first, parsed as real MIME."""
        parser = BytesParser(policy=policy.default)
        files = sorted(self.mail_dir.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        return [parser.parsebytes(path.read_bytes()) for path in files]

    def wait_for_message(self, *, to: str, subject_contains: str = "", timeout: float = 10) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while True:
            for message in reversed(self.messages()):
                if to in str(message["To"]) and subject_contains in str(message["Subject"]):
                    return message
            if time.monotonic() > deadline:
                seen = [(str(m["To"]), str(m["Subject"])) for m in self.messages()[-10:]]
                raise AssertionError(f"No message to {to} about {subject_contains!r}; last ones: {seen}")
            time.sleep(0.2)

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
