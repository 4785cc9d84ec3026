"""Who may do what with job postings. Views, templates and services all ask these functions.

Active members post (within the daily limit); posters edit, close and once extend their own; facilitators
approve, reject, hide and restore, close anyone's, and change the board's settings. Readers of the community see
live postings; drafts, postings waiting for approval and rejected ones are for their poster and the facilitators;
hidden ones for the facilitators (and their poster, who is told why it is not listed).
"""

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import can_manage_members, can_participate, can_view_community

from .models import Posting

Status = Posting.Status


def _is_poster(user, posting: Posting) -> bool:
    return posting.author_id is not None and posting.author_id == getattr(user, "pk", None)


def can_moderate(user, community: Community) -> bool:
    """Facilitators and owners (and site staff) run the jobs board's queue and settings."""
    return can_manage_members(user, community)


def can_view_posting(user, posting: Posting) -> bool:
    """Readers of the community see live and closed postings; the rest only the poster and the facilitators."""
    community = posting.community
    if not can_view_community(user, community):
        return False
    if can_moderate(user, community):
        return True
    if _is_poster(user, posting):
        return True
    return not posting.is_hidden and posting.status in (Status.LIVE, Status.CLOSED)


def can_post(user, community: Community) -> bool:
    """Active members advertise roles while the community is not archived."""
    return can_participate(user, community)


def can_edit_posting(user, posting: Posting) -> bool:
    """The poster edits their own posting until it closes, while they are still an active member."""
    return (
        _is_poster(user, posting)
        and posting.status in (Status.DRAFT, Status.PENDING, Status.LIVE, Status.REJECTED)
        and not (posting.status == Status.LIVE and posting.has_expired)
        and can_participate(user, posting.community)
    )


def can_close_posting(user, posting: Posting) -> bool:
    """The poster, or a facilitator, closes a posting that is still open."""
    if posting.status not in (Status.DRAFT, Status.PENDING, Status.LIVE) or posting.community.is_archived:
        return False
    return can_moderate(user, posting.community) or (
        _is_poster(user, posting) and can_participate(user, posting.community)
    )


def can_extend_posting(user, posting: Posting) -> bool:
    """The poster moves a live posting's closing date later, once, up to the board's longest closing date."""
    return (
        posting.status == Status.LIVE
        and posting.extended_at is None
        and not posting.has_expired
        and _is_poster(user, posting)
        and can_participate(user, posting.community)
    )


def can_approve_posting(user, posting: Posting) -> bool:
    """Facilitators approve or reject postings that wait for them."""
    return (
        posting.status == Status.PENDING
        and not posting.community.is_archived
        and can_moderate(user, posting.community)
    )


def can_hide_posting(user, posting: Posting) -> bool:
    """Facilitators hide a posting from every list (and restore it)."""
    return not posting.community.is_archived and can_moderate(user, posting.community)


def can_flag_posting(user, posting: Posting) -> bool:
    """Active members report someone else's live posting to the facilitators."""
    return posting.is_live() and not _is_poster(user, posting) and can_participate(user, posting.community)


def can_save_posting(user, posting: Posting) -> bool:
    """Signed-in readers keep live postings on their own list."""
    return user.is_authenticated and posting.is_live() and can_view_posting(user, posting)


def can_apply(user, posting: Posting) -> bool:
    """Anyone who may read a live posting follows its apply link."""
    return posting.is_live() and can_view_posting(user, posting)


def can_save_search(user) -> bool:
    """Signed-in people save searches; alerts reach them only in communities where they are active members."""
    return user.is_authenticated


RULES = (
    Rule(key="jobs.moderate", check=can_moderate),
    Rule(key="jobs.view", check=can_view_posting),
    Rule(key="jobs.post", check=can_post),
    Rule(key="jobs.edit", check=can_edit_posting),
    Rule(key="jobs.close", check=can_close_posting),
    Rule(key="jobs.extend", check=can_extend_posting),
    Rule(key="jobs.approve", check=can_approve_posting),
    Rule(key="jobs.hide", check=can_hide_posting),
    Rule(key="jobs.flag", check=can_flag_posting),
    Rule(key="jobs.save", check=can_save_posting),
    Rule(key="jobs.apply", check=can_apply),
    Rule(key="jobs.save_search", check=can_save_search),
)
