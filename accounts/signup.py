"""allauth's sign-up form with an accessible honeypot (kept apart from forms.py, which allauth itself imports)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.conf import settings
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        honeypot = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD)
        if honeypot is not None:
            # allauth hides it with an inline style, which our CSP blocks; app.css moves it off-screen instead.
            # A label tells the rare screen-reader user who reaches it to leave it alone.
            honeypot.label = "Leave this field empty"
            honeypot.widget.attrs = {"tabindex": "-1", "autocomplete": "off"}

    def try_save(self, request):
        if self.account_already_exists:
            # Enumeration prevention answers both cases alike; make them take alike too. A new account costs a
            # password hash (most of the time a sign-up takes), so an address already in use pays for one as well.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
