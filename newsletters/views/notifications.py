from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import notifications
from ..models import Alert

PAGE_SIZE = 25


def _page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 10_000 else 1


@login_required
def notification_list(request):
    """What happened for me, grouped per thread or object, newest first."""
    number = _page_number(request.GET.get("page"))
    rows = notifications.groups(request.user, (number - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    return render(
        request,
        "newsletters/notifications.html",
        {"groups": rows[:PAGE_SIZE], "number": number, "has_next": len(rows) > PAGE_SIZE, "has_previous": number > 1},
    )


def _mine(request, pk) -> Alert:
    if pk >= 2**63:
        raise Http404
    return get_object_or_404(Alert.objects.select_related("event", "community"), pk=pk, user=request.user)


@login_required
def notification_open(request, pk):
    """Mark the group read and go to the exact place, if the member may still see it."""
    alert = _mine(request, pk)
    notifications.mark_group_read(user=request.user, alert=alert)
    if not notifications.still_visible(alert, request.user):
        return render(request, "newsletters/notification_gone.html", {"alert": alert}, status=410)
    return redirect(alert.url)


@login_required
@require_POST
def notification_read(request, pk):
    notifications.mark_group_read(user=request.user, alert=_mine(request, pk))
    return redirect("newsletters:notifications")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("newsletters:notifications")
