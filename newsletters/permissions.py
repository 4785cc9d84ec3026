"""Who may shape, send, read and measure newsletters."""

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import can_manage_members, can_view_community


def can_manage_newsletters(user, community: Community) -> bool:
    """Facilitators edit, test, schedule and send the newsletter, and read its report."""
    return not community.is_archived and can_manage_members(user, community)


def can_read_archive(user, community: Community) -> bool:
    """Sent issues are archived on the web for whoever may read the community (members only when private)."""
    return can_view_community(user, community)


# The rules templates may ask with {% can %}; registered in AppConfig.ready().
RULES = (
    Rule(key="newsletters.manage", check=can_manage_newsletters),
    Rule(key="newsletters.read_archive", check=can_read_archive),
)
