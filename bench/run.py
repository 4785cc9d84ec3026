#!/usr/bin/env python
"""Forum and search benchmarks on a large data set, through the real Django stack, in-process (no server).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench .venv/bin/python bench/run.py [--reuse] [--write]

Creates the database if it is missing, migrates it, builds one public community with thousands of members,
threads and posts (or, with --reuse, keeps the one already there), then requests the busiest read pages with
django.test.Client and reports latency and queries per request. See bench/README.md.
"""

import argparse
import html
import itertools
import math
import os
import platform
import random
import re
import shlex
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
RESULTS_START, RESULTS_END = "<!-- results -->", "<!-- /results -->"
BATCH = 5_000
COMMUNITY_SLUG = "bench-ppm"
MEMBERS = 2_000
FACILITATORS = 9  # users 1..9; user 0 owns the community
BENCH_MEMBER_EMAIL = "bench-member@bench.example"
COMMON_WORD = "project"
TWO_WORDS = "risk register"
# Specialist words planted in about 0.5% of posts (see Writer.lead), for a search with few matches.
RARE_WORDS = ["gantt", "kanban", "sipoc", "moscow", "pert"]
RARE_WORD = RARE_WORDS[0]
STARTED = time.perf_counter()

# --- Text ----------------------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Whitespace-separated words, each once, in order."""
    return list(dict.fromkeys(text.split()))


def _phrases(text: str) -> list[str]:
    """`|`-separated phrases, line breaks ignored."""
    return [p.strip() for p in text.replace("\n", "").split("|")]


