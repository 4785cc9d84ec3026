"""Who may do what in a community's library. Built on the community roles in communities.permissions."""

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import (
    can_manage_members,
    can_participate,
    can_view_community,
    is_active_member,
    is_site_staff,
)

from .models import Resource, ResourceComment, ResourceVersion


def can_moderate(user, community: Community) -> bool:
    """Facilitators, owners and site staff moderate the library and pin featured resources."""
    return can_manage_members(user, community)


def _is_author(user, obj) -> bool:
    return user.is_authenticated and obj.author_id == user.pk


def reads_members_only(user, community: Community) -> bool:
    """Members-only resources are for the community's active members (and site staff)."""
    return is_active_member(user, community) or is_site_staff(user)


def can_read_resource(user, resource: Resource) -> bool:
    """Readers of the community see its resources; members-only ones are for members; hidden ones for moderators
    and their author."""
    community = resource.community
    if not can_view_community(user, community):
        return False
    if resource.is_members_only and not reads_members_only(user, community):
        return False
    return not resource.is_hidden or can_moderate(user, community) or _is_author(user, resource)


def can_download(user, resource: Resource, version: ResourceVersion) -> bool:
    """Whoever may read the resource downloads its versions once they have passed the virus scan (if any)."""
    return version.is_available and can_read_resource(user, resource)


def can_add_resource(user, community: Community) -> bool:
    """Active members add to the library of a community that is not archived."""
    return can_participate(user, community)


def can_edit_resource(user, resource: Resource) -> bool:
    """The author and the facilitators change a resource's details and upload new versions of its files."""
    if not can_participate(user, resource.community):
        return False
    return _is_author(user, resource) or can_moderate(user, resource.community)


def can_edit_text(user, resource: Resource) -> bool:
    """Guides open to members may be edited by any member; others (and toolkit texts) by the author and
    facilitators."""
    if not resource.has_text or resource.is_hidden:
        return False
    if resource.kind == Resource.Kind.GUIDE and resource.editing == Resource.Editing.MEMBERS:
        return can_participate(user, resource.community)
    return can_edit_resource(user, resource)


def can_delete_resource(user, resource: Resource) -> bool:
    """The author and the facilitators delete a resource, files and all."""
    return can_edit_resource(user, resource)


def can_feature(user, resource: Resource) -> bool:
    """Facilitators pin resources to the top of the library."""
    return not resource.community.is_archived and can_moderate(user, resource.community)


def can_react(user, resource: Resource) -> bool:
    """Members thank other people's resources and mark them helpful."""
    return not resource.is_hidden and not _is_author(user, resource) and can_participate(user, resource.community)


def can_comment(user, resource: Resource) -> bool:
    """Members comment on resources that are not hidden."""
    return not resource.is_hidden and can_participate(user, resource.community)


def can_follow(user, resource: Resource) -> bool:
    """Active members follow resources to hear of new versions."""
    return is_active_member(user, resource.community)


def can_flag_resource(user, resource: Resource) -> bool:
    """Any member may flag someone else's resource for the facilitators."""
    return not _is_author(user, resource) and is_active_member(user, resource.community)


def can_flag_comment(user, comment: ResourceComment) -> bool:
    """Any member may flag someone else's comment for the facilitators."""
    return not _is_author(user, comment) and is_active_member(user, comment.resource.community)


def can_edit_comment(user, comment: ResourceComment) -> bool:
    """Authors edit and delete their own comments while they take part."""
    return not comment.is_deleted and _is_author(user, comment) and can_participate(user, comment.resource.community)


def can_view_revisions(user, resource: Resource) -> bool:
    """Whoever may read a guide reads its history."""
    return resource.has_text and can_read_resource(user, resource)


def can_save_as_guide(user, obj) -> bool:
    """The author of a thread (or other host object) and the facilitators may write it up as a library guide."""
    community = obj.community
    if not can_add_resource(user, community):
        return False
    return (user.is_authenticated and obj.author_id == user.pk) or can_moderate(user, community)


RULES = (
    Rule(key="library.moderate", check=can_moderate),
    Rule(key="library.read", check=can_read_resource),
    Rule(key="library.add", check=can_add_resource),
    Rule(key="library.edit", check=can_edit_resource),
    Rule(key="library.edit_text", check=can_edit_text),
    Rule(key="library.delete", check=can_delete_resource),
    Rule(key="library.feature", check=can_feature),
    Rule(key="library.react", check=can_react),
    Rule(key="library.comment", check=can_comment),
    Rule(key="library.follow", check=can_follow),
    Rule(key="library.flag", check=can_flag_resource),
    Rule(key="library.flag_comment", check=can_flag_comment),
    Rule(key="library.edit_comment", check=can_edit_comment),
    Rule(key="library.view_revisions", check=can_view_revisions),
    Rule(key="library.save_as_guide", check=can_save_as_guide),
)
