"""Script injection attempts in thread titles, post bodies and tags come out as inert text on every page that shows
them: the thread page, the lists, the tag pages, the site search and the author's profile.

The payloads are a spread of ~60 lines from the shared XSS corpora. Each page is parsed, and every element and
attribute is checked: escaped text is fine, a live <script>, an on* handler or a javascript: URL is not.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from forums import services
from forums.models import Thread

from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
PAYLOAD_COUNT = 60
THREADS_PER_AUTHOR = 5  # the profile lists an author's five most recent threads
MARKER = "xssprobe"  # in every post body, so one search finds them all

# Elements no page of ours renders from user content; a few the layout uses are checked by their attributes.
FORBIDDEN_TAGS = {
    "applet", "audio", "base", "bgsound", "embed", "frame", "frameset", "iframe", "image", "import", "isindex",
    "layer", "marquee", "math", "object", "plaintext", "source", "style", "svg", "video", "xml", "xmp", "xss",
}  # fmt: skip
URL_ATTRIBUTES = {
    "action", "background", "cite", "data", "dynsrc", "formaction", "href", "longdesc", "lowsrc", "ping", "poster",
    "src", "srcdoc", "xlink:href",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")


def load_payloads() -> list[str]:
    """An even spread of distinct payload lines across every corpus file, the same on every run."""
    lines: dict[str, None] = {}
    for path in sorted((CORPORA / "xss").glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line and "\x00" not in line and not line.startswith("#"):
                lines[line] = None
    lines = list(lines)
    step = max(1, len(lines) // PAYLOAD_COUNT)
    return lines[::step][:PAYLOAD_COUNT]


class PageAudit(HTMLParser):
    """Collects what a browser would execute, and the page's visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script" and not (attributes.get("src") or "").startswith(settings.STATIC_URL):
            self.problems.append(f"<script {attrs}>")
        if tag == "img" and not (attributes.get("src") or "").startswith(settings.MEDIA_URL):
            self.problems.append(f"<img {attrs}>")
        href = attributes.get("href") or ""
        # Our own stylesheets, and feed autodiscovery pointing at this site's feeds.
        own_feed = attributes.get("rel") == "alternate" and href.startswith("/c/") and "/feeds/" in href
        if tag == "link" and not (href.startswith(settings.STATIC_URL) or own_feed):
            self.problems.append(f"<link {attrs}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if url.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and re.search(r"expression|javascript|url\(", value, re.IGNORECASE):
                self.problems.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def audit(client, path: str) -> str:
    """Fetch a page, fail on anything executable, and return its text (entities decoded) for further checks."""
    response = client.get(path)
    assert response.status_code == 200, path
    parser = PageAudit()
    parser.feed(response.content.decode())
    parser.close()
    assert parser.problems == [], path
    return " ".join("".join(parser.text).split())


def shown(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture
def payloads() -> list[str]:
    if not (CORPORA / "xss").is_dir():
        pytest.skip(f"no XSS corpora at {CORPORA}")
    return load_payloads()


@pytest.fixture
def hostile(settings, community, category, facilitator, payloads):
    """Threads whose title, opening post, reply and tag are each one payload, written by a dozen authors."""
    settings.FORUM_POSTS_PER_HOUR = 1000
    settings.FORUM_NEW_MEMBER_MAX_LINKS = 1000
    kinds = [Thread.Kind.QUESTION, Thread.Kind.DISCUSSION, Thread.Kind.ARTICLE]
    authors, threads = [], []
    for index, payload in enumerate(payloads):
        if index % THREADS_PER_AUTHOR == 0:
            authors.append(make_membership(community, make_user(first_name="Author", last_name=str(index))).user)
        thread = services.thread_create(
            category=category,
            author=authors[-1],
            kind=kinds[index % len(kinds)],
            title=f"{payload[:190]} {index}",
            body=f"{payload}\n\n{MARKER}",
            tags=[payload[:60]],
        )
        services.post_reply(thread=thread, author=facilitator, body=f"{MARKER} {payload}")
        threads.append(thread)
    return threads, authors


def test_the_corpus_sample_is_a_real_spread_of_attacks(payloads):
    assert len(payloads) == PAYLOAD_COUNT
    assert sum("<script" in p.lower() for p in payloads) >= 3
    assert sum(bool(re.search(r"\bon\w+\s*=", p, re.IGNORECASE)) for p in payloads) >= 10
    assert sum("javascript:" in p.lower() for p in payloads) >= 3


def test_the_audit_catches_a_live_script_a_handler_and_a_javascript_link():
    parser = PageAudit()
    parser.feed('<p><script>alert(1)</script><b onclick="x()">b</b><a href=" jav&#x09;ascript:alert(1)">a</a></p>')
    assert len(parser.problems) == 3

    parser = PageAudit()
    parser.feed("<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick=alert(1) javascript:alert(1)</p>")
    assert parser.problems == []


def test_hostile_titles_bodies_and_tags_are_inert_on_each_thread_page(hostile, as_member):
    threads, _ = hostile
    for thread in threads:
        text = audit(as_member, thread.get_absolute_url())
        assert shown(thread.title) in text, thread.pk


def test_hostile_titles_and_tags_are_inert_on_the_lists_and_tag_pages(hostile, as_member, client):
    threads, _ = hostile
    slug = threads[0].community.slug
    listed = ""
    for number in (1, 2, 3):
        listed += audit(as_member, f"{reverse('forums:latest', args=[slug])}?page={number}")
    for thread in threads:
        assert shown(thread.title) in listed, thread.pk

    audit(client, reverse("forums:articles", args=[slug]))
    audit(client, reverse("forums:unanswered", args=[slug]))
    audit(as_member, reverse("forums:category_detail", args=[slug, threads[0].category.slug]))
    tags = {tag.slug: tag.name for thread in threads for tag in thread.tags.all()}
    assert len(tags) >= PAYLOAD_COUNT // 2
    tag_cloud = audit(client, reverse("forums:tag_list", args=[slug]))
    for tag_slug, name in tags.items():
        assert shown(name) in tag_cloud
        assert shown(name) in audit(client, reverse("forums:tag_detail", args=[slug, tag_slug]))


def test_hostile_titles_bodies_and_tags_are_inert_in_search_results(hostile, as_member):
    threads, _ = hostile
    found = ""
    for number in range(1, 2 * PAYLOAD_COUNT // 20 + 1):
        found += audit(as_member, f"{reverse('communities:search')}?q={MARKER}&page={number}")
    for thread in threads:
        assert shown(thread.title) in found, thread.pk
    for tag in {tag.name for thread in threads[:10] for tag in thread.tags.all()}:
        audit(as_member, f"{reverse('communities:search')}?{urlencode({'tag': tag})}")


def test_hostile_thread_titles_are_inert_on_their_authors_profiles(hostile, client):
    threads, authors = hostile
    profiles = " ".join(audit(client, reverse("communities:profile_detail", args=[a.pk])) for a in authors)
    for thread in threads:
        assert shown(thread.title) in profiles, thread.pk


@pytest.mark.parametrize("tag", ["'\">", "<>", "日本語"])
def test_a_tag_with_no_latin_letters_does_not_break_the_thread_or_the_lists(category, member, as_member, tag):
    thread = services.thread_create(
        category=category, author=member, kind=Thread.Kind.DISCUSSION, title="Tagged oddly", body="Hi", tags=[tag]
    )

    assert "Tagged oddly" in audit(as_member, thread.get_absolute_url())
    assert "Tagged oddly" in audit(as_member, reverse("forums:latest", args=[category.community.slug]))
    audit(as_member, reverse("forums:tag_list", args=[category.community.slug]))
    for tag_slug in thread.tags.values_list("slug", flat=True):
        tag_page = reverse("forums:tag_detail", args=[category.community.slug, tag_slug])
        assert "Tagged oddly" in audit(as_member, tag_page)
