"""Reads for the conversation pages, each a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from .models import Block, Message, MessageReport, Participant

PAGE_SIZE = 20


@dataclass
class Window:
    """One page of rows without a COUNT: the row after the page tells whether there is a next one."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 10_000 else 1


def window(queryset, number: int, per_page: int = PAGE_SIZE) -> Window:
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Window(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


def conversation_list(user, number: int) -> Window:
    """The user's conversations, latest message first, each with the others in it (two queries)."""
    page = window(
        Participant.objects.filter(user=user, left_at__isnull=True)
        .select_related("conversation__community")
        .order_by("-conversation__last_message_at", "-conversation_id"),
        number,
    )
    ids = [p.conversation_id for p in page.object_list]
    others: dict[int, list] = {pk: [] for pk in ids}
    if ids:
        for p in (
            Participant.objects.filter(conversation_id__in=ids)
            .exclude(user=user)
            .select_related("user__profile")
            .order_by("joined_at", "pk")
        ):
            others[p.conversation_id].append(p)
    for p in page.object_list:
        p.others = others[p.conversation_id]
    return page


def participants_with_blocks(conversation_id: int, viewer) -> list[Participant]:
    """Everyone in the conversation (the conversation and its community come along), each marked with whether the
    viewer blocked them."""
    return list(
        Participant.objects.filter(conversation_id=conversation_id)
        .select_related("user__profile", "conversation__community")
        .annotate(blocked_by_viewer=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("user_id"))))
        .order_by("joined_at", "pk")
    )


def messages_page(conversation_id: int, viewer, number: int) -> Window:
    """Newest messages first in the query (page 1 is the latest), shown oldest first; members the viewer blocked
    are left out."""
    page = window(
        Message.objects.filter(conversation_id=conversation_id)
        .exclude(author_id__in=Block.objects.filter(blocker=viewer).values("blocked_id"))
        .select_related("author__profile")
        .order_by("-created_at", "-pk"),
        number,
    )
    page.object_list.reverse()
    return page


def open_reports(community, number: int) -> Window:
    """Reports waiting for the community's facilitators, each with only the reported message."""
    return window(
        MessageReport.objects.filter(community=community, status=MessageReport.Status.OPEN)
        .select_related("message__author", "reporter")
        .order_by("-created_at", "-pk"),
        number,
    )
