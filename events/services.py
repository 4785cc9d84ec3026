"""Event writes: plan, edit, cancel, series, answers and the waitlist, attendance, notes, reminders.

Places: every write that changes who holds a place first locks the event row (SELECT ... FOR UPDATE), so the
count of places taken, the waitlist order and promotions are decided one transaction at a time. Thirty members
answering "going" at once for twenty places leave twenty going and ten waiting in the order they were served; a
cancellation promotes exactly one member from the head of the waitlist, who is emailed after commit.
"""

import zoneinfo
from datetime import datetime, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities import activity, search
from communities.emails import send_after_commit
from communities.models import Community
from cop_platform.markup import render_markdown_safe

from . import permissions
from .activity import Verb
from .models import Event, Registration, Series, Speaker

Status = Registration.Status
DAY_BEFORE = timedelta(days=1)
HOUR_BEFORE = timedelta(hours=1)
MAX_OCCURRENCES = 24


class EventError(Exception):
    """An event action the rules refuse; the message is shown to the member."""


# --- Planning ------------------------------------------------------------------------------------------------

FIELDS = (
    "title",
    "description",
    "format",
    "venue",
    "address",
    "accessibility",
    "online_url",
    "starts_at",
    "ends_at",
    "time_zone",
    "tags",
    "capacity",
    "questions",
    "theme",
)
# A change to any of these means calendars should update their copy (iCalendar SEQUENCE).
CALENDAR_FIELDS = {"title", "description", "format", "venue", "address", "starts_at", "ends_at"}


def _check(fields: dict) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise EventError("The event must end after it starts.")
    if fields.get("format") != Event.Format.IN_PERSON and not fields.get("online_url"):
        raise EventError("An online or hybrid event needs a joining link (only attendees with a place see it).")


def _speakers(event: Event, speakers) -> None:
    """Replace the speakers: (user or None, guest name, affiliation) in order."""
    event.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(event=event, user=user, name="" if user else name[:120], affiliation=affiliation[:160], order=i)
        for i, (user, name, affiliation) in enumerate(speakers or ())
        if user or name.strip()
    )


def index_event(event: Event) -> None:
    """Events are found by search (never with their joining link); cancelled ones drop out."""
    if event.is_cancelled:
        search.unindex(event)
        return
    search.index(
        target=event,
        community=event.community,
        kind="event",
        title=event.title,
        body="\n".join([event.description_html, event.venue, event.address, event.notes_html, *event.tag_list]),
        tags=event.tag_list,
        url=event.get_absolute_url(),
        author=event.created_by,
        created_at=event.created_at,
    )


@transaction.atomic
def event_create(*, community: Community, by, speakers=(), series: Series | None = None, announce=True, **fields):
    """A facilitator plans an event; members hear it was announced."""
    if not permissions.can_create_event(by, community):
        raise EventError("Only facilitators plan events.")
    _check(fields)
    event = Event.objects.create(
        community=community,
        created_by=by,
        series=series,
        description_html=render_markdown_safe(fields["description"]),
        **fields,
    )
    _speakers(event, speakers)
    index_event(event)
    if announce and not event.is_past:
        Event.objects.filter(pk=event.pk).update(announced_at=timezone.now())
        activity.record(community=community, actor=by, verb=Verb.EVENT_ANNOUNCED, target=event)
    return event


def _apply(event: Event, fields: dict) -> bool:
    """Set the fields on the (locked) event; True if calendars must update."""
    changed = {name for name, value in fields.items() if getattr(event, name) != value}
    for name in changed:
        setattr(event, name, value := fields[name])
        if name == "description":
            event.description_html = render_markdown_safe(value)
    if changed & CALENDAR_FIELDS:
        event.sequence += 1
    return bool(changed)


@transaction.atomic
def event_update(*, event: Event, by, speakers=None, **fields) -> Event:
    """Change an event; a new time or place bumps SEQUENCE; more places promote the waitlist."""
    if not permissions.can_edit_event(by, event):
        raise EventError("Only facilitators change events.")
    locked = Event.objects.select_for_update().select_related("community").get(pk=event.pk)
    merged = {name: getattr(locked, name) for name in FIELDS} | fields
    _check(merged)
    capacity = fields.get("capacity", locked.capacity)
    if capacity is not None and capacity < locked.going_count:
        raise EventError(f"{locked.going_count} members already hold a place; the capacity cannot go below that.")
    _apply(locked, fields)
    locked.save()
    if speakers is not None:
        _speakers(locked, speakers)
    _fill_places(locked)
    index_event(locked)
    return locked


@transaction.atomic
def series_update(*, event: Event, by, **fields) -> int:
    """Change this occurrence and every later one in its series (times keep each occurrence's own date)."""
    if event.series_id is None:
        event_update(event=event, by=by, **fields)
        return 1
    later = Event.objects.filter(series_id=event.series_id, starts_at__gte=event.starts_at).order_by("starts_at")
    shift_start = fields.pop("starts_at", event.starts_at) - event.starts_at
    shift_end = fields.pop("ends_at", event.ends_at) - event.ends_at
    count = 0
    for occurrence in later:
        times = {}
        if shift_start or shift_end:
            times = {"starts_at": occurrence.starts_at + shift_start, "ends_at": occurrence.ends_at + shift_end}
        event_update(event=occurrence, by=by, **fields, **times)
        count += 1
    return count


