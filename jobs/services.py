"""Writes on the jobs board: each service is one transaction with its activity event, moderation log line,
search document and emails (sent after commit)."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities import activity, moderation, search
from communities.emails import send_after_commit
from communities.models import Community, Flag, ModerationAction
from communities.permissions import can_manage_members

from . import permissions
from .activity import Verb
from .models import JobSearch, JobSettings, Posting, SavedPosting

Status = Posting.Status
Action = ModerationAction.Action
REMINDER_DAYS = 2
ARCHIVE_AFTER = timedelta(days=90)


class JobsError(Exception):
    """A write the rules refuse; the message is shown to the user."""


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    """Tags as typed (comma-separated), trimmed, at most 60 characters each, no duplicates, at most 12."""
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned = [" ".join(str(t).split())[:60] for t in tags]
    return list(dict.fromkeys(t for t in cleaned if t))[:12]


def latest_closing_date(community: Community, today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=JobSettings.of(community).max_days)


def index_posting(posting: Posting) -> None:
    """Keep the posting's search document: findable only while live (hidden otherwise)."""
    search.index(
        target=posting,
        community=posting.community,
        kind="job",
        title=f"{posting.title} at {posting.employer}",
        body=f"{posting.location} {posting.salary_text} {posting.description_html}",
        tags=list(posting.tags.names()),
        url=posting.get_absolute_url(),
        author=posting.author,
        created_at=posting.published_at or posting.created_at,
        is_hidden=not posting.is_live(),
    )


def needs_approval(*, community: Community, author) -> bool:
    """Postings wait for a facilitator when the community asks for it, and a member's first posting always does;
    facilitators' own postings never wait."""
    if can_manage_members(author, community):
        return False
    if JobSettings.of(community).require_approval:
        return True
    return not Posting.objects.filter(community=community, author=author, published_at__isnull=False).exists()


