"""Forum writes: threads, replies, edits, answers, reactions, follows and moderation."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from communities import activity, moderation, search
from communities.emails import send_after_commit
from communities.models import Community, Flag, ModerationAction
from communities.services import waiting_recount
from cop_platform.markup import render_markdown_safe

from . import permissions
from .activity import Verb
from .models import Category, CategoryFollow, Post, PostRevision, Reaction, Thread, ThreadFollow

Action = ModerationAction.Action
MENTION = re.compile(r"(?<![\w/@.])@([a-z0-9][a-z0-9-]{1,39})\b", re.IGNORECASE)
_LINK = re.compile(r"<a\s")


class ForumError(Exception):
    """A forum action the rules refuse; the message is shown to the member."""


# --- Rendering ---------------------------------------------------------------------------------------------


def render_body(body: str) -> tuple[str, list]:
    """Render a post's Markdown with @mentions linked to profiles; returns the HTML and the mentioned users."""
    handles = {m.lower() for m in MENTION.findall(body)}
    users = list(get_user_model().objects.filter(handle__in=handles, is_active=True)) if handles else []
    by_handle = {u.handle: u for u in users}

    def link(match):
        user = by_handle.get(match.group(1).lower())
        if user is None:
            return match.group(0)
        return f"[@{user.handle}]({reverse('communities:profile_detail', args=[user.pk])})"

    return render_markdown_safe(MENTION.sub(link, body) if users else body), users


# --- Guards ------------------------------------------------------------------------------------------------


def _check_rate(author, community: Community) -> None:
    limit = settings.FORUM_POSTS_PER_HOUR
    recent = Post.objects.filter(
        author=author, thread__community=community, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= limit:
        raise ForumError(
            f"You have posted {recent} times in the last hour, the most we allow. "
            "Please wait a little before posting again; your text is still here."
        )


def _needs_approval(author, community: Community, html: str) -> bool:
    """New members' first posts with more than a couple of links wait for a facilitator (spam protection)."""
    if len(_LINK.findall(html)) <= settings.FORUM_NEW_MEMBER_MAX_LINKS or permissions.can_moderate(author, community):
        return False
    earlier = Post.objects.filter(author=author, thread__community=community, status=Post.Status.PUBLISHED)
    return earlier.count() < settings.FORUM_NEW_MEMBER_POSTS


def _usable_tags(tags) -> list[str]:
    """Tags with at least one letter or digit: a tag that slugifies to nothing has no page to link to."""
    tags = [" ".join(str(tag).split())[:60] for tag in tags]  # taggit keeps at most 100 characters
    return [tag for tag in tags if slugify(tag, allow_unicode=True)]


# --- Threads and replies -----------------------------------------------------------------------------------


@transaction.atomic
def thread_create(*, category: Category, author, kind: str, title: str, body: str, tags=()) -> Thread:
    """Start a thread with its opening post; the author follows it."""
    community = category.community
    if not permissions.can_start_thread(author, category):
        raise ForumError(
            permissions.participation_refusal(author, community)
            or (category.is_archived and f"The category “{category.name}” is archived and read-only.")
            or f"Only facilitators start threads in “{category.name}”."
        )
    if not permissions.can_post_kind(author, community, kind):
        raise ForumError(f"Only facilitators post {Thread.Kind(kind).label.lower()}s.")
    _check_rate(author, community)
    html, mentioned = render_body(body)
    held = _needs_approval(author, community, html)
    now = timezone.now()
    thread = Thread.objects.create(
        community=community,
        category=category,
        kind=kind,
        title=title.strip(),
        author=author,
        is_pinned=kind == Thread.Kind.ANNOUNCEMENT,
        is_hidden=held,
        created_at=now,
        last_activity_at=now,
        last_post_author=author,
    )
    if tags:
        thread.tags.set(_usable_tags(tags))
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        body_html=html,
        is_opening=True,
        created_at=now,
        published_at=None if held else now,
        status=Post.Status.HELD if held else Post.Status.PUBLISHED,
    )
    ThreadFollow.objects.get_or_create(thread=thread, user=author)
    if held:
        activity.record(community=community, actor=author, verb=Verb.POST_HELD, target=post)
        waiting_recount(community=community)
    else:
        _publish_thread(thread, post, mentioned)
    return thread