# Domain words, most frequent first: with Zipf-like weights a common word matches many documents, a rare one few.
CONTENT_WORDS = _words("""
project risk team board plan delivery benefits stakeholders programme business case change budget schedule
register governance report council service review sponsor approach milestone assurance scope lessons portfolio
owner realisation template dependencies issues resources contract supplier procurement quality outcome
approval gateway stage agile sprint backlog roadmap decision escalation tolerance baseline forecast cost
estimate contingency mitigation impact probability workshop meeting culture engagement communication training
capacity capability demand prioritisation funding savings efficiency transformation digital data dashboard
metrics measures indicators tracking evidence evaluation audit compliance policy standards guidance framework
methodology lifecycle handover closure transition operations users residents patients citizens staff managers
directors executive committee members partners local authority trust department ministry sector public health
housing transport education social care fire rescue police finance legal estates technology systems software
platform integration migration testing acceptance requirements specification design architecture security privacy
consultation feedback survey interviews evidence insight research analysis modelling options appraisal
recommendation justification affordability value money investment return profile map chain logic theory
intervention pilot rollout adoption benefit owners realisation plan tracking window baseline measures targets
performance improvement maturity assessment health check retrospective coaching mentoring community practice
network peers experience knowledge sharing learning reflection expertise judgement confidence trust relationships
negotiation conflict resolution leadership sponsorship accountability responsibility roles matrix raci charter
brief mandate initiation definition mobilisation execution monitoring control reporting highlight exception
checkpoint tolerances dependencies constraints assumptions issues actions decisions log workbook spreadsheet
tool software licence vendor framework agreement tender evaluation criteria scoring moderation award mobilise
""")
# Everyday words, interleaved with the domain words above in frequency.
GENERAL_WORDS = _words("""
time people week month year example question answer idea problem colleague organisation process document update
way thing point view result work part level group area number detail option reason experience advice help
agree share found helped worked suggest struggled recommend tried use need keep started learned asked explain
discuss improve manage track prepare present support deliver build define write reduce increase avoid ensure
involve balance useful clear simple difficult early late senior weekly monthly quarterly good better practical
realistic honest formal informal small large new current previous similar different important critical key main
common regular open strong quick slow honest visible hidden shared agreed simpler fewer earlier later first last
everyone someone nobody anyone colleagues teams boards leaders sponsors suppliers partners frontline officers
spreadsheets templates workshops sessions conversations emails slides minutes papers notes lists charts
""")
WORDS = list(dict.fromkeys(w for pair in itertools.zip_longest(CONTENT_WORDS, GENERAL_WORDS) for w in pair if w))
STOP_WORDS = _words("""the a an and of to in for on with our we it is that this as by be at from have has are was
were will would can could should may might not but or if when how what which who their they them there then
so very more most also just still about into over after before than""")
TITLE_NOUNS = _phrases("""risk register|benefits map|business case|gateway review|lessons log|RAID log|project board|
highlight report|stakeholder map|change control|dependency tracking|resource plan|benefits profile|
programme dashboard|assurance plan|exit criteria|procurement timeline|supplier performance|budget forecast|
sprint review|project closure|handover plan|quality register|issue log|risk appetite|tolerance levels|
portfolio prioritisation|capacity planning|post-implementation review|options appraisal""")
TITLE_PATTERNS = [
    "How do you keep the {n} up to date?",
    "Anyone using a template for the {n}?",
    "{N}: what works for you?",
    "Lessons learned from our {n}",
    "Best way to present the {n} to the board?",
    "Struggling with the {n} on a {m} project",
    "Tips for the {n} in local government",
    "What does a good {n} look like?",
    "Help: our {n} keeps slipping",
    "Sharing our approach to the {n}",
    "{N} and {m}: how do they fit together?",
    "Who owns the {n} after go-live?",
]
TAGS = _phrases("""risk|benefits realisation|PRINCE2|agile|MSP|governance|business case|stakeholders|gateway review|
templates|lessons learned|procurement|assurance|finance|digital|local government|NHS|fire and rescue|
central government|portfolio|PMO|reporting|dashboards|change management|resourcing|estimating|closure|
handover|quality|dependencies|P3O|MoP|APM|scheduling|contracts|suppliers|training|careers|mentoring|tools""")
FIRST_NAMES = _words("""Aisha Alex Amelia Amir Ben Bethan Carlos Chloe Daniel Deepa Eleanor Emeka Fatima Finn Grace
Hamid Harriet Isaac Isla Jack James Jasmine Kate Kwame Laura Leo Lucy Mohammed Maya Niamh Noah Olivia Oscar
Priya Rachel Rhys Rosa Sam Sana Sophie Tariq Tom Uma Victoria Will Yusuf Zara Zoe Ewan""")
LAST_NAMES = _words("""Adams Ahmed Bailey Begum Brown Campbell Chen Clarke Davies Edwards Evans Fraser Green Hall
Hughes Hussain Jackson James Jones Khan Kaur Lewis Martin Morgan Murphy Nguyen Okafor Owen Patel Phillips
Price Roberts Robinson Rossi Scott Shah Singh Smith Taylor Thomas Thompson Turner Walker Ward Watson White
Williams Wilson Wood Wright""")
ORGANISATIONS = [
    "Leeds City Council",
    "Kent County Council",
    "Bristol City Council",
    "Greater Manchester Fire and Rescue Service",
    "London Fire Brigade",
    "NHS England",
    "Guy's and St Thomas' NHS Foundation Trust",
    "Department for Education",
    "Department for Transport",
    "HM Revenue and Customs",
    "Ministry of Justice",
    "Home Office",
    "Cabinet Office",
    "Scottish Government",
    "Welsh Government",
    "Cardiff Council",
    "Birmingham City Council",
    "Environment Agency",
    "DVLA",
    "Network Rail",
]
JOB_TITLES = [
    "Project Manager",
    "Programme Manager",
    "PMO Lead",
    "Portfolio Manager",
    "Benefits Manager",
    "Business Analyst",
    "Senior Responsible Owner",
    "Change Manager",
    "Delivery Manager",
    "Head of Projects",
    "Project Support Officer",
    "Assurance Lead",
]
CATEGORIES = [
    ("questions", "Questions and answers"),
    ("tools-and-templates", "Tools and templates"),
    ("benefits-realisation", "Benefits realisation"),
    ("assurance-and-risk", "Assurance and risk"),
    ("governance", "Governance and boards"),
    ("agile-delivery", "Agile delivery"),
    ("procurement", "Procurement and suppliers"),
    ("careers", "Careers and development"),
    ("introductions", "Introductions"),
    ("announcements", "Announcements"),
]


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


