from django import forms
from django.core.exceptions import ValidationError

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


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["organisation", "job_title", "bio", "expertise", "avatar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"avatar": "JPEG, PNG, GIF or WebP, up to 2 MB. We crop it to a square."}
        error_messages = {
            "avatar": {
                "invalid_image": "That file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture."
            }
        }

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
