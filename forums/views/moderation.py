from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities import moderation
from communities import services as community_services
from communities.models import Flag, Membership, ModerationAction

from .. import permissions
from ..forms import ModerationReasonForm
from ..models import Post
from ._helpers import community_view

HIDDEN_SHOWN = 10


@login_required
@community_view
def moderation_queue(request, community):
    """Flagged posts and posts held for approval, oldest first."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    post_type = ContentType.objects.get_for_model(Post)
    open_flags = Flag.objects.filter(community=community, status=Flag.Status.OPEN, target_type=post_type)
    flagged_ids = list(open_flags.values_list("target_id", flat=True).distinct())
    posts = Post.objects.filter(thread__community=community).filter(pk__in=flagged_ids) | Post.objects.filter(
        thread__community=community, status=Post.Status.HELD
    )
    posts = posts.select_related("thread", "author__profile").order_by("created_at", "pk")
    flags_by_post: dict[int, list[Flag]] = {}
    for flag in open_flags.select_related("reporter").filter(target_id__in=flagged_ids):
        flags_by_post.setdefault(flag.target_id, []).append(flag)
    page = Paginator(posts, 20).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.flag_list = flags_by_post.get(post.pk, [])
    # The latest hidden posts stay within reach, so hiding one by mistake is undone from the same page.
    hidden = (
        Post.objects.filter(thread__community=community, status=Post.Status.HIDDEN)
        .select_related("thread", "author__profile")
        .order_by("-pk")[:HIDDEN_SHOWN]
    )
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
