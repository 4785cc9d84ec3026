import time

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.db import transaction
from django.shortcuts import redirect, render

from .forms import ProfileForm, UserDetailsForm
from .services import forget_replaced_avatar, profile_for


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    if request.method == "POST":
        user_form = UserDetailsForm(request.POST, instance=request.user, prefix="user")
        profile_form = ProfileForm(request.POST, request.FILES, instance=profile, prefix="profile")
        old_avatar = profile.avatar.name if profile.avatar else ""
        if user_form.is_valid() and profile_form.is_valid():
            with transaction.atomic():
                user_form.save()
                saved = profile_form.save()
                forget_replaced_avatar(saved, old_avatar)
            messages.success(request, "Your profile is saved.")
            return redirect(request.user)
        messages.error(request, "Please correct the highlighted fields; nothing was saved yet.")
    else:
        user_form = UserDetailsForm(instance=request.user, prefix="user")
        profile_form = ProfileForm(instance=profile, prefix="profile")
    return render(request, "accounts/profile_edit.html", {"user_form": user_form, "profile_form": profile_form})


class LoginView(allauth_views.LoginView):
    """allauth's login page, except that a login refused by the failed-login throttle answers 429 like every other
    limit (the form still shows the message and keeps the email typed)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {error.code for errors in form.errors.as_data().values() for error in errors}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
        return response


login = login_not_required(LoginView.as_view())


class SignupView(allauth_views.SignupView):
    """allauth's sign-up page, answering a submitted form no sooner than `SIGNUP_MIN_SECONDS` after it arrived.

    Enumeration prevention already gives an address in use the same answer as a new one, and the form pays the
    same password hash on both paths; what remains (creating the account, its email address and profile) still
    differs by tens of milliseconds, more on a busy database. Padding every answer to one floor leaves the time
    of the answer saying nothing about whether the account exists."""

    def post(self, request, *args, **kwargs):
        started = time.monotonic()
        response = super().post(request, *args, **kwargs)
        remaining = settings.SIGNUP_MIN_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        return response


signup = login_not_required(SignupView.as_view())
