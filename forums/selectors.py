"""Forum reads, shaped so each page costs the same few queries however many threads and posts there are."""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from taggit.models import TaggedItem

from communities.extensions import Content, ContentPart
from communities.models import Community, Flag
from communities.permissions import can_view_community
from cop_platform.compiled import CompiledQuery
from cop_platform.http import BIGGEST_ID

from . import permissions
from .models import Category, Post, Reaction, Thread, ThreadFollow, ThreadRead

MAX_INDENT = 4  # deeper replies are shown flat under their branch, at this depth


def replies_per_page() -> int:
    """Top-level replies (each with its whole branch) on one thread page: `settings.FORUM_REPLIES_PER_PAGE`."""
    return settings.FORUM_REPLIES_PER_PAGE


def thread_list(user, community, *, category=None, tag=None, kind=None, unanswered=False, mine=False):
    """Threads of a community for a list page: pinned ones first, then newest activity first.

    The caller has resolved `community`; asking again whether the user may read it is a dictionary look-up, so
    the query filters on the one community rather than on a subquery of every readable one (simpler to plan).
    """
    if not can_view_community(user, community):
        return Thread.objects.none()
    qs = _listed(community.pk, category.pk if category is not None else None).with_list_data()
    if tag:
        qs = qs.filter(tags__slug=tag)
    if kind:
        qs = qs.filter(kind=kind)
    if unanswered:
        qs = qs.unanswered()
    if mine:
        qs = qs.filter(Q(author=user) | Q(follows__user=user)).distinct()
    if user.is_authenticated:
        qs = _with_read_marker(qs, user.pk)
    return qs.order_by(*LIST_ORDER)


LIST_ORDER = ("-is_pinned", "-last_activity_at", "-pk")


def _listed(community_id: int, category_id: int | None):
    """The threads a community's lists show (a category's, if given): the rule `thread_list` and `ListedThreads`
    share."""
    qs = Thread.objects.filter(community_id=community_id, is_hidden=False)
    return qs.filter(category_id=category_id) if category_id is not None else qs


def _with_read_marker(qs, user_id: int):
    return qs.annotate(
        read_at=Subquery(ThreadRead.objects.filter(thread=OuterRef("pk"), user_id=user_id).values("read_at")[:1])
    )


@CompiledQuery
def _listed_rows(start, stop, *, community_id: int, category_id: int = None, user_id: int = None):
    qs = _listed(community_id, category_id).with_list_data()
    if user_id is not None:
        qs = _with_read_marker(qs, user_id)
    return qs.order_by(*LIST_ORDER)[start:stop]


@CompiledQuery
def _listed_count(*, community_id: int, category_id: int = None):
    qs = _listed(community_id, category_id).order_by()
    return qs.values("community_id").annotate(n=Count("pk")).values_list("n", flat=True)


class ListedThreads:
    """What `thread_list(user, community, category=...)` lists, as a Paginator reads it (`count()` and one slice),
    each read with SQL compiled once per process: the latest and category pages are the forum's busiest."""

    def __init__(self, user, community, *, category=None):
        self.readable = can_view_community(user, community)
        self.values = {"community_id": community.pk}
        if category is not None:
            self.values["category_id"] = category.pk
        self.user_id = user.pk if user.is_authenticated else None

    def count(self) -> int:
        return next(iter(_listed_count(**self.values)), 0) if self.readable else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Thread]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("ListedThreads takes a slice")
        start, stop = index.start or 0, index.stop
        if not self.readable or stop <= start:
            return []
        # Always a full page's LIMIT, so the last page (cut at the count) does not compile a query of its own.
        size = max(stop - start, settings.FORUM_THREADS_PER_PAGE)
        member = {"user_id": self.user_id} if self.user_id is not None else {}
        return _listed_rows(start, start + size, **self.values, **member)[: stop - start]


def _base(url: str, placeholder: str) -> str:
    assert url.endswith(f"/{placeholder}/"), url
    return url[: -len(placeholder) - 1]


