from django import forms
from django.utils.text import slugify
from taggit.forms import TagField

from communities.models import Flag

from .models import Category, Thread

BODY_HELP = "Markdown: **bold**, *italic*, [links](https://…), lists, > quotes. Mention someone with @handle."


class ThreadForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), empty_label=None)
    kind = forms.ChoiceField(choices=Thread.Kind.choices, initial=Thread.Kind.DISCUSSION, widget=forms.RadioSelect)
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 10}), max_length=50000, help_text=BODY_HELP
    )
    tags = TagField(
        required=False, max_length=1_000, help_text="Comma-separated, e.g. benefits realisation, PRINCE2, risk."
    )

    def __init__(self, *args, categories, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["kind"].choices = [c for c in Thread.Kind.choices if c[0] in kinds]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 5:
            raise forms.ValidationError("Give your thread a title of at least five characters.")
        return title

    def clean_tags(self):
        tags = [t.strip()[:60] for t in self.cleaned_data["tags"] if t.strip()]
        if len(tags) > 8:
            raise forms.ValidationError("Use at most eight tags.")
        return tags


class ThreadEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    tags = TagField(required=False, max_length=1_000)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 6}), max_length=50000, help_text=BODY_HELP
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 10}), max_length=50000, help_text=BODY_HELP
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Anything the facilitators should know? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "description", "position", "facilitators_only", "is_archived"]

    def __init__(self, data=None, *args, community, **kwargs):
        if data is not None and not data.get("slug"):
            data = data.copy()
            data["slug"] = slugify(data.get("name", ""))[:80]  # a blank web address is made from the name
        super().__init__(data, *args, **kwargs)
        self.community = community

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Category.objects.filter(community=self.community, slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another category already uses this web address.")
        return slug


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept in the log)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
