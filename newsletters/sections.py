"""What goes into a monthly newsletter: the sections every app registers (communities/extensions.py,
`NewsletterSection`), in their order. The two here come from the community itself: its theme and its newcomers.

A section is {"key", "title", "items": [{"title", "url", "summary", "meta"}]}; items link to pages by path, and
only public-to-members content is chosen (nothing hidden or held by moderators).
"""

from datetime import datetime

from communities.activity import excerpt
from communities.extensions import NewsletterSection, registered
from communities.models import Community, Membership, Theme


def current_theme(community: Community, start: datetime, end: datetime) -> dict:
    themes = Theme.objects.filter(community=community, ends_on__gte=end.date()).order_by("starts_on")[:2]
    items = [
        {
            "title": t.title,
            "url": t.get_absolute_url(),
            "summary": excerpt(t.description_html, 30),
            "meta": f"{t.starts_on:%-d %b} – {t.ends_on:%-d %b}",
        }
        for t in themes
    ]
    return {"key": "theme", "title": "Our theme", "items": items}


def new_members(community: Community, start: datetime, end: datetime) -> dict:
    joined = (
        Membership.objects.active()
        .filter(community=community, joined_at__gte=start, joined_at__lt=end)
        .select_related("user__profile")
        .order_by("joined_at")[:20]
    )
    items = [
        {
            "title": m.user.display_name,
            "url": m.user.get_absolute_url(),
            "summary": getattr(getattr(m.user, "profile", None), "organisation", ""),
            "meta": "joined",
        }
        for m in joined
    ]
    return {"key": "new_members", "title": "Please welcome our new members", "items": items}


SECTIONS = (
    NewsletterSection(key="theme", build=current_theme, order=10),
    NewsletterSection(key="new_members", build=new_members, order=20),
)


def build_sections(community: Community, start: datetime, end: datetime) -> list[dict]:
    """Every registered section for the period, empty ones left out."""
    sections = [section.build(community, start, end) for section in registered(NewsletterSection)]
    return [s for s in sections if s["items"]]


def article_choices(sections: list[dict]) -> list[tuple[str, str]]:
    """(url, title) of the items that may be the article of the month, in the order the issue shows them."""
    allowed = {s.key for s in registered(NewsletterSection) if s.article_choice}
    seen, choices = set(), []
    for section in sections:
        if section.get("key") not in allowed:
            continue
        for item in section.get("items", []):
            if item.get("url") and item["url"] not in seen:
                seen.add(item["url"])
                choices.append((item["url"], item["title"]))
    return choices


def default_article(sections: list[dict]) -> dict | None:
    """The first item of the first section whose app suggests it as the article of the month."""
    suggested = [s.key for s in registered(NewsletterSection) if s.default_article]
    for key in suggested:
        section = next((s for s in sections if s.get("key") == key and s.get("items")), None)
        if section is not None:
            return section["items"][0]
    return None
