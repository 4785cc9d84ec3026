"""Forum reads, shaped so each page costs the same few queries however many threads and posts there are."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery, Sum

from communities.extensions import Content, ContentPart
from communities.models import Community, Flag

from . import permissions
from .models import Post, Reaction, Thread, ThreadFollow, ThreadRead

MAX_INDENT = 4  # deeper replies are shown flat under their branch, at this depth
ROOTS_PER_PAGE = 20


def thread_list(user, community, *, category=None, tag=None, kind=None, unanswered=False, mine=False):
    """Threads of a community for a list page: pinned ones first, then newest activity first."""
    qs = Thread.objects.visible_to(user).filter(community=community).with_list_data()
    if category is not None:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if kind:
        qs = qs.filter(kind=kind)
    if unanswered:
        qs = qs.unanswered()
    if mine:
        qs = qs.filter(Q(author=user) | Q(follows__user=user)).distinct()
    if user.is_authenticated:
        qs = qs.annotate(
            read_at=Subquery(ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1])
        )
    return qs.order_by("-is_pinned", "-last_activity_at", "-pk")


def thread_page_queryset(user):
    """Threads with everything the thread page header needs; for members also follow state and read marker."""
    # The breadcrumb links to the category, whose URL needs its community.
    qs = Thread.objects.select_related("category__community", "author__profile", "accepted_post__author__profile")
    if user.is_authenticated:
        qs = qs.annotate(
            is_followed=Exists(ThreadFollow.objects.filter(thread=OuterRef("pk"), user=user)),
            read_at=Subquery(ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]),
        )
    return qs


@dataclass
class PostNode:
    post: Post
    indent: int
    children: list["PostNode"] = field(default_factory=list)


def visible_posts(user, thread: Thread, *, moderator: bool):
    """Posts of the thread the user may see: published and removed-by-author ones; held/hidden for moderators
    and, for their own posts, for the author."""
    qs = Post.objects.filter(thread=thread)
    if not moderator:
        mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        qs = qs.filter(Q(status=Post.Status.PUBLISHED) | mine)
    return qs


def root_page_bounds(user, thread: Thread, *, moderator: bool):
    """The top-level replies, in order, that pages of the thread are cut along."""
    return visible_posts(user, thread, moderator=moderator).filter(depth=1).order_by("created_at", "pk")


def page_posts(user, thread: Thread, root_ids: list[int], *, moderator: bool, with_opening: bool):
    """The opening post (on page 1) and every post of the given branches, with authors, in one query."""
    branch = Q(root_id__in=root_ids) | Q(pk__in=root_ids)
    if with_opening:
        branch |= Q(is_opening=True)
    return list(
        visible_posts(user, thread, moderator=moderator)
        .filter(branch)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


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
