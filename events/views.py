"""Event pages: list, detail, plan and edit, answers, attendees (CSV, attendance), .ics and notes afterwards."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities import calendars as community_calendars
from communities import extensions
from communities.access import readable_community, refuse
from communities.permissions import can_view_community
from cop_platform.spreadsheets import csv_download

from . import calendar, permissions, selectors, services
from .forms import EditScopeForm, EventForm, NotesForm, RepeatForm, RsvpForm
from .models import Event, Registration

PAST_PER_PAGE = 20
UPCOMING_LIMIT = 50
ATTENDEES_PER_PAGE = 100
TARGET = "events.event"  # the slot and attachment target other apps plug into


def event_view(view):
    """An event the user may see: its community is readable (others get the community's refusal)."""

    @wraps(view)
    def wrapped(request, slug, pk, *args, **kwargs):
        event = get_object_or_404(selectors.event_page_queryset(), pk=pk, community__slug=slug)
        if not can_view_community(request.user, event.community):
            return refuse(request, event.community)
        return view(request, event, *args, **kwargs)

    return wrapped


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_not_required
@readable_community
def event_list(request, community):
    """Upcoming events soonest first; past ones (with their notes) newest first, paged."""
    user = request.user
    base = Event.objects.filter(community=community).select_related("community")
    past = request.GET.get("show") == "past"
    if past:
        page = Paginator(base.past(), PAST_PER_PAGE).get_page(request.GET.get("page"))
        events = selectors.with_my_registrations(page.object_list, user)
    else:
        page = None
        events = selectors.with_my_registrations(base.upcoming()[:UPCOMING_LIMIT], user)
    return render(
        request,
        "events/event_list.html",
        {
            "community": community,
            "tab": "events",
            "events": events,
            "page": page,
            "past": past,
            "can_create": permissions.can_create_event(user, community),
        },
    )


def _detail_context(request, event, **extra):
    user = request.user
    registration = permissions.registration_of(user, event)
    manager = permissions.can_manage_attendees(user, event)
    context = {
        "community": event.community,
        "tab": "events",
        "event": event,
        "registration": registration,
        "can_rsvp": permissions.can_rsvp(user, event),
        "can_edit": permissions.can_edit_event(user, event),
        "can_manage": manager,
        "can_write_notes": permissions.can_write_notes(user, event),
        "can_see_link": permissions.can_see_online_link(user, event),
        "going": selectors.going_preview(event),
        "attachments": extensions.attachments_for(TARGET, [event], user).of(event),
    }
    if "rsvp_form" not in extra and context["can_rsvp"]:
        initial = {"status": registration.status if registration and registration.status != "waiting" else "going"}
        if registration and registration.status == Registration.Status.WAITING:
            initial["status"] = "going"
        form = RsvpForm(questions=event.question_list, initial=initial)
        for i, question in enumerate(event.question_list):
            form.fields[f"q{i}"].initial = (registration.answers if registration else {}).get(question, "")
        context["rsvp_form"] = form
    context.update(extra)
    return context


@login_not_required
@event_view
def event_detail(request, event):
    return render(request, "events/event_detail.html", _detail_context(request, event))


@login_required
@require_POST
@event_view
def event_rsvp(request, event):
    """Going, interested or can't go; with no place left, "going" joins the waitlist."""
    form = RsvpForm(request.POST, questions=event.question_list)
    if not form.is_valid():
        context = _detail_context(request, event, rsvp_form=form)
        return render(request, "events/event_detail.html", context, status=400)
    try:
        registration = services.rsvp(
            event=event, user=request.user, status=form.cleaned_data["status"], answers=form.answers()
        )
    except services.EventError as exc:
        raise PermissionDenied(str(exc)) from exc
    if registration.status == Registration.Status.GOING:
        messages.success(request, "You have a place. See you there!")
    elif registration.status == Registration.Status.WAITING:
        messages.info(
            request, f"The event is full: you are number {registration.waitlist_position} in the waitlist order."
        )
    else:
        messages.success(request, "Your answer is saved.")
    return redirect(event)


def _form_page(request, community, form, repeat=None, scope=None, event=None, status=200):
    return render(
        request,
        "events/event_form.html",
        {"community": community, "tab": "events", "form": form, "repeat": repeat, "scope": scope, "event": event},
        status=status,
    )


@login_required
@readable_community
def event_create(request, community):
    """A facilitator plans an event, or a series of them."""
    _require(permissions.can_create_event(request.user, community))
    form = EventForm(request.POST or None, community=community)
    repeat = RepeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and repeat.is_valid():
        fields = form.event_fields()
        try:
            if repeat.cleaned_data["repeat"]:
                series = services.series_create(
                    community=community,
                    by=request.user,
                    frequency=repeat.cleaned_data["repeat"],
                    interval=repeat.cleaned_data["interval"] or 1,
                    week_of_month=repeat.cleaned_data["week_of_month"],
                    count=repeat.cleaned_data["count"] or 4,
                    speakers=form.speaker_list(),
                    **fields,
                )
                messages.success(request, f"{series.events.count()} occurrences of “{series.title}” are planned.")
                return redirect(series.events.order_by("starts_at").first())
            event = services.event_create(community=community, by=request.user, speakers=form.speaker_list(), **fields)
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The event is announced.")
            return redirect(event)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, community, form, repeat=repeat, status=status)


