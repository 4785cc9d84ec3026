"""Demo events for `manage.py seed_demo`: the PPM community's next quarterly meeting in London (in person, 40
places: 38 members and the 2 organisers, the rest on the waitlist), an online lunchtime session on assurance, and
last quarter's meeting with its notes, slides (filed in the library through the registry's attachment hook) and
a follow-up thread."""

import random
import zoneinfo
from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from communities import extensions
from communities.models import Membership, SearchDocument

from . import services
from .models import Event, Registration

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEXT_MEETING = "PPM quarterly meeting: benefits that last"
LAST_MEETING = "PPM quarterly meeting: gateway reviews in practice"
QUESTIONS = "Dietary needs\nAccess needs"


def _at(day, hour, minute=0):
    return day.astimezone(LONDON).replace(hour=hour, minute=minute, second=0, microsecond=0)


def _first_tuesday_after(now, months: int):
    month, year = now.month + months, now.year
    while month > 12:
        month, year = month - 12, year + 1
    while month < 1:
        month, year = month + 12, year - 1
    day = now.astimezone(LONDON).replace(year=year, month=month, day=1)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _fields(**kw):
    base = {
        "format": Event.Format.IN_PERSON,
        "venue": "",
        "address": "",
        "accessibility": "",
        "online_url": "",
        "time_zone": "Europe/London",
        "tags": "",
        "capacity": None,
        "questions": "",
        "theme": None,
    }
    return base | kw


def _pdf(title: str, text: str) -> bytes:
    """A one-page PDF (Helvetica, latin-1 text), enough for the library to file and extract."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj 0 -30 Td /F1 12 Tf ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _attach_slides(event: Event, by) -> None:
    """File the slides the way the notes form does: through whatever attachment kinds are registered."""
    upload = SimpleUploadedFile(
        "Gateway reviews in practice (slides).pdf",
        _pdf("Gateway reviews in practice", "Five lessons from twelve gateway reviews."),
        content_type="application/pdf",
    )
    request = SimpleNamespace(
        user=by,
        FILES=MultiValueDict({"library_files": [upload]}),
        resolver_match=SimpleNamespace(kwargs={"slug": event.community.slug}),
        library_refused_uploads=None,
    )
    try:
        extensions.save_attachments("events.event", event, request)
    except Exception:  # a demo without the library (or a scanner that refuses) still gets its events
        return


def seed(cast: dict) -> None:
    """Add the three events to the PPM community, once."""
    ppm, facilitator, people, now = cast["ppm"], cast["facilitator"], cast["people"], cast["now"]
    if Event.objects.filter(community=ppm).exists():
        return
    rng = random.Random(15)
    active = set(Membership.objects.active().filter(community=ppm).values_list("user_id", flat=True))
    # The demo's own member login comes last, so it lands on the waitlist and shows what waiting looks like.
    regulars = [p for p in people if p.pk not in (facilitator.pk, cast["member"].pk) and p.pk in active]
    attendees = [*regulars, cast["member"]]

    start = _at(_first_tuesday_after(now, 1), 10)
    meeting = services.event_create(
        community=ppm,
        by=facilitator,
        speakers=[(None, "Dr Helen Marsh", "Infrastructure and Projects Authority"), (facilitator, "", "")],
        **_fields(
            title=NEXT_MEETING,
            description=(
                "Our quarterly face-to-face meeting. **Morning:** two talks on keeping benefits alive after "
                "handover. **Afternoon:** a workshop on benefits maps, bring one of yours.\n\n"
                "Lunch is provided; tell us about dietary needs when you register."
            ),
            venue="Friends House",
            address="173 Euston Road\nLondon NW1 2BJ",
            accessibility="Step-free access from Euston Road, hearing loop in the main room, quiet room on floor 1.",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            capacity=40,
            questions=QUESTIONS,
            tags="benefits realisation, workshop",
        ),
    )
    # 38 members hold places and the two organisers the last two, so the meeting is full and the rest wait.
    for person in [*attendees[:38], facilitator, cast["admin"]]:
        answers = {"Dietary needs": rng.choice(["", "", "vegetarian", "vegan", "no nuts"])}
        services.rsvp(event=meeting, user=person, status=Registration.Status.GOING, answers=answers)
    for person in attendees[38:]:
        services.rsvp(event=meeting, user=person, status=Registration.Status.GOING)

    lunch = _at(now + timedelta(days=9), 12, 30)
    session = services.event_create(
        community=ppm,
        by=facilitator,
        speakers=[(attendees[3], "", "")],
        **_fields(
            title="Lunchtime session: assurance without the paperwork",
            description="Forty-five minutes on proportionate assurance, with time for your questions.",
            format=Event.Format.ONLINE,
            online_url="https://meet.example.org/ppm-assurance-lunch",
            starts_at=lunch,
            ends_at=lunch + timedelta(minutes=45),
            tags="assurance",
        ),
    )
    for person in attendees[:17]:
        services.rsvp(event=session, user=person, status=Registration.Status.GOING)

    held_start = _at(_first_tuesday_after(now, -2), 10)
    held = services.event_create(
        community=ppm,
        by=facilitator,
        announce=False,
        speakers=[(None, "Raj Patel", "Cabinet Office"), (attendees[5], "", "")],
        **_fields(
            title=LAST_MEETING,
            description="Talks and a workshop on getting the most from gateway reviews.",
            venue="Friends House",
            address="173 Euston Road\nLondon NW1 2BJ",
            starts_at=held_start,
            ends_at=held_start + timedelta(hours=6),
            capacity=40,
            tags="gateway reviews, assurance",
        ),
    )
    regs = [Registration(event=held, user=p, status=Registration.Status.GOING, attended=i % 6 != 0)
            for i, p in enumerate(attendees[:33])]  # fmt: skip
    Registration.objects.bulk_create(regs)
    Event.objects.filter(pk=held.pk).update(going_count=len(regs))
    held = services.notes_save(
        event=held,
        by=facilitator,
        notes=(
            "## What we heard\n\n"
            "- Raj Patel: reviews work best when the team asks for them early, not when the board demands one.\n"
            "- Gateway 2 packs should show the benefits map, not just the business case.\n\n"
            "## What we agreed\n\n"
            "1. Share anonymised review reports in the library.\n"
            "2. Pair new reviewers with experienced ones for their first two reviews.\n\n"
            "The slides are attached below; the discussion continues in the forum."
        ),
        recording_url="https://video.example.org/ppm-gateway-reviews",
        feedback_url="https://forms.example.org/ppm-quarterly-feedback",
    )
    _attach_slides(held, facilitator)
    thread = (
        SearchDocument.objects.filter(community=ppm, target_type__app_label="forums", title__icontains="gateway")
        .order_by("created_at")
        .first()
    )
    if thread is not None:
        services.follow_up_set(event=held, url=thread.url)
