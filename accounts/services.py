"""Account writes."""

from .models import Profile


def profile_for(user) -> Profile:
    """The user's profile, created empty the first time anyone needs it (sign-up, or the profile page)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
