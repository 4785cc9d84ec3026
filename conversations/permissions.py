"""Who may message whom, read what, and review reports. Views, templates and services all ask these functions.

A conversation goes through one community: the sender must be able to take part in it (an active member, not
archived) and every recipient must be an active member of it. A member who blocked the sender is out of reach,
and the refusal reads like any other ("you can't message this member"), so the blocked member is not told. The
"Message" buttons (directory, welcome queue, profile) are offered whether or not the person blocked you, so that
a missing button does not tell either, and a page of rows asks nothing about blocks.
Only participants who have not left read a conversation; the community's facilitators see a message only once a
participant reports it, and then only that message.
"""

from django.conf import settings
from django.utils import timezone

from communities.extensions import Rule
from communities.models import Community, Membership
from communities.permissions import active_memberships, can_manage_members, can_participate

from .models import Block, Conversation, Message, MessageReport, Participant


def blocked_by(user) -> set[int]:
    """Ids of the members who blocked `user` (loaded once per user object, so a page of rows asks once)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_blocked_by", None)
    if cached is None:
        cached = user._blocked_by = set(Block.objects.filter(blocked=user).values_list("blocker_id", flat=True))
    return cached


def blocks_of(user) -> set[int]:
    """Ids of the members `user` blocked (loaded once per user object)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_blocks", None)
    if cached is None:
        cached = user._blocks = set(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))
    return cached


def forget_blocks(user) -> None:
    for name in ("_blocked_by", "_blocks"):
        if hasattr(user, name):
            delattr(user, name)


def can_start_in(user, community: Community) -> bool:
    """Active members of a community that is not archived start conversations through it."""
    return user.is_authenticated and can_participate(user, community)


def _own_community(user, community_id: int) -> Community | None:
    """The community, from the user's own (cached) active memberships: rows of a directory cost no query."""
    return next((m.community for m in active_memberships(user) if m.community_id == community_id), None)


def can_message_member(user, membership: Membership) -> bool:
    """Offer to message a fellow active member of a community you take part in (blocks are checked on sending)."""
    if not user.is_authenticated or not membership.is_active or membership.user_id == user.pk:
        return False
    community = _own_community(user, membership.community_id)
    return community is not None and can_start_in(user, community)


def shared_communities(user, person, *, blocks: bool = True) -> list[Community]:
    """Communities through which `user` may message `person`: both active there, `user` taking part, and (unless
    `blocks` is False, for offering the button) `person` has not blocked `user`."""
    if not user.is_authenticated or person.pk == user.pk or (blocks and person.pk in blocked_by(user)):
        return []
    mine = {m.community_id: m.community for m in active_memberships(user) if can_participate(user, m.community)}
    if not mine:
        return []
    theirs = (
        Membership.objects.active()
        .filter(user=person, community_id__in=list(mine))
        .values_list("community_id", flat=True)
    )
    return sorted((mine[pk] for pk in theirs), key=lambda c: c.name)


def can_message_person(user, person) -> bool:
    """Offer to message someone from their profile when you share a community you both take part in."""
    return bool(shared_communities(user, person, blocks=False))


def can_invite_to_answer(user, thread) -> bool:
    """Facilitators invite members to answer an open question of their community."""
    return (
        getattr(thread, "kind", None) == "question"
        and not getattr(thread, "is_locked", False)
        and can_start_in(user, thread.community)
        and can_manage_members(user, thread.community)
    )


INVITE_KIND = "forums.thread"  # the one kind of object the compose page can carry (see `views._about`)


def can_invite_on_topic(user, topic) -> bool:
    """Facilitators invite members to answer a question listed by key on another page (the Today page); the
    question itself is checked again, with `can_invite_to_answer`, when the compose page loads it."""
    community = getattr(topic, "community", None)
    return (
        community is not None
        and str(getattr(topic, "key", "")).startswith(f"{INVITE_KIND}:")
        and can_start_in(user, community)
        and can_manage_members(user, community)
    )


def can_ask_person(user, person) -> bool:
    """Offer to ask a member another app lists as active in `person.community` (the ask-who-knows page): the
    viewer takes part there and is not that member. From the per-user membership cache, so a page of people asks
    no query; blocks are checked on sending, as for the other "Message" buttons."""
    community = getattr(person, "community", None)
    return (
        community is not None
        and user.is_authenticated
        and getattr(person, "user_id", None) not in (None, user.pk)
        and can_start_in(user, community)
    )


def participant_of(user, conversation: Conversation) -> Participant | None:
    """The user's participant row if they take part and have not left."""
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(conversation=conversation, user=user, left_at__isnull=True).first()


def can_reply(user, conversation: Conversation) -> bool:
    """Participants write while they are still active in the conversation's community (and it is not archived)."""
    return can_participate(user, conversation.community)


def is_new_account(user) -> bool:
    """Accounts younger than CONVERSATIONS_NEW_ACCOUNT_DAYS are limited in how many people they message a day."""
    age = timezone.now() - user.date_joined
    return age.days < settings.CONVERSATIONS_NEW_ACCOUNT_DAYS


def can_review_reports(user, community: Community) -> bool:
    """The community's facilitators and owners read messages reported to them."""
    return can_manage_members(user, community)


def can_see_reported(user, report: MessageReport) -> bool:
    """A report, and only the message it names, is for the facilitators of the report's community."""
    return can_review_reports(user, report.community)


def can_report(user, message: Message) -> bool:
    """A participant reports a message someone else wrote."""
    return message.author_id is not None and message.author_id != user.pk


RULES = (
    Rule(key="conversations.start_in", check=can_start_in),
    Rule(key="conversations.message_member", check=can_message_member),
    Rule(key="conversations.message_person", check=can_message_person),
    Rule(key="conversations.invite_to_answer", check=can_invite_to_answer),
    Rule(key="conversations.invite_on_topic", check=can_invite_on_topic),
    Rule(key="conversations.ask_person", check=can_ask_person),
    Rule(key="conversations.review_reports", check=can_review_reports),
)
