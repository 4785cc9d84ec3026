"""The activity contract: newsletters know event types only through the registry.

A fake content app ("field notes") plugs in exactly as a new app would, from the outside: it registers its event
type, its alert type and its newsletter section, records activity, and gets alerts, digest lines, feed phrases,
a preference, a newsletter section and report figures, with no line of newsletters changed.
"""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import activity
from communities.activity import excerpt, member_ids
from communities.extensions import AlertType, EventType, Frequency, NewsletterSection, Notice, Rung
from communities.models import Membership, Theme
from communities.permissions import can_view_community
from newsletters import alerts, services
from newsletters.models import Alert, Subscription
from newsletters.reports import newsletter_report

from ..factories import make_membership, make_user
from .helpers import dispatch_all, html_part, mails_to, subscribe, text_of

pytestmark = pytest.mark.django_db

NEWSLETTERS = Path(__file__).resolve().parents[2] / "newsletters"


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module)
    return modules


def test_newsletters_imports_no_module_of_forums_or_hotseats():
    sources = sorted(NEWSLETTERS.rglob("*.py"))
    assert len(sources) > 10  # the walk found the app

    offending = {
        f"{path.relative_to(NEWSLETTERS)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module.split(".")[0] in {"forums", "hotseats"}
    }

    assert offending == set()


def test_newsletters_names_no_verb_of_another_app():
    verbs = ("thread_started", "post_replied", "article_published", "hotseat_", "mentioned", "announcement_posted")
    texts = {path: path.read_text() for path in NEWSLETTERS.rglob("*.py") if "migrations" not in path.parts}

    assert [(path.name, verb) for path, text in texts.items() for verb in verbs if verb in text] == []


# --- A fake content app --------------------------------------------------------------------------------------

FIELD_NOTES = "fieldnotes"  # its alert type
SHARED = "fieldnote_shared"  # its verb


def fieldnote_notices(event) -> list[Notice]:
    """Everyone in the community hears about a shared field note (the "note" is a theme, for want of a model)."""
    note = Theme.objects.select_related("community").filter(pk=event.target_id).first()
    if note is None:
        return []
    return [
        Notice(
            alert_type=FIELD_NOTES,
            recipients=member_ids(note.community_id),
            title=f"New field note: {note.title}",
            url=note.get_absolute_url(),
            excerpt=excerpt(note.description_html),
            visible_to=lambda user: can_view_community(user, note.community),
        )
    ]


def fieldnote_section(community, start, end) -> dict:
    notes = Theme.objects.filter(community=community, created_at__gte=start, created_at__lt=end)
    items = [{"title": n.title, "url": n.get_absolute_url(), "summary": "", "meta": "field note"} for n in notes]
    return {"key": "fieldnotes", "title": "New field notes", "items": items}


@pytest.fixture
def fieldnotes(plug_in, community, member):
    """The fake app's AppConfig.ready(), and a reader in the community."""
    plug_in(
        EventType(
            verb=SHARED, phrase="shared a field note", notices=fieldnote_notices, rung=Rung.ANSWER, in_feed=True
        ),
        AlertType(key=FIELD_NOTES, label="Field notes from practitioners", default=Frequency.IMMEDIATE, order=45),
        NewsletterSection(key="fieldnotes", build=fieldnote_section, order=75, article_choice=True),
    )
    reader = make_membership(community, make_user(first_name="Rita", email="rita@example.org")).user
    return SimpleNamespace(community=community, author=member, reader=reader)


def share(fieldnotes, title="Lessons from our station rebuild") -> Theme:
    today = timezone.localdate()
    note = Theme.objects.create(
        community=fieldnotes.community,
        title=title,
        slug=f"note-{Theme.objects.count()}",
        description="What **we** learned.",
        starts_on=today,
        ends_on=today,
        tags="estates",
    )
    activity.record(community=fieldnotes.community, actor=fieldnotes.author, verb=SHARED, target=note)
    return note


def test_a_fake_apps_event_reaches_members_as_an_immediate_alert(fieldnotes, mailoutbox):
    note = share(fieldnotes)

    dispatch_all()

    [mail] = mails_to(mailoutbox, fieldnotes.reader)
    assert mail.subject == "New field note: Lessons from our station rebuild"
    assert note.get_absolute_url() in mail.body
    assert "What we learned." in html_part(mail)
    assert Alert.objects.get(user=fieldnotes.reader).alert_type == FIELD_NOTES
    assert mails_to(mailoutbox, fieldnotes.author) == []  # never the actor


def test_a_fake_apps_event_is_a_line_of_the_daily_digest_for_who_chose_daily(fieldnotes, mailoutbox):
    subscribe(fieldnotes.reader, fieldnotes.community, fieldnotes=Frequency.DAILY)
    share(fieldnotes)
    dispatch_all()
    assert mails_to(mailoutbox, fieldnotes.reader) == []

    alerts.send_daily_digests()

    [digest] = mails_to(mailoutbox, fieldnotes.reader)
    assert "New field note: Lessons from our station rebuild" in digest.body


def test_a_fake_apps_event_shows_in_the_community_feed_with_its_phrase(fieldnotes, client):
    share(fieldnotes)

    page = text_of(client.get(fieldnotes.community.get_absolute_url()))

    assert f"{fieldnotes.author.display_name} shared a field note" in page


def test_a_fake_apps_alert_type_is_a_preference_members_can_switch_off(fieldnotes, as_member, member, mailoutbox):
    community = fieldnotes.community
    page = as_member.get(reverse("newsletters:preferences")).content.decode()
    assert "Field notes from practitioners" in page
    data = {f"c{community.pk}-{kind.key}": kind.default for kind in services.alert_types_for(member, community)}

    as_member.post(reverse("newsletters:preferences"), {**data, f"c{community.pk}-fieldnotes": "off"})
    share(fieldnotes)
    dispatch_all()

    assert Subscription.objects.get(user=member, community=community).frequency(FIELD_NOTES) == "off"
    assert mails_to(mailoutbox, member) == []
    assert len(mails_to(mailoutbox, fieldnotes.reader)) == 1


def test_a_fake_apps_section_fills_the_newsletter_and_its_events_count_in_the_report(fieldnotes):
    share(fieldnotes, title="Working with estates teams")
    newsletter, _ = services.newsletter_prepare(community=fieldnotes.community)

    section = next(s for s in newsletter.sections if s["key"] == "fieldnotes")
    assert [item["title"] for item in section["items"]] == ["Working with estates teams"]

    newsletter.status, newsletter.sent_at = newsletter.Status.SENT, timezone.now()
    report = newsletter_report(newsletter)
    assert sum(day.posts for day in report.days) == 1  # its rung (answer) makes it a contribution


def test_an_unregistered_verb_is_refused_when_recorded(community, member):
    with pytest.raises(ValueError, match="No EventType is registered"):
        activity.record(community=community, actor=member, verb="fieldnote_sharde", target=community)


def test_the_moderation_preference_is_offered_to_facilitators_only(community, member, facilitator):
    assert "moderation" in {kind.key for kind in services.alert_types_for(facilitator, community)}
    assert "moderation" not in {kind.key for kind in services.alert_types_for(member, community)}
    assert Membership.objects.get(user=facilitator).role == Membership.Role.FACILITATOR