def _publish_thread(thread: Thread, post: Post, mentioned) -> None:
    if post.published_at is None:  # approved after being held: it goes live now
        post.published_at = timezone.now()
        Post.objects.filter(pk=post.pk).update(published_at=post.published_at)
    Category.objects.filter(pk=thread.category_id).update(thread_count=F("thread_count") + 1)
    verb = {
        Thread.Kind.ARTICLE: Verb.ARTICLE_PUBLISHED,
        Thread.Kind.ANNOUNCEMENT: Verb.ANNOUNCEMENT_POSTED,
    }.get(thread.kind, Verb.THREAD_STARTED)
    activity.record(
        community=thread.community,
        actor=post.author,
        verb=verb,
        target=thread,
        topic=f"forums.thread:{thread.pk}",
        question=thread.kind == Thread.Kind.QUESTION,
        tags=sorted(thread.tags.names()),
        category=thread.category.name,
    )
    _record_mentions(post, mentioned)
    index_thread(thread, post)


@transaction.atomic
def _next_branch_position(thread: Thread) -> int:
    """Take the next top-level position of the thread: the UPDATE locks the thread row until the transaction ends,
    so two replies at once get different positions."""
    Thread.objects.filter(pk=thread.pk).update(root_count=F("root_count") + 1)
    thread.root_count = Thread.objects.filter(pk=thread.pk).values_list("root_count", flat=True).get()
    return thread.root_count


def number_branches(threads=None) -> None:
    """Set `branch_position` and `root_count` from the posts' order, for posts built without `post_reply`
    (data migrations, bulk loads, fixtures): top-level replies numbered 1, 2... by (created_at, pk) in each
    thread, every deeper reply given its top-level reply's number. Three UPDATEs however many posts."""
    post, thread = Post._meta.db_table, Thread._meta.db_table
    ids = None if threads is None else list(threads.values_list("pk", flat=True))
    if ids == []:
        return
    only = "" if ids is None else f" AND thread_id IN ({', '.join(str(int(pk)) for pk in ids)})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {post} SET branch_position = ranked.n FROM (SELECT id, ROW_NUMBER() OVER "
            f"(PARTITION BY thread_id ORDER BY created_at, id) AS n FROM {post} WHERE depth = 1 AND NOT is_opening"
            f"{only}) AS ranked WHERE {post}.id = ranked.id"
        )
        cursor.execute(f"UPDATE {post} SET branch_position = 0 WHERE (is_opening OR depth = 0){only}")
        cursor.execute(
            f"UPDATE {post} SET branch_position = roots.branch_position FROM {post} AS roots "
            f"WHERE {post}.root_id = roots.id AND {post}.depth > 1{only.replace('thread_id', f'{post}.thread_id')}"
        )
        cursor.execute(
            f"UPDATE {thread} SET root_count = COALESCE((SELECT MAX(branch_position) FROM {post} "
            f"WHERE {post}.thread_id = {thread}.id), 0)"
            + ("" if ids is None else f" WHERE id IN ({', '.join(str(int(pk)) for pk in ids)})")
        )


@transaction.atomic
def post_reply(*, thread: Thread, author, body: str, parent: Post | None = None) -> Post:
    """Reply to a thread (or to one of its posts); counters move in the same transaction; the author follows."""
    if not permissions.can_reply(author, thread):
        raise ForumError(permissions.reply_refusal(author, thread) or "This thread takes no replies.")
    if parent is not None and parent.thread_id != thread.pk:
        raise ForumError("You can only reply to posts in this thread.")
    _check_rate(author, thread.community)
    html, mentioned = render_body(body)
    held = _needs_approval(author, thread.community, html)
    if parent is None or parent.is_opening:
        parent, depth, root = None, 1, None
        position = _next_branch_position(thread)
    else:
        depth, root, position = parent.depth + 1, parent.branch_id, parent.branch_position
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        root_id=root,
        depth=depth,
        branch_position=position,
        author=author,
        body=body,
        body_html=html,
        status=Post.Status.HELD if held else Post.Status.PUBLISHED,
        created_at=now,
        published_at=None if held else now,
    )
    ThreadFollow.objects.get_or_create(thread=thread, user=author)
    if held:
        activity.record(community=thread.community, actor=author, verb=Verb.POST_HELD, target=post)
        waiting_recount(community=thread.community)
    else:
        _publish_reply(post, mentioned)
    return post


