"""The community's Wenger stage: a short checklist for it, ticked from what the roll-ups know, and a stage
suggested from the figures (a hint for the facilitators, who decide)."""

from dataclasses import dataclass

from communities.models import Community, Theme

from .figures import Health
from .models import Evidence, Topic

Stage = Community.Stage


@dataclass
class Item:
    text: str
    done: bool | None  # None: the platform cannot tell; the facilitators judge


def checklist(community, report: Health) -> list[Item]:
    stage = community.stage
    if stage in (Stage.POTENTIAL, Stage.COALESCING):
        members = report.current.members
        return [
            Item(f"Founding members: at least 5 active members (now {members})", members >= 5),
            Item(
                "An introductions thread where newcomers say who they are",
                Topic.objects.filter(community=community, tags__icontains="introduc").exists()
                or Topic.objects.filter(community=community, category__icontains="introduc").exists(),
            ),
            Item("A first theme to gather around", Theme.objects.filter(community=community).exists()),
        ]
    if stage == Stage.MATURING:
        return [
            Item("Themes that run one after another", Theme.objects.filter(community=community).count() >= 2),
            Item("Hot seats with experts", Evidence.objects.filter(community=community, hosted__gt=0).exists()),
            Item(
                "A library of shared resources", Evidence.objects.filter(community=community, library__gt=0).exists()
            ),
        ]
    if stage == Stage.STEWARDSHIP:
        return [
            Item("Turn the best threads into guides", None),
            Item("Refresh or retire stale resources", None),
            Item("Bring in new members and new voices", report.current.new_members > 0),
        ]
    return [
        Item("Decide: archive the community, merge it with another, or spin off a new one", None),
        Item("Tell members what happens next and where the knowledge will live", None),
    ]


def suggested_stage(community, report: Health) -> tuple[str, str]:
    """(stage, why) from the last 90 days beside the 90 before."""
    now, before = report.current, report.previous
    members, share = now.members, now.contributor_share or 0
    if before.posts >= 20 and now.posts < before.posts / 2 and (now.active_share or 0) < 10:
        return Stage.TRANSFORMATION, f"posts falling from {before.posts} to {now.posts} while few members come by"
    if members < 5 or now.posts < 10:
        return Stage.POTENTIAL, f"{members} members and {now.posts} posts in the period"
    if members < 20 or share < 5:
        return Stage.COALESCING, f"{members} members with {share}% of them contributing"
    if members >= 50 and now.posts <= before.posts:
        return (
            Stage.STEWARDSHIP,
            f"{members} members with {share}% contributing and activity steady rather than growing",
        )
    return Stage.MATURING, f"{members} members with {share}% contributing and activity growing"
