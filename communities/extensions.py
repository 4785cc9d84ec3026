"""Places where upper-layer apps plug into community pages without communities importing them.

Apps register in their AppConfig.ready(): a tab in every community's header, or a section on member profiles.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CommunityTab:
    key: str
    label: str
    url_name: str  # reversed with the community's slug
    order: int
    rule: str | None = None  # a registered permission rule name; None means "whoever can read the community"


@dataclass(frozen=True)
class ProfileSection:
    template: str
    context: Callable  # (person, viewer) -> dict; must only count what the viewer may see
    order: int


COMMUNITY_TABS: list[CommunityTab] = []
PROFILE_SECTIONS: list[ProfileSection] = []
# Callables that add an app's demo content: seeder(cast) where cast names the demo's communities and people.
DEMO_SEEDERS: list[tuple[int, Callable]] = []


def register_tab(tab: CommunityTab) -> None:
    if all(t.key != tab.key for t in COMMUNITY_TABS):
        COMMUNITY_TABS.append(tab)
        COMMUNITY_TABS.sort(key=lambda t: t.order)


def register_profile_section(section: ProfileSection) -> None:
    if section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(section)
        PROFILE_SECTIONS.sort(key=lambda s: s.order)


def register_demo_seeder(seeder: Callable, order: int = 50) -> None:
    """Add an app's demo content to `manage.py seed_demo`; the seeder must be idempotent."""
    if all(s is not seeder for _, s in DEMO_SEEDERS):
        DEMO_SEEDERS.append((order, seeder))
        DEMO_SEEDERS.sort(key=lambda pair: pair[0])
