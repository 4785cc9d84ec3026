"""Flags and the moderation log, shared by every kind of content (posts today, hot-seat questions later)."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from cop_platform.markup import html_to_text

from .emails import send_after_commit
from .models import Community, Flag, Membership, ModerationAction


def log(
    *,
    community: Community,
    moderator,
    action: str,
    target=None,
    target_user=None,
    summary: str = "",
    summary_html: str = "",
    reason: str = "",
) -> ModerationAction:
    """Write one line of the moderation log: who did what to what, when and why.

    The summary is plain text, as a reader sees the content: pass a post's sanitised HTML as `summary_html` and
    the log keeps its text (no Markdown syntax), on one line, cut at a word."""
    if summary_html:
        summary = html_to_text(summary_html)
    summary = Truncator(" ".join(summary.split())).chars(300)
    return ModerationAction.objects.create(
        community=community,
        moderator=moderator,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_user=target_user,
        summary=summary,
        reason=reason,
    )


def flag_create(*, target, community: Community, reporter, reason: str, note: str = "") -> Flag | None:
    """Report content; a member's second open flag on the same thing is ignored (returns None)."""
    try:
        with transaction.atomic():
            return Flag.objects.create(
                community=community,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                reporter=reporter,
                reason=reason,
                note=note,
            )
    except IntegrityError:
        return None


def flags_resolve(*, target, by, status: str) -> int:
    """Close every open flag on the target as actioned or dismissed; returns how many."""
    return Flag.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk, status=Flag.Status.OPEN
    ).update(status=status, resolved_by=by, resolved_at=timezone.now())


@transaction.atomic
def member_warn(*, membership: Membership, by, reason: str) -> ModerationAction:
    """Warn a member: they get an email with the facilitator's reason, and the warning is logged."""
    community = membership.community
    action = log(
        community=community,
        moderator=by,
        action=ModerationAction.Action.WARN,
        target_user=membership.user,
        summary=membership.user.display_name,
        reason=reason,
    )
    send_after_commit(
        to=membership.user.email,
        subject=f"A note from the facilitators of {community.name}",
        template="moderation_warning",
        context={"community": community, "user": membership.user, "reason": reason},
    )
    return action
