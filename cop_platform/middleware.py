"""Platform-wide response rules."""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateCacheMiddleware:
    """Pages for a logged-in member are theirs alone: no shared cache (a proxy, a CDN) may keep or serve them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response