class Writer:
    """Markdown-ish text from the word lists: sentences, paragraphs, lists, quotes, inline emphasis and links."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.cum = list(itertools.accumulate(1 / (rank + 12) for rank in range(len(WORDS))))

    def words(self, n: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=self.cum, k=n)

    def sentence(self, lo: int = 8, hi: int = 18) -> str:
        """Plain words only (no Markdown syntax), so a sentence renders as exactly `<p>sentence</p>`."""
        n = self.rng.randint(lo, hi)
        content = iter(self.words(n))
        text = " ".join(self.rng.choice(STOP_WORDS) if self.rng.random() < 0.45 else next(content) for _ in range(n))
        return text[0].upper() + text[1:] + ("?" if self.rng.random() < 0.1 else ".")

    def lead(self) -> str:
        """A post's own first sentence; one in 200 carries a rare specialist word."""
        text = self.sentence()
        if self.rng.random() < 0.005:
            words = text[:-1].split(" ")
            words.insert(self.rng.randint(1, len(words)), self.rng.choice(RARE_WORDS))
            text = " ".join(words) + text[-1]
        return text

    def _decorate(self, text: str) -> str:
        words = text.split(" ")
        for _ in range(self.rng.randint(0, 2)):
            i = self.rng.randrange(len(words))
            if not words[i].isalpha():
                continue
            w = words[i]
            words[i] = self.rng.choice(
                [f"**{w}**", f"*{w}*", f"`{w}`", f"[{w}](https://www.example.org/guidance/{w.lower()})"]
            )
        return " ".join(words)

    def paragraph(self, lo: int = 1, hi: int = 4) -> str:
        return self._decorate(" ".join(self.sentence() for _ in range(self.rng.randint(lo, hi))))

    def block(self) -> str:
        r = self.rng.random()
        if r < 0.7:
            return self.paragraph()
        if r < 0.82:
            return "\n".join(
                f"- {' '.join(self.words(self.rng.randint(3, 8)))}" for _ in range(self.rng.randint(2, 5))
            )
        if r < 0.9:
            return "\n".join(
                f"{i}. {' '.join(self.words(self.rng.randint(3, 8)))}" for i in range(1, self.rng.randint(3, 6))
            )
        return f"> {self.sentence()}"

    def document(self, lo: int, hi: int, *, headings: bool = False) -> str:
        blocks = []
        for i in range(self.rng.randint(lo, hi)):
            if headings and i and i % 3 == 0:
                blocks.append("### " + " ".join(self.words(self.rng.randint(2, 4))).capitalize())
            blocks.append(self.block())
        return "\n\n".join(blocks)

    def title(self) -> str:
        n, m = self.rng.sample(TITLE_NOUNS, 2)
        return self.rng.choice(TITLE_PATTERNS).format(n=n, m=m, N=n[0].upper() + n[1:])


def plain_text(value: str) -> str:
    """The text `communities.search.index()` stores for an HTML body (tags stripped, whitespace collapsed)."""
    from django.utils.html import strip_tags

    return " ".join(html.unescape(strip_tags(value)).split())


@dataclass(slots=True)
class Template:
    body: str
    html: str
    plain: str


@dataclass(slots=True, eq=False)
class PostSpec:
    thread: int
    created: datetime
    author: int
    opening: bool = False
    parent: "PostSpec | None" = None
    root: "PostSpec | None" = None
    depth: int = 0
    status: str = "published"
    deleted: bool = False
    lead: str = ""
    template: Template | None = None
    id: int = 0
    thanks: int = 0
    helpful: int = 0


@dataclass(slots=True)
class ThreadSpec:
    created: datetime
    author: int
    category: int
    kind: str
    title: str
    tags: list[str]
    hidden: bool = False
    locked: bool = False
    closed: bool = False
    posts: list[PostSpec] = field(default_factory=list)
    accepted: PostSpec | None = None
    id: int = 0


# --- Database ------------------------------------------------------------------------------------------------------


def configure_environment() -> None:
    """Django settings as in production, except what a benchmark in one process on one machine needs."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cop_platform.settings"
    # DEBUG off: no debug template engine, no query log, as production serves pages. SSL redirects are off
    # because the test client speaks plain HTTP.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise warns that STATIC_ROOT is missing; static files are not what is measured here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def database_config() -> tuple[str, dict]:
    import environ

    url = os.environ.get("DATABASE_URL", "")
    if not url:  # the settings' development default
        return url, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(ROOT / "var" / "db.sqlite3")}
    return url, environ.Env.db_url_config(url)


def masked(url: str) -> str:
    """The URL without its password, for the report."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _admin_connection(cfg: dict):
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def ensure_database(cfg: dict, *, fresh: bool = False) -> None:
    """Create the database if it is missing; with `fresh`, drop it first."""
    from psycopg2 import sql

    name = sql.Identifier(cfg["NAME"])
    conn = _admin_connection(cfg)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
            exists = cur.fetchone() is not None
            if exists and fresh:
                cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
                exists = False
            if not exists:
                log(f"creating database {cfg['NAME']}")
                cur.execute(sql.SQL("CREATE DATABASE {}").format(name))
    finally:
        conn.close()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def start_django() -> None:
    """Set Django up for a benchmark process and bring the schema up to date."""
    import django

    django.setup()
    from django.test.utils import override_settings

    # The manifest storage used with DEBUG off needs collectstatic; static URLs are not what is measured here.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    migrate()


def prepare_data(args, cfg: dict, *, matches, present, build) -> float | None:
    """Keep a matching data set with --reuse, else wipe and build; returns the build time (None when reused)."""
    if args.reuse and matches(args):
        log("reusing the data set already in the database")
        return None
    if present():
        reset_database(cfg)
    return build(args)


def reset_database(cfg: dict) -> None:
    """Start from an empty database: drop and recreate it on PostgreSQL (no bloat, fresh sequences)."""
    from django.core.management import call_command
    from django.db import connection, connections

    log("removing the previous data set")
    if connection.vendor == "postgresql":
        connections.close_all()
        ensure_database(cfg, fresh=True)
        migrate()
    else:
        call_command("flush", interactive=False, verbosity=0)