@transaction.atomic
def event_cancel(*, event: Event, by) -> Event:
    """Cancel an event: calendars show it CANCELLED (SEQUENCE bumped); it leaves search."""
    if not permissions.can_edit_event(by, event):
        raise EventError("Only facilitators cancel events.")
    locked = Event.objects.select_for_update().select_related("community").get(pk=event.pk)
    if not locked.is_cancelled:
        locked.is_cancelled = True
        locked.sequence += 1
        locked.save(update_fields=["is_cancelled", "sequence"])
        index_event(locked)
    return locked


def occurrence_dates(*, first: datetime, series: Series, count: int) -> list[datetime]:
    """The local start of each occurrence: `first` gives the time of day and zone, the series the pattern."""
    count = max(1, min(count, MAX_OCCURRENCES))
    day = weekday(series.weekday)
    naive_first = first.replace(tzinfo=None)
    if series.frequency == Series.Frequency.WEEKLY:
        rule = rrule(WEEKLY, interval=series.interval, byweekday=day, count=count, dtstart=naive_first)
    else:
        # Counted from the first of the month, so "the first Tuesday" is found even when `first` is later.
        rule = rrule(
            MONTHLY,
            interval=series.interval,
            byweekday=day(series.week_of_month or 1),
            count=count + 1,
            dtstart=naive_first.replace(day=1),
        )
    # Wall-clock times in the organiser's zone: 18:00 stays 18:00 across a daylight-saving change.
    dates = [d.replace(tzinfo=first.tzinfo) for d in rule if d.date() >= naive_first.date()]
    return dates[:count]


@transaction.atomic
def series_create(
    *, community: Community, by, frequency: str, interval: int, count: int, week_of_month=None, speakers=(), **fields
) -> Series:
    """A facilitator repeats an event; each occurrence is its own event with its own places."""
    if not permissions.can_create_event(by, community):
        raise EventError("Only facilitators plan events.")
    _check(fields)
    zone = zoneinfo.ZoneInfo(fields["time_zone"])
    first = fields["starts_at"].astimezone(zone)
    length = fields["ends_at"] - fields["starts_at"]
    series = Series.objects.create(
        community=community,
        title=fields["title"],
        frequency=frequency,
        interval=max(1, interval),
        weekday=first.weekday(),
        week_of_month=week_of_month if frequency == Series.Frequency.MONTHLY else None,
        created_by=by,
    )
    for i, start in enumerate(occurrence_dates(first=first, series=series, count=count)):
        event_create(
            community=community,
            by=by,
            series=series,
            speakers=speakers,
            announce=i == 0,
            **{**fields, "starts_at": start, "ends_at": start + length},
        )
    return series


# --- Answers and places ---------------------------------------------------------------------------------------


def _recount(event: Event) -> None:
    regs = Registration.objects.filter(event=event)
    event.going_count = regs.filter(status=Status.GOING).count()
    event.waiting_count = regs.filter(status=Status.WAITING).count()
    Event.objects.filter(pk=event.pk).update(going_count=event.going_count, waiting_count=event.waiting_count)


def _has_room(event: Event) -> bool:
    return event.capacity is None or event.going_count < event.capacity


def _fill_places(event: Event) -> list[Registration]:
    """Give free places to the head of the waitlist, in order; each promoted member is emailed after commit.
    The caller holds the event's row lock."""
    _recount(event)
    promoted = []
    while _has_room(event):
        head = (
            Registration.objects.select_for_update()
            .select_related("user")
            .filter(event=event, status=Status.WAITING)
            .order_by("waitlist_position")
            .first()
        )
        if head is None:
            break
        head.status, head.waitlist_position, head.updated_at = Status.GOING, None, timezone.now()
        head.save(update_fields=["status", "waitlist_position", "updated_at"])
        event.going_count += 1
        event.waiting_count -= 1
        promoted.append(head)
        activity.record(
            community=event.community, actor=None, verb=Verb.EVENT_PLACE_OFFERED, target=event, user_id=head.user_id
        )
        send_after_commit(
            to=head.user.email,
            subject=f"A place is yours: {event.title}",
            template="event_place_offered",
            context={"user": head.user, "event": event, "when": when_text(event)},
        )
    if promoted:
        Event.objects.filter(pk=event.pk).update(going_count=event.going_count, waiting_count=event.waiting_count)
    return promoted


def when_text(event: Event) -> str:
    return f"{event.local_start:%A %-d %B %Y, %H:%M} {event.local_start.tzname()}"


def clean_answers(event: Event, answers: dict | None) -> dict:
    questions = event.question_list
    return {q: str((answers or {}).get(q, "")).strip()[:1000] for q in questions if (answers or {}).get(q)}


