"""Who may do what in the forums. Built on the community roles in communities.permissions."""

from communities.models import Community
from communities.permissions import (
    can_manage_members,
    can_participate,
    can_view_community,
    is_active_member,
    rule,
)

from .models import Category, Post, Thread


@rule("forums.moderate")
def can_moderate(user, community: Community) -> bool:
    """Facilitators, owners and site staff moderate a community's forums."""
    return can_manage_members(user, community)


def can_read_thread(user, thread: Thread) -> bool:
    """Readers of the community see the thread; a thread removed by moderators is for moderators only."""
    if not can_view_community(user, thread.community):
        return False
    return not thread.is_hidden or can_moderate(user, thread.community) or _is_author(user, thread)


@rule("forums.start_thread")
def can_start_thread(user, category: Category) -> bool:
    """Active members start threads in open categories of communities that are not archived."""
    return not category.is_archived and can_participate(user, category.community)


def can_post_kind(user, community: Community, kind: str) -> bool:
    """Announcements are for facilitators; every other kind for any participating member."""
    if kind == Thread.Kind.ANNOUNCEMENT:
        return can_participate(user, community) and can_moderate(user, community)
    return can_participate(user, community)


@rule("forums.manage_categories")
def can_manage_categories(user, community: Community) -> bool:
    """Facilitators add, edit, order and archive categories."""
    return not community.is_archived and can_moderate(user, community)


@rule("forums.reply")
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


@rule("forums.edit_post")
def can_edit_post(user, post: Post) -> bool:
    """Authors edit their own live posts while they are members; moderators edit any."""
    thread = post.thread
    if post.is_deleted or thread.is_closed or thread.community.is_archived:
        return False
    if can_moderate(user, thread.community):
        return True
    return _is_author(user, post) and is_active_member(user, thread.community)


@rule("forums.delete_post")
def can_delete_post(user, post: Post) -> bool:
    """Authors delete their own replies (shown as removed); opening posts go with their thread via moderators."""
    return (
        not post.is_deleted
        and not post.is_opening
        and _is_author(user, post)
        and can_participate(user, post.thread.community)
    )


@rule("forums.accept_answer")
def can_accept_answer(user, thread: Thread) -> bool:
    """The asker or a facilitator marks the accepted answer of a question."""
    if thread.kind != Thread.Kind.QUESTION or not can_participate(user, thread.community):
        return False
    return _is_author(user, thread) or can_moderate(user, thread.community)


@rule("forums.react")
def can_react(user, post: Post) -> bool:
    """Members thank other people's posts."""
    return not post.is_deleted and not _is_author(user, post) and can_participate(user, post.thread.community)


@rule("forums.flag")
def can_flag(user, post: Post) -> bool:
    """Any member may flag someone else's post for the facilitators."""
    return not _is_author(user, post) and is_active_member(user, post.thread.community)


@rule("forums.follow")
def can_follow(user, thread: Thread) -> bool:
    """Active members follow threads."""
    return is_active_member(user, thread.community)


@rule("forums.view_revisions")
def can_view_revisions(user, post: Post) -> bool:
    """Facilitators see what a post said before each edit."""
    return can_moderate(user, post.thread.community)


def _is_author(user, obj) -> bool:
    return user.is_authenticated and obj.author_id == user.pk
