from django import forms
from django.contrib.auth import get_user_model

from communities.models import Community

from .services import MAX_BODY

BODY_HELP = (
    "Markdown: **bold**, *italic*, [links](https://example.org), lists. Only the people in the conversation read it."
)


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ComposeForm(forms.Form):
    community = forms.ModelChoiceField(
        queryset=Community.objects.none(),
        label="Through the community",
        empty_label=None,
        help_text="You write as a fellow member of this community.",
    )
    recipients = PersonChoiceField(queryset=get_user_model().objects.none(), label="To")
    subject = forms.CharField(max_length=200, required=False)
    body = forms.CharField(
        label="Message", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP
    )

    def __init__(self, *args, communities, people, fixed_people: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(pk__in=[c.pk for c in communities]).order_by(
            "name"
        )
        if len(communities) == 1:
            self.fields["community"].widget = forms.HiddenInput()
            self.fields["community"].initial = communities[0].pk
        self.fields["recipients"].queryset = people
        if fixed_people:
            self.fields["recipients"].widget = forms.MultipleHiddenInput()
        else:
            self.fields["recipients"].widget.attrs["size"] = 8
            self.fields["recipients"].help_text = "Choose one or a few members (hold Ctrl or ⌘ to choose several)."


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 5}), help_text=BODY_HELP
    )


class ReportForm(forms.Form):
    note = forms.CharField(
        label="What is wrong with this message? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The community's facilitators will read this message, and only this message, with your note.",
    )
