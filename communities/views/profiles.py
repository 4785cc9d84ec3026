from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render

from ..extensions import ProfileSection, registered
from ..models import Community, Membership


@login_not_required
def profile_detail(request, pk):
    """A member's public profile: who they are, what they know, and the communities the viewer may see."""
    person = get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk, is_active=True)
    profile = getattr(person, "profile", None)
    communities = (
        Community.objects.visible_to(request.user)
        .filter(memberships__user=person, memberships__status=Membership.Status.ACTIVE)
        .order_by("name")
    )
    return render(
        request,
        "communities/profile_detail.html",
        {
            "person": person,
            "profile": profile,
            "expertise": list(profile.expertise.all()) if profile else [],
            "communities": communities,
            "is_me": request.user == person,
            "sections": [
                (section.template, section.context(person, request.user)) for section in registered(ProfileSection)
            ],
        },
    )
