"""Site search over 1,000,000 search documents: a common word, a two-word phrase and a rare word, for a member of
one community and a member of twenty, through the search page in this process (privacy filter included).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench_search .venv/bin/python bench/search.py \\
        [--documents 1000000] [--requests 50] [--reuse] [--write]

The documents are built by PostgreSQL itself: one INSERT ... SELECT over generate_series, their weighted
tsvectors computed in the same statement, with the table's secondary indexes (the GIN index among them) dropped
for the load and rebuilt after, then VACUUM ANALYZE. Shape: 40 communities (a quarter private), a tenth of the
documents members-only; bodies of about 40 words from a 142-word list; "project" in about 64% of documents,
"risk register" together in about 20%, "kanban" in 1 in 10,000; "risk register" is also searched within one
community. Goal (issue 11): p95 under 50 ms.
"""

import argparse
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import configure_environment, database_config, ensure_database, log, start_django  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START, RESULTS_END = "<!-- search-results -->", "<!-- /search-results -->"
PREFIX = "bench-search-"
COMMUNITIES = 40
FILLER_TEXT = (
    "team plan budget review board meeting report change scope schedule quality supplier contract benefit "
    "stakeholder sponsor portfolio programme delivery assurance gateway milestone baseline estimate "
    "forecast resource capacity demand dependency issue action decision lesson learning template guidance "
    "framework maturity capability outcome output measure target approval procurement tender cost spend "
    "value money agile sprint backlog roadmap story epic release deploy test user research service design "
    "policy council agency department ministry unit office manager director lead analyst officer "
    "coordinator planner controller architect engineer consultant adviser expert coach mentor trainer "
    "facilitator community practice network forum thread question answer reply comment note document file "
    "link page site week month quarter year day time date deadline slip delay overrun underspend variance "
    "tolerance escalation exception highlight status update summary detail context history background "
    "reason cause effect impact likelihood severity owner mitigation contingency reserve fund grant bid "
    "case option appraisal"
)
FILLER = FILLER_TEXT.split()
QUERIES = [("project", "a common word"), ("risk register", "a two-word phrase"), ("kanban", "a rare word")]
# Searched within one community too: the private community both members belong to (two common words there once
# took PostgreSQL through the word index, 80-600 ms).
ONE_COMMUNITY = f"{PREFIX}3"


def build(documents: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from accounts.models import User
    from communities.models import Community, Membership, SearchDocument, Segment

    table = SearchDocument._meta.db_table
    Community.objects.filter(slug__startswith=PREFIX).delete()
    User.objects.filter(email__endswith="@search.bench").delete()
    communities = [
        Community.objects.create(
            name=f"Search bench {i}", slug=f"{PREFIX}{i}", visibility="private" if i % 4 == 3 else "public"
        )
        for i in range(COMMUNITIES)
    ]
    one = User.objects.create_user(email="one@search.bench", first_name="One")
    twenty = User.objects.create_user(email="twenty@search.bench", first_name="Twenty")
    Membership.objects.bulk_create(
        [Membership(community=communities[3], user=one, status="active", role="member")]
        + [Membership(community=c, user=twenty, status="active", role="member") for c in communities[:20]]
    )
    ids = "{" + ",".join(str(c.pk) for c in communities) + "}"
    words = "{" + ",".join(FILLER) + "}"
    n = len(FILLER)
    segment_type = ContentType.objects.get_for_model(Segment).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s "
            "AND indexdef NOT LIKE %s",
            [table, "%pkey", "%UNIQUE%"],
        )
        indexes = cursor.fetchall()
        with transaction.atomic():
            # Foreign keys are checked at the INSERT rather than at COMMIT: CREATE INDEX refuses pending checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            log(f"  inserting {documents:,} documents ({len(indexes)} secondary indexes dropped for the load)")
            step = time.perf_counter()
            cursor.execute(
                f"""
                INSERT INTO {table} (community_id, kind, target_type_id, target_id, title, body, tags, url,
                                     created_at, updated_at, is_hidden, members_only, search_vector)
                SELECT community_id, kind, %s, g, title, body, tags, '/bench/' || g || '/',
                       created_at, created_at, g %% 200 = 0, g %% 10 = 5,
                       setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags), 'B')
                       || setweight(to_tsvector('english', body), 'C')
                FROM (
                    SELECT g,
                           (%s::int[])[1 + g %% {COMMUNITIES}] AS community_id,
                           CASE WHEN g %% 5 = 0 THEN 'discussion' ELSE 'reply' END AS kind,
                           initcap(w[1 + (g * 7) %% {n}]) || ' ' || w[1 + (g * 13) %% {n}] || ' ' ||
                               w[1 + (g * 17) %% {n}] AS title,
                           CASE WHEN g %% 3 = 0 THEN w[1 + g %% {n}] ELSE '' END AS tags,
                           concat_ws(' ',
                               CASE WHEN random() < 0.64 THEN 'the project' END,
                               CASE WHEN random() < 0.2 THEN 'our risk register' END,
                               CASE WHEN g %% 10000 = 7 THEN 'kanban board' END,
                               (SELECT string_agg(w[1 + floor(power(random(), 2) * {n})::int + 0 * s], ' ')
                                FROM generate_series(1, 36) AS s WHERE g > 0)
                           ) AS body,
                           now() - (({documents} - g) * interval '30 seconds') AS created_at
                    FROM generate_series(1, {documents}) AS g, (SELECT %s::text[] AS w) AS words
                ) AS rows
                """,
                [segment_type, ids, words],
            )
            log(f"  inserted in {time.perf_counter() - step:.0f} s")
            step = time.perf_counter()
            for _, definition in indexes:
                cursor.execute(definition)
            log(f"  {len(indexes)} indexes rebuilt in {time.perf_counter() - step:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")


