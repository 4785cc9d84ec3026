"""Library benchmark: a 25 MB upload and download through the real views, and text extraction of a 100-page PDF.

The upload and download go over HTTP to a real gunicorn sync worker on loopback (the production server), signed in
as a member; the worker's peak resident memory is read from /proc (VmHWM, reset before each transfer through
/proc/<pid>/clear_refs), so the figure shows whether a 25 MB file was ever held in memory whole. The extraction
runs in this process through the same functions the Celery task calls.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench_library .venv/bin/python bench/library.py [--write]
"""

import argparse
import hashlib
import http.client
import os
import platform
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import (  # noqa: E402  (the repository root must be on the path first)
    ROOT,
    configure_environment,
    database_config,
    ensure_database,
    log,
    masked,
    start_django,
)

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START, RESULTS_END = "<!-- library-results -->", "<!-- /library-results -->"
SLUG = "bench-library"
EMAIL = "bench-librarian@bench.example"
CHUNK = 64 * 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(library_root: Path) -> tuple[str, str]:
    """A community and a signed-in member; returns (session cookie value, community slug)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from communities.models import Community, Membership
    from library.models import Resource

    community, _ = Community.objects.get_or_create(
        slug=SLUG, defaults={"name": "Library bench", "description": "Benchmark community."}
    )
    Resource.objects.filter(community=community).delete()
    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(email=EMAIL, password=None)
    Membership.objects.get_or_create(user=user, community=community, defaults={"status": "active"})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, community.slug


def big_pdf(path: Path, size: int) -> None:
    """A real PDF (a page of text) padded with PDF comment lines up to `size` bytes, written in chunks."""
    from library.demo_files import text_pdf

    head = text_pdf("A large scanned report", [("Summary", "The rest of this file is padding.")])
    with path.open("wb") as out:
        out.write(head)
        written = len(head)
        line = b"%" + os.urandom(CHUNK // 2).hex().encode()[: CHUNK - 2] + b"\n"
        while written + len(line) <= size:
            out.write(line)
            written += len(line)
        out.write(b"%" * (size - written - 1) + b"\n")


class Server:
    """gunicorn with one sync worker, as in production, on a free loopback port."""

    def __init__(self, env: dict, log_path: Path):
        self.port = _free_port()
        self.log_path = log_path
        with log_path.open("wb") as out:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "cop_platform.wsgi", "--workers", "1"]
                + ["--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start:\n{log_path.read_text(errors='replace')}") from None
                time.sleep(0.2)
        self.worker = self._worker_pid()

    def _worker_pid(self) -> int:
        for _ in range(50):
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            if children:
                return int(children[0])
            time.sleep(0.1)
        raise SystemExit("no gunicorn worker")

    def _status(self, field: str) -> int:
        for line in Path(f"/proc/{self.worker}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        return 0

    def rss(self) -> int:
        return self._status("VmRSS")

    def reset_peak(self) -> None:
        Path(f"/proc/{self.worker}/clear_refs").write_text("5")

    def peak(self) -> int:
        return self._status("VmHWM")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def _connection(server: Server) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)


def _get(server: Server, path: str, cookies: dict) -> tuple[int, dict, bytes]:
    conn = _connection(server)
    conn.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    response = conn.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, headers, body


def upload(server: Server, slug: str, cookies: dict, pdf: Path, title: str) -> tuple[float, int]:
    """POST the file through the library's add form; returns (seconds, status)."""
    status, headers, page = _get(server, f"/c/{slug}/library/add/document/", cookies)
    if status != 200:
        raise SystemExit(f"the add page answered {status}:\n{server.log_path.read_text(errors='replace')[-3000:]}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", "")).group(1)
    cookies = {**cookies, "csrftoken": csrf_cookie}
    boundary = "----library-bench-boundary"
    fields = {"csrfmiddlewaretoken": token, "title": title, "licence": "ask"}
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{pdf.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    with tempfile.TemporaryFile() as body:
        body.write(head.encode())
        with pdf.open("rb") as source:
            while chunk := source.read(CHUNK):
                body.write(chunk)
        body.write(tail)
        length = body.tell()
        body.seek(0)
        conn = _connection(server)
        began = time.perf_counter()
        conn.request(
            "POST",
            f"/c/{slug}/library/add/document/",
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "Referer": f"http://127.0.0.1:{server.port}/",
                "Host": "testserver",
            },
            encode_chunked=False,
        )
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - began
        conn.close()
    return elapsed, response.status


