"""Site-wide search: content apps keep one SearchDocument per searchable object current; people query them here.

Apps call `index()` from the services that create or edit content, `set_hidden()` when moderation hides or
restores it and `unindex()` when it is deleted. `search()` only ever returns documents the user may read.
On PostgreSQL it is a ranked full-text query over a weighted tsvector; elsewhere (SQLite in development) every
word must appear somewhere in the title, body or tags.

The search page goes through `result_page()` (`search_page()` gives the same page as ids), whose work per query
is bounded however many documents match: the candidates are the newest `SEARCH_CANDIDATES` matching documents the
user may read, and only those are ranked. PostgreSQL finds them the cheaper way for the words asked: through the
GIN index for a rare word, or by walking an index newest first and testing each document (`search_newest_idx`;
`search_community_newest_idx` within one community) for a common one, stopping at the 1,001st match; a tag filter
reads `search_tags_gin`. Two or more common words within a community or tag are never looked up in the GIN
index (`_all_words_common`: PostgreSQL would think them rare together). "Best first" means: among the newest 1,000
matches, by `ts_rank` (title before tags before body), ties broken newest first, then by id. The count is exact
up to 1,000 and shown as "1,000+" above it. The page's rows, their columns and their highlighted snippets
(`ts_headline`, over those rows only) come in the same statement, as plain values ready to show (`SearchResult`).
"""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet, TextField, Value
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from accounts.models import name_to_show
from cop_platform.links import site_links, url_with_slug

from .models import Community, SearchDocument, search_kind_label

# Title weighs most, then tags, then body. One config throughout, so stemming agrees between fields and queries.
SEARCH_CONFIG = "english"
DOCUMENT_VECTOR = (
    SearchVector("title", weight="A", config=SEARCH_CONFIG)
    + SearchVector("tags", weight="B", config=SEARCH_CONFIG)
    + SearchVector("body", weight="C", config=SEARCH_CONFIG)
)
# ts_headline returns raw text, so it marks matches with private-use characters that index() strips from every
# document; the text is then escaped and only these markers become <mark> tags.
_START, _STOP = "\ue000", "\ue001"
# PostgreSQL refuses a tsvector over 1 MB; no post needs more than this to be found.
MAX_BODY_CHARS = 100_000
EXCERPT_CHARS = 240
MAX_QUERY_WORDS = 10
# How many matches search_page() ranks: the newest this many. Fifty pages of twenty, as far as the page lets one go.
SEARCH_CANDIDATES = 1000
# A word in at least this share of the documents is common: the GIN index lists too many documents for it to be
# the quicker way to the newest matches when a community or tag narrows the search (_all_words_common).
COMMON_WORD_SHARE = 0.05
RELEVANCE, NEWEST = "relevance", "newest"


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _plain_text(value: str) -> str:
    """Text without tags, entities decoded, highlight markers removed and whitespace collapsed."""
    text = html.unescape(strip_tags(value or ""))
    return " ".join(text.replace(_START, "").replace(_STOP, "").split())


def normalise_tag(tag: str) -> str:
    """A tag as stored and matched: lower case, spaces inside it turned into hyphens."""
    return "-".join(tag.lower().split())


def _tags_text(tags: Iterable[str] | str) -> str:
    if isinstance(tags, str):
        tags = tags.split(",")
    unique = dict.fromkeys(t for t in (normalise_tag(tag) for tag in tags) if t)
    return " ".join(unique)


def _target_ref(target: Model) -> dict:
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


@transaction.atomic
def index(
    *,
    target: Model,
    community: Community,
    kind: str,
    title: str,
    body: str,
    tags: Iterable[str] | str = (),
    url: str,
    author=None,
    created_at=None,
    is_hidden: bool = False,
    members_only: bool = False,
) -> SearchDocument:
    """Create or refresh the one search document for `target`; `body` may be HTML and is stored as plain text."""
    fields = {
        "community": community,
        "kind": kind,
        "title": " ".join(title.split())[:300],
        "body": _plain_text(body)[:MAX_BODY_CHARS],
        "tags": _tags_text(tags),
        "url": url,
        "author": author,
        "is_hidden": is_hidden,
        "members_only": members_only,
    }
    if created_at is not None:
        fields["created_at"] = created_at
    document, _ = SearchDocument.objects.update_or_create(**_target_ref(target), defaults=fields)
    refresh_vectors(SearchDocument.objects.filter(pk=document.pk))
    return document