def _publish_reply(post: Post, mentioned) -> None:
    if post.published_at is None:  # approved after being held: it goes live now
        post.published_at = timezone.now()
        Post.objects.filter(pk=post.pk).update(published_at=post.published_at)
    thread = post.thread
    Thread.objects.filter(pk=thread.pk).update(
        # A held reply its author deleted before approval goes live as removed: it is not counted.
        reply_count=F("reply_count") + (0 if post.is_deleted else 1),
        last_activity_at=post.created_at,
        last_post_author=post.author,
    )
    activity.record(
        community=thread.community,
        actor=post.author,
        verb=Verb.POST_REPLIED,
        target=post,
        thread_id=thread.pk,
        parent_author_id=post.parent.author_id if post.parent_id else thread.author_id,
        topic=f"forums.thread:{thread.pk}",
    )
    _record_mentions(post, mentioned)
    index_post(post)


def _record_mentions(post: Post, mentioned) -> None:
    for user in mentioned:
        if user.pk != post.author_id:
            activity.record(
                community=post.thread.community,
                actor=post.author,
                verb=Verb.MENTIONED,
                target=post,
                mentioned_user_id=user.pk,
            )


@transaction.atomic
def post_edit(*, post: Post, editor, body: str) -> Post:
    """Change a post's text, keeping the previous text as a revision."""
    if not permissions.can_edit_post(editor, post):
        raise ForumError("You cannot edit this post.")
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, editor=editor)
    post.body = body
    post.body_html, _ = render_body(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    if post.status == Post.Status.PUBLISHED:
        index_thread(post.thread, post) if post.is_opening else index_post(post)
    return post


@transaction.atomic
def thread_edit(*, thread: Thread, editor, title: str, tags) -> Thread:
    """Retitle or retag a thread (author or facilitator)."""
    opening = thread.posts.get(is_opening=True)
    if not permissions.can_edit_post(editor, opening):
        raise ForumError("You cannot edit this thread.")
    retitled = thread.title != title.strip()
    thread.title = title.strip()
    thread.save(update_fields=["title"])
    thread.tags.set(_usable_tags(tags))
    index_thread(thread, opening)
    if retitled:
        # Replies are found as "Re: <title>": a title changed to remove something must not live on in them.
        for reply in thread.posts.filter(is_opening=False, is_deleted=False).select_related("author"):
            reply.thread = thread
            index_post(reply)
    return thread


@transaction.atomic
def post_delete(*, post: Post, by) -> Post:
    """An author removes their own reply: it shows as removed and its replies stay."""
    if not permissions.can_delete_post(by, post):
        raise ForumError("You cannot delete this post.")
    _lock(post)
    if post.is_deleted:
        return post
    PostRevision.objects.create(post=post, body=post.body, editor=by)
    was_counted = _counted(post)
    post.is_deleted = True
    post.body_html = ""
    post.save(update_fields=["is_deleted", "body_html"])
    _count_reply(post, was_counted)
    if post.thread.accepted_post_id == post.pk:
        Thread.objects.filter(pk=post.thread_id).update(accepted_post=None)
    search.unindex(post)
    return post


# --- Answers and reactions ---------------------------------------------------------------------------------


@transaction.atomic
def answer_accept(*, thread: Thread, post: Post | None, by) -> Thread:
    """Mark (or, with post=None, unmark) the accepted answer of a question."""
    if not permissions.can_accept_answer(by, thread):
        raise ForumError("Only the asker or a facilitator can choose the accepted answer.")
    if post is not None and (
        post.thread_id != thread.pk or post.is_opening or post.is_deleted or post.status != Post.Status.PUBLISHED
    ):
        raise ForumError("That reply cannot be the accepted answer.")
    thread.accepted_post = post
    thread.save(update_fields=["accepted_post"])
    if post is not None:
        activity.record(
            community=thread.community,
            actor=post.author,
            verb=Verb.ANSWER_ACCEPTED,
            target=post,
            accepted_by_id=by.pk,
            thread_id=thread.pk,
            topic=f"forums.thread:{thread.pk}",
        )
    return thread


_COUNTER = {Reaction.Kind.THANKS: "thanks_count", Reaction.Kind.HELPFUL: "helpful_count"}


@transaction.atomic
def reaction_toggle(*, post: Post, user, kind: str) -> bool:
    """Add the member's reaction of this kind, or take it back; returns whether it is now on."""
    if not permissions.can_react(user, post):
        raise ForumError("You cannot react to this post.")
    counter = _COUNTER[kind]
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) - 1})
        return False
    _, created = Reaction.objects.get_or_create(post=post, user=user, kind=kind)
    if created:
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
        activity.record(
            community=post.thread.community,
            actor=user,
            verb=Verb.POST_REACTED,
            target=post,
            topic=f"forums.thread:{post.thread_id}",
            credit=kind,
            credit_to=post.author_id,
        )
    return True


