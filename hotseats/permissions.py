"""Who may do what with hot seats. Guest experts get rights to their own hot seat only, and only while it runs."""

from django.utils import timezone

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import can_manage_members, can_participate, can_view_community

from .models import Expert, HotSeat, Question


def expert_for(user, hotseat: HotSeat) -> Expert | None:
    """The user's accepted expert seat in this hot seat (uses a prefetched `experts` when there is one)."""
    if not user.is_authenticated:
        return None
    return next((e for e in hotseat.experts.all() if e.user_id == user.pk and e.accepted_at), None)


def _guest_window_open(hotseat: HotSeat) -> bool:
    return timezone.now() < hotseat.closes_at


def can_view_hotseat(user, hotseat: HotSeat) -> bool:
    """Readers of the community see its hot seats; a guest expert sees their own until it closes."""
    if can_view_community(user, hotseat.community):
        return True
    return _guest_window_open(hotseat) and expert_for(user, hotseat) is not None


def can_read_question(user, question: Question) -> bool:
    """A question not hidden by a facilitator, in a hot seat the user may see (Question.objects.visible_to)."""
    return not question.is_hidden and can_view_hotseat(user, question.hotseat)


def can_schedule(user, community: Community) -> bool:
    """Facilitators schedule and edit hot seats while the community is not archived."""
    return not community.is_archived and can_manage_members(user, community)


def can_moderate(user, hotseat: HotSeat) -> bool:
    """Facilitators hide and merge questions and write the summary."""
    return can_manage_members(user, hotseat.community)


def can_ask(user, hotseat: HotSeat) -> bool:
    """Members ask while it is open, or before it opens when early questions are allowed."""
    state = hotseat.state
    timely = state == HotSeat.State.OPEN or (state == HotSeat.State.SCHEDULED and hotseat.early_questions)
    return timely and can_participate(user, hotseat.community)


def can_vote(user, question: Question) -> bool:
    """Members upvote other people's questions until the hot seat closes."""
    hotseat = question.hotseat
    return (
        not hotseat.is_closed
        and question.asker_id != getattr(user, "pk", None)
        and can_participate(user, hotseat.community)
    )


def can_answer(user, hotseat: HotSeat) -> bool:
    """The hot seat's experts answer while it is open."""
    return hotseat.is_open and not hotseat.community.is_archived and expert_for(user, hotseat) is not None


# The rules templates may ask with {% can %}; registered in AppConfig.ready().
RULES = (
    Rule(key="hotseats.view", check=can_view_hotseat),
    Rule(key="hotseats.read_question", check=can_read_question),
    Rule(key="hotseats.schedule", check=can_schedule),
    Rule(key="hotseats.moderate", check=can_moderate),
    Rule(key="hotseats.ask", check=can_ask),
    Rule(key="hotseats.vote", check=can_vote),
    Rule(key="hotseats.answer", check=can_answer),
)