def reserve_ids(model, n: int) -> list[int]:
    """`n` primary keys taken from the table's sequence, so rows can point at each other before they exist."""
    from django.db import connection

    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n]
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + n))


def bulk(model, objects: list, label: str) -> None:
    started = time.perf_counter()
    model.objects.bulk_create(objects, batch_size=BATCH)
    log(f"  {len(objects):>7,} {label} ({time.perf_counter() - started:.1f}s)")


def data_matches(args) -> bool:
    from communities.models import Community, SearchDocument
    from forums.models import Post, Thread

    return (
        Community.objects.filter(slug=COMMUNITY_SLUG).exists()
        and Thread.objects.count() == args.threads
        and Post.objects.count() == args.posts
        and SearchDocument.objects.exists()
    )


def has_data() -> bool:
    from accounts.models import User
    from communities.models import Community

    return User.objects.exists() or Community.objects.exists()


# --- Building the data set ------------------------------------------------------------------------------------------


def build(args) -> float:
    """Bulk-insert the whole data set in one transaction, then compute search vectors and ANALYZE."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from accounts.models import Profile, User
    from communities.models import Community, Membership, SearchDocument
    from communities.search import normalise_tag, refresh_vectors
    from cop_platform.markup import render_markdown_safe
    from forums.models import Category, Post, Reaction, Thread, ThreadFollow, ThreadRead
    from forums.services import number_branches

    started = time.perf_counter()
    rng = random.Random(args.seed)
    writer = Writer(rng)
    now = timezone.now().replace(microsecond=0)
    n_threads, n_replies = args.threads, args.posts - args.threads
    if n_replies < 0:
        sys.exit("--posts must be at least --threads (every thread has an opening post)")
    log(f"building {n_threads:,} threads, {args.posts:,} posts, {MEMBERS:,} members")

    # Distinct texts, rendered once each; every post adds its own plain first sentence, whose HTML is known.
    def templates(count: int, lo: int, hi: int, headings: bool = False) -> list[Template]:
        out = []
        for _ in range(count):
            body = writer.document(lo, hi, headings=headings)
            rendered = render_markdown_safe(body)
            out.append(Template(body, rendered, plain_text(rendered)))
        return out

    reply_texts, opening_texts, article_texts = templates(500, 1, 3), templates(250, 2, 5), templates(60, 6, 10, True)
    bio_texts = templates(40, 1, 1)
    log("  rendered 850 distinct Markdown texts")

    # Users and profiles. One password hash shared by all: hashing 2,000 passwords would take minutes.
    password = make_password("bench-password-not-secret")
    user_ids = reserve_ids(User, MEMBERS)
    users = []
    for i, uid in enumerate(user_ids):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = BENCH_MEMBER_EMAIL if i == FACILITATORS + 1 else f"{first}.{last}.{i}@bench.example".lower()
        users.append(
            User(
                id=uid,
                email=email,
                handle=f"{slugify(first)}-{slugify(last)}-{i}",
                first_name=first,
                last_name=last,
                password=password,
                date_joined=now - timedelta(days=rng.uniform(30, 1200)),
                is_staff=False,
            )
        )
    profiles = [
        Profile(
            user_id=u.id,
            organisation=rng.choice(ORGANISATIONS),
            job_title=rng.choice(JOB_TITLES),
            bio=(bio := rng.choice(bio_texts)).body,
            bio_html=bio.html,
            is_expert=rng.random() < 0.05,
        )
        for u in users
    ]
    # Authors: a few prolific members write much of the content, as in real forums.
    author_cum = list(itertools.accumulate(1 / (rank + 20) for rank in range(MEMBERS)))
    author_order = list(range(MEMBERS))
    rng.shuffle(author_order)

    def author() -> int:
        return rng.choices(author_order, cum_weights=author_cum)[0]

    # Threads, oldest first so primary keys follow time as they do in production.
    category_weights = [30, 12, 10, 10, 8, 8, 6, 6, 8, 2]
    tag_cum = list(itertools.accumulate(1 / (rank + 3) for rank in range(len(TAGS))))
    threads = []
    for created in sorted(now - timedelta(days=rng.uniform(1, 730)) for _ in range(n_threads)):
        category = rng.choices(range(len(CATEGORIES)), weights=category_weights)[0]
        if CATEGORIES[category][0] == "announcements":
            kind, who = "announcement", rng.randint(0, FACILITATORS)
        else:
            kind = rng.choices(["question", "discussion", "article"], weights=[48, 44, 8])[0]
            who = author()
        tags = list(
            dict.fromkeys(rng.choices(TAGS, cum_weights=tag_cum, k=rng.choices([0, 1, 2, 3], [2, 4, 3, 1])[0]))
        )
        thread = ThreadSpec(created, who, category, kind, writer.title(), tags)
        thread.hidden = rng.random() < 0.005
        thread.locked = rng.random() < 0.01
        thread.closed = rng.random() < 0.01
        texts = article_texts if kind == "article" else opening_texts
        opening = PostSpec(len(threads), created, who, opening=True, lead=writer.lead(), template=rng.choice(texts))
        if thread.hidden:
            opening.status = "hidden"
        thread.posts.append(opening)
        threads.append(thread)

    # Replies per thread: a long tail, some threads with none, and a few megathreads about 80 times the average.
    weights = [0.0 if rng.random() < 0.06 else rng.lognormvariate(0, 1.1) for _ in threads]
    for i in rng.sample(range(n_threads), max(1, n_threads // 2000)):
        weights[i] = 80 * sum(weights) / n_threads
    total = sum(weights)
    counts = [int(w / total * n_replies) for w in weights]
    for i in rng.choices(range(n_threads), weights=weights, k=n_replies - sum(counts)):
        counts[i] += 1

    all_posts: list[PostSpec] = []
    for t_index, (thread, count) in enumerate(zip(threads, counts, strict=True)):
        all_posts.append(thread.posts[0])
        span = (now - thread.created).total_seconds()
        times = sorted(min(rng.expovariate(1 / (3 * 86400)), span * rng.random()) for _ in range(count))
        replies: list[PostSpec] = []
        for offset in times:
            post = PostSpec(
                t_index,
                thread.created + timedelta(seconds=offset),
                author(),
                lead=writer.lead(),
                template=rng.choice(reply_texts),
            )
            r = rng.random()
            post.status = "hidden" if r < 0.01 else "held" if r < 0.013 else "published"
            post.deleted = post.status == "published" and r > 0.99
            candidates = [p for p in replies[-12:] if p.status == "published"]
            if candidates and rng.random() < 0.5:
                post.parent = rng.choice(candidates)
                post.depth, post.root = post.parent.depth + 1, post.parent.root or post.parent
            else:
                post.depth, post.root = 1, None  # a top-level reply's branch is its own
            replies.append(post)
        thread.posts.extend(replies)
        all_posts.extend(replies)
        if thread.kind == "question":
            answers = [p for p in replies if p.depth == 1 and p.status == "published" and not p.deleted]
            if answers and rng.random() < 0.45:
                thread.accepted = rng.choice(answers)

    # Post ids in time order across threads: a thread's posts are spread over the table, as in production.
    all_posts.sort(key=lambda p: p.created)
    for post, pid in zip(all_posts, reserve_ids(Post, len(all_posts)), strict=True):
        post.id = pid
    for thread, tid in zip(threads, reserve_ids(Thread, n_threads), strict=True):
        thread.id = tid

    # Reactions on about a third of the posts, kept consistent with the posts' counters.
    reactable = [p for p in all_posts if p.status == "published" and not p.deleted]
    reactions: dict[tuple[int, int, str], datetime] = {}
    for _ in range(len(all_posts) // 3):
        post, who = rng.choice(reactable), author()
        kind = "thanks" if rng.random() < 0.7 else "helpful"
        if who == post.author or (post.id, who, kind) in reactions:
            continue
        reactions[(post.id, who, kind)] = post.created + timedelta(hours=rng.uniform(0, 48))
        if kind == "thanks":
            post.thanks += 1
        else:
            post.helpful += 1

    with transaction.atomic():
        bulk(User, users, "users")
        bulk(Profile, profiles, "profiles")
        community = Community.objects.create(
            name="Bench Public Sector PPM Community",
            slug=COMMUNITY_SLUG,
            tagline="Project, programme and portfolio people across the public sector.",
            description="A large **benchmark** community: " + writer.paragraph(2, 3),
            join_policy=Community.JoinPolicy.APPROVAL,
            visibility=Community.Visibility.PUBLIC,
            stage=Community.Stage.MATURING,
            created_at=now - timedelta(days=1300),
            created_by_id=user_ids[0],
        )
        roles = {0: Membership.Role.OWNER, **dict.fromkeys(range(1, FACILITATORS + 1), Membership.Role.FACILITATOR)}
        bulk(
            Membership,
            [
                Membership(
                    user_id=u.id,
                    community=community,
                    role=roles.get(i, Membership.Role.MEMBER),
                    status=Membership.Status.ACTIVE,
                    created_at=u.date_joined,
                    joined_at=u.date_joined,
                    welcomed_at=u.date_joined + timedelta(hours=rng.uniform(1, 30)) if rng.random() < 0.9 else None,
                    welcome_method=Membership.WelcomeMethod.PERSONAL,
                    last_visit_at=now - timedelta(days=rng.uniform(0, 60)),
                )
                for i, u in enumerate(users)
            ],
            "memberships",
        )
        categories = [
            Category(community=community, name=name, slug=slug, position=i)
            for i, (slug, name) in enumerate(CATEGORIES)
        ]
        bulk(Category, categories, "categories")
        categories = list(Category.objects.filter(community=community).order_by("position"))
        tags = [Tag(name=name, slug=slugify(name)) for name in TAGS]
        bulk(Tag, tags, "tags")
        tag_ids = dict(Tag.objects.filter(name__in=TAGS).values_list("name", "id"))

        def last_visible(thread: ThreadSpec) -> PostSpec:
            return max((p for p in thread.posts if p.status != "held"), key=lambda p: p.created)

        thread_rows = []
        for thread in threads:
            last = last_visible(thread)
            thread_rows.append(
                Thread(
                    id=thread.id,
                    community=community,
                    category=categories[thread.category],
                    kind=thread.kind,
                    title=thread.title,
                    author_id=user_ids[thread.author],
                    is_pinned=thread.kind == "announcement",
                    is_locked=thread.locked,
                    is_closed=thread.closed,
                    is_hidden=thread.hidden,
                    accepted_post_id=thread.accepted.id if thread.accepted else None,
                    reply_count=sum(1 for p in thread.posts[1:] if p.status == "published" and not p.deleted),
                    created_at=thread.created,
                    last_activity_at=last.created,
                    last_post_author_id=user_ids[last.author],
                )
            )
        bulk(Thread, thread_rows, "threads")
        for category in categories:
            category.thread_count = sum(1 for t in threads if categories[t.category] is category and not t.hidden)
        Category.objects.bulk_update(categories, ["thread_count"])
        thread_type = ContentType.objects.get_for_model(Thread)
        bulk(
            TaggedItem,
            [
                TaggedItem(tag_id=tag_ids[name], content_type=thread_type, object_id=t.id)
                for t in threads
                for name in t.tags
            ],
            "tags on threads",
        )

        def post_row(p: PostSpec) -> Post:
            text = p.template
            return Post(
                id=p.id,
                thread_id=threads[p.thread].id,
                parent_id=p.parent.id if p.parent else None,
                root_id=p.root.id if p.root else None,
                depth=p.depth,
                is_opening=p.opening,
                author_id=user_ids[p.author],
                body=f"{p.lead}\n\n{text.body}",
                body_html="" if p.deleted else f"<p>{p.lead}</p>\n{text.html}",
                status=p.status,
                is_deleted=p.deleted,
                created_at=p.created,
                thanks_count=p.thanks,
                helpful_count=p.helpful,
            )

        for start in range(0, len(all_posts), BATCH * 4):
            bulk(Post, [post_row(p) for p in all_posts[start : start + BATCH * 4]], "posts")
        bulk(
            Reaction,
            [
                Reaction(post_id=pid, user_id=user_ids[u], kind=k, created_at=at)
                for (pid, u, k), at in reactions.items()
            ],
            "reactions",
        )
        follows = {(t.id, user_ids[p.author]): p.created for t in threads for p in reversed(t.posts)}
        bulk(
            ThreadFollow,
            [ThreadFollow(thread_id=t, user_id=u, created_at=at) for (t, u), at in follows.items()],
            "thread follows",
        )
        reads = {}
        for _ in range(n_threads * 4):
            t, who = rng.choice(threads), rng.randrange(FACILITATORS + 2, MEMBERS)
            reads[(t.id, user_ids[who])] = t.created + (now - t.created) * rng.random()
        bulk(
            ThreadRead,
            [ThreadRead(thread_id=t, user_id=u, read_at=at) for (t, u), at in reads.items()],
            "read markers",
        )

        # Search documents exactly as forums.services indexes them: threads and published replies, not held or
        # deleted ones; hidden content is kept but marked hidden.
        post_type = ContentType.objects.get_for_model(Post)
        thread_url = reverse("forums:thread_detail", args=[COMMUNITY_SLUG, 999999999]).replace("999999999", "{}")
        post_url = reverse("forums:post_permalink", args=[COMMUNITY_SLUG, 999999999]).replace("999999999", "{}")
        documents = []
        for thread in threads:
            opening = thread.posts[0]
            documents.append(
                SearchDocument(
                    community=community,
                    kind=thread.kind,
                    target_type=thread_type,
                    target_id=thread.id,
                    title=" ".join(thread.title.split())[:300],
                    body=f"{opening.lead} {opening.template.plain}",
                    tags=" ".join(dict.fromkeys(normalise_tag(t) for t in thread.tags)),
                    url=thread_url.format(thread.id),
                    author_id=user_ids[thread.author],
                    created_at=thread.created,
                    is_hidden=thread.hidden,
                )
            )
            for p in thread.posts[1:]:
                if p.status == "held" or p.deleted:
                    continue
                documents.append(
                    SearchDocument(
                        community=community,
                        kind="reply",
                        target_type=post_type,
                        target_id=p.id,
                        title=thread.title[:300],
                        body=f"{p.lead} {p.template.plain}",
                        url=post_url.format(p.id),
                        author_id=user_ids[p.author],
                        created_at=p.created,
                        is_hidden=thread.hidden or p.status != "published",
                    )
                )
        documents.sort(key=lambda d: d.created_at)
        bulk(SearchDocument, documents, "search documents")

    step = time.perf_counter()
    refresh_vectors()
    log(f"  search vectors computed in one UPDATE ({time.perf_counter() - step:.1f}s)")
    step = time.perf_counter()
    number_branches()  # thread pages are cut along the positions post_reply would have given
    log(f"  branch positions numbered ({time.perf_counter() - step:.1f}s)")
    step = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    log(f"  VACUUM ANALYZE ({time.perf_counter() - step:.1f}s)")
    check_rendering(rng)
    elapsed = time.perf_counter() - started
    log(f"data set built in {elapsed:.0f}s")
    return elapsed


def check_rendering(rng: random.Random) -> None:
    """Stored HTML must be what the real renderer produces from the stored Markdown, as if posted normally."""
    from cop_platform.markup import render_markdown_safe
    from forums.models import Post

    ids = list(Post.objects.filter(is_deleted=False).values_list("pk", flat=True))
    for post in Post.objects.filter(pk__in=rng.sample(ids, min(50, len(ids)))):
        if render_markdown_safe(post.body) != post.body_html:
            sys.exit(f"post {post.pk}: stored body_html differs from the rendered body")


# --- Benchmarks ----------------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    example: str
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.statuses) and all(s == 200 for s in self.statuses)

    def percentile(self, pct: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)] if ordered else 0.0  # nearest rank

    def row(self) -> str:
        lo, hi = min(self.queries), max(self.queries)
        queries = str(lo) if lo == hi else f"{lo}–{hi}"
        counts = ", ".join(f"{s} ×{n}" for s, n in sorted(_count(self.statuses).items()))
        return (
            f"| {self.name} | `{self.example}` | {statistics.median(self.times_ms):.1f} | {self.percentile(95):.1f} "
            f"| {queries} | {statistics.median(self.sql_ms):.1f} | {counts} |"
        )


def _count(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


TABLE_HEADER = (
    "| Page | Example URL | Median ms | p95 ms | Queries / request | SQL ms (median) | Status |\n"
    "|---|---|---:|---:|---:|---:|---|"
)


def run_benchmarks(args) -> list[Result]:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from communities.models import Community
    from forums.models import Category, Thread

    PAGE_SIZE = settings.FORUM_THREADS_PER_PAGE

    rng = random.Random(args.seed + 1)
    community = Community.objects.get(slug=COMMUNITY_SLUG)
    visible = list(Thread.objects.filter(community=community, is_hidden=False).values_list("pk", flat=True))
    largest = Thread.objects.filter(community=community, is_hidden=False).order_by("-reply_count").first()
    categories = list(Category.objects.filter(community=community, is_archived=False).values_list("slug", flat=True))
    deep_page = max(2, (len(visible) // PAGE_SIZE) * 3 // 4)
    member = User.objects.get(email=BENCH_MEMBER_EMAIL)

    def thread_url(pk: int) -> str:
        return reverse("forums:thread_detail", args=[COMMUNITY_SLUG, pk])

    latest = reverse("forums:latest", args=[COMMUNITY_SLUG])
    search = reverse("communities:search")
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(member)
    endpoints = [
        ("Thread page, anonymous", anonymous, lambda: thread_url(rng.choice(visible)), thread_url(0)),
        ("Thread page, member", signed_in, lambda: thread_url(rng.choice(visible)), thread_url(0)),
        (
            f"Largest thread ({largest.reply_count} replies), page 1",
            anonymous,
            lambda: thread_url(largest.pk),
            thread_url(largest.pk),
        ),
        ("Latest, page 1", anonymous, lambda: latest, latest),
        ("Latest, page 1, member", signed_in, lambda: latest, latest),
        (f"Latest, page {deep_page}", anonymous, lambda: f"{latest}?page={deep_page}", f"{latest}?page={deep_page}"),
        (
            "Category, page 1",
            anonymous,
            lambda: reverse("forums:category_detail", args=[COMMUNITY_SLUG, rng.choice(categories)]),
            reverse("forums:category_detail", args=[COMMUNITY_SLUG, "SLUG"]).replace("SLUG", "<slug>"),
        ),
        (f"Search “{COMMON_WORD}”", anonymous, lambda: f"{search}?q={COMMON_WORD}", f"{search}?q={COMMON_WORD}"),
        (
            f"Search “{TWO_WORDS}”",
            anonymous,
            lambda: f"{search}?q={TWO_WORDS.replace(' ', '+')}",
            f"{search}?q={TWO_WORDS.replace(' ', '+')}",
        ),
        (f"Search “{RARE_WORD}” (rare)", anonymous, lambda: f"{search}?q={RARE_WORD}", f"{search}?q={RARE_WORD}"),
    ]
    sql_seconds = [0.0]

    def timed(execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - begin

    results = [Result(name, re.sub(r"/t/0/", "/t/<id>/", example)) for name, _, _, example in endpoints]
    for _ in range(args.warmup):
        for _, client, next_url, _ in endpoints:
            client.get(next_url())
    # Round-robin over the pages, so a burst of load from elsewhere on the machine hits every page alike.
    for round_number in range(1, args.requests + 1):
        for result, (_, client, next_url, _) in zip(results, endpoints, strict=True):
            url = next_url()
            sql_seconds[0] = 0.0
            reset_queries()  # CaptureQueriesContext keeps the log across requests; it holds only 9,000 queries
            with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
                begin = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - begin
            result.times_ms.append(elapsed * 1000)
            result.queries.append(len(queries.captured_queries))
            result.sql_ms.append(sql_seconds[0] * 1000)
            result.statuses.append(response.status_code)
        if round_number % 50 == 0:
            log(f"  {round_number} rounds of {len(endpoints)} pages")
    return results


# --- Report --------------------------------------------------------------------------------------------------------


def environment_report(args, url: str, build_seconds: float | None, loads: list[float]) -> str:
    import django
    from django.db import connection
    from taggit.models import TaggedItem

    from accounts.models import User
    from communities.models import Membership, SearchDocument
    from forums.models import Category, Post, Reaction, Thread

    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            database += f", database size {cursor.fetchone()[0]}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
    counts = {
        "members": User.objects.count(),
        "active memberships": Membership.objects.filter(status="active").count(),
        "categories": Category.objects.count(),
        "threads": Thread.objects.count(),
        "posts": Post.objects.count(),
        "reactions": Reaction.objects.count(),
        "tags on threads": TaggedItem.objects.count(),
        "search documents": SearchDocument.objects.count(),
    }
    command = f"DATABASE_URL={masked(url)} .venv/bin/python bench/run.py {shlex.join(sys.argv[1:])}".strip()
    built = f"built in {build_seconds:.0f} s" if build_seconds is not None else "reused from an earlier run"
    return "\n".join(
        [
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {os.cpu_count()} CPUs ({cpu or platform.machine()}), {database}, "
            f"Python {platform.python_version()}, Django {django.get_version()}",
            "- Data set (" + built + "): " + ", ".join(f"{n:,} {label}" for label, n in counts.items()),
            f"- {args.requests} timed requests per row, round-robin, after {args.warmup} warm-up rounds; DEBUG off; "
            f"1-minute load average {' → '.join(f'{load:.1f}' for load in loads)} (other work on the machine skews "
            "results when it is above the CPU count)",
            f"- Command: `{command}`",
        ]
    )


def write_readme(block: str) -> None:
    text = README.read_text() if README.exists() else f"# Benchmarks\n\n{RESULTS_START}\n{RESULTS_END}\n"
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip("\n") + f"\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{tail}")
    log(f"results written to {README.relative_to(ROOT)}")


# --- Main ----------------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=5_000, help="threads to build (default 5,000)")
    parser.add_argument("--posts", type=int, default=100_000, help="posts to build, opening posts included")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds over all pages first (default 5)")
    parser.add_argument("--reuse", action="store_true", help="keep the data set if one of this size is there")
    parser.add_argument("--write", action="store_true", help="update the results block in bench/README.md")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite (search numbers mean little)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the data set and the requests")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment()
    url, cfg = database_config()
    postgres = cfg["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2")
    if not postgres and not args.allow_sqlite:
        sys.exit("Refusing to benchmark on SQLite: set DATABASE_URL to PostgreSQL, or pass --allow-sqlite.")
    if "bench" not in str(cfg["NAME"]):
        sys.exit(
            f"Refusing to use database {cfg['NAME']!r}: the benchmark wipes it, so its name must contain 'bench'."
        )
    if postgres:
        ensure_database(cfg)

    start_django()
    build_seconds = prepare_data(args, cfg, matches=data_matches, present=has_data, build=build)

    log(f"benchmarking: {args.requests} requests per page after {args.warmup} warm-up rounds")
    loads = [os.getloadavg()[0]]
    results = run_benchmarks(args)
    loads.append(os.getloadavg()[0])
    table = "\n".join([TABLE_HEADER, *(r.row() for r in results)])
    report = environment_report(args, url, build_seconds, loads)
    print(f"\n{report}\n\n{table}\n")
    if args.write:
        write_readme(f"{report}\n\n{table}")
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"Non-200 responses: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
