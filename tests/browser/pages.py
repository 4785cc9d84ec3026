"""The main pages every browser check visits: one list, so a new app adds its pages here.

Each entry names who looks at the page and its path; `{placeholders}` are filled from the demo objects that
`lookup.py` reports (add a key there when a new page needs one). The axe and Nu checks in
`test_main_pages.py` and the crawl in `test_crawl.py` read this list.
"""

from dataclasses import dataclass

ANONYMOUS, MEMBER, FACILITATOR = "anonymous", "member", "facilitator"

# Demo logins (communities/demo_data.py); one password for all.
PERSONAS = {
    MEMBER: "member@demo.cop.example",
    FACILITATOR: "facilitator@demo.cop.example",
}
DEMO_PASSWORD = "community-demo-2026"


@dataclass(frozen=True)
class PageSpec:
    name: str
    persona: str
    path: str

    def url_path(self, ids: dict) -> str:
        return self.path.format(**ids)


MAIN_PAGES = [
    PageSpec("home", ANONYMOUS, "/"),
    PageSpec("community list", ANONYMOUS, "/communities/"),
    PageSpec("community home", ANONYMOUS, "/c/{community}/"),
    PageSpec("sign up", ANONYMOUS, "/accounts/signup/"),
    PageSpec("log in", ANONYMOUS, "/accounts/login/"),
    PageSpec("search", ANONYMOUS, "/search/?q=benefits"),
    PageSpec("forum latest", ANONYMOUS, "/c/{community}/forums/"),
    PageSpec("answered question", ANONYMOUS, "/c/{community}/forums/t/{answered_thread}/"),
    PageSpec("hot seats", ANONYMOUS, "/c/{community}/hotseats/"),
    PageSpec("open hot seat", MEMBER, "/c/{community}/hotseats/{open_hotseat}/"),
    PageSpec("closed hot seat", ANONYMOUS, "/c/{community}/hotseats/{closed_hotseat}/"),
    PageSpec("themes", ANONYMOUS, "/c/{community}/themes/"),
    PageSpec("newsletter archive", ANONYMOUS, "/c/{community}/newsletter/"),
    PageSpec("member home", MEMBER, "/"),
    PageSpec("member profile", MEMBER, "/people/{member}/"),
    PageSpec("new thread", MEMBER, "/c/{community}/forums/new/"),
    PageSpec("member directory", MEMBER, "/c/{community}/members/"),
    PageSpec("email preferences", MEMBER, "/n/preferences/"),
    PageSpec("edit profile", MEMBER, "/account/profile/"),
    PageSpec("moderation queue", FACILITATOR, "/c/{community}/forums/moderation/"),
    PageSpec("welcome queue", FACILITATOR, "/c/{community}/manage/welcome/"),
    PageSpec("join requests", FACILITATOR, "/c/{community}/manage/requests/"),
    PageSpec("newsletter editor", FACILITATOR, "/c/{community}/newsletter/{draft_newsletter}/edit/"),
    PageSpec("newsletter report", FACILITATOR, "/c/{community}/newsletter/{sent_newsletter}/report/"),
    PageSpec("theme form", FACILITATOR, "/c/{community}/themes/{theme}/edit/"),
    PageSpec("library home", ANONYMOUS, "/c/{community}/library/"),
    PageSpec("library, all resources filtered", ANONYMOUS, "/c/{community}/library/all/?tag=risk&sort=useful"),
    PageSpec("key links", ANONYMOUS, "/c/{community}/library/links/"),
    PageSpec("library document", ANONYMOUS, "/c/{community}/library/r/{library_document}/"),
    PageSpec("library guide", MEMBER, "/c/{community}/library/r/{library_guide}/"),
    PageSpec("guide revision", ANONYMOUS, "/c/{community}/library/r/{library_guide}/revisions/1/"),
    PageSpec("add a document", MEMBER, "/c/{community}/library/add/document/"),
    PageSpec("edit a guide", MEMBER, "/c/{community}/library/r/{library_guide}/text/edit/"),
    PageSpec("library moderation", FACILITATOR, "/c/{community}/library/moderation/"),
    PageSpec("jobs", ANONYMOUS, "/c/{community}/jobs/"),
    PageSpec("jobs, filtered", ANONYMOUS, "/c/{community}/jobs/?pattern=hybrid&sort=closing"),
    PageSpec("job posting", ANONYMOUS, "/c/{community}/jobs/{job_posting}/"),
    PageSpec("jobs across communities", MEMBER, "/jobs/"),
    PageSpec("saved jobs", MEMBER, "/jobs/saved/"),
    PageSpec("job alerts", MEMBER, "/jobs/searches/"),
    PageSpec("advertise a job", MEMBER, "/c/{community}/jobs/new/"),
    PageSpec("jobs moderation", FACILITATOR, "/c/{community}/jobs/moderation/"),
    PageSpec("jobs settings", FACILITATOR, "/c/{community}/jobs/settings/"),
]

# Where the crawl starts for each persona, and what it never follows (not HTML, or it changes state on GET).
CRAWL_START = {ANONYMOUS: ["/"], MEMBER: ["/", "/n/preferences/"], FACILITATOR: ["/"]}
CRAWL_SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/n/u/", "/n/o/", "/n/c/", "/accounts/logout/")
CRAWL_SKIP_SUFFIXES = (
    ".ics",
    ".atom",
    ".gif",
    ".txt",
    "preview.html",
    "preview.text",
    "/download/",
    "/preview/",
    "/apply/",
)
