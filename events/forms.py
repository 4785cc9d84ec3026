import zoneinfo

from django import forms
from django.contrib.auth import get_user_model

from communities.models import Membership, Theme

from .models import ZONE_CHOICES, Event, Series

MARKDOWN_HELP = "Markdown: **bold**, *italic*, lists, [links](https://…)."
LOCAL = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class EventForm(forms.Form):
    title = forms.CharField(max_length=160)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, help_text=MARKDOWN_HELP)
    format = forms.ChoiceField(choices=Event.Format.choices, widget=forms.RadioSelect, initial=Event.Format.IN_PERSON)
    starts_at = forms.DateTimeField(label="Starts", help_text="In the event's time zone (below).", **LOCAL)
    ends_at = forms.DateTimeField(label="Ends", **LOCAL)
    time_zone = forms.ChoiceField(label="Time zone", choices=ZONE_CHOICES, help_text="Where the organiser is.")
    venue = forms.CharField(max_length=200, required=False)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000)
    accessibility = forms.CharField(
        label="Accessibility notes", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    online_url = forms.URLField(
        label="Online joining link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Only members with a place (and facilitators) see it; never in calendars or emails to others.",
    )
    capacity = forms.IntegerField(min_value=1, max_value=100000, required=False, help_text="Empty: no limit.")
    speakers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="One per line: a member's email links their profile, anything else names a guest. "
        "Add an affiliation after a comma.",
    )
    questions = forms.CharField(
        label="Registration questions",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="One per line, e.g. dietary needs. Only facilitators read the answers.",
    )
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    tags = forms.CharField(max_length=300, required=False, help_text="Comma-separated.")

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["theme"].queryset = Theme.objects.filter(community=community).order_by("-starts_on")
        self.fields["time_zone"].initial = "Europe/London"

    def _local(self, name):
        value = self.cleaned_data.get(name)
        zone = self.cleaned_data.get("time_zone")
        if value is None or not zone:
            return value
        # The form field read the wall-clock time in the viewer's zone; it means the event's zone.
        return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(zone))

    def clean(self):
        data = super().clean()
        data["starts_at"], data["ends_at"] = self._local("starts_at"), self._local("ends_at")
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The event must end after it starts.")
        if data.get("format") in (Event.Format.ONLINE, Event.Format.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", "An online or hybrid event needs a joining link.")
        return data

    def speaker_list(self):
        """(user or None, guest name, affiliation) per line; emails of active members become their profile."""
        lines = [line.strip() for line in self.cleaned_data.get("speakers", "").splitlines() if line.strip()]
        parsed = []
        for line in lines:
            name, _, affiliation = line.partition(",")
            parsed.append((name.strip(), affiliation.strip()))
        emails = [name.lower() for name, _ in parsed if "@" in name]
        members = {
            u.email.lower(): u
            for u in get_user_model().objects.filter(
                email__in=emails,
                memberships__community=self.community,
                memberships__status=Membership.Status.ACTIVE,
            )
        }
        return [(members.get(name.lower()), "" if name.lower() in members else name, aff) for name, aff in parsed]

    def event_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name] if data[name] is not None else (None if name in ("capacity", "theme") else "")
            for name in (
                "title",
                "description",
                "format",
                "starts_at",
                "ends_at",
                "time_zone",
                "venue",
                "address",
                "accessibility",
                "online_url",
                "capacity",
                "questions",
                "theme",
                "tags",
            )
        }

    @staticmethod
    def initial_for(event: Event) -> dict:
        lines = []
        for s in event.speakers.all():
            who = s.user.email if s.user_id else s.name
            lines.append(f"{who}, {s.affiliation}" if s.affiliation else who)
        return {
            **{name: getattr(event, name) for name in ("title", "description", "format", "time_zone", "venue")},
            **{name: getattr(event, name) for name in ("address", "accessibility", "online_url", "capacity")},
            "questions": event.questions,
            "theme": event.theme_id,
            "tags": event.tags,
            "starts_at": event.local_start.replace(tzinfo=None),
            "ends_at": event.local_end.replace(tzinfo=None),
            "speakers": "\n".join(lines),
        }


class RepeatForm(forms.Form):
    """How a new event repeats (leave "Does not repeat" for a single event)."""

    repeat = forms.ChoiceField(
        choices=[("", "Does not repeat"), *Series.Frequency.choices], required=False, label="Repeats"
    )
    interval = forms.IntegerField(label="Every", min_value=1, max_value=12, initial=1, required=False)
    week_of_month = forms.TypedChoiceField(
        label="On the",
        coerce=int,
        required=False,
        choices=[(1, "first"), (2, "second"), (3, "third"), (4, "fourth"), (-1, "last")],
        help_text="Monthly series: which such weekday of the month (the weekday is the first event's).",
    )
    count = forms.IntegerField(label="Occurrences", min_value=2, max_value=24, initial=4, required=False)


class EditScopeForm(forms.Form):
    scope = forms.ChoiceField(
        label="Apply the change to",
        choices=[("one", "This occurrence only"), ("all", "This and every later occurrence in the series")],
        initial="one",
        widget=forms.RadioSelect,
    )


class RsvpForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("going", "Going"), ("interested", "Interested"), ("not_going", "Can't go")], widget=forms.RadioSelect
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for i, question in enumerate(self.questions):
            self.fields[f"q{i}"] = forms.CharField(label=question, required=False, max_length=1000)

    def answers(self) -> dict:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}


class NotesForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), max_length=50000, help_text=MARKDOWN_HELP)
    recording_url = forms.URLField(label="Recording link", max_length=500, required=False, assume_scheme="https")
    feedback_url = forms.URLField(label="Feedback survey link", max_length=500, required=False, assume_scheme="https")
