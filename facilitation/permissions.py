"""Who sees a community's facilitation pages: its facilitators and owners (and site staff)."""

from communities.extensions import Rule
from communities.permissions import can_manage_members, is_active_member


def can_facilitate(user, community) -> bool:
    """Facilitators and owners read the community's figures, the Today page and the knowledge map."""
    return can_manage_members(user, community)


def can_ask_who_knows(user, community) -> bool:
    """Active members find someone who knows a topic."""
    return is_active_member(user, community)


RULES = (
    Rule(key="facilitation.view", check=can_facilitate),
    Rule(key="facilitation.ask_who_knows", check=can_ask_who_knows),
)
