"""Writes that touch several rows: membership flows, invitations and welcomes."""

import re
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cop_platform.markup import html_to_text, render_markdown_safe

from . import activity, moderation, permissions, selectors
from .emails import send_after_commit
from .extensions import CommunitySetup, CommunityTab, registered
from .models import (
    ActivityEvent,
    Community,
    CommunityVisit,
    Invitation,
    Membership,
    ModerationAction,
    Segment,
    Theme,
)

Verb = ActivityEvent.Verb
Status = Membership.Status
Role = Membership.Role


class MembershipError(Exception):
    """A membership action that the rules do not allow; the message is shown to the user."""


# --- Communities ---------------------------------------------------------------------------------------------


@transaction.atomic
def community_create(*, creator, **fields) -> Community:
    """Create a community with its creator as first owner, and what each app gives a new community to start."""
    community = Community.objects.create(created_by=creator, **fields)
    Membership.objects.create(
        user=creator,
        community=community,
        role=Role.OWNER,
        status=Status.ACTIVE,
        joined_at=timezone.now(),
        welcomed_at=timezone.now(),  # founders need no welcome; a blank method keeps them out of the record
    )
    permissions.forget_memberships(creator)
    for setup in registered(CommunitySetup):
        setup.setup(community)
    activity.record(community=community, actor=creator, verb=Verb.COMMUNITY_CREATED, target=community)
    return community


@transaction.atomic
def waiting_recount(*, community: Community) -> dict[str, int]:
    """Recount what waits behind the community's counted tabs (join requests, the moderation queue...).

    Every service that adds to or clears such a queue calls this last, in its own transaction; the row lock makes
    concurrent changes count in turn, so the stored figures are what the next page shows, at no query.
    """
    Community.objects.select_for_update().filter(pk=community.pk).values_list("pk", flat=True).first()
    counts = selectors.count_all({tab.key: tab.count(community) for tab in registered(CommunityTab) if tab.count})
    Community.objects.filter(pk=community.pk).update(waiting=counts)
    community.waiting = counts
    return counts


def waiting_sync(*, community: Community, key: str, count: int) -> None:
    """A queue page just counted its rows: store the figure if it drifted (a change some path did not count)."""
    if (community.waiting or {}).get(key, 0) != count:
        waiting_recount(community=community)


LAST_VISIT_GRANULARITY = timedelta(minutes=5)


def membership_record_visit(*, membership: Membership, now=None) -> None:
    """Note a member's visit for "new since your last visit", at most every few minutes (one UPDATE), and their
    first visit of the day for the engagement charts of newsletter reports (one row per member and day)."""
    now = now or timezone.now()
    last = membership.last_visit_at
    if last is not None and now - last <= LAST_VISIT_GRANULARITY:
        return
    Membership.objects.filter(pk=membership.pk).update(last_visit_at=now)
    if last is None or timezone.localdate(last) != timezone.localdate(now):
        CommunityVisit.objects.bulk_create(
            [
                CommunityVisit(
                    community_id=membership.community_id, user_id=membership.user_id, day=timezone.localdate(now)
                )
            ],
            ignore_conflicts=True,
        )


# --- Joining -------------------------------------------------------------------------------------------------


def _activate(membership: Membership, *, role: str = Role.MEMBER) -> None:
    membership.status = Status.ACTIVE
    membership.role = role
    membership.joined_at = timezone.now()


@transaction.atomic
def membership_join(*, user, community: Community) -> Membership:
    """Join an open community at once."""
    if not permissions.can_join(user, community):
        raise MembershipError("You cannot join this community.")
    membership, _ = Membership.objects.select_for_update().get_or_create(user=user, community=community)
    _activate(membership)
    membership.save()
    permissions.forget_memberships(user)
    activity.record(community=community, actor=user, verb=Verb.JOINED, target=membership)
    return membership


@transaction.atomic
def membership_request(*, user, community: Community, message: str) -> Membership:
    """Ask to join an approval-required community; facilitators decide."""
    if not permissions.can_request_to_join(user, community):
        raise MembershipError("You cannot ask to join this community.")
    membership, _ = Membership.objects.select_for_update().get_or_create(
        user=user, community=community, defaults={"status": Status.PENDING}
    )
    membership.status = Status.PENDING
    membership.request_message = message
    membership.created_at = timezone.now()
    membership.decided_at = None
    membership.decided_by = None
    membership.decision_note = ""
    membership.save()
    permissions.forget_memberships(user)
    activity.record(community=community, actor=user, verb=Verb.REQUESTED, target=membership)
    waiting_recount(community=community)
    return membership


