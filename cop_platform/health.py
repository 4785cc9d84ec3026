"""A liveness and readiness probe for load balancers and docker compose: the database and cache answer."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # the probe reports any failure instead of raising it
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        if hasattr(cache, "check"):  # Redis, which otherwise hides its outage behind the local fallback
            cache.check()
            checks["cache"] = "ok"
        else:
            cache.set("healthz", "ok", 5)
            checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
