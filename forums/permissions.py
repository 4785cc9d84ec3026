"""Who may do what in the forums. Built on the community roles in communities.permissions."""

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import (
    can_manage_members,
    can_participate,
    can_view_community,
    is_active_member,
    participation_refusal,
)

from .models import Category, Post, Thread


def can_moderate(user, community: Community) -> bool:
    """Facilitators, owners and site staff moderate a community's forums."""
    return can_manage_members(user, community)


def can_read_thread(user, thread: Thread) -> bool:
    """Readers of the community see the thread; a thread removed by moderators is for moderators only."""
    if not can_view_community(user, thread.community):
        return False
    return not thread.is_hidden or can_moderate(user, thread.community) or _is_author(user, thread)


def can_read_post(user, post: Post) -> bool:
    """Readers of the community read its live posts (published, not deleted, in a thread not removed).

    The one-post form of `Post.objects.visible_to(user)`: what alerts, digests and newsletters may point at.
    """
    return post.is_live and can_view_community(user, post.thread.community)


def can_open_post(user, post: Post) -> bool:
    """A post's place on its thread page: readers see published posts (a deleted one as "removed"); moderators
    also see held and hidden ones, and authors their own."""
    if not can_read_thread(user, post.thread):
        return False
    return post.status == Post.Status.PUBLISHED or can_moderate(user, post.thread.community) or _is_author(user, post)


def can_start_thread(user, category: Category) -> bool:
    """Active members start threads in open categories of communities that are not archived; in a
    facilitators-only category (Announcements) only facilitators do."""
    if category.is_archived or not can_participate(user, category.community):
        return False
    return not category.facilitators_only or can_moderate(user, category.community)


def start_thread_refusal(user, community: Community, categories) -> str | None:
    """Why the user may start no thread in any of the community's `categories`, in words for them; None when
    they may start one somewhere (the reasons behind `can_start_thread`)."""
    reason = participation_refusal(user, community)
    if reason:
        return reason
    open_categories = [c for c in categories if not c.is_archived]
    if not open_categories:
        if can_manage_categories(user, community):
            return "This community has no open category yet. Add one under Categories, then start the first thread."
        return "This community has no open category to post in yet. Its facilitators can add one."
    if not any(can_start_thread(user, c) for c in open_categories):
        return "Only facilitators start threads in this community's categories. You can reply to any open thread."
    return None


def reply_refusal(user, thread: Thread) -> str | None:
    """Why the user may not reply to the thread, in words for them; None when they may (see `can_reply`)."""
    reason = participation_refusal(user, thread.community)
    if reason:
        return reason
    if thread.is_hidden:
        return "This thread was removed by a moderator and takes no replies."
    if thread.is_closed:
        return "This thread is closed: it takes no more replies."
    if thread.category.is_archived:
        return f"The category “{thread.category.name}” is archived and read-only."
    if thread.is_locked and not can_moderate(user, thread.community):
        return "This thread is locked: only facilitators reply to it."
    return None


def can_post_kind(user, community: Community, kind: str) -> bool:
    """Announcements are for facilitators; every other kind for any participating member."""
    if kind == Thread.Kind.ANNOUNCEMENT:
        return can_participate(user, community) and can_moderate(user, community)
    return can_participate(user, community)


def can_manage_categories(user, community: Community) -> bool:
    """Facilitators add, edit, order and archive categories."""
    return not community.is_archived and can_moderate(user, community)


def can_reply(user, thread: Thread) -> bool:
    """Members reply to open threads; facilitators also to locked ones; closed threads take no replies."""
    if (
        thread.is_closed
        or thread.is_hidden
        or thread.category.is_archived
        or not can_participate(user, thread.community)
    ):
        return False
    return not thread.is_locked or can_moderate(user, thread.community)


def can_edit_post(user, post: Post) -> bool:
    """Authors edit their own live posts while they are members; moderators edit any."""
    thread = post.thread
    if post.is_deleted or thread.is_closed or thread.community.is_archived:
        return False
    if can_moderate(user, thread.community):
        return True
    return _is_author(user, post) and is_active_member(user, thread.community)


def can_delete_post(user, post: Post) -> bool:
    """Authors delete their own replies (shown as removed); opening posts go with their thread via moderators."""
    return (
        not post.is_deleted
        and not post.is_opening
        and _is_author(user, post)
        and can_participate(user, post.thread.community)
    )


def can_accept_answer(user, thread: Thread) -> bool:
    """The asker or a facilitator marks the accepted answer of a question."""
    if thread.kind != Thread.Kind.QUESTION or not can_participate(user, thread.community):
        return False
    return _is_author(user, thread) or can_moderate(user, thread.community)


def can_react(user, post: Post) -> bool:
    """Members thank other people's posts."""
    return not post.is_deleted and not _is_author(user, post) and can_participate(user, post.thread.community)


def can_flag(user, post: Post) -> bool:
    """Any member may flag someone else's post for the facilitators."""
    return not _is_author(user, post) and is_active_member(user, post.thread.community)


def can_follow(user, thread: Thread) -> bool:
    """Active members follow threads."""
    return is_active_member(user, thread.community)


def can_view_revisions(user, post: Post) -> bool:
    """Facilitators see what a post said before each edit."""
    return can_moderate(user, post.thread.community)


def _is_author(user, obj) -> bool:
    return user.is_authenticated and obj.author_id == user.pk


# The rules templates may ask with {% can %}; registered in AppConfig.ready().
RULES = (
    Rule(key="forums.moderate", check=can_moderate),
    Rule(key="forums.read_thread", check=can_read_thread),
    Rule(key="forums.read_post", check=can_read_post),
    Rule(key="forums.start_thread", check=can_start_thread),
    Rule(key="forums.manage_categories", check=can_manage_categories),
    Rule(key="forums.reply", check=can_reply),
    Rule(key="forums.edit_post", check=can_edit_post),
    Rule(key="forums.delete_post", check=can_delete_post),
    Rule(key="forums.accept_answer", check=can_accept_answer),
    Rule(key="forums.react", check=can_react),
    Rule(key="forums.flag", check=can_flag),
    Rule(key="forums.follow", check=can_follow),
    Rule(key="forums.view_revisions", check=can_view_revisions),
)