# --- Categories --------------------------------------------------------------------------------------------


DEFAULT_CATEGORY = {
    "name": "General",
    "slug": "general",
    "description": "Questions, ideas and news about our practice. Facilitators can add more categories.",
}


def category_create_default(community: Community) -> Category:
    """A new community's first category, open to every member, so its owner can post at once."""
    category, _ = Category.objects.get_or_create(
        community=community, slug=DEFAULT_CATEGORY["slug"], defaults=DEFAULT_CATEGORY
    )
    return category


@transaction.atomic
def category_save(*, community: Community, by, category: Category | None = None, **fields) -> Category:
    """Add a category to the community, or change one (name, address, order, archived)."""
    if not permissions.can_manage_categories(by, community):
        raise ForumError("Only facilitators manage categories.")
    category = category or Category(community=community)
    for name, value in fields.items():
        setattr(category, name, value)
    category.community = community
    category.save()
    return category


@transaction.atomic
def category_move(*, category: Category, by, up: bool) -> None:
    """Swap a category with its neighbour in the community's order, renumbering them all."""
    if not permissions.can_manage_categories(by, category.community):
        raise ForumError("Only facilitators manage categories.")
    categories = list(Category.objects.select_for_update().filter(community=category.community_id))
    index = next(i for i, c in enumerate(categories) if c.pk == category.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(categories):
        return
    categories[index], categories[other] = categories[other], categories[index]
    for position, each in enumerate(categories):
        if each.position != position:
            Category.objects.filter(pk=each.pk).update(position=position)


# --- Following ---------------------------------------------------------------------------------------------


def thread_follow(*, thread: Thread, user, follow: bool) -> None:
    """Follow or unfollow a thread."""
    if follow:
        if not permissions.can_follow(user, thread):
            raise ForumError("Join the community to follow its threads.")
        ThreadFollow.objects.get_or_create(thread=thread, user=user)
    else:
        ThreadFollow.objects.filter(thread=thread, user=user).delete()


def category_follow(*, category: Category, user, follow: bool) -> None:
    """Follow or unfollow a category (new threads in it)."""
    if follow:
        if not permissions.is_active_member(user, category.community):
            raise ForumError("Join the community to follow its categories.")
        CategoryFollow.objects.get_or_create(category=category, user=user)
    else:
        CategoryFollow.objects.filter(category=category, user=user).delete()


# --- Moderation --------------------------------------------------------------------------------------------

_THREAD_SWITCHES = {
    Action.PIN: ("is_pinned", True),
    Action.UNPIN: ("is_pinned", False),
    Action.LOCK: ("is_locked", True),
    Action.UNLOCK: ("is_locked", False),
    Action.CLOSE: ("is_closed", True),
    Action.REOPEN: ("is_closed", False),
}


@transaction.atomic
def thread_moderate(*, thread: Thread, by, action: str, reason: str = "") -> Thread:
    """Pin, lock or close a thread (and undo), logged."""
    if not permissions.can_moderate(by, thread.community) or action not in _THREAD_SWITCHES:
        raise ForumError("You cannot do that.")
    field, value = _THREAD_SWITCHES[action]
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    moderation.log(
        community=thread.community,
        moderator=by,
        action=action,
        target=thread,
        target_user=thread.author,
        summary=thread.title,
        reason=reason,
    )
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, category: Category, by) -> Thread:
    """Move a thread to another category of the same community, logged."""
    if not permissions.can_moderate(by, thread.community) or category.community_id != thread.community_id:
        raise ForumError("You cannot move this thread there.")
    locked = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
    thread.is_hidden, thread.category = locked.is_hidden, locked.category
    old = thread.category
    if old.pk == category.pk:
        return thread
    thread.category = category
    thread.save(update_fields=["category"])
    if not thread.is_hidden:
        Category.objects.filter(pk=old.pk).update(thread_count=F("thread_count") - 1)
        Category.objects.filter(pk=category.pk).update(thread_count=F("thread_count") + 1)
    moderation.log(
        community=thread.community,
        moderator=by,
        action=Action.MOVE,
        target=thread,
        summary=f"{thread.title}: {old.name} → {category.name}",
    )
    return thread