@transaction.atomic
def rsvp(*, event: Event, user, status: str, answers: dict | None = None) -> Registration:
    """Answer an event. "Going" takes a place while any is left, else the next waitlist position; leaving a place
    gives it to the head of the waitlist."""
    locked = Event.objects.select_for_update().select_related("community").get(pk=event.pk)
    if not permissions.can_rsvp(user, locked):
        raise EventError("You can answer this event as an active member, until it ends.")
    if status not in (Status.GOING, Status.INTERESTED, Status.NOT_GOING):
        raise EventError("Choose going, interested or can't go.")
    registration = Registration.objects.select_for_update().filter(event=locked, user=user).first()
    previous = registration.status if registration else None
    if registration is None:
        registration = Registration(event=locked, user=user)
    if answers is not None:
        registration.answers = clean_answers(locked, answers)
    if status == Status.GOING:
        if previous not in (Status.GOING, Status.WAITING):
            if _has_room(locked):
                registration.status, registration.waitlist_position = Status.GOING, None
            else:
                registration.status, registration.waitlist_position = Status.WAITING, locked.next_position
                locked.next_position += 1
                Event.objects.filter(pk=locked.pk).update(next_position=F("next_position") + 1)
    else:
        registration.status, registration.waitlist_position = status, None
    registration.updated_at = timezone.now()
    registration.save()
    if previous != registration.status:
        _recount(locked)
        if previous == Status.GOING:
            _fill_places(locked)
        if registration.status == Status.GOING and previous is None:
            activity.record(community=locked.community, actor=user, verb=Verb.EVENT_REGISTERED, target=locked)
    event.going_count, event.waiting_count = locked.going_count, locked.waiting_count
    event.my_registration = registration
    return registration


@transaction.atomic
def attendance_mark(*, event: Event, by, attended_ids, registration_ids) -> int:
    """A facilitator ticks who came: the listed registrations are marked attended, the others on the list not."""
    if not permissions.can_manage_attendees(by, event):
        raise EventError("Only facilitators mark attendance.")
    shown = Registration.objects.filter(event=event, pk__in=registration_ids)
    attended = {int(pk) for pk in attended_ids}
    came = shown.filter(pk__in=attended).update(attended=True)
    shown.exclude(pk__in=attended).update(attended=False)
    return came


# --- Afterwards ------------------------------------------------------------------------------------------------


@transaction.atomic
def notes_save(*, event: Event, by, notes: str, recording_url: str = "", feedback_url: str = "") -> Event:
    """Facilitators or speakers post the notes; the first time, everyone who registered hears of it."""
    if not permissions.can_write_notes(by, event):
        raise EventError("Facilitators and the event's speakers write its notes.")
    locked = Event.objects.select_for_update().select_related("community").get(pk=event.pk)
    locked.notes, locked.notes_html = notes, render_markdown_safe(notes)
    locked.recording_url, locked.feedback_url = recording_url, feedback_url
    first = locked.notes_posted_at is None and bool(notes.strip())
    if first:
        locked.notes_posted_at = timezone.now()
    locked.save(update_fields=["notes", "notes_html", "recording_url", "feedback_url", "notes_posted_at"])
    index_event(locked)
    if first:
        activity.record(community=locked.community, actor=by, verb=Verb.EVENT_NOTES_POSTED, target=locked)
    return locked


def follow_up_set(*, event: Event, url: str) -> None:
    """Remember the discussion another app opened from this event (only the first one counts)."""
    Event.objects.filter(pk=event.pk, follow_up_url="").update(follow_up_url=url[:300])


# --- Reminders ------------------------------------------------------------------------------------------------


def send_reminders(now=None) -> int:
    """A day and an hour before an event, its attendees are reminded, each exactly once: the reminder is claimed
    by a conditional UPDATE, so two beat runs (or two workers) at the same moment record it once."""
    now = now or timezone.now()
    count = 0
    for field, lead, key in (("day_reminded_at", DAY_BEFORE, "day"), ("hour_reminded_at", HOUR_BEFORE, "hour")):
        due = Event.objects.filter(
            is_cancelled=False, starts_at__gt=now, starts_at__lte=now + lead, **{f"{field}__isnull": True}
        ).select_related("community")
        for event in due:
            with transaction.atomic():
                claimed = Event.objects.filter(pk=event.pk, **{f"{field}__isnull": True}).update(**{field: now})
                if not claimed:
                    continue
                # An event added less than an hour before gets one reminder, not two.
                if key == "day" and event.starts_at <= now + HOUR_BEFORE:
                    # Planned (or first seen) less than an hour before: one reminder, the hour's, not two.
                    if not Event.objects.filter(pk=event.pk, hour_reminded_at__isnull=True).update(
                        hour_reminded_at=now
                    ):
                        continue
                    key = "hour"
                activity.record(
                    community=event.community, actor=None, verb=Verb.EVENT_REMINDER, target=event, lead=key
                )
                count += 1
    return count