def refresh_vectors(documents=None) -> int:
    """Recompute the tsvector of the given documents (all by default) in one UPDATE; a no-op off PostgreSQL."""
    if not _uses_postgres():
        return 0
    documents = SearchDocument.objects.all() if documents is None else documents
    return documents.update(search_vector=DOCUMENT_VECTOR)


def unindex(target: Model) -> None:
    """Forget `target`: it no longer appears in search."""
    SearchDocument.objects.filter(**_target_ref(target)).delete()


def set_hidden(target: Model, hidden: bool) -> None:
    """Hide `target` from search (moderated or removed content) or bring it back."""
    SearchDocument.objects.filter(**_target_ref(target)).update(is_hidden=hidden)


def set_hidden_all(targets: QuerySet, hidden: bool) -> int:
    """Hide (or bring back) the documents of every object in `targets`, in one UPDATE."""
    return SearchDocument.objects.filter(
        target_type=ContentType.objects.get_for_model(targets.model), target_id__in=targets.values("pk")
    ).update(is_hidden=hidden)


def _query_words(query: str) -> tuple[list[str], list[str]]:
    """Words to find and words to exclude (written `-word`), quotes and `or` dropped, as websearch would."""
    wanted, unwanted = [], []
    for raw in query.replace('"', " ").split()[:MAX_QUERY_WORDS]:
        if raw.lower() == "or":
            continue
        if raw.startswith("-") and len(raw) > 1:
            unwanted.append(raw[1:])
        elif raw.strip("-"):
            wanted.append(raw)
    return wanted, unwanted


def _text_match(word: str) -> Q:
    return Q(title__icontains=word) | Q(body__icontains=word) | Q(tags__icontains=word)


def _filtered(user, *, community, kind, tag) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.visible_to(user).defer("search_vector")
    if community is not None:
        documents = documents.filter(community=community)
    if kind:
        documents = documents.filter(kind=kind)
    if tag and (tag := normalise_tag(tag)):
        documents = _carrying(documents, [tag])
    return documents


def _carrying(documents: QuerySet[SearchDocument], tags: list[str]) -> QuerySet[SearchDocument]:
    """The documents carrying any of `tags` (normalised, none empty)."""
    if _uses_postgres():
        # Exactly the expression of the GIN index search_tags_gin (migration 0014), so the planner can use it: a
        # tag filter over a million documents reads the few that carry the tag instead of scanning them all.
        tag_array = Func(F("tags"), Value(" "), function="string_to_array", output_field=ArrayField(TextField()))
        return documents.alias(tag_array=tag_array).filter(tag_array__overlap=tags)
    match = Q()
    for tag in tags:
        match |= (
            Q(tags=tag) | Q(tags__startswith=f"{tag} ") | Q(tags__endswith=f" {tag}") | Q(tags__contains=f" {tag} ")
        )
    return documents.filter(match)


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def _matching(documents: QuerySet[SearchDocument], query: str, *, by_index: bool = True) -> QuerySet[SearchDocument]:
    """The documents matching a non-empty `query`, unordered (full-text on PostgreSQL, words elsewhere).

    `by_index=False` writes the same match as a function call, which PostgreSQL cannot answer from the GIN index:
    the documents are then found through the other filters' indexes and tested one by one."""
    if _uses_postgres():
        if not by_index:
            match = Func(F("search_vector"), _search_query(query), function="ts_match_vq", output_field=BooleanField())
            return documents.filter(match)
        return documents.filter(search_vector=_search_query(query))
    wanted, unwanted = _query_words(query)
    for word in wanted:
        documents = documents.filter(_text_match(word))
    for word in unwanted:
        documents = documents.exclude(_text_match(word))
    return documents