def _check_daily_limit(*, community: Community, author) -> None:
    if can_manage_members(author, community):
        return
    limit = JobSettings.of(community).daily_limit
    recent = Posting.objects.filter(
        community=community, author=author, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    if recent >= limit:
        raise JobsError(
            f"You have added {recent} postings in the last 24 hours, the most this community allows. "
            "Please try again tomorrow."
        )


def _go_live(posting: Posting, *, now) -> None:
    posting.status = Status.LIVE
    posting.published_at = now
    posting.rejection_reason = ""
    posting.save(update_fields=["status", "published_at", "rejection_reason"])
    activity.record(community=posting.community, actor=posting.author, verb=Verb.POSTING_PUBLISHED, target=posting)


def _submit(posting: Posting) -> None:
    """Send a draft (or a rejected posting) on: live at once, or to the approval queue."""
    now = timezone.now()
    if needs_approval(community=posting.community, author=posting.author):
        posting.status = Status.PENDING
        posting.save(update_fields=["status"])
        activity.record(community=posting.community, actor=posting.author, verb=Verb.POSTING_SUBMITTED, target=posting)
    else:
        _go_live(posting, now=now)


@transaction.atomic
def posting_create(
    *, community: Community, author, tags: Iterable[str] = (), publish: bool = True, **fields
) -> Posting:
    """A member advertises a role: saved as a draft, or sent on (live, or waiting for approval)."""
    if not permissions.can_post(author, community):
        raise JobsError("Only active members advertise jobs here.")
    _check_daily_limit(community=community, author=author)
    posting = Posting(community=community, author=author, **fields)
    posting.save()
    posting.tags.set(clean_tags(tags))
    if publish:
        _submit(posting)
    index_posting(posting)
    return posting


@transaction.atomic
def posting_update(
    *, posting: Posting, by, tags: Iterable[str] | None = None, publish: bool = False, **fields
) -> Posting:
    """The poster edits their posting; a draft or a rejected posting may be sent on at the same time."""
    if not permissions.can_edit_posting(by, posting):
        raise JobsError("You cannot edit this posting.")
    for name, value in fields.items():
        setattr(posting, name, value)
    posting.save()
    if tags is not None:
        posting.tags.set(clean_tags(tags))
    if publish and posting.status in (Status.DRAFT, Status.REJECTED):
        _submit(posting)
    index_posting(posting)
    return posting


@transaction.atomic
def posting_close(*, posting: Posting, by) -> Posting:
    """The poster (or a facilitator) stops taking applications now."""
    if not permissions.can_close_posting(by, posting):
        raise JobsError("You cannot close this posting.")
    posting.status, posting.closed_at = Status.CLOSED, timezone.now()
    posting.save(update_fields=["status", "closed_at"])
    if posting.author_id != by.pk:
        moderation.log(
            community=posting.community,
            moderator=by,
            action=Action.CLOSE,
            target=posting,
            target_user=posting.author,
            summary=posting.title,
        )
    index_posting(posting)
    return posting


@transaction.atomic
def posting_extend(*, posting: Posting, by, closes_on: date) -> Posting:
    """Move a live posting's closing date later, once, up to the board's longest closing date."""
    if not permissions.can_extend_posting(by, posting):
        raise JobsError("This posting cannot be extended.")
    if closes_on <= posting.closes_on:
        raise JobsError("Choose a date after the current closing date.")
    if closes_on > latest_closing_date(posting.community):
        raise JobsError(f"The closing date can be at most {latest_closing_date(posting.community):%-d %B %Y}.")
    posting.closes_on, posting.extended_at = closes_on, timezone.now()
    posting.save(update_fields=["closes_on", "extended_at"])
    index_posting(posting)
    return posting


def _require_moderator(by, community: Community) -> None:
    if not permissions.can_moderate(by, community):
        raise JobsError("Only facilitators moderate the jobs board.")


@transaction.atomic
def posting_approve(*, posting: Posting, by) -> Posting:
    """A facilitator lets a waiting posting go live; logged; alerts follow."""
    if not permissions.can_approve_posting(by, posting):
        raise JobsError("This posting is not waiting for approval.")
    _go_live(posting, now=timezone.now())
    moderation.log(
        community=posting.community,
        moderator=by,
        action=Action.APPROVE,
        target=posting,
        target_user=posting.author,
        summary=posting.title,
    )
    index_posting(posting)
    return posting


@transaction.atomic
def posting_reject(*, posting: Posting, by, reason: str) -> Posting:
    """A facilitator turns a waiting posting down with a reason, which the poster is emailed; logged."""
    if not permissions.can_approve_posting(by, posting):
        raise JobsError("This posting is not waiting for approval.")
    reason = reason.strip()
    if not reason:
        raise JobsError("Say why, so the poster can put it right.")
    posting.status, posting.rejection_reason = Status.REJECTED, reason
    posting.save(update_fields=["status", "rejection_reason"])
    moderation.log(
        community=posting.community,
        moderator=by,
        action=Action.REJECT,
        target=posting,
        target_user=posting.author,
        summary=posting.title,
        reason=reason,
    )
    if posting.author is not None and posting.author.email:
        send_after_commit(
            to=posting.author.email,
            subject=f"Your job posting “{posting.title}” was not approved",
            template="jobs_posting_rejected",
            context={"posting": posting, "community": posting.community, "reason": reason},
        )
    index_posting(posting)
    return posting


@transaction.atomic
def posting_set_hidden(*, posting: Posting, by, hidden: bool, reason: str = "") -> Posting:
    """Hide a posting from every list, search and feed (or bring it back); flags on it are actioned; logged."""
    if not permissions.can_hide_posting(by, posting):
        raise JobsError("Only facilitators hide postings.")
    posting.is_hidden = hidden
    posting.save(update_fields=["is_hidden"])
    if hidden:
        moderation.flags_resolve(target=posting, by=by, status=Flag.Status.ACTIONED)
    moderation.log(
        community=posting.community,
        moderator=by,
        action=Action.HIDE if hidden else Action.RESTORE,
        target=posting,
        target_user=posting.author,
        summary=posting.title,
        reason=reason,
    )
    index_posting(posting)
    return posting


@transaction.atomic
def flag_create(*, posting: Posting, reporter, reason: str, note: str = "") -> Flag | None:
    """A member reports a posting to the facilitators (a second open flag from them is ignored)."""
    if not permissions.can_flag_posting(reporter, posting):
        raise JobsError("You cannot flag this posting.")
    flag = moderation.flag_create(
        target=posting, community=posting.community, reporter=reporter, reason=reason, note=note
    )
    if flag is not None:
        activity.record(
            community=posting.community, actor=reporter, verb=Verb.POSTING_FLAGGED, target=posting, flag_id=flag.pk
        )
    return flag


@transaction.atomic
def flags_dismiss(*, posting: Posting, by, reason: str = "") -> int:
    """Close the open flags on a posting without acting on it; logged."""
    _require_moderator(by, posting.community)
    count = moderation.flags_resolve(target=posting, by=by, status=Flag.Status.DISMISSED)
    moderation.log(
        community=posting.community,
        moderator=by,
        action=Action.DISMISS_FLAG,
        target=posting,
        target_user=posting.author,
        summary=posting.title,
        reason=reason,
    )
    return count


def apply_click(*, posting: Posting) -> None:
    """Count one use of the apply action (one UPDATE; concurrent clicks are not lost)."""
    Posting.objects.filter(pk=posting.pk).update(apply_clicks=F("apply_clicks") + 1)


def saved_toggle(*, posting: Posting, user, save: bool) -> None:
    """Keep a posting on the member's own list, or take it off."""
    if save:
        if not permissions.can_save_posting(user, posting):
            raise JobsError("You cannot save this posting.")
        SavedPosting.objects.get_or_create(user=user, posting=posting)
    else:
        SavedPosting.objects.filter(user=user, posting=posting).delete()


def search_save(
    *, user, name: str, community: Community | None, tags: str, working_pattern: str, location: str
) -> JobSearch:
    """Save a search whose new matches reach the member as "jobs" alerts."""
    if not permissions.can_save_search(user):
        raise JobsError("Sign in to save a search.")
    return JobSearch.objects.create(
        user=user,
        name=name.strip()[:100] or "My job search",
        community=community,
        tags=", ".join(clean_tags(tags)),
        working_pattern=working_pattern,
        location=" ".join(location.split())[:100],
    )


@transaction.atomic
def settings_save(*, community: Community, by, **fields) -> JobSettings:
    """Facilitators change the board's settings (approval, longest closing date, daily limit)."""
    _require_moderator(by, community)
    job_settings, _ = JobSettings.objects.update_or_create(community=community, defaults=fields)
    return job_settings


# --- The daily task ------------------------------------------------------------------------------------------


def close_expired(now=None) -> int:
    """Mark postings past their closing instant closed (lists already leave them out by query); idempotent."""
    now = now or timezone.now()
    count = 0
    for posting in Posting.objects.filter(status=Status.LIVE, closes_at__lte=now).select_related(
        "community", "author"
    ):
        with transaction.atomic():
            updated = Posting.objects.filter(pk=posting.pk, status=Status.LIVE).update(
                status=Status.CLOSED, closed_at=posting.closes_at
            )
            if updated:
                posting.status = Status.CLOSED
                index_posting(posting)
                count += 1
    Posting.objects.filter(status=Status.CLOSED, closed_at__lte=now - ARCHIVE_AFTER).update(status=Status.ARCHIVED)
    return count


def send_closing_reminders(now=None) -> int:
    """Two days before closing, email each poster once: extend (if they still can) or close. A posting is claimed
    by stamping `reminder_sent_at` in the same transaction that stores the email, so a second run sends nothing."""
    now = now or timezone.now()
    due = Posting.objects.filter(
        status=Status.LIVE,
        is_hidden=False,
        reminder_sent_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + timedelta(days=REMINDER_DAYS),
        author__isnull=False,
    ).select_related("community", "author")
    sent = 0
    for posting in due:
        with transaction.atomic():
            claimed = Posting.objects.filter(pk=posting.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            send_after_commit(
                to=posting.author.email,
                subject=f"Your job posting “{posting.title}” closes soon",
                template="jobs_closing_soon",
                context={
                    "posting": posting,
                    "community": posting.community,
                    "can_extend": posting.extended_at is None,
                    "latest": latest_closing_date(posting.community, timezone.localdate(now)),
                },
            )
            sent += 1
    return sent
