from django.conf import settings

from .models import Community, Membership


def navigation(request):
    """The header's communities menu: the signed-in user's active communities, queried only if rendered."""
    user = getattr(request, "user", None)

    def my_communities():
        if user is None or not user.is_authenticated:
            return []
        return list(
            Community.objects.filter(
                memberships__user=user, memberships__status=Membership.Status.ACTIVE
            ).only("name", "slug")
        )

    return {"nav_communities": my_communities, "platform_name": settings.PLATFORM_NAME}