_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("week", 7 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


def time_ago(then, now) -> str:
    """What `{{ then|timesince:now }}` says ("2\xa0days, 3\xa0hours"), without its per-call translation
    look-ups (a quarter of a list page's time went there); English only, as the site is."""
    seconds = max(int((now - then).total_seconds()), 0)
    for i, (unit, size) in enumerate(_UNITS):
        if seconds >= size:
            count = seconds // size
            text = f"{count}\xa0{unit}{'s' if count != 1 else ''}"
            if i + 1 < len(_UNITS):
                unit2, size2 = _UNITS[i + 1]
                count2 = (seconds - count * size) // size2
                if count2:
                    text += f", {count2}\xa0{unit2}{'s' if count2 != 1 else ''}"
            return text
    return "0\xa0minutes"


def attach_list_data(community: Community, threads, categories) -> list[Thread]:
    """Give each listed thread what its row shows without a query or a reverse per row: `link`, its category
    (from the page's `categories`, each given a `link`), `community`, and `tag_list` as (name, link, slug)
    triples read by one query for the whole page (and `tags_html`, their links); `active_iso` and `active_ago` for
    its <time>; `kind_badge`, `author_name`, `last_post_author_name` and `replies_word`. Returns the threads as a
    list."""
    threads = list(threads)
    thread_base = _base(reverse("forums:thread_detail", args=[community.slug, 0]), "0")
    category_base = _base(reverse("forums:category_detail", args=[community.slug, "c"]), "c")
    tag_base = _base(reverse("forums:tag_detail", args=[community.slug, "t"]), "t")
    by_pk = {}
    for category in categories:
        category.community = community
        category.link = f"{category_base}{category.slug}/"
        by_pk[category.pk] = category
    tags: dict[int, list[tuple[str, str, str]]] = {}
    if threads:
        rows = (
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Thread), object_id__in=[t.pk for t in threads]
            )
            .order_by("tag__name")
            .values_list("object_id", "tag__name", "tag__slug")
        )
        for object_id, name, slug in rows:
            tags.setdefault(object_id, []).append((name, f"{tag_base}{quote(slug)}/", slug))
    now = timezone.now()
    for thread in threads:
        thread.community = community
        active = timezone.localtime(thread.last_activity_at)
        thread.active_iso = active.strftime("%Y-%m-%dT%H:%M:%S%z")
        thread.active_ago = time_ago(thread.last_activity_at, now)
        if thread.category_id in by_pk:
            thread.category = by_pk[thread.category_id]
        thread.link = f"{thread_base}{thread.pk}/"
        thread.tag_list = tags.get(thread.pk, [])
        # What the row prints, worked out here: the template engine resolving a chain per field per row cost more
        # than the rest of the row.
        thread.kind_badge = _kind_badge(thread)
        thread.author_name = (thread.author.display_name if thread.author else "") or "Former member"
        thread.last_post_author_name = thread.last_post_author.display_name if thread.last_post_author else ""
        thread.replies_word = "reply" if thread.reply_count == 1 else "replies"
        thread.tags_html = (
            format_html_join("", ' <a class="tag" href="{}">{}</a>', ((u, n) for n, u, _ in thread.tag_list))
            if thread.tag_list
            else ""
        )
    return threads


def _kind_badge(thread: Thread) -> tuple[str, str] | None:
    """The row's (badge class, label) for the thread's kind; None for a plain discussion."""
    if thread.kind == Thread.Kind.QUESTION:
        return ("badge badge-solved", "✓ Solved") if thread.accepted_post_id else ("badge", "Question")
    if thread.kind != Thread.Kind.DISCUSSION:
        return ("badge", thread.get_kind_display())
    return None


@CompiledQuery
def _categories_of(*, community_id: int):
    return Category.objects.filter(community_id=community_id)


def community_categories(community) -> list[Category]:
    """All the community's categories, archived ones too (their links are built from the page's community)."""
    return _categories_of(community_id=community.pk)


@CompiledQuery
def _page_thread(*, pk: int, slug: str, user_id: int = None):
    qs = Thread.objects.select_related("community", "category").filter(pk=pk, community__slug=slug)
    if user_id is not None:
        qs = qs.annotate(
            is_followed=Exists(ThreadFollow.objects.filter(thread=OuterRef("pk"), user_id=user_id)),
            read_at=Subquery(ThreadRead.objects.filter(thread=OuterRef("pk"), user_id=user_id).values("read_at")[:1]),
        )
    return qs[:1]


def thread_for_page(user, slug: str, pk: int) -> Thread | None:
    """The thread of a thread page's address, with what its header needs (community, category); for members also
    follow state and read marker. None if there is no such thread in that community.

    Only what the header shows is joined (the accepted answer and the authors come with the page's posts), and the
    SQL is compiled once per process (`cop_platform.compiled`): building it took a third of the page's time.
    """
    if pk > BIGGEST_ID:
        return None
    rows = _page_thread(pk=pk, slug=slug, **({"user_id": user.pk} if user.is_authenticated else {}))
    return rows[0] if rows else None


@CompiledQuery
def _tag_rows(*, thread_id: int):
    return (
        TaggedItem.objects.filter(
            content_type__app_label=Thread._meta.app_label,
            content_type__model=Thread._meta.model_name,
            object_id=thread_id,
        )
        .order_by("tag__name")
        .values_list("tag__name", "tag__slug")
    )


