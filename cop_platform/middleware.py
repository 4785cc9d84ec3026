"""Platform-wide response rules."""

from django.core.exceptions import SuspiciousOperation
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


class RejectNulMiddleware:
    """A NUL character has no business in a URL, a query string or a form field, and PostgreSQL refuses to store or
    even compare one (a 500 wherever it reaches a query): answer 400 before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            raise SuspiciousOperation("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
        return False
