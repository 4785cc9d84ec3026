"""Development mail: one .eml file per message, a complete MIME message that a mail client opens; `make run`
points SITE_URL (the links in emails) at the address it serves."""

import email
import os
import subprocess
import sys
from email import policy
from pathlib import Path

from django.core.mail import EmailMultiAlternatives, get_connection

ROOT = Path(__file__).resolve().parents[2]


def test_each_message_becomes_one_eml_file_with_its_text_and_html_parts(tmp_path):
    connection = get_connection("cop_platform.mail.EmlFileBackend", file_path=tmp_path)
    for n in (1, 2):
        message = EmailMultiAlternatives(f"Welcome {n}", "Plain text, with a link: http://x.org/ü", to=["a@b.org"])
        message.attach_alternative(f"<p>Hello {n}</p>", "text/html")
        message.connection = connection
        message.send()

    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert not list(tmp_path.glob(".*"))  # no half-written files left behind
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "a@b.org"
    assert parsed["Subject"] in {"Welcome 1", "Welcome 2"}
    assert parsed.get_body(("plain",)).get_content().strip() == "Plain text, with a link: http://x.org/ü"
    assert parsed.get_body(("html",)).get_content().startswith("<p>Hello")


def test_development_settings_write_eml_files_under_var_mail():
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "EMAIL_FILE_PATH"}}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cop_platform.settings'; django.setup();"
            "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["cop_platform.mail.EmlFileBackend", str(ROOT / "var" / "mail")]


def _make_run_commands(**env) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
    return subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.5", "PORT=8123"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_run_sets_site_url_from_host_and_port_unless_site_url_is_set():
    assert 'export SITE_URL="http://127.0.0.5:8123"' in _make_run_commands()
    assert 'export SITE_URL="https://cop.example.org"' in _make_run_commands(SITE_URL="https://cop.example.org")
