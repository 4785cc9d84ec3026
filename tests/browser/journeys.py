"""Small steps the journeys share: a fresh newcomer's identity, links out of emails."""

import re
from uuid import uuid4

from .site import LiveSite, text_part

PASSWORD = "A-long-passphrase-2026"


def newcomer() -> dict:
    tag = uuid4().hex[:6]
    return {"first": "Nadia", "last": f"Okafor{tag}", "email": f"nadia.{tag}@example.org"}


def link_in(site: LiveSite, message, path_contains: str) -> str:
    """The link to this site in the message's plain-text part (which is what a reader can always follow)."""
    links = re.findall(rf"{re.escape(site.base_url)}/\S+", text_part(message))
    matching = [link for link in links if path_contains in link]
    assert matching, f"no {path_contains!r} link in: {links}"
    return matching[0]