def download(server: Server, path: str, cookies: dict) -> tuple[float, int, str]:
    """GET a download and read it in chunks; returns (seconds, bytes, sha256)."""
    conn = _connection(server)
    began = time.perf_counter()
    conn.request(
        "GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "testserver"}
    )
    response = conn.getresponse()
    assert response.status == 200, response.status
    digest, size = hashlib.sha256(), 0
    while chunk := response.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed, size, digest.hexdigest()


def measure_transfers(args, work: Path, session_key: str, slug: str) -> dict:
    from library.models import Resource, ResourceVersion

    size = args.megabytes * 1024 * 1024 - 4096  # just under the cap
    pdf = work / "large-report.pdf"
    big_pdf(pdf, size)
    with pdf.open("rb") as handle:
        expected = hashlib.file_digest(handle, "sha256").hexdigest()
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        # The extraction task must not run inside the web worker (it would in the no-broker development mode).
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LIBRARY_ROOT": str(work / "library"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    # With DEBUG off the pages need the hashed static files, as in production.
    env["STATIC_ROOT"] = str(work / "static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = Server(env, work / "gunicorn.log")
    cookies = {"sessionid": session_key}
    rows = []
    try:
        started = server.rss()
        # One untimed round first: the worker imports the app, fills its caches and opens its database connection.
        for round_number in range(args.rounds + 1):
            server.reset_peak()
            before_upload = server.rss()
            seconds, status = upload(server, slug, cookies, pdf, f"Large report {round_number}")
            upload_peak = server.peak()
            assert status == 302, f"upload answered {status}: {(work / 'gunicorn.log').read_text()[-2000:]}"
            resource = Resource.objects.filter(community__slug=slug).order_by("-pk").first()
            version = ResourceVersion.objects.get(file__resource=resource)
            assert version.sha256 == expected and version.size == size
            server.reset_peak()
            before_download = server.rss()
            down_seconds, down_bytes, digest = download(server, version.download_url(resource), cookies)
            download_peak = server.peak()
            assert digest == expected and down_bytes == size
            if round_number:
                rows.append(
                    {
                        "upload_s": seconds,
                        "download_s": down_seconds,
                        "upload_growth": upload_peak - before_upload,
                        "download_growth": download_peak - before_download,
                        "rss": server.rss(),
                    }
                )
            Resource.objects.filter(pk=resource.pk).delete()  # the next round uploads the same bytes again
        return {"size": size, "idle_rss": started, "warm_rss": rows[-1]["rss"], "rows": rows}
    finally:
        server.stop()


def measure_extraction(args, work: Path) -> dict:
    from library.demo_files import text_pdf
    from library.extraction import extract_text, render_preview

    paragraph = (
        "The programme board reviewed the benefits realisation plan, the risk register and the schedule. "
        "Each benefit has an owner in the business, a baseline, a target and a leading indicator. "
    ) * 6
    sections = []
    for page in range(args.pages):
        if page:
            sections.append(("\f", ""))
        sections.append((f"Section {page + 1}", paragraph + f" Page marker zq{page:03d}."))
    pdf = work / "hundred-pages.pdf"
    pdf.write_bytes(text_pdf("A hundred-page programme report", sections))
    timings, previews = [], []
    extracted = None
    for _ in range(args.rounds):
        began = time.perf_counter()
        extracted = extract_text(pdf, "application/pdf")
        timings.append(time.perf_counter() - began)
        began = time.perf_counter()
        render_preview(pdf, "application/pdf")
        previews.append(time.perf_counter() - began)
    return {
        "pages": extracted.pages,
        "bytes": pdf.stat().st_size,
        "chars": len(extracted.text),
        "last_page_found": f"zq{args.pages - 1:03d}" in extracted.text,
        "note": extracted.note,
        "extract_s": timings,
        "preview_s": previews,
    }


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def report(args, url: str, transfers: dict, extraction: dict, loads: list[float]) -> str:
    import django
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
    size = transfers["size"]
    rows = transfers["rows"]
    header = (
        "| Transfer (25 MB PDF, gunicorn sync worker) | Median time | MB/s | Worker peak RSS above its level before |"
    )
    table = [header, "|---|---:|---:|---:|"]
    for label, key, growth in (
        ("Upload through the add form", "upload_s", "upload_growth"),
        ("Download", "download_s", "download_growth"),
    ):
        seconds = statistics.median(r[key] for r in rows)
        worst = max(r[growth] for r in rows)
        rate = size / 1024 / 1024 / seconds
        table.append(f"| {label} | {seconds:.2f} s | **{rate:.0f}** | {_mb(max(worst, 0))} (worst of {len(rows)}) |")
    ext = extraction
    command = f"DATABASE_URL={masked(url)} .venv/bin/python bench/library.py {shlex.join(sys.argv[1:])}".strip()
    return "\n".join(
        [
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {os.cpu_count()} CPUs ({cpu or platform.machine()}), {database}, "
            f"Python {platform.python_version()}, Django {django.get_version()}, library storage on local disk",
            f"- {len(rows)} timed rounds after an untimed one; the worker's resident memory: "
            f"{_mb(transfers['idle_rss'])} before its first request, {_mb(transfers['warm_rss'])} after the last; "
            f"1-minute load average {' → '.join(f'{load:.1f}' for load in loads)}",
            f"- Command: `{command}`",
            "",
            *table,
            "",
            f"- Text extraction of a {ext['pages']}-page text PDF ({ext['bytes'] / 1024:.0f} KB, {ext['chars']:,} "
            f"characters kept, last page found: {'yes' if ext['last_page_found'] else 'no'}): "
            f"**{statistics.median(ext['extract_s']):.2f} s** median of {len(ext['extract_s'])} "
            f"(pypdf {min(ext['extract_s']):.2f}–{max(ext['extract_s']):.2f} s); first-page preview (pypdfium2) "
            f"{statistics.median(ext['preview_s']) * 1000:.0f} ms." + (f" Note: {ext['note']}" if ext["note"] else ""),
        ]
    )


def write_readme(block: str) -> None:
    text = README.read_text()
    if RESULTS_START not in text:
        text = text.rstrip("\n") + f"\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")
    log(f"results written to {README.relative_to(ROOT)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=25, help="size of the transferred file (default 25)")
    parser.add_argument("--pages", type=int, default=100, help="pages of the extracted PDF (default 100)")
    parser.add_argument("--rounds", type=int, default=3, help="repetitions of each measurement (default 3)")
    parser.add_argument("--write", action="store_true", help="update the library block in bench/README.md")
    args = parser.parse_args(argv)
    configure_environment()
    url, cfg = database_config()
    if "bench" not in str(cfg["NAME"]):
        sys.exit(f"Refusing to use database {cfg['NAME']!r}: its name must contain 'bench'.")
    if cfg["ENGINE"].startswith("django.db.backends.postgresql"):
        ensure_database(cfg)
    with tempfile.TemporaryDirectory(prefix="library-bench-") as tmp:
        work = Path(tmp)
        os.environ["LIBRARY_ROOT"] = str(work / "library")
        os.environ["LIBRARY_MAX_UPLOAD_MB"] = str(args.megabytes)
        start_django()
        session_key, slug = prepare(work / "library")
        loads = [os.getloadavg()[0]]
        log(f"transfers: {args.rounds} rounds of a {args.megabytes} MB upload and download")
        transfers = measure_transfers(args, work, session_key, slug)
        log(f"extraction: a {args.pages}-page PDF, {args.rounds} rounds")
        extraction = measure_extraction(args, work)
        loads.append(os.getloadavg()[0])
    block = report(args, url, transfers, extraction, loads)
    print(f"\n{block}\n")
    if args.write:
        write_readme(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