@login_required
@event_view
def event_edit(request, event):
    """Change one occurrence, or it and every later one in its series."""
    _require(permissions.can_edit_event(request.user, event))
    data = request.POST or None
    form = EventForm(data, community=event.community, initial=EventForm.initial_for(event))
    scope = EditScopeForm(data) if event.series_id else None
    if request.method == "POST" and form.is_valid() and (scope is None or scope.is_valid()):
        fields = form.event_fields()
        try:
            if scope is not None and scope.cleaned_data["scope"] == "all":
                count = services.series_update(event=event, by=request.user, speakers=form.speaker_list(), **fields)
                messages.success(request, f"{count} occurrences are updated.")
            else:
                services.event_update(event=event, by=request.user, speakers=form.speaker_list(), **fields)
                messages.success(request, "The event is updated.")
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(event)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, event.community, form, scope=scope, event=event, status=status)


@login_required
@require_POST
@event_view
def event_cancel(request, event):
    _require(permissions.can_edit_event(request.user, event))
    services.event_cancel(event=event, by=request.user)
    messages.success(request, "The event is cancelled; calendars will show it as cancelled.")
    return redirect(event)


@login_not_required
@event_view
def event_ics(request, event):
    """The event as an .ics file (never with the joining link)."""
    return community_calendars.response(calendar.event_ics(event), f"event-{event.pk}.ics")


@login_required
@event_view
def attendee_list(request, event):
    """Facilitators see who is going and waiting, their answers, and tick attendance on the day."""
    _require(permissions.can_manage_attendees(request.user, event))
    page = Paginator(selectors.attendees(event), ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(r, [r.answers.get(q, "") for q in event.question_list]) for r in page.object_list]
    return render(
        request,
        "events/attendee_list.html",
        {"community": event.community, "tab": "events", "event": event, "page": page, "rows": rows},
    )


@login_required
@require_POST
@event_view
def attendance_mark(request, event):
    _require(permissions.can_manage_attendees(request.user, event))
    ids = [v for v in request.POST.getlist("registration") if v.isdigit()]
    came = [v for v in request.POST.getlist("attended") if v.isdigit()]
    count = services.attendance_mark(event=event, by=request.user, attended_ids=came, registration_ids=ids)
    messages.success(request, f"Attendance saved: {count} came.")
    return redirect("events:attendee_list", slug=event.community.slug, pk=event.pk)


@login_required
@event_view
def attendee_export(request, event):
    """The attendee list as CSV, answers included (facilitators only)."""
    _require(permissions.can_manage_attendees(request.user, event))
    questions = event.question_list

    def rows():
        yield ["Name", "Email", "Organisation", "Status", "Waitlist position", "Attended", *questions]
        for r in selectors.attendees(event).iterator(chunk_size=500):
            attended = "" if r.attended is None else r.attended
            profile = getattr(r.user, "profile", None)
            yield [
                r.user.display_name,
                r.user.email,
                profile.organisation if profile else "",
                r.get_status_display(),
                r.waitlist_position or "",
                attended,
                *[r.answers.get(q, "") for q in questions],
            ]

    return csv_download(f"event-{event.pk}-attendees.csv", rows())


@login_required
@event_view
def notes_edit(request, event):
    """Facilitators and speakers post the notes, a recording link, a feedback survey and files afterwards."""
    _require(permissions.can_write_notes(request.user, event))
    initial = {"notes": event.notes, "recording_url": event.recording_url, "feedback_url": event.feedback_url}
    form = NotesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.notes_save(event=event, by=request.user, **form.cleaned_data)
                extensions.save_attachments(TARGET, saved, request)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        except services.EventError as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(request, "The notes are posted; those who registered are told.")
            return redirect(event)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/notes_form.html",
        {"community": event.community, "tab": "events", "event": event, "form": form, "target": TARGET},
        status=status,
    )