def _all_words_common(query: str) -> bool:
    """Whether `query` asks for two or more words and each is in at least COMMON_WORD_SHARE of the documents, by
    PostgreSQL's own statistics of the vectors (pg_stats, kept by ANALYZE; no statistics: not common)."""
    words = _query_words(query)[0]
    if len(words) < 2:  # one word's share the planner estimates well
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s)), stats.lexemes, stats.shares"
            " FROM (SELECT 1) AS one LEFT JOIN ("
            "  SELECT most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS shares FROM pg_stats"
            "  WHERE schemaname = current_schema() AND tablename = %s AND attname = %s"
            " ) AS stats ON true",
            [SEARCH_CONFIG, " ".join(words), SearchDocument._meta.db_table, "search_vector"],
        )
        asked, lexemes, shares = cursor.fetchone()
    share = dict(zip(lexemes or (), shares or (), strict=False))  # the shares end with three summary numbers
    return len(asked) >= 2 and all(share.get(lexeme, 0) >= COMMON_WORD_SHARE for lexeme in asked)


def _page_sql(
    user, query: str, *, community, kind, tag, order: str, offset: int, limit: int
) -> tuple[str, list, str, str] | None:
    """The SQL of one page of ranked candidates, as (sql, params, its ORDER BY, database alias): rows of
    (doc_id, doc_rank, doc_created, total). None when the filters can match nothing."""
    documents = _filtered(user, community=community, kind=kind, tag=tag)
    if query:
        # PostgreSQL estimates two words together as rare as the product of their shares (risk 20%, register
        # 20%: 4%, when they are together in 20%), so within one community or tag it would intersect the GIN
        # index's huge lists for two common words (80-600 ms at a million documents) where walking the
        # community's or the tag's documents finds the newest matches in a few ms. Common words only: a rare
        # one is best found through the GIN index, and the planner knows it.
        narrowed = community is not None or bool(tag)
        by_index = not (narrowed and _uses_postgres() and _all_words_common(query))
        documents = _matching(documents, query, by_index=by_index)
    by_rank = bool(query) and order == RELEVANCE and _uses_postgres()
    # The candidates: the newest matches, through the created_at index or the GIN index, whichever is cheaper
    # (search_newest_idx). One more than the cap is fetched to tell "1,000" from "1,000+". The rank is computed
    # in the same scan, so the candidates are never fetched a second time by id.
    candidates = documents.order_by("-created_at", "-pk").values(
        doc_id=F("pk"),
        doc_created=F("created_at"),
        doc_rank=SearchRank(F("search_vector"), _search_query(query)) if by_rank else Value(0.0),
    )[: SEARCH_CANDIDATES + 1]
    try:
        sql, params = candidates.query.get_compiler(using=candidates.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing compiles to no SQL at all
        return None
    ranking = "doc_rank DESC, doc_created DESC, doc_id DESC" if by_rank else "doc_created DESC, doc_id DESC"
    # The ORM cannot select from a subquery, hence the SQL around its own: only the newest SEARCH_CANDIDATES of
    # the candidates are ranked; the total is counted over the candidates, so it never exceeds the cap plus one.
    page = (
        "SELECT doc_id, doc_rank, doc_created, total FROM ("
        " SELECT doc_id, doc_rank, doc_created, COUNT(*) OVER () AS total,"
        " ROW_NUMBER() OVER (ORDER BY doc_created DESC, doc_id DESC) AS newness"
        f" FROM ({sql}) AS candidates"
        f") AS numbered WHERE newness <= %s ORDER BY {ranking} LIMIT %s OFFSET %s"
    )
    return page, [*params, SEARCH_CANDIDATES, limit, offset], ranking, candidates.db


def search_page(
    user,
    query: str,
    *,
    community: Community | int | None = None,
    kind: str | None = None,
    tag: str | None = None,
    order: str = RELEVANCE,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[int], int]:
    """The ids of one page of results and how many there are, capped: a count above SEARCH_CANDIDATES means
    "more than SEARCH_CANDIDATES". One query, bounded work whatever matches (see the module docstring).

    `order` is RELEVANCE (best first among the newest SEARCH_CANDIDATES matches) or NEWEST. An empty query
    lists what the filters allow, newest first. `result_page()` returns the same page ready to show.
    """
    query = (query or "").strip()
    page = _page_sql(user, query, community=community, kind=kind, tag=tag, order=order, offset=offset, limit=limit)
    if page is None:
        return [], 0
    sql, params, _, db = page
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][3] if rows else 0)