@transaction.atomic
def post_hide(*, post: Post, by, reason: str = "") -> Post:
    """Hide a post from members (the opening post hides its whole thread); flags on it are actioned."""
    thread = post.thread
    if not permissions.can_moderate(by, thread.community):
        raise ForumError("You cannot moderate here.")
    _lock(post)
    was_counted = _counted(post)
    post.status = Post.Status.HIDDEN
    post.save(update_fields=["status"])
    _count_reply(post, was_counted)
    if thread.accepted_post_id == post.pk:
        # Else the thread page would keep showing it to everyone as the accepted answer.
        Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
        thread.accepted_post = None
    if post.is_opening:
        _set_thread_hidden(thread, True)
    search.set_hidden(post, True)
    moderation.flags_resolve(target=post, by=by, status=Flag.Status.ACTIONED)
    moderation.log(
        community=thread.community,
        moderator=by,
        action=Action.HIDE,
        target=post,
        target_user=post.author,
        summary_html=post.body_html,
        reason=reason,
    )
    waiting_recount(community=post.thread.community)
    return post


@transaction.atomic
def post_restore(*, post: Post, by, reason: str = "") -> Post:
    """Bring back a hidden post, or approve one held for approval; logged."""
    thread = post.thread
    if permissions.can_moderate(by, thread.community):
        _lock(post)
    if not permissions.can_moderate(by, thread.community) or post.status == Post.Status.PUBLISHED:
        raise ForumError("There is nothing to restore.")
    # A post that never went live (held, perhaps hidden while held) is published now, not merely restored.
    was_held = post.published_at is None
    was_counted = _counted(post)
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    if post.is_opening and was_held:
        # A held thread was never counted in its category: publishing counts it, once.
        Thread.objects.filter(pk=thread.pk).update(is_hidden=False)
        thread.is_hidden = False
        _publish_thread(thread, post, render_body(post.body)[1])
    elif post.is_opening:
        _set_thread_hidden(thread, False)
    elif was_held:
        _publish_reply(post, render_body(post.body)[1])
    else:
        _count_reply(post, was_counted)
        if not post.is_deleted:
            search.set_hidden(post, False)
    moderation.log(
        community=thread.community,
        moderator=by,
        action=Action.APPROVE if was_held else Action.RESTORE,
        target=post,
        target_user=post.author,
        summary_html=post.body_html,
        reason=reason,
    )
    waiting_recount(community=post.thread.community)
    return post


@transaction.atomic
def post_reject(*, post: Post, by, reason: str) -> Post:
    """Turn down a post held for approval: it stays unpublished (a facilitator can still approve it later), and
    its author is emailed the reason with their text, so nothing they wrote is lost; logged."""
    thread = post.thread
    if not permissions.can_moderate(by, thread.community) or post.status != Post.Status.HELD:
        raise ForumError("Only a post waiting for approval can be rejected.")
    if not reason.strip():
        raise ForumError("Say why the post is rejected: its author is emailed the reason.")
    post.status = Post.Status.HIDDEN
    post.save(update_fields=["status"])
    moderation.flags_resolve(target=post, by=by, status=Flag.Status.ACTIONED)
    moderation.log(
        community=thread.community,
        moderator=by,
        action=Action.REJECT,
        target=post,
        target_user=post.author,
        summary_html=post.body_html,
        reason=reason,
    )
    if post.author is not None:
        send_after_commit(
            to=post.author.email,
            subject=f"Your post in {thread.community.name} was not published",
            template="post_rejected",
            context={"post": post, "thread": thread, "community": thread.community, "reason": reason, "by": by},
        )
    waiting_recount(community=thread.community)
    return post