def thread_tags(thread: Thread) -> list[tuple[str, str]]:
    """The thread's tags as (name, link), by name: one narrow query, joined by app label and model name rather
    than a content type id so a cold content-type cache costs no extra query."""
    tag_base = _base(reverse("forums:tag_detail", args=[thread.community.slug, "t"]), "t")
    return [(name, f"{tag_base}{quote(slug)}/") for name, slug in _tag_rows(thread_id=thread.pk)]


@dataclass
class PostNode:
    post: Post
    indent: int
    children: list["PostNode"] = field(default_factory=list)


def _visible(user, *, moderator: bool) -> Q:
    """Posts the user may see on a thread page: published and removed-by-author ones; held/hidden for moderators
    and, for their own posts, for the author."""
    return _visible_to(user.pk if user.is_authenticated else None, moderator=moderator)


def _visible_to(viewer_id: int | None, *, moderator: bool) -> Q:
    if moderator:
        return Q()
    mine = Q(author_id=viewer_id) if viewer_id is not None else Q(pk__in=[])
    return Q(status=Post.Status.PUBLISHED) | mine


def visible_posts(user, thread: Thread, *, moderator: bool):
    """Posts of the thread the user may see (see `_visible`)."""
    return Post.objects.filter(thread=thread).filter(_visible(user, moderator=moderator))


def reply_page(thread: Thread, number) -> Page:
    """The page of the thread asked for (a number, or anything `Paginator.get_page` takes), without a query.

    Pages are cut along `Post.branch_position`: page n holds the branches in positions ((n-1)*size, n*size], and
    the thread's stored `root_count` says how many positions there are. A held or hidden top-level reply keeps
    its position, so a reader's page may show a branch or two fewer than `replies_per_page()`.
    """
    return Paginator(range(thread.root_count), replies_per_page()).get_page(number)


def page_number_of(post: Post) -> int:
    """The thread page that shows `post` (1 for the opening post), from its stored branch position."""
    return max(post.branch_position - 1, 0) // replies_per_page() + 1


def page_posts(user, thread: Thread, page: Page, *, moderator: bool) -> tuple[list[Post], Post | None]:
    """Every post of the page's branches, with authors, in one index range; page 1 starts at the opening post.
    Returns them with the accepted answer, which page 1 shows above the replies wherever it sits in the thread: it
    comes in the same query (None on other pages, or when there is none).

    One range on (thread, branch_position) whatever the page and however long the thread: page 1 of a
    10,000-reply thread costs what page 1 of a short one does, and so do page 250 and the last page.
    """
    size = replies_per_page()
    first, last = (0 if page.number == 1 else (page.number - 1) * size + 1), page.number * size
    accepted_id = thread.accepted_post_id if page.number == 1 else None
    values = {"thread_id": thread.pk, "first": first, "last": last}
    if accepted_id:
        values["accepted_id"] = accepted_id
    if not moderator and user.is_authenticated:
        values["author_id"] = user.pk
    rows = _page_rows(moderator, **values)
    accepted = next((p for p in rows if p.pk == accepted_id), None)
    if accepted is not None and not (first <= accepted.branch_position <= last and _sees(user, accepted, moderator)):
        rows.remove(accepted)  # it came for the box above the replies only
    return rows, accepted