@dataclass(slots=True)
class SearchResult:
    """One row of the search page with everything it shows worked out once: no model instances, no URL reversal
    and no date filter per row in the template."""

    pk: int
    title: str
    url: str
    kind_label: str
    community_name: str
    community_url: str
    author_name: str  # empty when the document has no author
    created_at: datetime
    created_iso: str  # the <time datetime> attribute, in the current time zone
    created_day: str  # "1 Dec 2026"
    snippet: SafeString
    tags: list[tuple[str, str]]  # (tag, link to search for it)


def _result_columns(db: str) -> str:
    """The columns a result shows, from the page's document (d), its community (c) and its author (u)."""
    quote = connections[db].ops.quote_name
    document = (f"d.{quote(name)}" for name in ("title", "url", "kind", "tags", "created_at"))
    author = (f"u.{quote(name)}" for name in ("first_name", "last_name", "email"))
    return ", ".join([*document, "c.slug", "c.name", "d.author_id", *author])


def _result_joins(db: str) -> str:
    quote = connections[db].ops.quote_name
    author_table = SearchDocument._meta.get_field("author").related_model._meta.db_table
    return (
        f"JOIN {quote(SearchDocument._meta.db_table)} AS d ON d.id = page.doc_id"
        f" JOIN {quote(Community._meta.db_table)} AS c ON c.id = d.community_id"
        f" LEFT JOIN {quote(author_table)} AS u ON u.id = d.author_id"
    )


def _created_at_reader(db: str):
    """Turns the raw cursor's created_at into an aware datetime as the ORM would (SQLite returns text)."""
    database = connections[db]
    column = SearchDocument._meta.get_field("created_at").get_col("d")
    converters = [*database.ops.get_db_converters(column), *column.get_db_converters(database)]

    def read(value):
        for convert in converters:
            value = convert(value, column, database)
        return value

    return read


def result_page(
    user,
    query: str,
    *,
    community: Community | int | None = None,
    kind: str | None = None,
    tag: str | None = None,
    order: str = RELEVANCE,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[SearchResult], int]:
    """`search_page()`'s page ready to show, and the same capped count: the ranking, the rows' columns and their
    highlighted snippets in one statement, the snippets worked out for the page's rows only."""
    query = (query or "").strip()
    page = _page_sql(user, query, community=community, kind=kind, tag=tag, order=order, offset=offset, limit=limit)
    if page is None:
        return [], 0
    sql, params, ranking, db = page
    if query and _uses_postgres():
        # What SearchHeadline(config=SEARCH_CONFIG, start_sel=_START, stop_sel=_STOP, max_fragments=2) writes.
        snippet = "ts_headline(%s::regconfig, d.body, websearch_to_tsquery(%s::regconfig, %s), %s)"
        options = f"StartSel='{_START}', StopSel='{_STOP}', MaxFragments=2"
        snippet_params = [SEARCH_CONFIG, SEARCH_CONFIG, query, options]
        words = None
    else:
        snippet, snippet_params, words = "d.body", [], _query_words(query)[0]
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"SELECT page.doc_id, page.total, {_result_columns(db)}, {snippet}"
            f" FROM ({sql}) AS page {_result_joins(db)} ORDER BY {ranking}",
            [*snippet_params, *params],
        )
        rows = cursor.fetchall()
    read_created_at = _created_at_reader(db)
    search_link = site_links()["search"]
    months = [""] + [str(MONTHS_3[m]).title() for m in range(1, 13)]
    shown = []
    for pk, _, title, url, kind, tags, created_at, slug, community_name, author_id, first, last, email, text in rows:
        created_at = read_created_at(created_at)
        local = timezone.localtime(created_at)
        shown.append(
            SearchResult(
                pk=pk,
                title=title,
                url=url,
                kind_label=search_kind_label(kind),
                community_name=community_name,
                community_url=url_with_slug("communities:community_detail", slug),
                author_name=name_to_show(first, last, email) if author_id is not None else "",
                created_at=created_at,
                created_iso=local.strftime("%Y-%m-%dT%H:%M:%S%z"),
                created_day=f"{local.day} {months[local.month]} {local.year}",
                snippet=_highlighted(text) if words is None else _excerpt(text, words),
                tags=[(tag, f"{search_link}?{urlencode({'tag': tag})}") for tag in tags.split()],
            )
        )
    return shown, (rows[0][1] if rows else 0)


