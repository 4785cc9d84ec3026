"""Who may see and do what in a community. Every view, template and later app asks these functions.

Role lookups load all of a user's memberships once per user object and keep them on it, so a page that asks
many questions about many communities still costs one query.
"""

from cop_platform.compiled import CompiledQuery

from .extensions import Rule
from .models import Community, Membership

Role = Membership.Role
Status = Membership.Status
MANAGER_ROLES = frozenset({Role.FACILITATOR, Role.OWNER})


@CompiledQuery
def _user_memberships(*, user_id: int):
    # The community comes along so the header menu can list "my communities" without another query.
    return Membership.objects.filter(user_id=user_id).select_related("community")


def _memberships(user) -> dict[int, Membership]:
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_community_memberships", None)
    if cached is None:
        cached = {m.community_id: m for m in _user_memberships(user_id=user.pk)}
        user._community_memberships = cached
    return cached


def forget_memberships(user) -> None:
    """Drop the cached memberships after a service changed them."""
    if hasattr(user, "_community_memberships"):
        del user._community_memberships


def active_memberships(user) -> list[Membership]:
    """The user's active memberships (with their communities), from the per-user cache."""
    return sorted((m for m in _memberships(user).values() if m.is_active), key=lambda m: m.community.name)


def membership_for(user, community: Community) -> Membership | None:
    """The user's membership row in the community, whatever its status."""
    return _memberships(user).get(community.pk)


def role_in(user, community: Community) -> str | None:
    """The user's role if they are an active member, else None."""
    membership = membership_for(user, community)
    return membership.role if membership is not None and membership.is_active else None


def is_site_staff(user) -> bool:
    return user.is_authenticated and user.is_staff


def is_active_member(user, community: Community) -> bool:
    return role_in(user, community) is not None


def can_view_community(user, community: Community) -> bool:
    """Anyone reads a public community; private and hidden ones are for active members (and site staff)."""
    return (
        community.visibility == Community.Visibility.PUBLIC or is_active_member(user, community) or is_site_staff(user)
    )


def can_see_landing(user, community: Community) -> bool:
    """Hidden communities do not exist for anyone but their members, applicants and site staff."""
    if community.visibility != Community.Visibility.HIDDEN or is_site_staff(user):
        return True
    membership = membership_for(user, community)
    return membership is not None and membership.status in (Status.ACTIVE, Status.PENDING)


def can_participate(user, community: Community) -> bool:
    """Active members take part unless the community is archived (read-only)."""
    return not community.is_archived and is_active_member(user, community)


def participation_refusal(user, community: Community) -> str | None:
    """Why the user may not take part in the community, in words for them; None when they may
    (the reasons behind `can_participate`, most telling first)."""
    if community.is_archived:
        return f"{community.name} is archived and read-only: nothing new can be posted."
    membership = membership_for(user, community)
    if membership is not None and membership.status == Status.BANNED:
        return f"You have been removed from {community.name}, so you cannot post here."
    if membership is not None and membership.status == Status.PENDING:
        return f"Your request to join {community.name} is waiting for a facilitator; you can post once it is approved."
    if not is_active_member(user, community):
        return f"Only members of {community.name} can post here. Join the community first."
    return None


def _may_start_joining(user, community: Community) -> bool:
    if not user.is_authenticated or community.is_archived:
        return False
    membership = membership_for(user, community)
    return membership is None or membership.status in (Status.LEFT, Status.DECLINED)


def can_join(user, community: Community) -> bool:
    """Open communities take any signed-in person who is not banned and not already in."""
    return community.join_policy == Community.JoinPolicy.OPEN and _may_start_joining(user, community)


def can_request_to_join(user, community: Community) -> bool:
    """Approval communities take requests from signed-in people not already in, pending or banned."""
    return community.join_policy == Community.JoinPolicy.APPROVAL and _may_start_joining(user, community)


def can_leave(user, community: Community) -> bool:
    """Active members may leave; owners hand over ownership first."""
    return role_in(user, community) in (Role.MEMBER, Role.FACILITATOR)


def can_manage_members(user, community: Community) -> bool:
    """Facilitators and owners approve, welcome, invite, segment and ban; so does site staff."""
    return role_in(user, community) in MANAGER_ROLES or is_site_staff(user)


def can_invite(user, community: Community) -> bool:
    """Managers invite people while the community is not archived."""
    return not community.is_archived and can_manage_members(user, community)


def can_edit_community(user, community: Community) -> bool:
    """Owners (and site staff) change a community's settings."""
    return role_in(user, community) == Role.OWNER or is_site_staff(user)


def can_view_directory(user, community: Community) -> bool:
    """The member directory is for the community's active members and site staff."""
    return is_active_member(user, community) or is_site_staff(user)


def can_create_community(user) -> bool:
    """Site staff create communities."""
    return is_site_staff(user)


def can_administer_site(user) -> bool:
    """Site staff use the Django admin."""
    return is_site_staff(user)


def can_manage_themes(user, community: Community) -> bool:
    """Facilitators plan themes while the community is not archived."""
    return not community.is_archived and can_manage_members(user, community)


def can_ban(user, target: Membership) -> bool:
    """Managers ban members; only owners and staff ban facilitators; nobody bans an owner or themselves."""
    community = target.community
    if target.user_id == getattr(user, "pk", None) or target.role == Role.OWNER:
        return False
    if target.role == Role.FACILITATOR:
        return role_in(user, community) == Role.OWNER or is_site_staff(user)
    return can_manage_members(user, community)


def can_change_role(user, target: Membership) -> bool:
    """Owners and site staff change the roles of other active members."""
    return (
        target.user_id != getattr(user, "pk", None) and target.is_active and can_edit_community(user, target.community)
    )


def can_hand_over_ownership(user, target: Membership) -> bool:
    """An owner may hand ownership to another active member who is not an owner yet."""
    return (
        target.user_id != getattr(user, "pk", None)
        and target.is_active
        and target.role != Role.OWNER
        and role_in(user, target.community) == Role.OWNER
    )


# The rules templates may ask with {% can %}; registered by CommunitiesConfig.ready().
RULES = (
    Rule(key="communities.view", check=can_view_community),
    Rule(key="communities.see_landing", check=can_see_landing),
    Rule(key="communities.participate", check=can_participate),
    Rule(key="communities.join", check=can_join),
    Rule(key="communities.request_to_join", check=can_request_to_join),
    Rule(key="communities.leave", check=can_leave),
    Rule(key="communities.manage_members", check=can_manage_members),
    Rule(key="communities.invite", check=can_invite),
    Rule(key="communities.edit", check=can_edit_community),
    Rule(key="communities.view_directory", check=can_view_directory),
    Rule(key="communities.create", check=can_create_community),
    Rule(key="communities.administer_site", check=can_administer_site),
    Rule(key="communities.manage_themes", check=can_manage_themes),
    Rule(key="communities.ban", check=can_ban),
    Rule(key="communities.change_role", check=can_change_role),
)
