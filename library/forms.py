from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from communities.models import Flag, Theme

from .filetypes import ACCEPTED_SUMMARY, ALLOWED
from .inspection import UploadRefused, inspect_upload
from .models import Resource
from .selectors import SORTS

MARKDOWN_HELP = "Markdown: **bold**, *italic*, [links](https://…), lists, headings (## Step 1), > quotes."
TAGS_HELP = "Comma-separated, e.g. benefits realisation, templates, risk."
ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)


def _file_help() -> str:
    return f"{ACCEPTED_SUMMARY}, up to {filesizeformat(settings.LIBRARY_MAX_UPLOAD_BYTES)}."


class UploadField(forms.FileField):
    """A file input whose cleaned value is the inspected upload (library.inspection), or a clear refusal."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return inspect_upload(upload)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from exc


class _UploadFormMixin:
    """Reports a file the size cap dropped while it streamed in (library.upload_handlers)."""

    def __init__(self, *args, refused_uploads=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_uploads = list(refused_uploads)

    def clean(self):
        cleaned = super().clean()
        if self.refused_uploads and "file" in self.fields:
            self.errors.pop("file", None)
            cleaned.pop("file", None)
            self.add_error(
                "file",
                f"The file is larger than {filesizeformat(settings.LIBRARY_MAX_UPLOAD_BYTES)}, the most the library "
                "takes. It was not uploaded.",
            )
        return cleaned


class ResourceForm(_UploadFormMixin, forms.Form):
    """Adding a resource; the fields depend on its kind."""

    title = forms.CharField(max_length=200)
    url = forms.URLField(
        label="Web address", max_length=500, assume_scheme="https", help_text="e.g. https://www.apm.org.uk/"
    )
    summary = forms.CharField(
        label="Summary",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A few lines: what it is, and when it helps.",
    )
    body = forms.CharField(
        label="Text", max_length=100_000, widget=forms.Textarea(attrs={"rows": 16}), help_text=MARKDOWN_HELP
    )
    tags = forms.CharField(max_length=300, required=False, help_text=TAGS_HELP)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="No theme")
    organisation = forms.CharField(
        label="Organisation of origin",
        max_length=120,
        required=False,
        help_text="Who made it, e.g. Leeds City Council.",
    )
    licence = forms.ChoiceField(
        label="Licence or sharing terms", choices=Resource.Licence.choices, initial=Resource.Licence.ASK
    )
    editing = forms.ChoiceField(label="Who may edit it", choices=Resource.Editing.choices, widget=forms.RadioSelect)
    file = UploadField(label="File")

    def __init__(self, *args, community, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["theme"].queryset = Theme.objects.filter(community=community).order_by("-starts_on")
        self.fields["file"].help_text = _file_help()
        if kind == Resource.Kind.KEY_LINK:
            self.fields["summary"].label = "Why is it useful?"
            self.fields["summary"].required = True
            for name in ("body", "editing", "file", "licence"):
                del self.fields[name]
        else:
            del self.fields["url"]
        if kind == Resource.Kind.GUIDE:
            del self.fields["file"]
        elif kind == Resource.Kind.TOOLKIT:
            self.fields["body"].label = "How to use the toolkit"
            self.fields["body"].required = False
            self.fields["file"].label = "First file"
            self.fields["file"].help_text += " Add more files once the toolkit is created."
            del self.fields["editing"]
        elif kind != Resource.Kind.KEY_LINK:
            del self.fields["body"]
            del self.fields["editing"]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise forms.ValidationError("Give it a title of at least three characters.")
        return title


class ResourceEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    url = forms.URLField(label="Web address", max_length=500, assume_scheme="https")
    summary = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(max_length=300, required=False, help_text=TAGS_HELP)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="No theme")
    organisation = forms.CharField(label="Organisation of origin", max_length=120, required=False)
    licence = forms.ChoiceField(
        label="Licence or sharing terms", choices=Resource.Licence.choices, initial=Resource.Licence.ASK
    )
    editing = forms.ChoiceField(label="Who may edit it", choices=Resource.Editing.choices, widget=forms.RadioSelect)

    def __init__(self, *args, resource: Resource, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": resource.title,
                "url": resource.url,
                "summary": resource.summary,
                "tags": resource.tags,
                "theme": resource.theme_id,
                "organisation": resource.organisation,
                "licence": resource.licence,
                "editing": resource.editing,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(community_id=resource.community_id)
        if resource.kind != Resource.Kind.KEY_LINK:
            del self.fields["url"]
        else:
            self.fields["summary"].label = "Why is it useful?"
        if resource.kind != Resource.Kind.GUIDE:
            del self.fields["editing"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class VersionForm(_UploadFormMixin, forms.Form):
    change_note = forms.CharField(
        label="What changed?", max_length=500, required=False, help_text="e.g. Added a dis-benefits column."
    )
    file = UploadField(label="New version")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


class ToolkitFileForm(_UploadFormMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, required=False, help_text="Leave empty to use the file's name."
    )
    file = UploadField(label="File")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


class GuideForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Text", max_length=100_000, widget=forms.Textarea(attrs={"rows": 20}), help_text=MARKDOWN_HELP
    )
    note = forms.CharField(
        label="What did you change?", max_length=300, required=False, help_text="Shown in the revision history."
    )

    def __init__(self, *args, body_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = body_required


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment", max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}), help_text=MARKDOWN_HELP
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Anything the facilitators should know? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept in the log)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BrowseForm(forms.Form):
    """The library's GET filters; unknown values are ignored rather than refused."""

    q = forms.CharField(label="Words in the title or summary", max_length=100, required=False)
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Resource.Kind.choices], required=False)
    tag = forms.CharField(max_length=40, required=False)
    theme = forms.CharField(max_length=80, required=False)
    organisation = forms.CharField(max_length=120, required=False)
    sort = forms.ChoiceField(
        label="Sort by", choices=[(key, label) for key, (label, _) in SORTS.items()], required=False
    )

    def filters(self) -> dict:
        """The valid, non-empty filters (an invalid one is dropped, the others still apply)."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}
