"""The demo's events: a full London meeting with a waitlist, an online lunchtime session, last quarter's notes."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from events.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_three_events_once(settings):
    settings.CLAMD_URL = ""
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    events = Event.objects.filter(community__slug="ppm-community")
    assert events.count() == 3
    london = events.get(title__startswith="PPM quarterly meeting: benefits")
    assert (london.capacity, london.going_count) == (40, 40)
    waiting = london.registrations.filter(status=Registration.Status.WAITING)
    assert waiting.count() == london.waiting_count >= 2
    assert waiting.filter(user__email="member@demo.cop.example").exists()
    online = events.get(format=Event.Format.ONLINE)
    assert online.online_url and online.going_count == 17
    held = events.get(title__contains="gateway reviews")
    assert held.is_past and held.notes_html and held.recording_url and held.feedback_url
    page = Client().get(held.get_absolute_url()).content.decode()
    assert "Gateway reviews in practice (slides).pdf" in page
    assert held.follow_up_url and held.follow_up_url in page
    assert online.online_url not in Client().get(online.get_absolute_url()).content.decode()
