from django import forms
from django.core.exceptions import ValidationError
from taggit.forms import TagField

from .images import normalise_avatar
from .models import Profile, User
from .validators import validate_avatar


class SignupExtraForm(forms.Form):
    """Names and organisation asked for at sign-up, so members can recognise each other from day one."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    organisation = forms.CharField(max_length=160, required=False, help_text="e.g. Leeds City Council")

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.handle = None  # regenerated from the real name rather than the email address
        user.save()
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.organisation = self.cleaned_data["organisation"]
        profile.save()


class UserDetailsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "handle", "time_zone"]
        labels = {"handle": "@handle"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The time zone's default is a callable (the site's TIME_ZONE), for which Django adds a hidden "initial"
        # input that repeats the field's aria-describedby: invalid HTML, and nothing here needs it.
        self.fields["time_zone"].show_hidden_initial = False


BIO_MAX = 2_000
EXPERTISE_MAX_TAGS = 20
TAG_MAX = 100  # taggit stores at most 100 characters of a tag's name


class ProfileForm(forms.ModelForm):
    # Capped by the form (shown on every profile view): a longer one comes back with an error and the text kept.
    bio = forms.CharField(
        required=False,
        max_length=BIO_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Markdown. A few lines on what you work on and what you know (up to {BIO_MAX:,} characters).",
    )
    expertise = TagField(required=False, max_length=2_000, label="Expertise", help_text="Comma-separated topics.")

    class Meta:
        model = Profile
        fields = ["organisation", "job_title", "bio", "expertise", "avatar"]
        help_texts = {"avatar": "JPEG, PNG, GIF or WebP, up to 2 MB. We crop it to a square."}
        error_messages = {
            "avatar": {
                "invalid_image": "That file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture."
            }
        }

    def clean_expertise(self):
        tags = [" ".join(tag.split()) for tag in self.cleaned_data.get("expertise") or []]
        tags = [tag for tag in tags if tag]
        if len(tags) > EXPERTISE_MAX_TAGS:
            raise ValidationError(f"List at most {EXPERTISE_MAX_TAGS} topics.")
        too_long = [tag for tag in tags if len(tag) > TAG_MAX]
        if too_long:
            raise ValidationError(f"Keep each topic under {TAG_MAX} characters (one is {len(too_long[0]):,}).")
        return tags

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        # Only a newly uploaded file has a content_type; an unchanged avatar is the stored FieldFile.
        if avatar and hasattr(avatar, "content_type"):
            validate_avatar(avatar)
            try:
                return normalise_avatar(avatar)
            except (OSError, SyntaxError, ValueError) as exc:
                # verify() only checks headers; a truncated JPEG passes it and fails here, on the full decode.
                raise ValidationError(
                    "That file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture.", code="not_image"
                ) from exc
        return avatar