def _decide(membership: Membership, *, by, note: str, approve: bool) -> Membership:
    locked = Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)
    if locked.status != Status.PENDING:
        raise MembershipError("That request has already been decided.")
    if approve:
        _activate(locked)
    else:
        locked.status = Status.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save()
    community = locked.community
    activity.record(community=community, actor=by, verb=Verb.APPROVED if approve else Verb.DECLINED, target=locked)
    send_after_commit(
        to=locked.user.email,
        subject=f"Your request to join {community.name}" + (" was approved" if approve else ""),
        template="membership_approved" if approve else "membership_declined",
        context={"membership": locked, "community": community, "note": note, "user": locked.user},
    )
    waiting_recount(community=community)
    return locked


@transaction.atomic
def membership_approve(*, membership: Membership, by, note: str = "") -> Membership:
    """Approve a pending request: the member is in, and is emailed."""
    return _decide(membership, by=by, note=note, approve=True)


@transaction.atomic
def membership_decline(*, membership: Membership, by, note: str = "") -> Membership:
    """Decline a pending request: the requester is emailed, with the note if one was given."""
    return _decide(membership, by=by, note=note, approve=False)


@transaction.atomic
def membership_leave(*, user, community: Community) -> Membership:
    """Leave a community; owners must hand over first."""
    if not permissions.can_leave(user, community):
        raise MembershipError("Owners hand over ownership before leaving.")
    membership = Membership.objects.select_for_update().get(user=user, community=community)
    membership.status = Status.LEFT
    membership.role = Role.MEMBER
    membership.save(update_fields=["status", "role"])
    permissions.forget_memberships(user)
    activity.record(community=community, actor=user, verb=Verb.LEFT, target=membership)
    return membership


@transaction.atomic
def membership_ban(*, membership: Membership, by, reason: str = "") -> Membership:
    """Ban a member: they lose access and cannot rejoin until the ban is lifted; the moderation log says so."""
    if not permissions.can_ban(by, membership):
        raise MembershipError("You cannot ban this member.")
    membership.status = Status.BANNED
    membership.role = Role.MEMBER
    membership.decision_note = reason
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "role", "decision_note", "decided_by", "decided_at"])
    activity.record(community=membership.community, actor=by, verb=Verb.BANNED, target=membership, reason=reason)
    moderation.log(
        community=membership.community,
        moderator=by,
        action=ModerationAction.Action.BAN,
        target_user=membership.user,
        summary=membership.user.display_name,
        reason=reason,
    )
    waiting_recount(community=membership.community)
    return membership


@transaction.atomic
def membership_unban(*, membership: Membership, by) -> Membership:
    """Lift a ban; the person may ask to join (or join) again."""
    if membership.status != Status.BANNED or not permissions.can_manage_members(by, membership.community):
        raise MembershipError("You cannot lift this ban.")
    membership.status = Status.LEFT
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    activity.record(community=membership.community, actor=by, verb=Verb.UNBANNED, target=membership)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, by, role: str) -> Membership:
    """Owners promote or demote other members; a community always keeps at least one owner."""
    if not permissions.can_change_role(by, membership):
        raise MembershipError("You cannot change this member's role.")
    if membership.role == Role.OWNER and role != Role.OWNER:
        # Lock the owner rows themselves (FOR UPDATE is dropped from COUNT queries) so two owners demoting
        # each other at once cannot leave the community ownerless.
        owners = list(
            Membership.objects.select_for_update().active().filter(community=membership.community_id, role=Role.OWNER)
        )
        if len(owners) <= 1:
            raise MembershipError("A community needs at least one owner.")
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    activity.record(
        community=membership.community,
        actor=by,
        verb=Verb.ROLE_CHANGED,
        target=membership,
        old_role=old_role,
        new_role=role,
    )
    return membership


