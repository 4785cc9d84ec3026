from django.conf import settings

from .permissions import active_memberships


def navigation(request):
    """The header's communities menu: the signed-in user's active communities, from the membership cache."""
    user = getattr(request, "user", None)

    def my_communities():
        if user is None or not user.is_authenticated:
            return []
        return [m.community for m in active_memberships(user)]

    return {"nav_communities": my_communities, "platform_name": settings.PLATFORM_NAME}
