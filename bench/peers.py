"""Our pages side by side with django-machina, django-spirit and a one-query ceiling page, in one wrk run.

The peer harness (`../shared/peers`, see its README) is copied to `var/peers` and set up there (its venvs, its
private PostgreSQL on 127.0.0.1:55432, the peers' seeded databases). This script then:

1. seeds our platform in its own database on that PostgreSQL (`cop_peers`) with the harness's data shape and
   text: 20 users (member01..member20, all members of one public community), one category, one topic of 100
   posts (the opening post and 99 top-level replies, as linear as the peers' topics) and 200 one-post topics,
   from the harness's own `benchtools/content.py`, rendered by our Markdown renderer;
2. starts our server as the peers are started: gunicorn, 2 sync workers, 127.0.0.1, DEBUG off, persistent
   connections (CONN_MAX_AGE=600), database sessions, page sizes of 20 (FORUM_THREADS_PER_PAGE /
   FORUM_REPLIES_PER_PAGE), and Redis as its cache, as in production (`--redis`, database 9, emptied first; the
   peers keep their per-process memory cache). With Redis on, pages for visitors who are not signed in are kept
   until the next write (cop_platform/anonymous_pages.py), so a second server of ours on 127.0.0.1:18011, the
   same but with that cache off, serves the anonymous pages again as `cop-uncached:*`; `--redis ""` runs one
   server with per-process memory and no page cache;
3. writes our URL list (community home, latest, category, thread page 1; anonymous and as member01) and runs
   the harness's `bench.sh` over the peers' list and ours in one run;
4. prints the harness's table, then ours: each of our pages against the best peer page of the same kind
   (thread -> topic, latest and category -> the topic list, community home -> the index), and with --write
   puts both in bench/README.md between the peers-results markers, with the load before and after.

    .venv/bin/python bench/peers.py [--rounds 3] [--duration 2s] [--write] [--smoke]

`--smoke` does everything but wrk: seed, serve, check every URL answers 200, stop. `make bench-peers` is
`--write` with the defaults, about 8 minutes on two cores.
"""

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import ROOT, configure_environment, log, start_django  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START, RESULTS_END = "<!-- peers-results -->", "<!-- /peers-results -->"
SLUG = "peers"
PG_PORT = int(os.environ.get("PEERS_PGPORT", "55432"))
DATABASE = "cop_peers"
OUR_PORT = 18010
UNCACHED_PORT = 18011
PAGE_SIZE = 20
# Our page kind -> the peers' page kind it is judged against, and the goal (req/s at c4 over the best peer's).
KINDS = {"topic": ("topic", 2.0), "latest": ("forum", 1.5), "category": ("forum", 1.5), "home": ("index", 1.25)}


def _peers_source() -> Path:
    env = os.environ.get("PEERS_SRC")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "peers", ROOT.parent.parent / "shared" / "peers"]
    for path in candidates:
        if (path / "bench.sh").exists():
            return path
    sys.exit("the peer harness was not found: set PEERS_SRC to the shared/peers folder")


def prepare_harness(work: Path, env: dict) -> None:
    """Copy the harness (not its venvs or data) and run its setup; a second setup takes seconds."""
    if not (work / "bench.sh").exists():
        src = _peers_source()
        log(f"copying the peer harness from {src} to {work}")
        shutil.copytree(src, work, ignore=shutil.ignore_patterns(".venv*", "var"))
    log(f"peers: setup.sh (venvs, PostgreSQL on 127.0.0.1:{PG_PORT}, seeds, URL lists)")
    subprocess.run([str(work / "setup.sh")], check=True, stdout=sys.stderr, env=env)