def parse_segment_names(text: str) -> list[str]:
    """Comma-separated segment names, trimmed, de-duplicated case-insensitively, in the order given."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())[:60]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


@transaction.atomic
def membership_set_segments(*, membership: Membership, names: list[str]) -> Membership:
    """Put a member in exactly these segments, creating any the community does not have yet."""
    existing = {s.name.lower(): s for s in Segment.objects.filter(community=membership.community_id)}
    segments = []
    for name in names:
        segment = existing.get(name.lower())
        if segment is None:
            segment = Segment.objects.create(community_id=membership.community_id, name=name)
            existing[name.lower()] = segment
        segments.append(segment)
    membership.segments.set(segments)
    return membership


# --- Themes ---------------------------------------------------------------------------------------------------


@transaction.atomic
def theme_save(*, community: Community, by, theme: Theme | None = None, **fields) -> Theme:
    """Plan a new theme for the community, or change one (facilitators, while the community is not archived)."""
    if not permissions.can_manage_themes(by, community):
        raise MembershipError("Only facilitators plan themes.")
    theme = theme or Theme(community=community, created_by=by)
    for name, value in fields.items():
        setattr(theme, name, value)
    theme.community = community
    theme.save()
    return theme


# --- Invitations ---------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, community: Community, email: str, by, message: str = "") -> Invitation:
    """Invite an email address; existing active members are refused with a clear message."""
    email = email.strip().lower()
    if Membership.objects.active().filter(community=community, user__email__iexact=email).exists():
        raise MembershipError(f"{email} is already a member of {community.name}.")
    Invitation.objects.outstanding().filter(community=community, email__iexact=email).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        community=community,
        email=email,
        message=message,
        invited_by=by,
        expires_at=timezone.now() + settings.INVITATION_LIFETIME,
    )
    activity.record(community=community, actor=by, verb=Verb.INVITED, target=invitation)
    send_after_commit(
        to=email,
        subject=f"{by.display_name} invited you to join {community.name}",
        template="invitation",
        context={"invitation": invitation, "community": community, "inviter": by},
    )
    return invitation


def invitation_problem(invitation: Invitation, user) -> str | None:
    """Why this user cannot accept this invitation, or None if they can."""
    if invitation.revoked_at is not None:
        return "This invitation was withdrawn. Ask a facilitator for a new one."
    if invitation.accepted_at is not None:
        # A double submit by the person who used it is harmless; after a ban or leaving, the link is spent.
        if (
            invitation.accepted_by_id == user.pk
            and Membership.objects.active().filter(user=user, community=invitation.community_id).exists()
        ):
            return None
        return "This invitation has already been used."
    if invitation.is_expired:
        return "This invitation has expired. Ask a facilitator for a new one."
    if user.email.lower() != invitation.email.lower():
        return (
            f"This invitation was sent to {invitation.email}, but you are signed in as {user.email}. "
            "Sign in with the invited address to accept it."
        )
    membership = permissions.membership_for(user, invitation.community)
    if membership is not None and membership.status == Status.BANNED:
        return "You cannot join this community."
    if invitation.community.is_archived:
        return "This community is archived and no longer takes new members."
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Use a single-use invitation: the invited person becomes an active member."""
    invitation = Invitation.objects.select_for_update().select_related("community").get(pk=invitation.pk)
    problem = invitation_problem(invitation, user)
    if problem:
        raise MembershipError(problem)
    community = invitation.community
    membership, created = Membership.objects.select_for_update().get_or_create(user=user, community=community)
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created or not membership.is_active:  # a new row is born active by default but has not joined yet
        _activate(membership)
        membership.save()
        activity.record(community=community, actor=user, verb=Verb.JOINED, target=membership, via="invitation")
        waiting_recount(community=community)
    permissions.forget_memberships(user)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Withdraw an invitation that has not been used yet."""
    if invitation.accepted_at is not None:
        raise MembershipError(f"{invitation.email} already accepted this invitation.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# --- Welcomes ------------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def welcome_fill(template: str, *, membership: Membership, facilitator_name: str) -> str:
    """Fill a welcome template's {placeholders}; unknown ones are left as typed."""
    user = membership.user
    profile = getattr(user, "profile", None)
    expertise = ", ".join(t.name for t in profile.expertise.all()) if profile else ""
    values = {
        "first_name": user.first_name or user.display_name,
        "full_name": user.display_name,
        "community": membership.community.name,
        "facilitator": facilitator_name,
        "organisation": profile.organisation if profile else "",
        "expertise": expertise,
        "expertise_line": f", and we would love to hear what you know about {expertise}" if expertise else "",
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def welcome_draft(*, membership: Membership, facilitator) -> str:
    """The community's welcome template filled for this newcomer, signed by the facilitator."""
    return welcome_fill(
        membership.community.welcome_template, membership=membership, facilitator_name=facilitator.display_name
    )


def welcome_send(*, membership: Membership, by, body: str, method: str = Membership.WelcomeMethod.PERSONAL) -> bool:
    """Welcome a newcomer once: store the message for their home page, email it, and record who and when.

    Returns False if someone else welcomed them first (two facilitators, or the automatic sweep, racing).
    """
    with transaction.atomic():
        now = timezone.now()
        html = render_markdown_safe(body)
        claimed = Membership.objects.filter(pk=membership.pk, status=Status.ACTIVE, welcomed_at__isnull=True).update(
            welcomed_at=now, welcomed_by=by, welcome_method=method, welcome_html=html
        )
        if not claimed:
            return False
        community = membership.community
        activity.record(community=community, actor=by, verb=Verb.WELCOMED, target=membership, method=method)
        send_after_commit(
            to=membership.user.email,
            subject=f"Welcome to {community.name}",
            template="welcome",
            context={
                "community": community,
                "body_html": html,
                "body_text": html_to_text(html),
                "user": membership.user,
            },
        )
    return True


def send_overdue_welcomes(now=None) -> int:
    """Send the template welcome to every active member still unwelcomed after their community's target time."""
    now = now or timezone.now()
    sent = 0
    waiting = Membership.objects.awaiting_welcome().filter(joined_at__isnull=False)
    # Each community has its own target, so the cut-off is applied per community in SQL: a run every few minutes
    # reads only the members who are actually overdue, not everyone still inside their welcome window.
    for community in Community.objects.filter(pk__in=waiting.values("community_id")):
        overdue = (
            waiting.filter(community=community, joined_at__lte=now - community.welcome_target)
            .select_related("community", "user__profile")
            .prefetch_related("user__profile__expertise")
        )
        signer = None
        for membership in overdue.iterator(chunk_size=200):
            if signer is None:
                lead = (
                    Membership.objects.active()
                    .staff_roles()
                    .filter(community=community)
                    .select_related("user")
                    .order_by("role", "joined_at")  # facilitators sign before owners
                    .first()
                )
                signer = lead.user.display_name if lead else f"The {community.name} team"
            body = welcome_fill(community.welcome_template, membership=membership, facilitator_name=signer)
            if welcome_send(membership=membership, by=None, body=body, method=Membership.WelcomeMethod.AUTOMATIC):
                sent += 1
    return sent


@dataclass(frozen=True)
class WelcomeRecord:
    welcomed: int
    personal: int
    automatic: int
    waiting: int
    median_wait: timedelta | None

    @property
    def personal_share(self) -> int | None:
        return round(100 * self.personal / self.welcomed) if self.welcomed else None


def welcome_record(community: Community, *, waiting: int | None = None) -> WelcomeRecord:
    """How well the community welcomes newcomers: median time to welcome and the personal share.

    `waiting` may be passed when the caller has already counted the queue.
    """
    rows = list(
        Membership.objects.filter(
            community=community,
            joined_at__isnull=False,
            welcomed_at__isnull=False,
            welcome_method__in=Membership.WelcomeMethod.values,
        ).values_list("joined_at", "welcomed_at", "welcome_method")
    )
    waits = [max(welcomed - joined, timedelta(0)) for joined, welcomed, _ in rows]
    if waiting is None:
        waiting = Membership.objects.awaiting_welcome().filter(community=community).count()
    personal = sum(1 for *_, method in rows if method == Membership.WelcomeMethod.PERSONAL)
    return WelcomeRecord(
        welcomed=len(rows),
        personal=personal,
        automatic=len(rows) - personal,
        waiting=waiting,
        median_wait=statistics.median(waits) if waits else None,
    )
