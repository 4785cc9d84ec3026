from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities import moderation
from communities import services as community_services
from communities.models import Flag, Membership, ModerationAction

from .. import permissions, selectors
from ..forms import ModerationReasonForm
from ._helpers import community_view


@login_required
@community_view
def moderation_queue(request, community):
    """Flagged posts and posts held for approval, oldest first."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    posts = selectors.moderation_queue(community).select_related("thread", "author__profile")
    page = Paginator(posts, 20).get_page(request.GET.get("page"))
    community_services.waiting_sync(community=community, key="moderation", count=page.paginator.count)
    flags_by_post: dict[int, list[Flag]] = {}
    on_page = [post.pk for post in page.object_list]
    for flag in selectors.open_flags(community).select_related("reporter").filter(target_id__in=on_page):
        flags_by_post.setdefault(flag.target_id, []).append(flag)
    for post in page.object_list:
        post.flag_list = flags_by_post.get(post.pk, [])
    hidden = selectors.recently_hidden(community)
    return render(
        request,
        "forums/moderation_queue.html",
        {"community": community, "tab": "moderation", "page": page, "hidden": hidden, "form": ModerationReasonForm()},
    )


@login_required
@community_view
def moderation_log(request, community):
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    actions = ModerationAction.objects.filter(community=community).select_related("moderator", "target_user")
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(request, "forums/moderation_log.html", {"community": community, "tab": "moderation", "page": page})


@login_required
@require_POST
@community_view
def member_sanction(request, community, user_pk):
    """Warn a member (they are emailed) or ban them, from the moderation queue; both are logged."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("user", "community"), community=community, user_id=user_pk
    )
    form = ModerationReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    action = request.POST.get("action")
    if action == "warn":
        moderation.member_warn(membership=membership, by=request.user, reason=reason)
        messages.success(request, f"{membership.user.display_name} has been warned by email.")
    elif action == "ban":
        try:
            community_services.membership_ban(membership=membership, by=request.user, reason=reason)
        except community_services.MembershipError as exc:
            raise PermissionDenied(str(exc)) from exc
        moderation.log(
            community=community,
            moderator=request.user,
            action=ModerationAction.Action.BAN,
            target_user=membership.user,
            summary=membership.user.display_name,
            reason=reason,
        )
        messages.success(request, f"{membership.user.display_name} is banned from {community.name}.")
    else:
        raise PermissionDenied
    return redirect("forums:moderation_queue", slug=community.slug)