def harness_content(work: Path):
    spec = importlib.util.spec_from_file_location("peers_content", work / "site" / "benchtools" / "content.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ensure_database() -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user="postgres", host="127.0.0.1", port=PG_PORT)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cur.fetchone() is None:
            log(f"creating database {DATABASE} on 127.0.0.1:{PG_PORT}")
            cur.execute(f'CREATE DATABASE "{DATABASE}"')
    conn.close()


def seed(content) -> None:
    """The harness's data in our schema; skipped when it is there already."""
    from django.db import connection, transaction

    from accounts.models import User
    from communities.models import Community, Membership
    from forums.models import Category, Post, Thread, ThreadRead
    from forums.services import index_post, index_thread, number_branches, render_body

    topics = content.other_topics()
    community = Community.objects.filter(slug=SLUG).first()
    if community is not None and Thread.objects.filter(community=community).count() == len(topics) + 1:
        log("reusing our seeded data")
        return
    log("seeding our platform with the harness's data")
    with transaction.atomic():
        Community.objects.filter(slug=SLUG).delete()
        User.objects.filter(email__in=[f"{content.username(i)}@peers.example" for i in range(content.USERS)]).delete()
        community = Community.objects.create(
            name="Peers forum", slug=SLUG, description="The peer benchmark's forum.", visibility="public"
        )
        users = []
        for i in range(content.USERS):
            name = content.username(i)
            user = User.objects.create_user(
                email=f"{name}@peers.example",
                password=None,
                handle=name,
                first_name="Member",
                last_name=f"{i + 1:02d}",
            )
            users.append(user)
        Membership.objects.bulk_create(
            Membership(
                community=community,
                user=user,
                role=Membership.Role.OWNER if i == 0 else Membership.Role.MEMBER,
                status=Membership.Status.ACTIVE,
                joined_at=content.START - timedelta(days=400),
            )
            for i, user in enumerate(users)
        )
        category = Category.objects.create(community=community, name="General discussion", slug="general")
        big = content.big_topic_posts()
        rows = [(content.BIG_TOPIC_TITLE, big[0][1], big[0][2], big[0][3])] + list(topics)
        threads = Thread.objects.bulk_create(
            Thread(
                community=community,
                category=category,
                title=title,
                author=users[author],
                created_at=created,
                last_activity_at=big[-1][2] if i == 0 else created,
                last_post_author=users[big[-1][1]] if i == 0 else users[author],
                reply_count=len(big) - 1 if i == 0 else 0,
            )
            for i, (title, author, created, _) in enumerate(rows)
        )
        posts = [
            Post(
                thread=thread,
                author=users[author],
                body=markdown,
                body_html=render_body(markdown)[0],
                is_opening=True,
                created_at=created,
                published_at=created,
            )
            for thread, (_, author, created, markdown) in zip(threads, rows, strict=True)
        ]
        posts += [
            Post(
                thread=threads[0],
                author=users[author],
                body=markdown,
                body_html=render_body(markdown)[0],
                depth=1,
                created_at=created,
                published_at=created,
            )
            for _, author, created, markdown in big[1:]
        ]
        Post.objects.bulk_create(posts)
        number_branches(Thread.objects.filter(community=community))
        Category.objects.filter(pk=category.pk).update(thread_count=len(threads))
        # The member has read the big topic before: the read marker is current, as for a returning member.
        ThreadRead.objects.create(thread=threads[0], user=users[0], read_at=big[-1][2])
        for thread in Thread.objects.filter(community=community).select_related("community", "author"):
            opening = Post.objects.get(thread=thread, is_opening=True)
            index_thread(thread, opening)
        for post in Post.objects.filter(thread=threads[0], is_opening=False).select_related("thread__community"):
            index_post(post)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def member_cookie(path: Path) -> None:
    """A database session for member01, as the harness makes one for the peers."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(email="member01@peers.example")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(60 * 60 * 24)
    session.create()
    path.write_text(f"Cookie: {settings.SESSION_COOKIE_NAME}={session.session_key}\n")


def our_urls(cookie: Path, *, uncached: bool) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    from forums.models import Thread

    topic = Thread.objects.get(community__slug=SLUG, title__startswith="Benefits realisation plans")
    pages = [
        ("home", reverse("communities:community_detail", args=[SLUG])),
        ("latest", reverse("forums:latest", args=[SLUG])),
        ("category", reverse("forums:category_detail", args=[SLUG, "general"])),
        ("topic", topic.get_absolute_url()),
    ]
    base = f"http://127.0.0.1:{OUR_PORT}"
    urls = [
        (f"cop:{kind}:{who}", base + path, str(cookie) if who == "member" else "")
        for kind, path in pages
        for who in ("anon", "member")
    ]
    if uncached:
        # The same server without the anonymous page cache: what each anonymous page costs when it is rendered.
        urls += [(f"cop-uncached:{kind}:anon", f"http://127.0.0.1:{UNCACHED_PORT}{path}", "") for kind, path in pages]
    return urls


def server_env(static_root: Path, redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        env["REDIS_URL"] = redis_url
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
        DEBUG="false",
        CONN_MAX_AGE="600",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-key-not-a-secret"),
        STATIC_ROOT=str(static_root),
        FORUM_THREADS_PER_PAGE=str(PAGE_SIZE),
        FORUM_REPLIES_PER_PAGE=str(PAGE_SIZE),
        LOG_LEVEL="WARNING",
    )
    return env


class Server:
    """Our gunicorn, started like the peers' (serve.sh): 2 sync workers on loopback; stopped by its own pid."""

    def __init__(self, env: dict, log_path: Path, check_url: str, port: int = OUR_PORT):
        self.log_path = log_path
        with log_path.open("wb") as out:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "cop_platform.wsgi:application"]
                + ["--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
                + ["--log-level", "warning"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while status(check_url) != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"our server did not answer 200 on {check_url}:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def status(url: str, header_file: str = "") -> int:
    request = urllib.request.Request(url)
    if header_file:
        for line in Path(header_file).read_text().splitlines():
            name, _, value = line.partition(":")
            request.add_header(name.strip(), value.strip())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


# --- The comparison ------------------------------------------------------------------------------------------


def read_tsv(path: Path) -> list[dict]:
    lines = path.read_text().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"), strict=False)) for line in lines[1:] if line.strip()]


def medians(rows: list[dict]) -> dict[str, dict]:
    out = {}
    for label in dict.fromkeys(r["label"] for r in rows):
        ok = [r for r in rows if r["label"] == label and r.get("cN_rps")]
        if not ok:
            continue
        rps = [float(r["cN_rps"]) for r in ok]
        out[label] = {
            "rps": statistics.median(rps),
            "range": (min(rps), max(rps)),
            "p50": statistics.median(float(r["c1_p50_ms"]) for r in ok),
            "p50_range": (min(float(r["c1_p50_ms"]) for r in ok), max(float(r["c1_p50_ms"]) for r in ok)),
            "status": ok[-1]["status"],
        }
    return out


def comparison(rows: list[dict]) -> str:
    """Our pages against the best peer of the same kind and persona: req/s ratio at c4, c1 p50 ratio."""
    table = medians(rows)
    lines = [
        "| our page | ours c4 req/s (range) | best peer page | its c4 req/s | ratio | goal | "
        "ours c1 p50 ms | best peer c1 p50 ms | p50 ratio | below? |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, ours in table.items():
        if not label.startswith(("cop:", "cop-uncached:")):
            continue
        _, kind, who = label.split(":")
        peer_kind, goal = KINDS[kind]
        peers = {
            k: v
            for k, v in table.items()
            if k.split(":")[0] in ("machina", "spirit") and k.endswith(f":{peer_kind}:{who}")
        }
        if not peers:
            continue
        best = max(peers, key=lambda k: peers[k]["rps"])
        fastest = min(peers, key=lambda k: peers[k]["p50"])
        ratio = ours["rps"] / peers[best]["rps"]
        p50_ratio = ours["p50"] / peers[fastest]["p50"]
        lines.append(
            f"| {label} | {ours['rps']:.0f} ({ours['range'][0]:.0f}–{ours['range'][1]:.0f}) | {best} | "
            f"{peers[best]['rps']:.0f} | **{ratio:.2f}** | {goal:.2f} {'✓' if ratio >= goal else '✗'} | "
            f"{ours['p50']:.1f} | {peers[fastest]['p50']:.1f} ({fastest}) | {p50_ratio:.2f} | "
            f"{'✓' if p50_ratio < 1 else '✗'} |"
        )
    return "\n".join(lines)


def write_readme(block: str) -> None:
    text = README.read_text()
    if RESULTS_START not in text:
        text = text.rstrip("\n") + f"\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")
    log(f"results written to {README.relative_to(ROOT)}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds over every page (medians; default 3)")
    parser.add_argument("--duration", default="2s", help="wrk duration per run (default 2s; the issue used 6s)")
    parser.add_argument("--connections", type=int, default=4, help="connections of the load run (default 4)")
    parser.add_argument("--work", default=str(ROOT / "var" / "peers"), help="where the harness copy lives")
    parser.add_argument("--write", action="store_true", help="put the tables in bench/README.md")
    parser.add_argument("--smoke", action="store_true", help="seed, serve and check the URLs; no wrk")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/9",
        help="our server's cache, emptied first (default: Redis database 9; empty: per-process memory, no page cache)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    work = Path(args.work).resolve()
    ours_dir = ROOT / "var" / "peers-cop"
    ours_dir.mkdir(parents=True, exist_ok=True)
    loads = [os.getloadavg()]
    # The harness and the peers' servers get the environment as it was, not the one set up for our Django below
    # (DJANGO_SETTINGS_MODULE, DATABASE_URL... would point the peers at our settings).
    harness_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    prepare_harness(work, harness_env)
    content = harness_content(work)

    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
    os.environ.pop("REDIS_URL", None)
    os.environ["FORUM_THREADS_PER_PAGE"] = os.environ["FORUM_REPLIES_PER_PAGE"] = str(PAGE_SIZE)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    configure_environment()
    ensure_database()
    start_django()
    seed(content)
    cookie = ours_dir / "cookie-cop.txt"
    member_cookie(cookie)
    static_root = ours_dir / "static"
    env = server_env(static_root, args.redis)
    # As the server will serve them (the manifest storage); this process uses the plain storage (bench.run).
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    urls = our_urls(cookie, uncached=bool(args.redis))
    url_file = ours_dir / "urls-cop.txt"
    url_file.write_text("".join(f"{label} {url} {header}".rstrip() + "\n" for label, url, header in urls))

    servers = [Server(env, ours_dir / "gunicorn.log", urls[0][1])]
    if args.redis:
        uncached_env = {**env, "ANONYMOUS_PAGE_CACHE_SECONDS": "0"}
        check = next(url for label, url, _ in urls if label.startswith("cop-uncached:"))
        servers.append(Server(uncached_env, ours_dir / "gunicorn-uncached.log", check, port=UNCACHED_PORT))
    try:
        bad = [(label, code) for label, url, header in urls if (code := status(url, header)) != 200]
        if bad:
            sys.exit(f"our pages did not answer 200: {bad}; see {ours_dir / 'gunicorn.log'}")
        log(f"our servers are up on 127.0.0.1:{OUR_PORT} (and {UNCACHED_PORT} uncached); {len(urls)} pages answer 200")
        if args.smoke:
            print(url_file.read_text())
            return 0
        command = [str(work / "bench.sh"), "-r", str(args.rounds), "-d", args.duration, "-c", str(args.connections)]
        command += [str(work / "var" / "urls.txt"), str(url_file)]
        log("running: " + " ".join(command))
        loads.append(os.getloadavg())
        # The harness's progress goes to stderr as it runs; its table comes on stdout.
        done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=harness_env)
        loads.append(os.getloadavg())
    finally:
        for server in servers:
            server.stop()
    harness_table = done.stdout.strip()
    tsv = Path(re.search(r"TSV: (\S+)", harness_table).group(1))
    ours = comparison(read_tsv(tsv))
    load_text = " → ".join("/".join(f"{x:.2f}" for x in load) for load in loads)
    block = "\n".join(
        [
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; `bench/peers.py --rounds {args.rounds} "
            f"--duration {args.duration} --connections {args.connections}"
            + (f" --redis {args.redis}`" if args.redis else ' --redis ""` (no page cache)'),
            f"- Load average (1/5/15 min) at the start → before wrk → after: {load_text}",
            "",
            "The harness's table (medians of the rounds; last column: req/s over the ceiling page's):",
            "",
            harness_table.replace(f"\nTSV: {tsv}", "").strip(),
            "",
            "Ours against the best peer page of the same kind and persona (goals from issue 11):",
            "",
            ours,
        ]
    )
    print(f"\n{block}\n")
    if args.write:
        write_readme(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
