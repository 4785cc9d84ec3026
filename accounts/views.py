from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from .forms import ProfileForm, UserDetailsForm
from .services import profile_for


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    if request.method == "POST":
        user_form = UserDetailsForm(request.POST, instance=request.user, prefix="user")
        profile_form = ProfileForm(request.POST, request.FILES, instance=profile, prefix="profile")
        if user_form.is_valid() and profile_form.is_valid():
            with transaction.atomic():
                user_form.save()
                profile_form.save()
            messages.success(request, "Your profile is saved.")
            return redirect(request.user)
        messages.error(request, "Please correct the highlighted fields; nothing was saved yet.")
    else:
        user_form = UserDetailsForm(instance=request.user, prefix="user")
        profile_form = ProfileForm(instance=profile, prefix="profile")
    return render(request, "accounts/profile_edit.html", {"user_form": user_form, "profile_form": profile_form})