@CompiledQuery
def _page_rows(moderator, *, thread_id: int, first: int, last: int, author_id: int = None, accepted_id: int = None):
    """`page_posts`'s rows, its SQL compiled once per process for each shape (moderator or not, signed in or not,
    with an accepted answer or not). The visibility rule is `_visible`'s."""
    wanted = Q(branch_position__gte=first, branch_position__lte=last) & _visible_to(author_id, moderator=moderator)
    if accepted_id is not None:
        wanted |= Q(pk=accepted_id)
    return (
        Post.objects.filter(Q(thread_id=thread_id) & wanted)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


def _sees(user, post: Post, moderator: bool) -> bool:
    """`_visible` for one fetched post."""
    return moderator or post.status == Post.Status.PUBLISHED or (user.is_authenticated and post.author_id == user.pk)


def build_tree(posts: list[Post]) -> tuple[Post | None, list[PostNode]]:
    """Arrange posts as the opening post plus a forest of replies; indentation stops at MAX_INDENT."""
    opening = next((p for p in posts if p.is_opening), None)
    nodes = {p.pk: PostNode(p, min(p.depth, MAX_INDENT)) for p in posts if not p.is_opening}
    roots: list[PostNode] = []
    for node in nodes.values():
        parent = nodes.get(node.post.parent_id)
        if parent is None:
            roots.append(node)
        elif parent.indent >= MAX_INDENT:
            # Flatten: hang it beside its parent, under the same deepest ancestor, in time order.
            _deepest_container(parent, nodes).children.append(node)
        else:
            parent.children.append(node)
    return opening, roots


def _deepest_container(node: PostNode, nodes: dict) -> PostNode:
    while node.indent >= MAX_INDENT:
        parent = nodes.get(node.post.parent_id)
        if parent is None or parent.indent < MAX_INDENT:
            return parent or node
        node = parent
    return node


def flatten(roots: list[PostNode]) -> list[PostNode]:
    """Depth-first order, for a template that renders a flat list with indentation classes."""
    out: list[PostNode] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def mark_read(thread: Thread, user, read_at) -> bool:
    """Move the member's read marker to now if the thread moved since they last read it; True if it wrote.

    Nothing new since the marker means no write at all. The write is one INSERT ... ON CONFLICT statement in
    autocommit, with no transaction round trips around it.
    """
    if read_at is not None and read_at >= thread.last_activity_at:
        return False
    table = ThreadRead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (thread_id, user_id, read_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (thread_id, user_id) DO UPDATE SET read_at = EXCLUDED.read_at",
            [thread.pk, user.pk, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
    return True


def my_reactions(user, post_ids: list[int]) -> set[tuple[int, str]]:
    if not user.is_authenticated or not post_ids:
        return set()
    return set(Reaction.objects.filter(user=user, post_id__in=post_ids).values_list("post_id", "kind"))


def profile_contributions(person, viewer) -> dict:
    """A member's forum record, counted only in communities the viewer may read."""
    posts = Post.objects.visible_to(viewer).filter(author=person)
    totals = posts.aggregate(thanks=Sum("thanks_count"), helpful=Sum("helpful_count"))
    threads = Thread.objects.visible_to(viewer).filter(author=person)
    return {
        "thanks_received": totals["thanks"] or 0,
        "helpful_received": totals["helpful"] or 0,
        "accepted_answers": Thread.objects.visible_to(viewer).filter(accepted_post__author=person).count(),
        "threads_started": threads.count(),
        "recent_threads": list(threads.select_related("community").order_by("-created_at")[:5]),
    }


def open_flags(community: Community):
    """Open flags on the community's posts."""
    post_type = ContentType.objects.get_for_model(Post)
    return Flag.objects.filter(community=community, status=Flag.Status.OPEN, target_type=post_type)


def moderation_queue(community: Community):
    """Posts waiting for a facilitator, oldest first: those with open flags and those held for approval."""
    flagged = open_flags(community).values("target_id")
    return (
        Post.objects.filter(thread__community=community)
        .filter(Q(pk__in=flagged) | Q(status=Post.Status.HELD))
        .order_by("created_at", "pk")
    )


def recently_hidden(community: Community, limit: int = 10):
    """The latest hidden posts, newest first: kept within the queue's reach so a hide can be undone there."""
    return (
        Post.objects.filter(thread__community=community, status=Post.Status.HIDDEN)
        .select_related("thread", "author__profile")
        .order_by("-pk")[:limit]
    )


def thread_content(viewer, pk: int) -> Content | None:
    """A thread's opening post and accepted answer as the viewer may read them (for "save as a guide")."""
    thread = Thread.objects.select_related("community", "author", "accepted_post__author").filter(pk=pk).first()
    if thread is None or not permissions.can_read_thread(viewer, thread):
        return None
    opening = Post.objects.filter(thread=thread, is_opening=True).select_related("author").first()
    parts = []
    if opening is not None and not opening.is_deleted:
        label = "The question" if thread.kind == Thread.Kind.QUESTION else "The opening post"
        opening.thread = thread
        parts.append(ContentPart(key="opening", label=label, author=_name(opening), body=opening.body, obj=opening))
    accepted = thread.accepted_post
    if accepted is not None:
        accepted.thread = thread
        if permissions.can_read_post(viewer, accepted):
            parts.append(
                ContentPart(
                    key="accepted",
                    label="The accepted answer",
                    author=_name(accepted),
                    body=accepted.body,
                    obj=accepted,
                )
            )
    return Content(
        title=thread.title,
        url=thread.get_absolute_url(),
        community_id=thread.community_id,
        author_id=thread.author_id,
        obj=thread,
        tags=tuple(thread.tags.names()),
        parts=tuple(parts),
    )


def _name(post: Post) -> str:
    return post.author.display_name if post.author else "A former member"
