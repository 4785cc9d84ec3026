"""Account writes."""

from django.db import transaction

from .models import Profile


def profile_for(user) -> Profile:
    """The user's profile, created empty the first time anyone needs it (sign-up, or the profile page)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def forget_replaced_avatar(profile: Profile, old_name: str) -> None:
    """Once the new avatar (or none) is committed, delete the file it replaced, so its old address stops working.
    After commit: a rolled-back save must keep the picture the profile still points to."""
    if not old_name or old_name == (profile.avatar.name or ""):
        return
    storage = profile.avatar.storage
    transaction.on_commit(lambda: storage.delete(old_name))
