"""Who may shape, send, read and measure newsletters."""

from communities.models import Community
from communities.permissions import can_manage_members, can_view_community, rule


@rule("newsletters.manage")
def can_manage_newsletters(user, community: Community) -> bool:
    """Facilitators edit, test, schedule and send the newsletter, and read its report."""
    return not community.is_archived and can_manage_members(user, community)


@rule("newsletters.read_archive")
def can_read_archive(user, community: Community) -> bool:
    """Sent issues are archived on the web for whoever may read the community (members only when private)."""
    return can_view_community(user, community)
