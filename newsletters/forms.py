from django import forms

from communities.models import Segment
from cop_platform.widgets import DateTimeLocalInput

from .models import Frequency


class NewsletterMetaForm(forms.Form):
    subject = forms.CharField(max_length=200)
    intro = forms.CharField(
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
        help_text="Markdown. A few friendly lines from the facilitators.",
    )
    segments = forms.ModelMultipleChoiceField(
        queryset=Segment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to send to every member who takes the newsletter.",
    )
    article = forms.ChoiceField(label="Article of the month", required=False)

    def __init__(self, *args, community, article_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = Segment.objects.filter(community=community)
        self.fields["article"].choices = [("", "No article of the month"), *article_choices]


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label="Send at",
        widget=DateTimeLocalInput(),
        help_text="In your time zone.",
    )


class PreferencesForm(forms.Form):
    """One community's settings: the newsletter and a frequency for each alert type the member may choose.

    The page shows one of these per community, with a prefix; `alert_types` are the registered AlertTypes.
    """

    newsletter = forms.BooleanField(label="The monthly newsletter", required=False)

    def __init__(self, *args, alert_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.alert_keys = [kind.key for kind in alert_types]
        for kind in alert_types:
            self.fields[kind.key] = forms.ChoiceField(label=kind.label, choices=Frequency.choices)

    @property
    def chosen_frequencies(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.alert_keys}


class GlobalPreferencesForm(forms.Form):
    no_email = forms.BooleanField(label="Send me no email at all (except account and security emails)", required=False)
