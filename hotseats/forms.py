from datetime import timedelta

from django import forms
from django.db.models.functions import Lower

from communities.models import Membership, Theme
from cop_platform.widgets import DateTimeLocalInput

from .models import DEFAULT_LENGTH

MARKDOWN_HELP = "Markdown: **bold**, *italic*, lists, > quotes, [links](https://…)."


def _emails(text: str) -> list[str]:
    return [e.strip().lower() for e in text.replace(";", ",").replace("\n", ",").split(",") if e.strip()]


class HotSeatForm(forms.Form):
    title = forms.CharField(max_length=160)
    topic = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, help_text=MARKDOWN_HELP)
    opens_at = forms.DateTimeField(
        label="Opens",
        widget=DateTimeLocalInput(),
        help_text="In your time zone.",
    )
    closes_at = forms.DateTimeField(
        label="Closes",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="Leave empty for five days after it opens.",
    )
    early_questions = forms.BooleanField(
        label="Members may send questions before it opens", required=False, initial=True
    )
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    tags = forms.CharField(max_length=300, required=False, help_text="Comma-separated.")
    member_experts = forms.CharField(
        label="Experts from the community",
        required=False,
        max_length=2000,
        help_text="Start typing a member's name or email and pick them; separate several with commas.",
        widget=forms.EmailInput(attrs={"multiple": True, "list": "member-experts-options", "autocomplete": "off"}),
    )
    guest_experts = forms.CharField(
        label="Guest experts",
        required=False,
        max_length=2000,
        help_text="Email addresses of people outside the community; each gets an invitation to this hot seat only.",
    )

    member_options: list = []  # (email, first name, last name) of the community's members, for the datalist

    def __init__(self, *args, community, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["theme"].queryset = Theme.objects.filter(community=community)
        if editing:
            del self.fields["member_experts"]
            del self.fields["guest_experts"]
        else:
            self.member_options = list(
                Membership.objects.active()
                .filter(community=community)
                .select_related("user")
                .order_by("user__first_name", "user__last_name")
                .values_list("user__email", "user__first_name", "user__last_name")
            )

    def clean_member_experts(self):
        emails = _emails(self.cleaned_data.get("member_experts", ""))
        users = {
            m.user.email.lower(): m.user
            for m in Membership.objects.active()
            .annotate(email_lower=Lower("user__email"))
            .filter(community=self.community, email_lower__in=emails)
            .select_related("user")
        }
        missing = [e for e in emails if e not in users]
        if missing:
            raise forms.ValidationError(
                f"Not active members of this community: {', '.join(missing)}. Invite them as guest experts instead."
            )
        return list(users.values())

    def clean_guest_experts(self):
        emails = _emails(self.cleaned_data.get("guest_experts", ""))
        field = forms.EmailField()
        for email in emails:
            field.clean(email)
        return emails

    def clean(self):
        data = super().clean()
        opens = data.get("opens_at")
        if opens and not data.get("closes_at"):
            data["closes_at"] = opens + DEFAULT_LENGTH
        closes = data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The hot seat must close after it opens.")
        if opens and closes and closes - opens > timedelta(days=31):
            self.add_error("closes_at", "Keep a hot seat to a month at most; four or five days works best.")
        no_experts = not (data.get("member_experts") or data.get("guest_experts"))
        expert_errors = self.errors.get("member_experts") or self.errors.get("guest_experts")
        if "member_experts" in self.fields and no_experts and not expert_errors:
            self.add_error("member_experts", "Name at least one expert, from the community or as a guest.")
        return data


class QuestionForm(forms.Form):
    body = forms.CharField(
        label="Your question", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, help_text=MARKDOWN_HELP
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, help_text=MARKDOWN_HELP
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), max_length=20000, help_text=MARKDOWN_HELP)
