"""A poll inside a forum thread, through the extension registry only: polls never imports forums.

Forums hosts two slots on its thread page, "forums.thread" for page blocks and for object actions. Polls fills
the first with the thread's poll and offers "Add a poll" in the second. Who may read the thread and take part
in it is forums' answer, asked through its registered rules ("forums.read_thread", "forums.reply").
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from communities import extensions
from communities.extensions import ObjectAction, PageBlock, Rule
from communities.permissions import can_manage_members
from cop_platform.compiled import CompiledQuery

from . import hosts, selectors
from .models import Poll

SLOT = "forums.thread"
_MISSING = object()


@CompiledQuery
def _poll_of(*, host_type_id: int, host_id: int):
    # No joins and no ORDER BY (a thread holds at most one poll), compiled once per process: most threads have none.
    return Poll.objects.filter(host_type_id=host_type_id, host_id=host_id).order_by()[:1]


def thread_poll(thread) -> Poll | None:
    """The thread's poll, looked up once per thread object (the action and the block on one page share it)."""
    cached = getattr(thread, "_attached_poll", _MISSING)
    if cached is _MISSING:
        content_type = ContentType.objects.get_for_model(thread)
        # The block reads the poll's community, which is the thread's.
        found = _poll_of(host_type_id=content_type.pk, host_id=thread.pk)
        cached = found[0] if found else None
        if cached is not None:
            if cached.community_id == thread.community_id:
                cached.community = thread.community
            hosts.set_host_object(cached, thread)
        thread._attached_poll = cached
    return cached


def can_view_thread(user, thread) -> bool:
    return extensions.check("forums.read_thread", user, thread)


def can_take_part(user, thread) -> bool:
    return extensions.check("forums.reply", user, thread)


def can_add_poll(user, thread) -> bool:
    """Facilitators, and the member who started the thread, add one poll to a thread they can reply in."""
    if not user.is_authenticated or thread.community.is_archived:
        return False
    if not (can_manage_members(user, thread.community) or thread.author_id == user.pk):
        return False
    return can_take_part(user, thread) and thread_poll(thread) is None


def thread_block(thread, user) -> dict | None:
    poll = thread_poll(thread)
    if poll is None:
        return None
    return {"view": selectors.poll_view(user, poll), "in_host": True, "link": True}


def add_poll_url(thread) -> str:
    return f"{reverse('polls:poll_create', args=[thread.community.slug])}?thread={thread.pk}"


def load_thread(pk):
    """The thread with this key, loaded through its content type (None if there is none)."""
    content_type = ContentType.objects.get_by_natural_key("forums", "thread")
    return content_type.get_all_objects_for_this_type(pk=pk).select_related("community").first()


HOST = hosts.HostType(can_view=can_view_thread, can_take_part=can_take_part, can_attach=can_add_poll, label="thread")

EXTENSIONS = (
    Rule(key="polls.add_to_thread", check=can_add_poll),
    PageBlock(key="polls.thread_poll", slot=SLOT, template="polls/_poll.html", context=thread_block),
    ObjectAction(key="polls.add_poll", slot=SLOT, label="Add a poll", url=add_poll_url, rule="polls.add_to_thread"),
)