def search(
    user,
    query: str,
    *,
    community: Community | int | None = None,
    kind: str | None = None,
    tag: str | None = None,
    order: str = RELEVANCE,
) -> QuerySet[SearchDocument]:
    """Every document matching `query` that `user` may read, best first (or NEWEST first); each row's
    `.snippet` is safe HTML. Unbounded: for pages, use `search_page()`.

    An empty query lists the documents the filters allow, newest first.
    """
    documents = _filtered(user, community=community, kind=kind, tag=tag)
    query = (query or "").strip()
    if not query:
        return documents.order_by("-created_at", "-pk")
    if _uses_postgres():
        search_query = _search_query(query)
        headline = SearchHeadline(
            "body", search_query, config=SEARCH_CONFIG, start_sel=_START, stop_sel=_STOP, max_fragments=2
        )
        documents = documents.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query), headline=headline
        )
        if order == NEWEST:
            return documents.order_by("-created_at", "-pk")
        return documents.order_by("-rank", "-created_at", "-pk")
    wanted, _ = _query_words(query)
    documents = _matching(documents, query)
    return documents.annotate(search_terms=Value(" ".join(wanted))).order_by("-created_at", "-pk")


def snippet_html(document: SearchDocument) -> SafeString:
    """An escaped excerpt of the document's body with the matched words wrapped in <mark>."""
    headline = getattr(document, "headline", None)
    if headline is not None:
        return _highlighted(headline)
    return _excerpt(document.body, getattr(document, "search_terms", "").split())


def _highlighted(headline: str) -> SafeString:
    """ts_headline's text, escaped, with its match markers turned into <mark>."""
    # Escape first: the markers survive escaping and are the only markup that gets in.
    return mark_safe(escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _excerpt(text: str, words: list[str]) -> SafeString:
    """About EXCERPT_CHARS of `text` around the first match of any word, escaped, with every match in <mark>."""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I) if words else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > EXCERPT_CHARS // 3:
        start = first.start() - EXCERPT_CHARS // 3
        start = text.find(" ", start, first.start()) + 1 or start  # begin on a word
    end = min(len(text), start + EXCERPT_CHARS)
    if end < len(text) and (space := text.rfind(" ", start, end)) > start:
        end = space
    piece, parts, pos = text[start:end], [], 0
    for match in pattern.finditer(piece) if pattern else ():
        parts += [escape(piece[pos : match.start()]), format_html("<mark>{}</mark>", match.group())]
        pos = match.end()
    parts.append(escape(piece[pos:]))
    return mark_safe(("… " if start else "") + "".join(parts) + (" …" if end < len(text) else ""))


def tagged(user, community: Community, tags: Iterable[str]) -> QuerySet[SearchDocument]:
    """What the user may read in the community carrying any of the tags, newest first (for theme pages)."""
    tags = list(dict.fromkeys(filter(None, (normalise_tag(t) for t in tags))))
    if not tags:
        return SearchDocument.objects.none()
    return (
        _carrying(SearchDocument.objects.visible_to(user).filter(community=community), tags)
        .defer("search_vector")
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
