from datetime import date, timedelta

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from communities.models import Flag

from .models import JobSettings, Posting

MARKDOWN_HELP = "Markdown: **bold**, *italic*, [links](https://…), lists, headings (## The role), > quotes."
TAGS_HELP = "Skills and methods, comma-separated, e.g. PRINCE2, MSP, agile, benefits realisation."
SORTS = (("newest", "Newest first"), ("closing", "Closing soonest"))


class ApplyUrlField(forms.CharField):
    """A web address (http or https) or a mailto: link; nothing else (no javascript:, data:, ftp:...)."""

    default_error_messages = {"invalid": "Give a web address starting https:// or http://, or a mailto: link."}

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return ""
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        if scheme == "mailto":
            address = value[len("mailto:") :].split("?", 1)[0]
            forms.EmailField().clean(address)
            return value
        if scheme not in ("http", "https"):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        URLValidator(schemes=["http", "https"])(value)
        return value


class PostingForm(forms.ModelForm):
    tags = forms.CharField(max_length=300, required=False, help_text=TAGS_HELP)
    apply_url = ApplyUrlField(
        label="Apply at (web address)",
        max_length=500,
        required=False,
        help_text="The advert or application page, or a mailto: link.",
    )

    class Meta:
        model = Posting
        fields = [
            "title",
            "employer",
            "location",
            "working_pattern",
            "contract",
            "salary_text",
            "salary_min",
            "salary_max",
            "closes_on",
            "apply_url",
            "apply_email",
            "description",
        ]
        widgets = {
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 14}),
            "working_pattern": forms.RadioSelect,
        }
        labels = {"salary_min": "Salary from (£ a year)", "salary_max": "Salary up to (£ a year)"}
        help_texts = {
            "description": MARKDOWN_HELP,
            "salary_min": "Optional, so people can filter by salary.",
            "location": "Town or city; leave empty for fully remote roles.",
        }

    def __init__(self, *args, community, lock_closing_date: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.max_days = JobSettings.of(community).max_days
        self.fields["description"].max_length = 20_000
        self.fields[
            "closes_on"
        ].help_text = f"At most {self.max_days} days ahead. The posting closes at the end of that day (UK time)."
        if lock_closing_date:
            del self.fields["closes_on"]
        if self.instance.pk and "tags" not in self.initial:
            self.initial["tags"] = ", ".join(self.instance.tags.names())

    def clean_closes_on(self) -> date:
        closes_on = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if closes_on < today:
            raise forms.ValidationError("The closing date has passed.")
        if closes_on > today + timedelta(days=self.max_days):
            raise forms.ValidationError(f"The closing date can be at most {self.max_days} days ahead.")
        return closes_on

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("apply_url") and not cleaned.get("apply_email") and not self.has_error("apply_url"):
            self.add_error("apply_url", "Say how to apply: a web address, an email address, or both.")
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and high < low:
            self.add_error("salary_max", "The top of the range is below its bottom.")
        return cleaned


class ExtendForm(forms.Form):
    closes_on = forms.DateField(label="New closing date", widget=forms.DateInput(attrs={"type": "date"}))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why it cannot go live (emailed to the poster)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept in the log)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Anything the facilitators should know? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = JobSettings
        fields = ["require_approval", "max_days", "daily_limit"]


class FilterForm(forms.Form):
    """The jobs lists' GET filters; values that do not parse are ignored rather than refused."""

    q = forms.CharField(label="Location", max_length=100, required=False)
    pattern = forms.ChoiceField(
        label="Working pattern", choices=[("", "Any")] + Posting.Pattern.choices, required=False
    )
    contract = forms.ChoiceField(label="Contract", choices=[("", "Any")] + Posting.Contract.choices, required=False)
    salary = forms.IntegerField(label="Salary at least (£ a year)", min_value=0, max_value=10_000_000, required=False)
    tag = forms.CharField(label="Skill or method", max_length=60, required=False)
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def values(self) -> dict:
        """The filters that parsed (a bad salary is dropped, the rest still apply)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class SearchForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. PMO roles in Yorkshire")
    community = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All my communities", label="Community"
    )
    tags = forms.CharField(max_length=300, required=False, help_text=TAGS_HELP + " Any of them matches.")
    working_pattern = forms.ChoiceField(
        label="Working pattern", choices=[("", "Any")] + Posting.Pattern.choices, required=False
    )
    location = forms.CharField(max_length=100, required=False, help_text="Remote roles match any location.")

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
