from django import forms
from django.utils.text import slugify

from cop_platform.forms import capped
from cop_platform.widgets import DateInput, PlainSelect

from .extensions import SearchKind, registered
from .models import Community, Membership, Theme
from .services import parse_segment_names


def _slug_from(data, source: str, max_length: int = 80):
    """A copy of the submitted data with a blank web address made from `source` (the title or name)."""
    if data is None or data.get("slug"):
        return data
    data = data.copy()
    data["slug"] = slugify(data.get(source, ""))[:max_length]
    return data


class CommunityForm(forms.ModelForm):
    description = capped(Community, "description", 10_000)
    welcome_template = capped(Community, "welcome_template", 5_000, rows=10)

    class Meta:
        model = Community
        fields = [
            "name",
            "slug",
            "tagline",
            "description",
            "join_policy",
            "visibility",
            "stage",
            "welcome_template",
            "welcome_target_hours",
            "newsletter_day",
            "newsletter_tracking",
        ]
        widgets = {
            "join_policy": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        help_texts = {"slug": "Used in web addresses, e.g. ppm-community; made from the name when left empty."}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_slug_from(data, "name"), *args, **kwargs)
        self.fields["slug"].required = False


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label="Why would you like to join?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text="A line about your role and what you hope to get from (and bring to) the community.",
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="Note to the requester (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    message = forms.CharField(
        label="Personal message (optional)", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class MemberSegmentsForm(forms.Form):
    segments = forms.CharField(
        required=False,
        max_length=500,
        help_text="Comma-separated, e.g. finance, senior leaders. New segments are created as you type them.",
    )

    def clean_segments(self):
        return parse_segment_names(self.cleaned_data["segments"])


class BanForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept in the log)", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class WelcomeForm(forms.Form):
    body = forms.CharField(
        label="Welcome message",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=10000,
        help_text="Markdown. Sent by email and shown on the member's home page.",
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any role"), *Membership.Role.choices])
    segment = forms.TypedChoiceField(label="Segment", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", "Any segment"), *((s.pk, s.name) for s in segments)]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=200)
    community = forms.ChoiceField(label="Community", required=False, widget=PlainSelect)
    kind = forms.ChoiceField(label="Type", required=False, widget=PlainSelect)
    tag = forms.CharField(label="Tag", required=False, max_length=60)
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("relevance", "Best match"), ("newest", "Newest first")],
        widget=PlainSelect,
    )

    def __init__(self, *args, communities=(), **kwargs):
        """`communities` are (pk, slug, name) rows for the communities the user may read."""
        super().__init__(*args, **kwargs)
        self.community_pks = {slug: pk for pk, slug, _ in communities}
        self.fields["community"].choices = [("", "All communities"), *((slug, name) for _, slug, name in communities)]
        kinds = sorted(((k.key, k.label) for k in registered(SearchKind)), key=lambda item: item[1])
        self.fields["kind"].choices = [("", "Everything"), *kinds]

    def clean_community(self) -> int | None:
        return self.community_pks.get(self.cleaned_data["community"])

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().lstrip("#")

    def clean_order(self) -> str:
        return self.cleaned_data["order"] or "relevance"


class ThemeForm(forms.ModelForm):
    description = capped(Theme, "description", 10_000, rows=5)

    class Meta:
        model = Theme
        fields = ["title", "slug", "description", "starts_on", "ends_on", "tags"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, data=None, *args, community, **kwargs):
        super().__init__(_slug_from(data, "title"), *args, **kwargs)
        self.community = community
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "Used in its web address; made from the title when left empty."

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        others = Theme.objects.filter(community=self.community, slug=slug).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("Another theme of this community already uses this web address.")
        return slug

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "A theme ends on or after the day it starts.")
        return data
