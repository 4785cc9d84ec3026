"""The permission matrix, as data: one module per app (`tests/access/matrix/<app>.py`), each a list `ROWS`.

A row names one URL pattern, where its URL arguments come from in the access world (tests/access/world.py), the
object whose marker text an allowed answer must show, and the answer every persona gets in each community kind.
See tests/access/README.md for how an app adds its rows.
"""

from dataclasses import dataclass, field

from ..world import KINDS, PERSONAS

# The answers a cell can expect.
OK = "200"  # the page, showing the row's marker
LOGIN = "login"  # a redirect to the login page
FORBIDDEN = "403"
NOT_FOUND = "404"
REDIRECT = "302"  # a redirect somewhere other than the login page (a GET that sends you on)
DONE = "done"  # a POST that was let through: 2xx or a redirect that is not to the login page
NOT_ALLOWED = "405"  # the method is refused whoever you are (only where a pattern answers nothing else)
# A token link that is not (or no longer) for this person: an invitation sent to someone else. It may name what the
# link was for (the holder has the email that carried it), so it is not checked for markers.
GONE = "410"
# A redirect to the community's landing page: how a private community's inner pages refuse a signed-in non-member
# (issue 8, item 6). The landing page is public anyway; the redirect itself shows nothing.
LANDING = "landing"
ANSWERS = {OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, DONE, NOT_ALLOWED, GONE, LANDING}
# Refusals that must show nothing of the community.
REFUSED = {LOGIN, FORBIDDEN, NOT_FOUND, LANDING}
# Signed in, not members: a private community's inner pages (GET) send them to its landing page instead of a 404.
SENT_TO_LANDING = ("outsider", "applicant", "invitee", "banned", "departed")
# Under c/<slug>/ but not pages a person opens: calendar and Atom subscription addresses stay a plain 404 (a feed
# reader cannot follow a landing page). The newsletter archive checks its own rule
# (newsletters.permissions.can_read_archive) and still answers 404.
NOT_SENT_TO_LANDING = {
    "hotseats:calendar_feed",
    "communities:calendar_feed",
    "communities:feed",
    "jobs:feed",
    "newsletters:archive_detail",
}


def expected_answer(row, kind: str, persona: str, url: str) -> str:
    """The row's answer for the cell, with the platform rule for private communities applied (communities.access
    .refuse): where a row says a signed-in non-member gets NOT_FOUND from a private community's page, they are
    sent to its landing page instead."""
    answer = row.expect[kind][persona]
    if (
        answer == NOT_FOUND
        and kind == "private"
        and row.method == "get"
        and persona in SENT_TO_LANDING
        and url.startswith("/c/")
        and row.name not in NOT_SENT_TO_LANDING
    ):
        return LANDING
    return answer


def same_answer(expected: str, answer: str) -> bool:
    """A redirect to the landing page is also a redirect: rows that expect REDIRECT (join links) accept it."""
    return answer == expected or (expected == REDIRECT and answer == LANDING)


def who(default: str, **answers: str) -> dict:
    """Every persona's answer: `default` unless named, e.g. who(NOT_FOUND, member=OK, owner=OK)."""
    unknown = set(answers) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {persona: answers.get(persona, default) for persona in PERSONAS}


def kinds(public: dict, private: dict | None = None, hidden: dict | None = None) -> dict:
    """Answers per community kind; private and hidden default to the kind before them."""
    private = private or public
    hidden = hidden or private
    return {"public": public, "private": private, "hidden": hidden}


def same(answers: dict) -> dict:
    return kinds(answers)


@dataclass(frozen=True)
class Row:
    """One URL pattern. `args` (and `data`, for the request's parameters) map names to the world: "thread" is the
    thread's pk, "theme.slug" an attribute (called if it is a method), anything else (a string naming no world
    object, a number) a literal; `slug` (the community) is added when the pattern takes one."""

    name: str
    expect: dict
    args: dict = field(default_factory=dict)
    marker: str | None = None
    method: str = "get"
    data: dict = field(default_factory=dict)
    note: str = ""

    def cells(self) -> int:
        return sum(len(answers) for answers in self.expect.values())


def all_rows() -> dict:
    """Every app module's rows, by module name."""
    import importlib
    import pkgutil

    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = module.ROWS
    return found


__all__ = [
    "ANSWERS",
    "DONE",
    "FORBIDDEN",
    "GONE",
    "KINDS",
    "LOGIN",
    "NOT_ALLOWED",
    "NOT_FOUND",
    "OK",
    "PERSONAS",
    "REDIRECT",
    "REFUSED",
    "Row",
    "kinds",
    "same",
    "who",
]