def _counted(post: Post) -> bool:
    """Whether a post is one of its thread's reply_count: a live reply, published and not deleted."""
    return not post.is_opening and post.status == Post.Status.PUBLISHED and not post.is_deleted


def _lock(post: Post) -> None:
    """Re-read the post's state under a row lock: two moderators (or a moderator and the author) acting at once
    then change it one after the other, and each counter moves exactly once per change."""
    post.refresh_from_db(
        fields=["status", "is_deleted", "published_at"], from_queryset=Post.objects.select_for_update()
    )


def _count_reply(post: Post, was_counted: bool) -> None:
    """Move reply_count by what this state change did to the post: +1, -1 or nothing."""
    delta = int(_counted(post)) - int(was_counted)
    if delta:
        Thread.objects.filter(pk=post.thread_id).update(reply_count=F("reply_count") + delta)


def _set_thread_hidden(thread: Thread, hidden: bool) -> None:
    thread.is_hidden = Thread.objects.select_for_update().values_list("is_hidden", flat=True).get(pk=thread.pk)
    if thread.is_hidden == hidden:
        return
    Thread.objects.filter(pk=thread.pk).update(is_hidden=hidden)
    Category.objects.filter(pk=thread.category_id).update(thread_count=F("thread_count") + (-1 if hidden else 1))
    thread.is_hidden = hidden
    search.set_hidden(thread, hidden)
    # Replies are indexed on their own, titled after the thread, so they leave and return with it.
    replies = thread.posts.filter(is_opening=False, status=Post.Status.PUBLISHED, is_deleted=False)
    search.set_hidden_all(replies, hidden)


@transaction.atomic
def post_flag(*, post: Post, reporter, reason: str, note: str = "") -> Flag | None:
    """A member reports a post to the facilitators."""
    if not permissions.can_flag(reporter, post):
        raise ForumError("You cannot flag this post.")
    flag = moderation.flag_create(
        target=post, community=post.thread.community, reporter=reporter, reason=reason, note=note
    )
    if flag is not None:
        activity.record(
            community=post.thread.community,
            actor=reporter,
            verb=Verb.POST_FLAGGED,
            target=post,
            flag_id=flag.pk,
            reason=reason,
        )
        waiting_recount(community=post.thread.community)
    return flag


@transaction.atomic
def flag_dismiss(*, post: Post, by, reason: str = "") -> int:
    """Close the open flags on a post without acting on it; logged."""
    if not permissions.can_moderate(by, post.thread.community):
        raise ForumError("You cannot moderate here.")
    count = moderation.flags_resolve(target=post, by=by, status=Flag.Status.DISMISSED)
    moderation.log(
        community=post.thread.community,
        moderator=by,
        action=Action.DISMISS_FLAG,
        target=post,
        target_user=post.author,
        summary_html=post.body_html,
        reason=reason,
    )
    waiting_recount(community=post.thread.community)
    return count


# --- Search index ------------------------------------------------------------------------------------------


def index_thread(thread: Thread, opening: Post) -> None:
    """Keep the thread's search document (title, opening post, tags) current."""
    search.index(
        target=thread,
        community=thread.community,
        kind=thread.kind,
        title=thread.title,
        body=opening.body_html,
        tags=list(thread.tags.names()),
        url=thread.get_absolute_url(),
        author=thread.author,
        created_at=thread.created_at,
        is_hidden=thread.is_hidden,
    )


def index_post(post: Post) -> None:
    """Keep a reply's search document current; held, hidden or deleted replies stay out of results."""
    thread = post.thread
    search.index(
        target=post,
        community=thread.community,
        kind="reply",
        title=thread.title,  # shown under its thread's title, marked as a reply
        body=post.body_html,
        url=post.get_absolute_url(),
        author=post.author,
        created_at=post.created_at,
        is_hidden=not post.is_live,
    )
