"""The library's moderation queue: flagged resources and comments, for the facilitators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities.models import Flag

from .. import permissions, services
from ..forms import ReasonForm
from ..models import Resource, ResourceComment
from ._helpers import community_view

QUEUE_LIMIT = 100


@login_required
@community_view
def moderation_queue(request, community):
    """Open flags on the library's resources and comments, oldest first, with what was flagged."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    types = ContentType.objects.get_for_models(Resource, ResourceComment)
    flags = list(
        Flag.objects.filter(community=community, status=Flag.Status.OPEN, target_type__in=types.values())
        .select_related("reporter")
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    ids = {model: {f.target_id for f in flags if f.target_type_id == ct.pk} for model, ct in types.items()}
    resources = Resource.objects.filter(community=community, pk__in=ids[Resource]).select_related("author")
    comments = ResourceComment.objects.filter(
        resource__community=community, pk__in=ids[ResourceComment]
    ).select_related("author", "resource")
    targets = {(types[Resource].pk, r.pk): r for r in resources} | {
        (types[ResourceComment].pk, c.pk): c for c in comments
    }
    items: dict[tuple, dict] = {}
    for flag in flags:
        key = (flag.target_type_id, flag.target_id)
        if key in targets:
            target = targets[key]
            items.setdefault(
                key,
                {"target": target, "is_comment": isinstance(target, ResourceComment), "flags": []},
            )["flags"].append(flag)
    hidden = Resource.objects.filter(community=community, is_hidden=True).order_by("-created_at")[:QUEUE_LIMIT]
    hidden_comments = (
        ResourceComment.objects.filter(resource__community=community, status=ResourceComment.Status.HIDDEN)
        .select_related("author", "resource")
        .order_by("-created_at")[:QUEUE_LIMIT]
    )
    return render(
        request,
        "library/moderation_queue.html",
        {
            "community": community,
            "tab": "library",
            "items": list(items.values()),
            "hidden": hidden,
            "hidden_comments": hidden_comments,
        },
    )


@login_required
@require_POST
@community_view
def moderation_act(request, community, what, pk):
    """Hide, restore or dismiss the flags on one resource or comment; every action is logged."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    if what == "resource":
        target = get_object_or_404(Resource, pk=pk, community=community)
    elif what == "comment":
        target = get_object_or_404(
            ResourceComment.objects.select_related("resource"), pk=pk, resource__community=community
        )
    else:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    action = request.POST.get("action")
    if action == "dismiss":
        services.flags_dismiss(target=target, by=request.user, reason=reason)
        messages.success(request, "Flags dismissed.")
    elif action in ("hide", "restore") and what == "resource":
        services.resource_set_hidden(resource=target, by=request.user, hidden=action == "hide", reason=reason)
        messages.success(request, "Resource hidden." if action == "hide" else "Resource restored.")
    elif action in ("hide", "restore"):
        services.comment_set_hidden(comment=target, by=request.user, hidden=action == "hide", reason=reason)
        messages.success(request, "Comment hidden." if action == "hide" else "Comment restored.")
    else:
        raise Http404
    return redirect("library:moderation_queue", slug=community.slug)
