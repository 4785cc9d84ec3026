"""After the event: notes (Markdown), slides as library attachments, recording and feedback links, those who
registered told once, and a follow-up discussion opened from the event through the registry."""

import pytest
from django.urls import reverse

from communities import extensions
from communities.models import ActivityEvent
from events import services
from events.activity import Verb, _notes_posted
from events.models import Event, Registration
from forums.models import Category, Thread

from ..helpers import page_source, text_of
from ..library import files
from .conftest import plan

pytestmark = pytest.mark.django_db
Status = Registration.Status


def notes_url(event):
    return reverse("events:notes_edit", args=[event.community.slug, event.pk])


@pytest.fixture
def held(community, facilitator, member, other):
    event = plan(community, facilitator, title="Last quarter", speakers=[(other, "", "")])
    services.rsvp(event=event, user=member, status=Status.GOING)
    return event


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("outsider", False), ("banned", False), ("member", False), ("other", True), ("facilitator", True)],
)
def test_facilitators_and_speakers_post_the_notes(client_as, held, persona, allowed):
    response = client_as(persona).post(notes_url(held), {"notes": "We *agreed* on **three** things"})
    assert response.status_code == (302 if allowed else 403)
    held.refresh_from_db()
    assert bool(held.notes_html) is allowed
    assert ActivityEvent.objects.filter(verb=Verb.EVENT_NOTES_POSTED).count() == (1 if allowed else 0)


def test_those_who_registered_are_told_once(client_as, held, member):
    client = client_as("facilitator")
    client.post(notes_url(held), {"notes": "First version"})
    client.post(notes_url(held), {"notes": "Second version", "recording_url": "https://video.example.org/1"})
    [event] = ActivityEvent.objects.filter(verb=Verb.EVENT_NOTES_POSTED)
    [notice] = _notes_posted(event)
    assert list(notice.recipients) == [member.pk]
    page = text_of(client_as("anonymous").get(held.get_absolute_url()))
    assert "Second version" in page and "Watch the recording" in page


def test_slides_are_filed_in_the_library_and_shown_on_the_event(client_as, held):
    client = client_as("facilitator")
    response = client.post(
        notes_url(held),
        {"notes": "Slides attached", "library_files": [files.upload("slides.pdf", files.pdf("Gateway review"))]},
    )
    assert response.status_code == 302
    assert "slides.pdf" in page_source(client_as("member").get(held.get_absolute_url()))


def test_a_follow_up_discussion_is_opened_from_the_event_and_linked_back(client_as, held, community):
    Category.objects.create(community=community, name="General", slug="general")
    client = client_as("facilitator")
    client.post(notes_url(held), {"notes": "Open question: who owns benefits?"})
    page = page_source(client.get(held.get_absolute_url()))
    start = f"{reverse('forums:thread_create', args=['ppm'])}?from=events.event:{held.pk}"
    assert start in page
    assert start not in page_source(client_as("member").get(held.get_absolute_url()))
    form = page_source(client.get(start))
    assert "Follow-up: Last quarter" in form and "who owns benefits?" in form
    category = Category.objects.get(community=community)
    response = client.post(
        start,
        {"category": category.pk, "kind": "discussion", "title": "Follow-up: Last quarter", "body": "Let us continue"},
    )
    thread = Thread.objects.get(title="Follow-up: Last quarter")
    assert response.status_code == 302
    assert Event.objects.get(pk=held.pk).follow_up_url == thread.get_absolute_url()
    assert "Continue the discussion" in text_of(client_as("member").get(held.get_absolute_url()))
    assert start not in page_source(client.get(held.get_absolute_url()))  # only one follow-up


def test_the_event_content_is_not_given_to_readers_who_may_not_see_it(private_event, outsider):
    assert extensions.content_of("events.event", outsider, private_event.pk) is None