def measure(requests: int):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User

    url = reverse("communities:search")
    clients = {}
    for label, email in (("member of 1", "one@search.bench"), ("member of 20", "twenty@search.bench")):
        clients[label] = Client()
        clients[label].force_login(User.objects.get(email=email))
    rows = [(f"“{q}” ({what}), {who}", clients[who], {"q": q}) for q, what in QUERIES for who in clients]
    within = {"q": "risk register", "community": ONE_COMMUNITY}
    rows += [(f"“risk register” within one community, {who}", clients[who], within) for who in clients]
    times = {label: [] for label, _, _ in rows}
    sql = {label: [] for label, _, _ in rows}
    counts = {}
    for _, client, params in rows:
        client.get(url, params)
    for _ in range(requests):
        for label, client, params in rows:
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(url, params)
                times[label].append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200
            sql[label].append(len(captured.captured_queries))
            shown = re.search(r'class="muted search-count">([\d,]+)(\+?) result', response.content.decode())
            counts[label] = (int(shown.group(1).replace(",", "")), bool(shown.group(2))) if shown else (0, False)
    return rows, times, sql, counts


def table(rows, times, sql, counts) -> str:
    def p95(values):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]

    lines = ["| Query, who | Median ms | p95 ms | Results shown as | Queries |", "|---|---:|---:|---|---:|"]
    for label, _, _ in rows:
        total, more = counts[label]
        lines.append(
            f"| {label} | {statistics.median(times[label]):.1f} | {p95(times[label]):.1f} | "
            f"{total:,}{'+' if more else ''} | {max(sql[label])} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="keep the documents if as many are there")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    configure_environment()
    url, cfg = database_config()
    if "bench" not in str(cfg.get("NAME", "")) or "postgresql" not in cfg["ENGINE"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    ensure_database(cfg)
    start_django()
    from communities.models import SearchDocument

    loads = [os.getloadavg()[0]]
    present = SearchDocument.objects.filter(community__slug__startswith=PREFIX).count()
    build_note = "reused"
    if not (args.reuse and present == args.documents):
        log(f"building {args.documents:,} search documents")
        step = time.perf_counter()
        build(args.documents)
        build_note = f"built in {time.perf_counter() - step:.0f} s"
    log(f"measuring: {args.requests} requests per row")
    results = measure(args.requests)
    loads.append(os.getloadavg()[0])
    block = "\n".join(
        [
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; {args.documents:,} documents "
            f"({build_note}); 1-minute load average {' → '.join(f'{x:.1f}' for x in loads)}; "
            f"`bench/search.py --documents {args.documents} --requests {args.requests}`",
            "- Each row: the whole search page (routing, middleware, session, its queries, rendering) as that "
            "member, best match first.",
            "",
            table(*results),
        ]
    )
    print(f"\n{block}\n")
    if args.write:
        text = README.read_text()
        if RESULTS_START not in text:
            text = text.rstrip("\n") + f"\n\n{RESULTS_START}\n{RESULTS_END}\n"
        head, rest = text.split(RESULTS_START, 1)
        README.write_text(f"{head}{RESULTS_START}\n{block}\n{RESULTS_END}{rest.split(RESULTS_END, 1)[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
